/* diversity.h - the diversity auditor: how much a dataset's texts repeat
 * themselves, per stage and template, and which of them are
 * near-duplicates.
 *
 * A group is one audited text column of one table ("narrative.
 * concise_persona", "backstory_turn.answer", "document.content"): a
 * stage's table, and the template that fills the column. Per group, as
 * rows of audit_metric (measure hook, group "<table>.<column>"):
 *   "texts"                      texts in the group;
 *   "distinct1" .. "distinct3"   distinct-n of lower-cased word and
 *                                punctuation tokens (auditors/textdiv.h)
 *                                over a seeded sample of `sample` texts
 *                                (all when fewer); "distinct2" is gated
 *                                by min_distinct2;
 *   "self_bleu4"                 self-BLEU-4 over the same sample;
 *   "mean_similarity"            mean estimated Jaccard (MinHash, 128
 *                                permutations, word 5-shingles:
 *                                base/minhash.h) over the sample's pairs,
 *                                all of them up to `pairs`, else `pairs`
 *                                seeded random ones, with a normal 95%
 *                                interval;
 *   "near_duplicate_share"       texts that are near-duplicates of an
 *                                earlier text over the texts of at least
 *                                min_words words; gated by
 *                                max_near_duplicate_share;
 *   "near_duplicate_clusters"    clusters of two or more texts.
 * A text that several rows repeat is one text: a cqa question's title
 * and body (on the row of each technique's answer) count once per
 * persona and text, so once per question (diversity.c's
 * once_per_persona).
 *
 * Near-duplicates: every text of at least min_words words is looked up
 * in the group's MinHash LSH index (bands x rows = 128) and, when no
 * stored text reaches the threshold, stored; a text that matches is a
 * finding (dataset-wide pass, kind "near_duplicate", severity low) of
 * the cluster of the stored text it matched, named by that text's row
 * id ("cluster p000042-d3"), which is the cluster's first text.
 *
 * Bands and rows for the default threshold 0.8: 32 bands of 4 rows put
 * a pair of Jaccard s into the candidates with probability
 * 1 - (1 - s^4)^32: 0.99999995 at 0.8, 0.87 at 0.5, 0.05 at 0.2 (the
 * S-curve's middle is (1/32)^(1/4) = 0.42), so pairs at the threshold
 * are not lost to banding; 16 x 8 (the text stage's setting for 0.9)
 * would keep only 0.95 of the pairs at 0.8. Each candidate is then held
 * to the threshold by its estimated Jaccard.
 *
 * `$.audit.diversity` (besides the shared keys; the auditor is off
 * unless enabled):
 *   "threshold"                 Jaccard of a near-duplicate (0.8);
 *   "bands", "rows"             LSH shape, bands x rows = 128 (32, 4);
 *   "min_words"                 shorter texts are not clustered (10);
 *   "sample"                    texts measured per group (1000);
 *   "pairs"                     pairs for mean_similarity (20000);
 *   "seed"                      the sample's seed (1);
 *   "min_distinct2"             gate (default: none);
 *   "max_near_duplicate_share"  gate (default: none).
 *
 * Cost: each of the two passes (findings, measures) reads every text
 * twice (a count, then the work) and computes its signature once:
 * about 4 s of CPU per pass per 1,000 personas of the demo config (80
 * texts each; base/minhash.c's 128 hashes per shingle dominate), so the
 * auditor is opt-in. The index holds about 3 KB per text of the largest
 * column of one table, the sample at most TEXTDIV_MAX_TOKENS tokens per
 * sampled text.
 */
#ifndef PF_DIVERSITY_H
#define PF_DIVERSITY_H

#include <stdint.h>

#include "auditors/auditor.h"

#define DIV_MAX_GROUPS 64      /* table columns measured */

struct diversity_config {
	double threshold;
	int bands, rows;
	int min_words;
	int64_t sample, pairs;
	int64_t seed;
	double min_distinct2;             /* < 0: no gate */
	double max_share;                 /* < 0: no gate */
};

extern const struct auditor auditor_diversity;

#endif
