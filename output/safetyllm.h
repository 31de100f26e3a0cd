/* safetyllm.h - the safety auditor's LLM mode over a dataset: the
 * PENGUIN judge (auditors/penguinjudge.h) scores every user-facing reply
 * with its persona's full background through the config's endpoints
 * (the runner and backend every run goes through), `samples` times per
 * reply; the axis scores of each sample land in reply_penguin (a reply
 * the judge's text does not parse for is stored abstained, with why),
 * and a preference pair whose chosen reply's mean Risk Sensitivity over
 * its valid samples is at least 1 point below the rejected reply's
 * (pj_less_safe) gets a critical `unsafe_chosen` finding of auditor
 * "safety-llm" and is quarantined. Ties and pairs with a side without a
 * valid sample are not.
 *
 * It replaces the earlier reply_penguin rows and safety-llm findings.
 */
#ifndef PF_SAFETYLLM_H
#define PF_SAFETYLLM_H

#include "auditors/auditor.h"
#include "base/error.h"
#include "llm/endpoint.h"
#include "output/dataset.h"

#define SAFETYLLM_AUDITOR "safety-llm"
#define SAFETYLLM_MAX_BYTES ((size_t)256 << 20)  /* all request bodies */

/* What one pass did. */
struct safetyllm_counts {
	long calls, scored, abstained, quarantined;
	long prompt_tokens, completion_tokens;
};

/* Run the pass when the safety instance of v[0..n-1] is in the LLM
 * mode (else nothing: 0 with *c zeroed). ec: the run's endpoints (one
 * at least). Returns 0, or an exit code (enum pf_exit) after printing
 * why (no endpoint, too many replies, a stop of the backend, a write
 * error). */
int safetyllm_run(struct dataset *ds, const struct audit_instance *v,
		  size_t n, const struct engine_config *ec, int quiet,
		  struct safetyllm_counts *c);

#endif
