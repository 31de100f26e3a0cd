/* dedup.h - near-duplicate control of the narratives (issue 12).
 *
 * Every accepted narrative's detailed_persona text gets a MinHash
 * signature (base/minhash.h: 128 permutations over word 5-shingles) in a
 * run-wide LSH index of $.stages.narrative.near_duplicate_bands x
 * near_duplicate_rows (default 16 x 8). A new narrative of persona i is a
 * near-duplicate when the estimated Jaccard with a stored narrative of a
 * lower index reaches near_duplicate_threshold (default 0.9); the stage
 * then asks again, at most near_duplicate_redraws times (default 3), and
 * offline redraw k uses the seed rng_derive(item seed, "redraw", k): a
 * function of the persona's index and k only, never of the run size.
 * After the last redraw the narrative is kept and counted as kept.
 *
 * Which lower indexes are compared: those of the same dataset whose
 * narrative was accepted before (offline: every lower index of the run,
 * since the narratives are accepted in index order). A shard compares
 * within itself; doc/grammar.md says why and what that means for merge.
 *
 * The index holds at most GEN_DEDUP_MAX narratives (about 1.7 KB each);
 * later ones are still checked but not stored.
 */
#ifndef PF_GEN_DEDUP_H
#define PF_GEN_DEDUP_H

#include <stdint.h>

#include "base/error.h"
#include "base/minhash.h"
#include "generators/config.h"

#define GEN_DEDUP_MAX 200000   /* narratives stored per run */

struct gen_dedup;  /* opaque; one per run (gen_config.dedup_run) */

/* What the run summary prints (src/cmd-build.c). */
struct gen_dedup_counts {
	int64_t checked;     /* narratives checked (first drafts) */
	int64_t duplicates;  /* first drafts that were near-duplicates */
	int64_t redraws;     /* redraws asked for */
	int64_t kept;        /* still near-duplicates after the last redraw */
};

/* A new, empty state (the index is made on first use). NULL when memory
 * runs out. */
struct gen_dedup *gen_dedup_new(void);

/* Free it. Accepts NULL. */
void gen_dedup_free(struct gen_dedup *d);

/* Check the narrative of persona `index` with signature m
 * (minhash_text of its detailed text: a pure function, worked out on any
 * thread), drawn after `redraws` earlier redraws, against the stored
 * lower indexes. Returns 1 with
 * *dup_of set when it is a near-duplicate and another redraw is allowed
 * (redraws < near_duplicate_redraws and < max_attempts - 1), else 0 after
 * storing the text's signature (a kept duplicate is counted). -1 with
 * err set when memory runs out. `personas` sizes the index. */
int gen_dedup_check(const struct pf_config *cfg, int64_t index,
		    const struct minhash *m, int redraws, int64_t *dup_of,
		    struct pf_error *err);

/* Store the signature m of an already accepted narrative (a replayed
 * item) without checking or counting it. Returns 0 or -1 with err set. */
int gen_dedup_add(const struct pf_config *cfg, int64_t index,
		  const struct minhash *m, struct pf_error *err);

/* The run's counts so far into *out (zeros before any check). */
void gen_dedup_counts(const struct pf_config *cfg,
		      struct gen_dedup_counts *out);

#endif
