/* policy.h - the `$.audit` config section and the gate's verdict.
 *
 * `$.audit` holds one object per registered auditor, keyed by its name.
 * Each section has the keys every auditor shares (struct audit_policy:
 * "enabled", "quarantine", "gate": {"severity", "max_findings"}) and the
 * auditor's own keys, which its parse hook reads. Unknown auditors and
 * unknown keys are rejected with their JSON path
 * ("$.audit.pii.gate: unknown key 'max'"), in the same words as the rest
 * of the config.
 *
 * The gate is generic: any auditor may fail the build (exit 3) when the
 * dataset holds more than gate.max_findings real-looking findings at or
 * above gate.severity. Counting them is the caller's (output/gate.h over
 * a dataset; a stream of rows may count its own); the verdict and its
 * message are here.
 */
#ifndef PF_POLICY_H
#define PF_POLICY_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "auditors/auditor.h"
#include "base/error.h"

/* Parse `$.audit` (NULL when the config has none: every auditor keeps
 * its defaults). Returns 0 with the enabled auditors, in registry order,
 * in a new array *out of *n entries (owned by the caller:
 * audit_instances_free), or -1 with err->where (a JSON path) and
 * err->msg filled and *out NULL. */
int audit_config_parse(const cJSON *audit, struct audit_instance **out,
		       size_t *n, struct pf_error *err);

/* Free the instances' configs and the array; accepts NULL. */
void audit_instances_free(struct audit_instance *v, size_t n);

/* The gate of `in` given `hits`, its real-looking findings at or above
 * its gate severity: 0 when the gate passes or is off; 1 when it fails,
 * after logging which gate failed and by how many findings. */
int audit_gate_verdict(const struct audit_instance *in, int64_t hits);

/* A gate given on the command line, "AUDITOR:SEVERITY=MAX": at most MAX
 * real-looking findings of AUDITOR at or above SEVERITY. It adds to the
 * gate of `$.audit.<auditor>.gate`; several may name one auditor. */
struct audit_gate {
	char auditor[32];
	enum audit_severity severity;
	int64_t max;
};

#define AUDIT_MAX_GATES 16   /* --gate options of one command */

/* Parse "AUDITOR:SEVERITY=MAX" into *out. AUDITOR must be registered or
 * one of the NULL-terminated `extra` names (NULL for none). Returns 0, or
 * -1 with err->msg saying what is wrong (with a "did you mean" for an
 * unknown auditor or severity). */
int audit_gate_parse(const char *spec, const char *const *extra,
		     struct audit_gate *out, struct pf_error *err);

/* Judge gate g given `hits`, the real-looking findings of its auditor at
 * or above its severity: 0 when it passes; 1 when it fails, after logging
 * "audit gate AUDITOR:SEVERITY=MAX failed: HITS findings, N over". */
int audit_gate_spec_verdict(const struct audit_gate *g, int64_t hits);

/* "pii:high=0" into out (n bytes). */
void audit_gate_format(const struct audit_gate *g, char *out, size_t n);

#endif
