/* openai.h - the "openai" backend: any OpenAI-compatible chat-completions
 * server over libcurl multi on libuv (llm/http.h), paced and guarded by
 * llm/admission.h, behind the contract of llm/backend.h.
 *
 * Each call's body is a JSON object. Without a top-level "model" member the
 * backend splices in the model of the endpoint it picks (smooth weighted
 * round robin over the endpoints admissible now); a body that names its
 * own model (batch files) is sent as it is. Every request carries
 * "X-Request-Id: <call->id>" (printable ASCII, at most 140 bytes), so
 * servers and logs can count the attempts of one item. The backend sends,
 * retries transport failures with backoff and full jitter up to
 * retry.max_attempts, and stops the whole run cleanly on quota
 * exhaustion, rejected credentials or a reached budget.
 */
#ifndef PF_OPENAI_H
#define PF_OPENAI_H

#include <stdint.h>
#include <uv.h>

#include "llm/backend.h"
#include "llm/endpoint.h"
#include "base/error.h"

/* Create the backend on `loop` from `cfg` (which must have at least one
 * endpoint). Reads API keys and secret headers from the environment now;
 * a missing variable is an error naming the variable (never a value).
 * Returns 0 with *out set, or -1 with err filled. The backend copies what
 * it needs from cfg. */
int openai_backend_new(uv_loop_t *loop, const struct engine_config *cfg,
		       struct backend **out, struct pf_error *err);

/* Read the counters (b must be an openai backend). */
void openai_backend_stats(struct backend *b, struct llm_stats *out);

#endif
