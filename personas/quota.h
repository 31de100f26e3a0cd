/* quota.h - the `$.quotas` config section: how many personas each stratum
 * gets.
 *
 *   "quotas": { "by": ["age_band", "gender"],
 *               "counts": { "25-34/female": 40, "25-34/male": 60 } }
 *   "quotas": { "by": ["state"], "proportional": true }
 *
 * `by` names one or two persona attributes (persona_quota_fields); a
 * stratum key joins one value of each with "/". With `counts` every
 * stratum listed gets exactly that many personas and the counts must add
 * up to the run's persona count (strata not listed get none); with
 * `proportional` each stratum gets its share of the tables, rounded so
 * the counts add up exactly (largest remainders). Sampling honours them in
 * persona_tables_plan_quota() (sampler.h).
 */
#ifndef PF_QUOTA_H
#define PF_QUOTA_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/jfield.h"

#define QUOTA_MAX_BY 2
#define QUOTA_MAX_STRATA 4096

struct persona_quota {
	int nby;
	const char *by[QUOTA_MAX_BY];  /* entries of persona_quota_fields */
	int proportional;              /* 1: shares of the tables */
	size_t n;                      /* strata in counts (0 if proportional) */
	char **keys;                   /* "v1/v2", malloc'd */
	int64_t *counts;
	int64_t total;                 /* sum of counts */
};

/* The attributes quotas can be by, NULL-terminated: those whose values
 * come from a table row (so a value holds no "/"). proportional supports
 * the first QUOTA_PROPORTIONAL_FIELDS of them. */
extern const char *const persona_quota_fields[];
#define QUOTA_PROPORTIONAL_FIELDS 6

/* Parse `$.quotas` (q may be NULL: no quotas, *out = NULL). On success
 * stores a new spec in *out (free with persona_quota_free()) and returns
 * 0; on a bad key, field, count or key shape returns -1 with x's error at
 * its JSON path ("$.quotas.counts.25-34: expected 2 values joined by
 * '/'"). */
int persona_quota_parse(const struct jfield *x, const cJSON *q,
			struct persona_quota **out);

/* Release a spec. Accepts NULL. */
void persona_quota_free(struct persona_quota *q);

#endif
