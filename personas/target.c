/* target.c - sampled attributes against their tables (see target.h). */
#include "personas/target.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const struct target_check target_checks[] = {
	{ .table = "gender.tsv", .field = "gender" },
	{ .table = "age.tsv", .field = "age_band", .conds = { "gender" },
	  .nconds = 1 },
	{ .table = "region.tsv", .field = "region" },
	{ .table = "state.tsv", .field = "state", .conds = { "region" },
	  .nconds = 1 },
	{ .table = "urban_rural.tsv", .field = "urban_rural",
	  .conds = { "state" }, .nconds = 1 },
	{ .table = "city.tsv", .field = "city",
	  .conds = { "state", "urban_rural" }, .nconds = 2 },
	{ .table = "race_ethnicity.tsv", .field = "race_ethnicity" },
	{ .table = "education.tsv", .field = "education",
	  .conds = { "age_band", "gender" }, .nconds = 2 },
	{ .table = "marital_status.tsv", .field = "marital_status",
	  .conds = { "age_band", "gender" }, .nconds = 2 },
	{ .table = "employment.tsv", .field = "employment_status",
	  .conds = { "age_band", "gender" }, .nconds = 2 },
	{ .table = "occupation.tsv", .field = "occupation",
	  .conds = { "employment_status", "education" }, .nconds = 2,
	  .sex_table = "occupation_sex.tsv" },
	{ .table = "income.tsv", .field = "income_band",
	  .conds = { "occupation" }, .nconds = 1 },
	{ .table = "household.tsv", .field = "household",
	  .conds = { "marital_status", "age_band" }, .nconds = 2 },
	{ .table = "last_name.tsv", .field = "last_name" },
	{ .table = "economic_status.tsv", .field = "economic_status",
	  .conds = { "income_band" }, .nconds = 1 },
	{ .table = "health_status.tsv", .field = "health_status",
	  .conds = { "age_band" }, .nconds = 1 },
	{ .table = "mental_health.tsv", .field = "mental_health_status",
	  .conds = { "age_band" }, .nconds = 1,
	  .any_table = "mental_health_any.tsv" },
	{ .table = "self_harm.tsv", .field = "self_harm_history",
	  .conds = { "mental_health_status" }, .nconds = 1 },
	{ .table = "emotional_state.tsv", .field = "emotional_state",
	  .conds = { "mental_health_status", "economic_status" },
	  .nconds = 2 },
};
const size_t target_nchecks = sizeof(target_checks) /
			      sizeof(target_checks[0]);
const struct target_check target_age_detail = {
	.table = "age_detail.tsv", .field = "age_range",
	.conds = { "age_band", "gender" }, .nconds = 2,
};

/* Sexes a group's personas are counted by: female, male, other (not
 * reweighted). */
#define SEXES 3
static const char *const sexes[SEXES - 1] = { "female", "male" };

static const struct target_check sex_check = { .table = "sex shares" };

struct row {
	int group, value;
	double w;
};

struct target {
	const struct target_check *c;
	char **groups;            /* condition of each group, as written */
	int ngroups;
	double *gtotal;           /* weight of each group */
	int64_t *gcount;          /* personas that picked it, by sex
				   * (SEXES a group) */
	struct target *sex;       /* the check's sex_table, or NULL */
	struct target *any;       /* the check's any_table, or NULL */
	int64_t *pair;            /* with any: personas per (group, any
				   * group), ngroups x any->ngroups */
	struct target_check *owned_check;  /* freed with it (sex tables) */
	struct row *rows;
	int nrows;
	char **values;            /* distinct values, first appearance */
	int nvalues, cap;
	int64_t *sampled;
	double *expected;
	int *hash;                /* value index + 1, open addressing */
	size_t hcap;
	int64_t n;
};

