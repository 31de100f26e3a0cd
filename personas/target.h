/* target.h - how far the sampled personas are from their tables.
 *
 * The sampler draws each attribute from one table of personas/data/ given
 * the values of its parent attributes (the group the most specific
 * condition picks; sampler.h). For an attribute and a set of personas the
 * target count of a value is the sum, over the personas, of the value's
 * share in the group their conditions pick: the mixture of the table over
 * the conditions actually sampled. This is bench/population's CHECKS
 * list and find_group() in C, for `personaforge report`; the report
 * compares the marginal counts (bench/population compares each group's
 * cells against a multinomial bound).
 */
#ifndef PF_TARGET_H
#define PF_TARGET_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define TARGET_MAX_CONDS 2
#define TARGET_LINE_MAX 4096     /* bytes of one table line */
#define TARGET_MAX_ROWS 200000   /* rows of one table */

/* One attribute: its table, the persona column sampled, and the persona
 * columns (or "age_band", derived from age by age_detail.tsv) whose
 * values make its condition. */
struct target_check {
	const char *table;
	const char *field;
	const char *conds[TARGET_MAX_CONDS];
	int nconds;
	/* A table of the share of each sex per value ("value<TAB>sex<TAB>
	 * weight", "*" for any other value): the sampler keeps a draw with
	 * odds proportional to the share of the persona's sex (female or
	 * male; other genders are not reweighted). NULL: none. */
	const char *sex_table;
	/* A table of the share of "any" condition per condition group
	 * ("cond<TAB>any<TAB>w" and "cond<TAB><none value><TAB>w", on the
	 * same conditions): the check's table then says only how personas
	 * with a condition spread over the conditions, and its <none value>
	 * row takes the rest, as the sampler draws mental health
	 * (personas/sampler.c, draw_mental). NULL: none. */
	const char *any_table;
};

/* The attributes the report compares: bench/population's, in its order
 * (first names, drawn from a name list by sex, are left out), then the
 * wellbeing context. */
extern const struct target_check target_checks[];
extern const size_t target_nchecks;

struct target;

/* Load check c's table from the first of `dirs` (NULL-terminated) that
 * has it. Returns 0 with *out set (target_free), or -1 with err filled
 * (the file and line of a bad row, or the file missing everywhere). */
int target_load(const char *const *dirs, const struct target_check *c,
		struct target **out, struct pf_error *err);

void target_free(struct target *t);   /* accepts NULL */

/* Count one persona: the values of c's conditions (parts, c->nconds of
 * them), its gender (read only under a sex_table) and its sampled value.
 * Returns 0, or -1 when out of memory. */
int target_add(struct target *t, const char *const *parts,
	       const char *gender, const char *value);

/* The comparison after every persona was added: n personas, and per
 * value (table order of first appearance; values not in the table come
 * last) the sampled and target counts. The arrays belong to t. */
struct target_result {
	int64_t n;
	size_t nvalues;
	const char *const *values;
	const int64_t *sampled;
	const double *expected;
	double tvd;               /* 1/2 sum |sampled - expected| / n */
};

/* Fill *r (valid until t is freed or added to). Returns 0, or -1 when
 * out of memory. */
int target_result(struct target *t, struct target_result *r);

/* The age band of `age` by age_detail.tsv (loaded with target_load of
 * TARGET_AGE_DETAIL): the first part of the condition of the row whose
 * range ("18-19", "100+" for 100-104) holds it, into out. Returns 0, or
 * -1 when no range holds it. */
int target_age_band(const struct target *age_detail, int age, char *out,
		    size_t n);

/* The check that loads age_detail.tsv for target_age_band. */
extern const struct target_check target_age_detail;

#endif
