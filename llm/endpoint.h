/* endpoint.h - the network engine's part of the run config.
 *
 * engine_config_parse() reads only the top-level keys "endpoints",
 * "budget", "retry" and "engine" of a run config (the rest belongs to the
 * main config parser). Unknown keys and wrong types are errors naming the
 * JSON path. Secrets are never in the config: it names environment
 * variables, which openai_backend_new() reads.
 *
 * Ownership: every string in a struct engine_config is malloc'd and owned
 * by it; engine_config_free() releases them.
 */
#ifndef PF_ENDPOINT_H
#define PF_ENDPOINT_H

#include <stddef.h>
#include <stdint.h>
#include <cjson/cJSON.h>

#include "base/error.h"
#include "llm/wire.h"

/* One extra request header: either a plain value or an env var's value. */
struct endpoint_header {
	char *name;
	char *value;        /* plain value, or NULL */
	char *env;          /* environment variable holding a secret, or NULL */
};

struct endpoint_cfg {
	char *base_url;          /* ".../v1"; "/chat/completions" is appended */
	char *model;
	char *api_key_env;       /* NULL = no key */
	struct endpoint_header *headers;
	size_t n_headers;
	double weight;           /* > 0, default 1 */
	unsigned concurrency;    /* max in flight, default 16 */
	double rpm;              /* requests per minute, 0 = learn/unlimited */
	double input_tpm;        /* input tokens per minute, 0 = unlimited */
	double output_tpm;       /* output tokens per minute, 0 = unlimited */
	double price_in;         /* USD per million input tokens */
	double price_out;        /* USD per million output tokens */
	struct wire_opts wire;   /* structured_output, profile (resolved) */
};

struct engine_config {
	struct endpoint_cfg *endpoints;
	size_t n_endpoints;          /* 0 = no network endpoint configured */
	double max_tokens;           /* budget, 0 = no cap */
	double max_cost;             /* budget in USD, 0 = no cap */
	unsigned max_attempts;       /* per call, default 6 */
	uint64_t base_delay_ms;      /* backoff base, default 500 */
	uint64_t max_delay_ms;       /* backoff cap, default 60000 */
	long connect_timeout_ms;     /* default 10000 */
	long timeout_ms;             /* whole request, default 600000 */
	long low_speed_time_s;       /* no byte for this long fails; 0 = off */
	long max_connections_per_host; /* 0 = unlimited */
	unsigned min_concurrency;    /* AIMD floor, default 1 */
	size_t max_response_bytes;   /* default 8 MiB */
	uint64_t grace_ms;           /* drain grace on SIGINT, default 10000 */
	struct wire_opts wire;       /* $.engine defaults for every endpoint */
	uint64_t unreachable_ms;     /* no endpoint reached since the start
				      * for this long: stop, default 10000 */
};

/* Fill `c` with the defaults and no endpoints. */
void engine_config_init(struct engine_config *c);

/* Parse the engine keys of `root` (a run config object) into `out`, which
 * is initialised first. `file` names the config in errors. Returns 0, or
 * -1 with err->file, err->where (JSON path) and err->msg set; `out` is then
 * freed and left initialised. */
int engine_config_parse(const cJSON *root, const char *file,
			struct engine_config *out, struct pf_error *err);

/* Apply command-line overrides: with base_url (and model), the endpoint
 * list becomes that one endpoint (keeping api_key_env of the first
 * configured endpoint, if any); api_key_env, if given, applies to every
 * endpoint. NULL leaves a setting alone. Returns 0, or -1 with err set
 * (base_url without model and no configured model to keep). */
int engine_config_override(struct engine_config *c, const char *base_url,
			   const char *model, const char *api_key_env,
			   struct pf_error *err);

/* Release everything; accepts NULL. Leaves `c` initialised. */
void engine_config_free(struct engine_config *c);

#endif
