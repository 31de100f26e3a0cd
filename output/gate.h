/* gate.h - the audit gates over a whole dataset.
 *
 * After a build (and after `audit`), each enabled auditor with a gate
 * ($.audit.<name>.gate) and each gate of the command line (--gate
 * AUDITOR:SEVERITY=MAX, auditors/policy.h) counts the auditor's
 * real-looking findings at or above its severity in the whole dataset
 * (rows of earlier resumed runs included; an overflow finding counts as
 * the `count` findings it stands for; earlier gate verdicts never count)
 * and auditors/policy.h judges the count. Every verdict is stored as a
 * finding about the whole dataset, so `stats` and the exports show it:
 * row_table and row_id "dataset", kind "gate", severity info, threshold
 * the gate ("pii:high=0"), reason its source, the count and the verdict
 * ("config gate passed: 0 real-looking findings at or above 'high', at
 * most 0"). A measuring auditor (fairness) that holds some of its
 * measures to thresholds (output/metrics.h) gets one more verdict,
 * threshold "AUDITOR:measures": it fails when any audit_metric row of it
 * is beyond its threshold. The verdicts of one judgement replace those
 * stored before.
 */
#ifndef PF_GATE_H
#define PF_GATE_H

#include <stddef.h>
#include <stdint.h>

#include "auditors/auditor.h"
#include "base/error.h"
#include "output/dataset.h"

struct audit_gate;

/* The kind of a stored gate verdict. */
#define GATE_KIND "gate"

/* Judge the gates of the n enabled auditors of v and the m gates of g
 * over ds (open for writing), log each failed one (which failed and by
 * how many findings) and store every verdict as above. Returns 0 with
 * *failed set to how many failed, or -1 with err->msg filled ("cannot
 * count audit findings: ...") and nothing stored. */
int dataset_gates_judge(struct dataset *ds, const struct audit_instance *v,
			size_t n, const struct audit_gate *g, size_t m,
			int *failed, struct pf_error *err);

/* Real-looking findings of auditor `name` at or above `sev` in ds (each
 * counted as the `count` it stands for) into *hits. Returns 0, or -1 with
 * err filled. */
int dataset_gate_count(struct dataset *ds, const char *name,
		       enum audit_severity sev, int64_t *hits,
		       struct pf_error *err);

#endif