static uint64_t
fnv(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

/* Rebuild the hash at twice the values' room. */
static int
rehash(struct target *t)
{
	size_t cap = (size_t)t->cap * 2, h;
	int *nh = calloc(cap, sizeof(*nh));
	int k;

	if (nh == NULL)
		return -1;
	for (k = 0; k < t->nvalues; k++) {
		for (h = fnv(t->values[k]) & (cap - 1); nh[h] != 0;
		     h = (h + 1) & (cap - 1))
			;
		nh[h] = k + 1;
	}
	free(t->hash);
	t->hash = nh;
	t->hcap = cap;
	return 0;
}

/* Room for one more value. */
static int
grow_values(struct target *t)
{
	int cap = t->cap ? t->cap * 2 : 64;
	char **v;
	int64_t *s;
	double *e;

	if (t->nvalues < t->cap)
		return 0;
	if ((v = realloc(t->values, (size_t)cap * sizeof(*v))) == NULL)
		return -1;
	t->values = v;
	if ((s = realloc(t->sampled, (size_t)cap * sizeof(*s))) == NULL)
		return -1;
	t->sampled = s;
	if ((e = realloc(t->expected, (size_t)cap * sizeof(*e))) == NULL)
		return -1;
	t->expected = e;
	t->cap = cap;
	return rehash(t);
}

/* The index of value s, added when new; -1 when out of memory. */
static int
value_index(struct target *t, const char *s)
{
	size_t h;
	int k;

	for (h = t->hcap ? fnv(s) & (t->hcap - 1) : 0;
	     t->hcap && t->hash[h] != 0; h = (h + 1) & (t->hcap - 1))
		if (strcmp(t->values[t->hash[h] - 1], s) == 0)
			return t->hash[h] - 1;
	if (grow_values(t) != 0 || (t->values[t->nvalues] = strdup(s)) == NULL)
		return -1;
	k = t->nvalues++;
	t->sampled[k] = 0;
	t->expected[k] = 0;
	for (h = fnv(s) & (t->hcap - 1); t->hash[h] != 0;
	     h = (h + 1) & (t->hcap - 1))
		;
	t->hash[h] = k + 1;
	return k;
}

/* The group of condition `cond`, added at the end when new (groups are
 * few: a linear search). -1 when out of memory. */
static int
group_index(struct target *t, const char *cond)
{
	int g;
	void *p;

	for (g = t->ngroups - 1; g >= 0; g--)
		if (strcmp(t->groups[g], cond) == 0)
			return g;
	if ((p = realloc(t->groups, (size_t)(t->ngroups + 1) *
			 sizeof(*t->groups))) == NULL)
		return -1;
	t->groups = p;
	if ((p = realloc(t->gtotal, (size_t)(t->ngroups + 1) *
			 sizeof(*t->gtotal))) == NULL)
		return -1;
	t->gtotal = p;
	if ((t->groups[t->ngroups] = strdup(cond)) == NULL)
		return -1;
	t->gtotal[t->ngroups] = 0;
	return t->ngroups++;
}

/* One "condition<TAB>value<TAB>weight[<TAB>...]" line. Returns 0, 1 for
 * a malformed line, -1 when out of memory. */
static int
add_row(struct target *t, char *line)
{
	char *value = strchr(line, '\t'), *weight, *end;
	struct row r;
	void *p;

	if (value == NULL || (weight = strchr(value + 1, '\t')) == NULL)
		return 1;
	*value++ = '\0';
	*weight++ = '\0';
	r.w = strtod(weight, &end);
	if (end == weight || (*end != '\0' && *end != '\t') || !(r.w > 0))
		return 1;
	if (t->nrows == TARGET_MAX_ROWS)
		return 1;
	if ((r.group = group_index(t, line)) < 0 ||
	    (r.value = value_index(t, value)) < 0 ||
	    (p = realloc(t->rows, (size_t)(t->nrows + 1) *
			 sizeof(*t->rows))) == NULL)
		return -1;
	t->rows = p;
	t->rows[t->nrows++] = r;
	t->gtotal[r.group] += r.w;
	return 0;
}

/* Read the table at path into t. */
static int
read_table(struct target *t, const char *path, FILE *f, struct pf_error *err)
{
	char line[TARGET_LINE_MAX];
	long lineno = 0;
	size_t n;
	int rc;

	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		n = strlen(line);
		while (n > 0 && (line[n - 1] == '\n' || line[n - 1] == '\r'))
			line[--n] = '\0';
		if (n == 0 || line[0] == '#')
			continue;
		if ((rc = add_row(t, line)) != 0) {
			snprintf(err->file, sizeof(err->file), "%.500s", path);
			err->line = (int)lineno;
			return pf_error_set(err, rc < 0 ? "out of memory" :
					    "expected condition, value and "
					    "a positive weight");
		}
	}
	if (!ferror(f))
		return 0;
	snprintf(err->file, sizeof(err->file), "%.500s", path);
	return pf_error_set(err, "read error: %s", strerror(errno));
}

int target_load(const char *const *dirs, const struct target_check *c,
		struct target **out, struct pf_error *err);

/* A side table of t's check (its sex shares, or its "any" shares on
 * the check's conditions) into *out, from the first of dirs that has
 * it. */
static int
load_side(const char *const *dirs, const char *table, int nconds,
	  struct target **out, struct pf_error *err)
{
	struct target_check *c = malloc(sizeof(*c));
	int rc;

	if (c == NULL)
		return pf_error_set(err, "out of memory");
	*c = sex_check;
	c->table = table;
	c->nconds = nconds;
	rc = target_load(dirs, c, out, err);
	if (*out != NULL)
		(*out)->owned_check = c;
	else
		free(c);
	return rc;
}

