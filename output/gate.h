/* gate.h - the audit gate over a whole dataset.
 *
 * After a build, each enabled auditor with a gate ($.audit.<name>.gate)
 * counts its real-looking findings at or above its gate severity in the
 * whole dataset (rows of earlier resumed runs included; an overflow
 * finding counts as the `count` findings it stands for) and
 * auditors/policy.h judges the count.
 */
#ifndef PF_GATE_H
#define PF_GATE_H

#include <stddef.h>

#include "auditors/auditor.h"
#include "base/error.h"
#include "output/dataset.h"

/* Evaluate the gates of the n enabled auditors in `auditors` over ds.
 * Returns 0 with *failed set to how many gates failed (each one logged
 * with what failed and by how much), or -1 with err->msg filled
 * ("cannot count audit findings: ...") when the dataset cannot be read. */
int dataset_gate_check(struct dataset *ds,
		       const struct audit_instance *auditors, size_t n,
		       int *failed, struct pf_error *err);

struct audit_gate;

/* Real-looking findings of auditor `name` at or above `sev` in ds (each
 * counted as the `count` it stands for) into *hits. Returns 0, or -1 with
 * err filled. */
int dataset_gate_count(struct dataset *ds, const char *name,
		       enum audit_severity sev, int64_t *hits,
		       struct pf_error *err);

/* The same for the n gates of the command line (auditors/policy.h's
 * "AUDITOR:SEVERITY=MAX"), each logged when it fails. */
int dataset_gate_check_specs(struct dataset *ds, const struct audit_gate *g,
			     size_t n, int *failed, struct pf_error *err);

#endif
