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

#endif
