/* counterfact.c - the counterfactual probe's attributes and statistics
 * (see counterfact.h). */
#include "auditors/counterfact.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/fairstats.h"
#include "base/json.h"

#define Z95 1.959963984540054

/* A two-way swap and what every other value becomes. */
struct swap {
	const char *name;
	const char *rule;            /* in words */
	const char *a, *b;           /* a <-> b */
	const char *other;           /* any other value -> this */
	const char *c, *d;           /* a second pair c <-> d, or NULL */
};

static const struct swap swaps[] = {
	{ .name = "gender", .rule = "female <-> male, any other -> female",
	  .a = "female", .b = "male", .other = "female" },
	{ .name = "region", .rule = "Northeast <-> South, Midwest <-> West",
	  .a = "Northeast", .b = "South", .c = "Midwest",
	  .d = "West", .other = "Northeast" },
	{ .name = "race_ethnicity", .rule = "White <-> Black or African "
	  "American, any other -> White", .a = "White",
	  .b = "Black or African American", .other = "White" },
};

#define NSWAPS (sizeof(swaps) / sizeof(swaps[0]))

static const struct swap *
swap_of(const char *name)
{
	size_t i;

	for (i = 0; i < NSWAPS; i++)
		if (strcmp(swaps[i].name, name) == 0)
			return &swaps[i];
	return NULL;
}

int
cf_known(const char *name)
{
	return swap_of(name) != NULL || strcmp(name, "age_band") == 0;
}

const char *
cf_rule(const char *name)
{
	const struct swap *s = swap_of(name);

	if (strcmp(name, "age_band") == 0)
		return "the age moved 30 years: under 50 up, else down";
	return s != NULL ? s->rule : "";
}

static const char *
swapped(const struct swap *s, const char *v)
{
	if (strcmp(v, s->a) == 0 || (s->c && strcmp(v, s->c) == 0))
		return strcmp(v, s->a) == 0 ? s->b : s->d;
	if (strcmp(v, s->b) == 0 || (s->d && strcmp(v, s->d) == 0))
		return strcmp(v, s->b) == 0 ? s->a : s->c;
	return s->other;
}

/* The age, a number or text; -1 when absent. */
static int
age_of(const cJSON *p)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(p, "age");

	if (cJSON_IsNumber(a))
		return a->valueint;
	return cJSON_IsString(a) ? atoi(a->valuestring) : -1;
}

static int
flip_age(cJSON *p, char *dir, size_t n)
{
	int age = age_of(p), moved;
	char num[16];

	if (age < 0)
		return 0;
	moved = age < 50 ? age + 30 : age - 30 < 18 ? 18 : age - 30;
	snprintf(dir, n, "%s", age < 50 ? "age +30 (under 50)" :
		 "age -30 (50 and over)");
	snprintf(num, sizeof(num), "%d", moved);
	/* the same type the row had */
	return cJSON_ReplaceItemInObjectCaseSensitive(p, "age",
		cJSON_IsNumber(cJSON_GetObjectItemCaseSensitive(p, "age")) ?
		cJSON_CreateNumber(moved) : cJSON_CreateString(num)) ? 1 : -1;
}

int
cf_flip(const char *name, cJSON *p, char *dir, size_t n)
{
	const struct swap *s = swap_of(name);
	const char *v, *to;

	if (strcmp(name, "age_band") == 0)
		return flip_age(p, dir, n);
	if (s == NULL)
		return -1;
	v = json_get_str(p, name, NULL);
	if (v == NULL || v[0] == '\0')
		return 0;
	to = swapped(s, v);
	snprintf(dir, n, "%s -> %s", v, to);
	return cJSON_ReplaceItemInObjectCaseSensitive(p, name,
		cJSON_CreateString(to)) ? 1 : -1;
}

char
cf_verdict(const char *content, size_t len)
{
	struct json_error je;
	cJSON *o = NULL;
	const char *v;
	char r = 0;

	if (content == NULL || json_parse(content, len, &o, &je) != 0)
		return 0;
	v = json_get_str(o, "verdict", "");
	r = strcmp(v, "A") == 0 ? 'A' : strcmp(v, "B") == 0 ? 'B' :
	    strcmp(v, "tie") == 0 ? 't' : 0;
	cJSON_Delete(o);
	return r;
}

void
cf_add_verdicts(struct cf_tally *t, char orig, char cf)
{
	if (orig == 0 || cf == 0) {
		t->unparsed++;
		return;
	}
	t->verdicts++;
	t->flips += orig != cf;
}

void
cf_add_lengths(struct cf_tally *t, double x, double y)
{
	t->lengths++;
	t->sx += x;
	t->sy += y;
	t->sxx += x * x;
	t->syy += y * y;
	t->sxy += x * y;
}

int
cf_length_ratio(const struct cf_tally *t, double *r, double *lo,
		double *hi)
{
	double n = (double)t->lengths, mx, my, vxx, vyy, vxy, var;

	if (t->lengths < 2 || t->sx <= 0)
		return -1;
	mx = t->sx / n;
	my = t->sy / n;
	/* sample (co)variances, n - 1 */
	vxx = (t->sxx - n * mx * mx) / (n - 1);
	vyy = (t->syy - n * my * my) / (n - 1);
	vxy = (t->sxy - n * mx * my) / (n - 1);
	*r = my / mx;
	var = (vyy - 2 * *r * vxy + *r * *r * vxx) / (n * mx * mx);
	var = var > 0 ? var : 0;
	*lo = *r - Z95 * sqrt(var);
	*hi = *r + Z95 * sqrt(var);
	return 0;
}

void
cf_emit_flips(const struct cf_tally *t, const char *name, const char *rule,
	      const char *why, audit_metric_fn emit, void *ud)
{
	char note[256];
	struct audit_metric m = { .metric = "verdict_flip_rate",
				  .group = name, .threshold = "",
				  .note = note, .n = t->verdicts };

	if (why != NULL)
		snprintf(note, sizeof(note), "%s", why);
	else
		snprintf(note, sizeof(note), "judge verdicts that change when "
			 "%s changes (%s); Wilson 95%%; %lld probes without "
			 "both verdicts", name, rule, (long long)t->unparsed);
	if (t->verdicts > 0) {
		m.value = (double)t->flips / (double)t->verdicts;
		m.defined = m.has_interval = 1;
		fair_wilson(t->flips, t->verdicts, &m.lo, &m.hi);
		m.lo = t->flips == 0 ? 0 : m.lo;  /* not 1e-18 */
	}
	emit(ud, &m);
}

void
cf_emit_length(const struct cf_tally *t, const char *name, const char *dir,
	       const char *why, audit_metric_fn emit, void *ud)
{
	char note[256], group[128];
	struct audit_metric m = { .metric = "length_ratio", .group = group,
				  .threshold = "", .note = note,
				  .n = t->lengths };

	snprintf(group, sizeof(group), "%s: %s", name, dir);
	if (why != NULL)
		snprintf(note, sizeof(note), "%s", why);
	else
		snprintf(note, sizeof(note), "mean answer length (bytes) with "
			 "%s changed over the original's; delta-method 95%%; "
			 "%lld answers missing", name, (long long)t->failed);
	if (cf_length_ratio(t, &m.value, &m.lo, &m.hi) == 0)
		m.defined = m.has_interval = 1;
	emit(ud, &m);
}
