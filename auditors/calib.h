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
 * `$.audit.judge` has only the shared keys; the auditor is on by default
 * and measures nothing in a dataset without judged pairs.
 */
#ifndef PF_CALIB_H
#define PF_CALIB_H

#include "auditors/auditor.h"

#define CALIB_BINS 11            /* certainty // 10: 0 .. 10 */

extern const struct auditor auditor_judge;

#endif
