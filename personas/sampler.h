/* sampler.h - load the distribution tables and sample personas from them.
 *
 * The tables are TSV files in personas/data/ (installed under
 * $(pkgdatadir)/personas/data). Weighted tables have three columns,
 * "condition<TAB>value<TAB>weight": the condition names the values of the
 * parent attributes the row applies to (parts joined by "/", "*" matching
 * any value; the most specific match wins; so values that serve as
 * conditions hold no "/"), weight is a positive number.
 * big5.tsv has "trait<TAB>band<TAB>description". Lines starting with '#'
 * and empty lines are ignored. The chain is age -> education -> employment
 * -> occupation -> income -> economic status, with marital status,
 * household, health and mental health conditioned on age band; see the
 * header comment of each file.
 *
 * Sampling is a pure function of (tables, run seed, index): persona i of
 * seed S is the same whatever the run size, shard or call order.
 */
#ifndef PF_SAMPLER_H
#define PF_SAMPLER_H

#include <stdint.h>

#include "base/error.h"
#include "personas/persona.h"

struct persona_tables;

/* Load every table from `datadir` (the directory holding age.tsv, ...).
 * On success stores a new set in *out (free with persona_tables_free())
 * and returns 0. On failure returns -1, sets *out to NULL and fills *err
 * (which may be NULL) with the file and 1-based line of the problem: bad
 * column count, bad weight, a condition value the parent table does not
 * have, a parent value left without rows, a missing Big Five pair. */
int persona_tables_load(const char *datadir, struct persona_tables **out,
			struct pf_error *err);

/* Release the tables. Accepts NULL. Personas sampled from them must no
 * longer be used. */
void persona_tables_free(struct persona_tables *t);

/* Fill *out with persona `index` of run `run_seed`. Never fails and does
 * not allocate; `t` must be a loaded table set (it is only read, so threads
 * may share it). The const char* fields of *out point into `t`. */
void persona_sample(const struct persona_tables *t, uint64_t run_seed,
		    uint64_t index, struct persona *out);

#endif
