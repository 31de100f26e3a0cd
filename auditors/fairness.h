/* fairness.h - the fairness auditor: who is in a dataset, whether the
 * pipeline treats groups alike, and how evenly lists expose items. It
 * finds nothing; it measures (struct auditor's measure hook), and every
 * measure is a row of audit_metric.
 *
 * `$.audit.fairness` (besides the shared keys):
 *   "attributes": persona attributes to measure (default gender,
 *                 age_band, region, race_ethnicity);
 *   "min_n":      groups smaller than this are reported, not compared
 *                 (default 30);
 *   "max_tvd":    gate: the total variation distance of each attribute
 *                 from its target table at most this (default: no gate);
 *   "min_ratio":  gate: each four-fifths ratio at least this (default: no
 *                 gate; the EEOC rule is 0.8).
 *
 * Representation (auditors/fairstats.h) of each attribute with a target
 * table and each pair of them (the joint the sampler draws, else the
 * product of marginals): "tvd", "chi2", "chi2_p", "max_cell_gap",
 * "empty_cells" (group "gender" or "gender x age_band"). Parity across
 * the groups of each attribute for the adverse outcomes "quarantine",
 * "finding.low" .. "finding.critical" (a real-looking finding at or above
 * the severity, of any auditor), "finding.AUDITOR.SEVERITY" (of one
 * auditor, pii or safety, when the dataset holds any), "failed" (a
 * failed item) and "refusal" (an item the model refused):
 * "<outcome>.rate" per group
 * ("gender=female", Wilson interval), "<outcome>.fourfifths" (favourable
 * rate lowest/highest, Katz interval), "<outcome>.adverse_ratio",
 * "<outcome>.adverse_diff"; beside them, not compared, the item-level
 * "failed_items.rate" and "refused_items.rate" per group; text length
 * per table: "length.<table>.mean" and "length.<table>.median" per group
 * and "length.<table>.ratio" (lowest mean / highest). Exposure of each
 * list source (output/metrics.h): the fifteen keys of
 * auditors/exposure.h, group the source.
 */
#ifndef PF_FAIRNESS_H
#define PF_FAIRNESS_H

#include "auditors/auditor.h"

#define FAIR_MAX_ATTRS 8       /* attributes measured */
#define FAIR_MAX_GROUPS 128    /* values of one attribute compared */
#define FAIR_MAX_TEXTS 8       /* tables whose text length is compared */
#define FAIR_MAX_FINDERS 8     /* finding auditors split out */

/* The parsed `$.audit.fairness` section. */
struct fairness_config {
	char *attrs[FAIR_MAX_ATTRS];
	int nattrs;
	int64_t min_n;
	double max_tvd;        /* < 0: no gate */
	double min_ratio;      /* < 0: no gate */
};

/* The protected attributes the auditor measures by default ("gender",
 * "age_band", "region", "race_ethnicity"), fairness_nprotected of them;
 * the counterfactual probe (auditors/counterfact.h) changes them. */
extern const char *const *const fairness_protected;
extern const size_t fairness_nprotected;

#endif
