/* audit.h - rerun auditors over a dataset: `personaforge audit`, and the
 * dataset-wide pass at the end of `build`.
 *
 * A rerun replaces every finding of the auditors it runs: their in-stream
 * pass goes over every audited row again (output/cursor.h, stored as the
 * writer stores them: output/findings.h), their dataset-wide pass over
 * the whole dataset; then every row's quarantine flag is recomputed from
 * all the findings the dataset holds (a finding at or above the
 * quarantine severity in force when it was stored, its `threshold`) and
 * carried to the facts and QA pairs that rest on a quarantined document,
 * and each finding's `quarantined` says its row's flag. All of it is one
 * transaction: a failure leaves the dataset as it was. Then the measuring
 * auditors among them (fairness) measure the dataset as it now stands,
 * replacing their audit_metric rows (output/metrics.h), in the same
 * transaction.
 */
#ifndef PF_AUDIT_H
#define PF_AUDIT_H

#include <stddef.h>
#include <stdint.h>

#include "auditors/auditor.h"
#include "base/error.h"
#include "output/dataset.h"

/* What a rerun did. */
struct audit_counts {
	int64_t rows;          /* rows the in-stream passes read */
	int64_t findings;      /* findings stored (an overflow counts its
				* `count`) */
	int64_t real;          /* of which real-looking */
	int64_t quarantined;   /* rows quarantined afterwards, all tables */
};

/* The dataset-wide passes (and measures) of those of the n auditors of v
 * that have one (or that need each row's persona: auditor.h), over the
 * whole of ds, as a build runs them at its end: each such auditor is
 * rerun (dataset_audit_rerun), the others are left alone.
 * Returns 0, or -1 with err filled and nothing changed. */
int dataset_audit_wide(struct dataset *ds, const struct audit_instance *v,
		       size_t n, struct pf_error *err);

/* The auditors the config stored in the dataset's run row enables, with
 * its `$.audit` policies (auditors/policy.h). Returns 0 with *v and *n
 * (audit_instances_free), or -1 with err filled ("no run row" for a
 * dataset never built). */
int dataset_stored_auditors(struct dataset *ds, struct audit_instance **v,
			    size_t *n, struct pf_error *err);

/* Rerun the n auditors of v over ds (open for writing), as above. Returns
 * 0 with *c filled, or -1 with err filled and nothing changed. */
int dataset_audit_rerun(struct dataset *ds, const struct audit_instance *v,
			size_t n, struct audit_counts *c,
			struct pf_error *err);

/* Recompute every row's quarantine flag from the findings (a finding
 * at or above its threshold's severity), then the findings' flags from
 * their rows. Call inside the caller's transaction. Returns 0, or -1
 * with err filled. */
int dataset_requarantine(struct dataset *ds, struct pf_error *err);

#endif