/* Load the check's side tables into t. */
static int
load_sides(const char *const *dirs, struct target *t, struct pf_error *err)
{
	const struct target_check *c = t->c;

	if (c->sex_table != NULL &&
	    load_side(dirs, c->sex_table, 0, &t->sex, err) != 0)
		return -1;
	if (c->any_table == NULL)
		return 0;
	if (load_side(dirs, c->any_table, c->nconds, &t->any, err) != 0)
		return -1;
	t->pair = calloc((size_t)t->ngroups * (size_t)t->any->ngroups + 1,
			 sizeof(*t->pair));
	return t->pair != NULL ? 0 : pf_error_set(err, "out of memory");
}

int
target_load(const char *const *dirs, const struct target_check *c,
	    struct target **out, struct pf_error *err)
{
	const char *const *dirs0 = dirs;
	char path[4096];
	FILE *f = NULL;
	int rc;

	*out = calloc(1, sizeof(**out));
	if (*out == NULL)
		return pf_error_set(err, "out of memory");
	(*out)->c = c;
	for (; f == NULL && *dirs != NULL; dirs++) {
		snprintf(path, sizeof(path), "%s/%s", *dirs, c->table);
		f = fopen(path, "r");
	}
	if (f == NULL) {
		target_free(*out);
		*out = NULL;
		return pf_error_set(err, "%s: not found in the persona tables",
				    c->table);
	}
	rc = read_table(*out, path, f, err);
	(*out)->gcount = calloc(((size_t)(*out)->ngroups + 1) * SEXES,
				sizeof(*(*out)->gcount));
	fclose(f);
	if (rc == 0)
		rc = load_sides(dirs0, *out, err);
	if (rc == 0 && (*out)->gcount != NULL)
		return 0;
	target_free(*out);
	*out = NULL;
	return rc == 0 ? pf_error_set(err, "out of memory") : -1;
}

void
target_free(struct target *t)
{
	int i;

	if (t == NULL)
		return;
	for (i = 0; i < t->ngroups; i++)
		free(t->groups[i]);
	for (i = 0; i < t->nvalues; i++)
		free(t->values[i]);
	free(t->groups);
	free(t->gtotal);
	free(t->gcount);
	target_free(t->sex);
	target_free(t->any);
	free(t->pair);
	free(t->owned_check);
	free(t->rows);
	free(t->values);
	free(t->sampled);
	free(t->expected);
	free(t->hash);
	free(t);
}

/* How well condition `cond` ("a/b", "*" matching anything) fits parts:
 * an equal first part counts 2, a later one 1; -1 when a part differs
 * (bench/population's find_group). */
static int
fit(const char *cond, const char *const *parts, int nparts)
{
	const char *end;
	size_t len;
	int i, score = 0;

	for (i = 0; i < nparts && cond != NULL; i++) {
		end = strchr(cond, '/');
		len = end != NULL ? (size_t)(end - cond) : strlen(cond);
		if (strlen(parts[i]) == len && strncmp(cond, parts[i], len) == 0)
			score += i == 0 ? 2 : 1;
		else if (len != 1 || cond[0] != '*')
			return -1;
		cond = end != NULL ? end + 1 : NULL;
	}
	return score;
}

/* The sex class of gender under a sex table: 0 female, 1 male, 2 any
 * other gender and every persona without one. */
static int
sex_class(const struct target *t, const char *gender)
{
	int s;

	for (s = 0; t->sex != NULL && gender != NULL && s < SEXES - 1; s++)
		if (strcmp(gender, sexes[s]) == 0)
			return s;
	return SEXES - 1;
}

/* The group of t that fits parts best (bench/population's find_group),
 * or -1. */
static int
best_group(const struct target *t, const char *const *parts)
{
	int g, best = -1, top = -1, s;

	for (g = 0; g < t->ngroups; g++)
		if ((s = fit(t->groups[g], parts, t->c->nconds)) > top) {
			top = s;
			best = g;
		}
	return best;
}

int
target_add(struct target *t, const char *const *parts, const char *gender,
	   const char *value)
{
	int best = best_group(t, parts), a, v;

	if ((v = value_index(t, value)) < 0)
		return -1;
	t->sampled[v]++;
	if (best >= 0)
		t->gcount[best * SEXES + sex_class(t, gender)]++;
	if (best >= 0 && t->any != NULL &&
	    (a = best_group(t->any, parts)) >= 0)
		t->pair[best * t->any->ngroups + a]++;
	t->n++;
	return 0;
}

/* The share of sex class s among value v's rows of the sex table (the
 * "*" rows for a value it lacks); 1 for class "other" or no table. */
