/* quota.c - parsing the `$.quotas` config section (quota.h). */
#include "personas/quota.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"

const char *const persona_quota_fields[] = {
	/* proportional ones first (their shares follow from root tables) */
	"gender", "age_band", "race_ethnicity", "region", "state",
	"urban_rural",
	"birth_decade", "education", "employment_status", "occupation",
	"income_band", "economic_status", "marital_status", "household",
	NULL,
};

void
persona_quota_free(struct persona_quota *q)
{
	size_t i;

	if (q == NULL)
		return;
	for (i = 0; i < q->n; i++)
		free(q->keys[i]);
	free(q->keys);
	free(q->counts);
	free(q);
}

/* Number of "/"-separated parts of `s`. */
static int
nparts(const char *s)
{
	int n = 1;

	for (; *s; s++)
		n += *s == '/';
	return n;
}

/* `$.quotas.counts`: an object of "v1[/v2]": count. */
static int
parse_counts(const struct jfield *x, const cJSON *c, struct persona_quota *q)
{
	char path[160];
	const cJSON *it;
	size_t n = 0;
	int64_t v;

	if (!cJSON_IsObject(c) || c->child == NULL)
		return jfield_fail(x, "$.quotas.counts",
				   "expected an object of stratum: count");
	for (it = c->child; it != NULL; it = it->next)
		n++;
	if (n > QUOTA_MAX_STRATA)
		return jfield_fail(x, "$.quotas.counts", "more than %d strata",
				   QUOTA_MAX_STRATA);
	q->keys = calloc(n, sizeof(*q->keys));
	q->counts = calloc(n, sizeof(*q->counts));
	if (q->keys == NULL || q->counts == NULL)
		return jfield_fail(x, "$.quotas", "out of memory");
	for (it = c->child; it != NULL; it = it->next) {
		snprintf(path, sizeof(path), "$.quotas.counts.%.100s",
			 it->string);
		if (nparts(it->string) != q->nby)
			return jfield_fail(x, path, "expected %d value%s "
					   "joined by '/'", q->nby,
					   q->nby > 1 ? "s" : "");
		if (jfield_int(x, c, "$.quotas.counts", it->string, 0,
			       INT32_MAX, &v) != 0)
			return -1;
		if ((q->keys[q->n] = strdup(it->string)) == NULL)
			return jfield_fail(x, "$.quotas", "out of memory");
		q->counts[q->n++] = v;
		q->total += v;
	}
	return 0;
}

/* `$.quotas.by`: one or two distinct attribute names. */
static int
parse_by(const struct jfield *x, const cJSON *q, struct persona_quota *out)
{
	char *items[JFIELD_MAX_LIST];
	int n = 0, i, k, rc = 0;

	if (json_get(q, "by") == NULL)
		return jfield_fail(x, "$.quotas.by", "missing: name one or "
				   "two persona attributes");
	if (jfield_enum_list(x, q, "$.quotas", "by", persona_quota_fields,
			     items, &n) != 0)
		return -1;
	if (n > QUOTA_MAX_BY)
		rc = jfield_fail(x, "$.quotas.by", "at most %d attributes",
				 QUOTA_MAX_BY);
	for (i = 0; rc == 0 && i < n; i++)
		for (k = 0; persona_quota_fields[k] != NULL; k++)
			if (strcmp(items[i], persona_quota_fields[k]) == 0)
				out->by[out->nby++] = persona_quota_fields[k];
	for (i = 0; i < n; i++)
		free(items[i]);
	return rc;
}

/* Whether attribute `f` has table shares proportional quotas can use. */
static int
is_proportional_field(const char *f)
{
	int k;

	for (k = 0; k < QUOTA_PROPORTIONAL_FIELDS; k++)
		if (f == persona_quota_fields[k])
			return 1;
	return 0;
}

int
persona_quota_parse(const struct jfield *x, const cJSON *q,
		    struct persona_quota **out)
{
	static const char *const keys[] = { "by", "counts", "proportional",
					    NULL };
	struct persona_quota *s;
	const cJSON *counts = json_get(q, "counts");
	int i;

	*out = NULL;
	if (q == NULL)
		return 0;
	if ((s = calloc(1, sizeof(*s))) == NULL)
		return jfield_fail(x, "$.quotas", "out of memory");
	if (jfield_keys(x, q, "$.quotas", keys) != 0 ||
	    parse_by(x, q, s) != 0 ||
	    jfield_bool(x, q, "$.quotas", "proportional",
			&s->proportional) != 0)
		goto fail;
	if (s->proportional == (counts != NULL)) {
		jfield_fail(x, "$.quotas", "give either counts or "
			    "\"proportional\": true");
		goto fail;
	}
	for (i = 0; s->proportional && i < s->nby; i++)
		if (!is_proportional_field(s->by[i])) {
			jfield_fail(x, "$.quotas.by", "proportional quotas "
				    "can be by gender, age_band, "
				    "race_ethnicity, region, state or "
				    "urban_rural, not %s", s->by[i]);
			goto fail;
		}
	if (counts != NULL && parse_counts(x, counts, s) != 0)
		goto fail;
	*out = s;
	return 0;
fail:
	persona_quota_free(s);
	return -1;
}
