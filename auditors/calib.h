/* calib.h - the judge auditor: how well the preference judge is
 * calibrated, from the judgements the judge stage stored (no new calls).
 *
 * It reads every judged pair through the audit source's next_pair and
 * stores, as rows of audit_metric (auditor "judge", group "preference"
 * unless said):
 *   "order_swap_conflict_rate"  pairs whose majority verdict with the
 *                               answers in one order differs from the
 *                               other order's (over pairs with a valid
 *                               sample in both orders), Wilson interval;
 *   "bpde.mean", "bpde.p50", "bpde.p90", "bpde.max" and "bpde.share"
 *                               per bin (group "bpde=[0.2,0.4)"; BPDE is
 *                               the natural-log entropy of a pair's
 *                               x/y/tie samples, at most ln 3);
 *   "accuracy"                  per sample: its verdict names the view
 *                               the persona states on the pair's axis
 *                               (the planted view; a tie or the other
 *                               view is wrong), over the samples of pairs
 *                               whose persona states one, per certainty
 *                               bin certainty // 10 (group
 *                               "certainty=8": 80-89; 100 is bin 10) and
 *                               over all (group "preference"), Wilson
 *                               intervals;
 *   "coverage"                  pairs labelled "chosen" (not "tie" or
 *                               "abstain": the judge's abstention
 *                               threshold, preferences.abstain_below, and
 *                               order flips) over all pairs;
 *   "accuracy.covered"          chosen pairs whose chosen view is the
 *                               planted one, over the chosen pairs with a
 *                               planted view;
 *   "needs_human"               pairs labelled "tie" or "abstain" (a
 *                               count: `stats` lists the pairs, highest
 *                               BPDE first).
 * Pairs whose persona states no view count for the conflicts, BPDE and
 * coverage, not for accuracy.
 *
 * The safety auditor's pairwise comparisons (table safety_judgement:
 * pair_id, ord "AB"/"BA", verdict "x"/"y"/"tie" or NULL, certainty),
 * when the dataset has them and the source reads them (next_comparison),
 * get the same measures with group "safety" (per bin "safety
 * certainty=8", "safety bpde=[0.2,0.4)"), no reference (no accuracy)
 * and abstention below certainty CALIB_ABSTAIN_BELOW.
 *
 * `$.audit.judge` has only the shared keys; the auditor is on by default
 * and measures nothing in a dataset without judged pairs.
 */
#ifndef PF_CALIB_H
#define PF_CALIB_H

#include "auditors/auditor.h"

#define CALIB_BINS 11            /* certainty // 10: 0 .. 10 */
#define CALIB_MAX_SAMPLES 128
#define CALIB_ABSTAIN_BELOW 80   /* seeds-spec 8b's default */    /* samples of one comparison */
#define CALIB_BPDE_STEPS 1200    /* BPDE histogram: steps of 0.001 */

/* The same calibration serves any pairwise judge: the preference judge
 * (stored judgements of preference_pair) and the safety auditor's
 * comparisons (table safety_judgement, when a dataset has it, measured
 * with group "safety"). A source turns each compared pair into a
 * calib_item, adds it to a calib_tally and emits the tally. */

/* One sample of a judge comparing the two sides x and y of a pair. */
struct calib_sample {
	int order;                   /* 0: x shown first ("AB"), 1: "BA" */
	char verdict;                /* 'x', 'y', 't' (tie); 0: unparsable
				      * (left out of every measure) */
	int certainty;               /* its verbal certainty, 0..100 */
};

/* One compared pair. */
struct calib_item {
	const struct calib_sample *s;
	size_t n;
	/* The side a reference (a planted view) calls right: 'x' or 'y';
	 * 'n' when there is a reference no side matches (every verdict is
	 * wrong); 0 without a reference (no accuracy). */
	char reference;
	double bpde;                 /* calib_item_settle computes it */
	int decided;                 /* 1: a verdict stands (covered); 0:
				      * tie or abstention, needs a human */
	char chosen;                 /* when decided: 'x' or 'y' */
};

/* The words a source's measures carry: the group of the pair-level
 * measures ("preference"), the prefix of the per-bin groups ("" gives
 * "certainty=8", "safety " gives "safety certainty=8") and the notes.
 * accuracy_all or covered NULL: that measure is left out while no pair
 * has a reference (rather than stored undefined). */
struct calib_words {
	const char *group, *prefix;
	const char *accuracy_bin, *accuracy_all, *coverage, *covered,
		   *human;
};

/* Fixed-size tallies: memory does not grow with the pairs. */
struct calib_tally {
	int64_t pairs, both_orders, conflicts;
	int64_t chosen, chosen_ref, chosen_right;
	int64_t correct[CALIB_BINS], samples[CALIB_BINS];
	int64_t hist[CALIB_BPDE_STEPS + 1];
	double bpde_sum, bpde_max;
	int64_t human;
};

void calib_tally_init(struct calib_tally *t);

/* Count one pair: its samples per certainty bin against the reference,
 * whether its two orders' majority verdicts differ, its BPDE, whether
 * it is decided. Cannot fail. */
void calib_tally_add(struct calib_tally *t, const struct calib_item *it);

/* Emit the measures listed above (auditor "judge") for the pairs of t,
 * named by w; nothing when t has no pairs. */
void calib_tally_emit(const struct calib_tally *t,
		      const struct calib_words *w, audit_metric_fn emit,
		      void *ud);

/* Fill it->bpde (natural-log entropy of the valid samples' x/y/tie),
 * it->decided and it->chosen for a source that does not store them:
 * decided when the valid samples' plurality is x or y, both orders'
 * pluralities (where both have samples) agree, and their mean
 * certainty is at least abstain_below. */
void calib_item_settle(struct calib_item *it, int abstain_below);

extern const struct auditor auditor_judge;

#endif