static double
sex_share(const struct target *t, const char *v, int s)
{
	const struct target *x = t->sex;
	const struct row *w;
	double total = 0, mine = 0;
	int g, hit = -1, star = -1;

	if (x == NULL || s == SEXES - 1)
		return 1;
	for (g = 0; g < x->ngroups; g++) {
		if (strcmp(x->groups[g], v) == 0)
			hit = g;
		else if (strcmp(x->groups[g], "*") == 0)
			star = g;
	}
	g = hit >= 0 ? hit : star;
	for (w = x->rows; g >= 0 && w < x->rows + x->nrows; w++) {
		if (w->group != g)
			continue;
		total += w->w;
		if (strcmp(x->values[w->value], sexes[s]) == 0)
			mine += w->w;
	}
	return total > 0 && mine > 0 ? mine / total : 1;
}

/* Fill t->expected: each group's personas of each sex class spread over
 * the group's values by weight times the class's share. */
static int
expect(struct target *t)
{
	double *den = calloc((size_t)t->ngroups * SEXES + 1, sizeof(*den));
	const struct row *w;
	int k, s;

	if (den == NULL)
		return -1;
	for (k = 0; k < t->nvalues; k++)
		t->expected[k] = 0;
	for (w = t->rows; w < t->rows + t->nrows; w++)
		for (s = 0; s < SEXES; s++)
			den[w->group * SEXES + s] += w->w *
				sex_share(t, t->values[w->value], s);
	for (w = t->rows; w < t->rows + t->nrows; w++)
		for (s = 0; s < SEXES; s++)
			if (t->gcount[w->group * SEXES + s] > 0)
				t->expected[w->value] += (double)t->gcount[
					w->group * SEXES + s] * w->w *
					sex_share(t, t->values[w->value], s) /
					den[w->group * SEXES + s];
	free(den);
	return 0;
}

/* Group a of the any table: the share of "any" into *share and the
 * no-condition value into *none. -1 when the group lacks either. */
static int
any_share(const struct target *x, int a, double *share, const char **none)
{
	const struct row *w;
	double any = -1;

	*none = NULL;
	for (w = x->rows; w < x->rows + x->nrows; w++) {
		if (w->group != a)
			continue;
		if (strcmp(x->values[w->value], "any") == 0)
			any = w->w;
		else
			*none = x->values[w->value];
	}
	if (any < 0 || *none == NULL || !(x->gtotal[a] > 0))
		return -1;
	*share = any / x->gtotal[a];
	return 0;
}

/* Under an any table: the personas of each (group, any group) take the
 * no-condition value at 1 - share, and spread share over the group's
 * other values by weight. */
static void
expect_any(struct target *t)
{
	const struct row *w;
	const char *none;
	double share, rest;
	int64_t c;
	int g, a, k;

	for (k = 0; k < t->nvalues; k++)
		t->expected[k] = 0;
	for (g = 0; g < t->ngroups; g++)
		for (a = 0; a < t->any->ngroups; a++) {
			c = t->pair[g * t->any->ngroups + a];
			if (c == 0 || any_share(t->any, a, &share, &none))
				continue;
			rest = 0;
			for (w = t->rows; w < t->rows + t->nrows; w++)
				if (w->group == g &&
				    strcmp(t->values[w->value], none) != 0)
					rest += w->w;
			for (w = t->rows; w < t->rows + t->nrows; w++) {
				if (w->group != g)
					continue;
				if (strcmp(t->values[w->value], none) == 0)
					t->expected[w->value] += (double)c *
						(1 - share);
				else if (rest > 0)
					t->expected[w->value] += (double)c *
						share * w->w / rest;
			}
		}
}

int
target_result(struct target *t, struct target_result *r)
{
	double d = 0;
	int k;

	if (t->any != NULL)
		expect_any(t);
	else if (expect(t) != 0)
		return -1;
	for (k = 0; k < t->nvalues; k++)
		d += t->sampled[k] > t->expected[k] ?
		     (double)t->sampled[k] - t->expected[k] :
		     t->expected[k] - (double)t->sampled[k];
	r->n = t->n;
	r->nvalues = (size_t)t->nvalues;
	r->values = (const char *const *)t->values;
	r->sampled = t->sampled;
	r->expected = t->expected;
	r->tvd = t->n > 0 ? d / 2 / (double)t->n : 0;
	return 0;
}

int
target_age_band(const struct target *t, int age, char *out, size_t n)
{
	const struct row *w;
	const char *band;
	char *end;
	long lo, hi;

	for (w = t->rows; w < t->rows + t->nrows; w++) {
		lo = strtol(t->values[w->value], &end, 10);
		hi = *end == '-' ? strtol(end + 1, NULL, 10) : lo + 4;
		if (age < lo || age > hi)
			continue;
		band = t->groups[w->group];
		snprintf(out, n, "%.*s", (int)strcspn(band, "/"), band);
		return 0;
	}
	return -1;
}
