/* fewshot.h - the FSPO few-shot export of a dataset's preference pairs.
 *
 * Writes, into a directory, what the FSPO code reads and builds
 * (github.com/Asap7772/fewshot-preference-optimization,
 * directpreferenceoptimization/preference_datasets.py: get_roleplay and
 * shots_to_text):
 *
 *   rows.jsonl      one {"x", "yw", "yl", "level", "user_desc"} per
 *                   labelled pair (label "chosen"; ties and abstentions
 *                   never appear): the question, the chosen and the
 *                   rejected answer, the persona id, and the user
 *                   description --rat uses; in export order;
 *   episodes.jsonl  one {"user", "prompt", "chosen", "rejected"} per
 *                   episode, built as the authors build them: rows grouped
 *                   by user (users in sorted order), 2(N+1) passes, each
 *                   pass shuffling every user's rows and walking windows
 *                   of N+2 (N shots, the query, one unused row; a user
 *                   with fewer than N+2 rows has no episode), the text
 *                   exactly as shots_to_text writes it with the
 *                   dispreferred responses included (x, yw, yl stripped;
 *                   "## Question \n", "## Preferred Response \n" on both
 *                   targets; with rat, "## User Description\n<desc>\n"
 *                   before both, desc the pair's user_desc);
 *   needs_human.jsonl  the top `human_share` of every judged pair by BPDE
 *                   (ties by pair id), {"pair_id", "persona_id", "bpde",
 *                   "label"}, for human review.
 *
 * The shuffle is ours (the authors' is pandas' unseeded sample), so that
 * anyone can rebuild episodes.jsonl from rows.jsonl: pass p of user u
 * shuffles u's rows (in rows.jsonl order) with Fisher-Yates, i from n-1
 * down to 1 swapping i with splitmix64() mod (i+1), splitmix64 seeded
 * with fnv1a64(u) XOR (p * 0x9E3779B97F4A7C15).
 */
#ifndef PF_FEWSHOT_H
#define PF_FEWSHOT_H

#include <stdint.h>

#include "base/error.h"
#include "output/dataset.h"

#define FEWSHOT_MAX_SHOTS 64
#define FEWSHOT_MAX_BYTES ((size_t)1 << 30)   /* pair text held */

#define FEWSHOT_HUMAN_SHARE 0.2   /* needs-human share by default */

struct fewshot_opts {
	int shots;              /* N, 0..FEWSHOT_MAX_SHOTS (default 8) */
	int rat;                /* user description before the targets */
	double human_share;     /* 0..1; below 0: fewshot_human_share() */
	unsigned export_opts;   /* enum export_opt bits */
};

struct fewshot_counts {
	uint64_t rows, episodes, users, needs_human, unlabelled;
	int damaged;
};

/* The share of judged pairs the needs-human list holds: the dataset's
 * stored $.stages.preferences.human_share, else FEWSHOT_HUMAN_SHARE
 * (also when the run row or the config cannot be read). */
double fewshot_human_share(struct dataset *ds);

/* Write ds's preference pairs into dir (created when missing). Returns
 * 0, or -1 with err filled. */
int fewshot_export_write(struct dataset *ds, const char *dir,
			 const struct fewshot_opts *o,
			 struct fewshot_counts *counts, struct pf_error *err);

#endif
