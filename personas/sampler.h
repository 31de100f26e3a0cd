/* sampler.h - load the distribution tables and sample personas from them.
 *
 * The tables are TSV files in personas/data/ (installed under
 * $(pkgdatadir)/personas/data). Weighted tables have three columns,
 * "condition<TAB>value<TAB>weight": the condition names the values of the
 * parent attributes the row applies to (parts joined by "/", "*" matching
 * any value; the most specific match wins; so values that serve as
 * conditions hold no "/"), weight is a positive number.
 * big5.tsv has "trait<TAB>band<TAB>description". Lines starting with '#'
 * and empty lines are ignored. Gender -> age band -> age range; birth
 * decade (from the age) and sex -> first name; region -> state -> urban
 * or rural -> city (city.tsv has a fourth column, the county); the chain
 * age band and gender -> education, employment -> occupation (reweighted
 * by sex, occupation_sex.tsv) -> income -> economic status, with marital
 * status by age band and gender and household, health and mental health
 * by age band; see the header comment of each file.
 *
 * Sampling is a pure function of (tables, run seed, index) and, for the
 * phone number only, of the states of the lower indexes: persona i of
 * seed S is the same whatever the run size, shard or call order. Under
 * quotas (persona_tables_plan_quota) it also depends on the strata of
 * the lower indexes and the run's counts.
 */
#ifndef PF_SAMPLER_H
#define PF_SAMPLER_H

#include <stdint.h>

#include "base/error.h"
#include "base/jfield.h"
#include "personas/persona.h"
#include "personas/quota.h"

struct persona_tables;

/* Load every table from `datadir` (the directory holding age.tsv, ...).
 * On success stores a new set in *out (free with persona_tables_free())
 * and returns 0. On failure returns -1, sets *out to NULL and fills *err
 * (which may be NULL) with the file and 1-based line of the problem: bad
 * column count, bad weight, a condition value the parent table does not
 * have, a parent value left without rows, a missing Big Five pair. */
int persona_tables_load(const char *datadir, struct persona_tables **out,
			struct pf_error *err);

/* persona_tables_load() from layers: `dirs` (NULL-terminated, at least
 * one) are searched in order for each table file, so a locale directory
 * holds only the tables it replaces and the rest come from the next one.
 * Errors name the file actually read. */
int persona_tables_load_layers(const char *const *dirs,
			       struct persona_tables **out,
			       struct pf_error *err);

/* Release the tables. Accepts NULL. Personas sampled from them must no
 * longer be used. */
void persona_tables_free(struct persona_tables *t);

/* Plan the phone numbers of the first `n` personas of run `seed` (phone
 * numbers are unique per state up to 100 per area code, so persona i's
 * number depends on how many personas below i share its state). Without
 * a plan, or past it, persona_sample() counts that by sampling every
 * lower index's state, which is slow for large indexes. Call it before
 * threads share `t`. Returns 0, or -1 when memory ran out (the old plan
 * stays). The plan is exact: it changes no persona. */
int persona_tables_plan(struct persona_tables *t, uint64_t seed, uint64_t n);

/* persona_tables_plan() under quota `q` (NULL: none) for a run of exactly
 * `n` personas: persona i is the first draw of (seed, i) whose stratum
 * still has room after personas 0..i-1 (redraws depend only on lower
 * indexes), so every stratum gets exactly its count. Returns 0, or -1
 * with x's error at the quota's JSON path: counts that do not add up to
 * n, a value no table has, a stratum no draw reaches (after 2^22 tries
 * for one persona), n above 2^27, or memory. The old plan stays on
 * failure. */
int persona_tables_plan_quota(struct persona_tables *t, uint64_t seed,
			      uint64_t n, const struct persona_quota *q,
			      const struct jfield *x);

/* Fill *out with persona `index` of run `run_seed`. Never fails and does
 * not allocate; `t` must be a loaded table set (it is only read, so threads
 * may share it). The const char* fields of *out point into `t`. */
void persona_sample(const struct persona_tables *t, uint64_t run_seed,
		    uint64_t index, struct persona *out);

/* The target share of every value of root attribute a (gender, age_band,
 * race_ethnicity, region, state, urban_rural), or of every value pair of
 * a and another root attribute b (b NULL: a alone), as the tables give
 * them: the joint where one is drawn given the other (age band given
 * gender, state given region), else the product of the marginals. Cells
 * in first-seen order into va[], vb[] (may be NULL; interned strings of
 * t) and p[] (summing to 1). Returns the number of cells, or -1 when a or
 * b is not a root attribute, a equals b, or there are more than max
 * cells (or QUOTA_MAX_STRATA) or no memory. */
int persona_tables_shares(const struct persona_tables *t, const char *a,
			  const char *b, const char **va, const char **vb,
			  double *p, size_t max);

/* The age band (a value of age.tsv, e.g. "25-34") whose ages in
 * age_detail.tsv hold `age`: the band a persona of that age was drawn
 * in (personas store the age, not the band). NULL when none does. */
const char *persona_tables_age_band(const struct persona_tables *t,
				    int age);

/* A name for someone else in a persona's life (a contact), drawn the way
 * persona names are: a birth decade from `age`, a first name by that
 * decade and `sex` ("female" or "male"; another value draws as the
 * table's first gender), a last name by frequency. The strings point
 * into `t`. Never fails; draws from r only. */
struct rng;
void persona_sample_name(const struct persona_tables *t, struct rng *r,
			 const char *sex, int age, const char **first,
			 const char **last);

/* A place someone else lives, drawn the way persona places are (region,
 * state, urban or rural, city by population). The strings point into
 * `t`. Never fails; draws from r only. */
void persona_sample_place(const struct persona_tables *t, struct rng *r,
			  const char **city, const char **state);

#endif
