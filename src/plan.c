/* plan.c - the plan of a build (see plan.h). */
#include "config.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "llm/admission.h"
#include "llm/offline.h"
#include "engine/stage.h"
#include "generators/stages.h"
#include "base/status.h"
#include "personas/sampler.h"
#include "src/plan.h"

/* Bytes of rendered persona profile a prompt carries, for the estimate. */
#define PROFILE_BYTES 1200

/* Rough token counts: about four bytes of English text per token. */
#define BYTES_PER_TOKEN 4

struct plan {
	int64_t items;     /* work items per persona */
	int64_t requests;  /* personas x items */
	double tok_in;     /* estimated input tokens, whole run */
	double tok_out;    /* estimated output tokens, whole run */
};

/* Size of a file in bytes; 0 if it cannot be read (it was just loaded). */
static double
file_bytes(const char *path)
{
	struct stat st;

	return path != NULL && stat(path, &st) == 0 ? (double)st.st_size : 0;
}

/* Load everything build loads before it opens the output: config with
 * overrides, every template (offline ones too, whatever the backend) and
 * schema, and the persona tables. Prints the error and returns
 * PF_EXIT_USAGE on bad input. */
int
plan_load(const struct build_args *a, struct pf_config **cfg,
	  struct engine_config *ec, int *offline, struct prompts **p)
{
	struct persona_tables *tables = NULL;
	struct pf_error e;
	int rc;

	if ((rc = build_load(a, cfg, ec, offline)) != 0)
		return rc;
	pf_error_clear(&e);
	if (prompts_load(*cfg, &gen_stage_table, 1, p, &e) != 0) {
		pf_error_print(&e);
		return PF_EXIT_USAGE;
	}
	rc = build_personas(*cfg, &tables);
	persona_tables_free(tables);
	return rc;
}

static void
print_backend(const struct engine_config *ec, int offline)
{
	const struct endpoint_cfg *ep;
	size_t i;

	if (offline) {
		printf("backend:     offline (model %s; no network)\n",
		       OFFLINE_MODEL);
		return;
	}
	printf("backend:     openai, %zu endpoint%s\n", ec->n_endpoints,
	       ec->n_endpoints == 1 ? "" : "s");
	for (i = 0; i < ec->n_endpoints; i++) {
		ep = &ec->endpoints[i];
		printf("  model %s at %s", ep->model, ep->base_url);
		if (ep->api_key_env != NULL)
			printf(", key from $%s%s", ep->api_key_env,
			       getenv(ep->api_key_env) ? "" :
			       " (not set in this environment)");
		printf("\n");
	}
}

/* One line per enabled stage; adds its requests and tokens to *pl. */
static void
print_stages(const struct pf_config *cfg, const struct prompts *p,
	     struct plan *pl)
{
	double sys = file_bytes(p->system_path), in, out, n;
	const struct stage *s;
	int i, count;

	out = cfg->max_tokens / 2.0;
	printf("stages:      items per persona, estimated tokens per "
	       "request\n");
	for (i = 0; i < gen_stage_table.n; i++) {
		s = gen_stage_table.stages[i];
		if ((count = s->count(cfg)) == 0)
			continue;
		in = (file_bytes(p->st[i].prompt_path) + sys + PROFILE_BYTES) /
		     BYTES_PER_TOKEN;
		printf("  %-12s %4d   ~%.0f in, ~%.0f out\n", s->name, count,
		       in, out);
		n = (double)count * (double)cfg->personas;
		pl->items += count;
		pl->tok_in += n * in;
		pl->tok_out += n * out;
	}
	pl->requests = pl->items * cfg->personas;
}

/* Estimated cost in USD at the endpoints' prices, weighted as the
 * scheduler spreads requests; -1 when no endpoint has a price. */
static double
estimate_cost(const struct engine_config *ec, const struct plan *pl)
{
	double w, wsum = 0, cost = 0;
	int priced = 0;
	size_t i;

	for (i = 0; i < ec->n_endpoints; i++) {
		w = ec->endpoints[i].weight > 0 ? ec->endpoints[i].weight : 1;
		wsum += w;
		cost += w * adm_cost(pl->tok_in, pl->tok_out,
				     ec->endpoints[i].price_in,
				     ec->endpoints[i].price_out);
		priced |= ec->endpoints[i].price_in > 0 ||
			  ec->endpoints[i].price_out > 0;
	}
	return priced ? cost / wsum : -1;
}

static void
print_budget(const struct engine_config *ec, const struct plan *pl,
	     double cost, int offline)
{
	double tok = pl->tok_in + pl->tok_out;

	if (offline || (ec->max_tokens <= 0 && ec->max_cost <= 0)) {
		printf("budget:      none%s\n", offline ? " (the offline "
		       "backend sends no requests)" : "");
		return;
	}
	if (ec->max_tokens > 0)
		printf("budget:      max_tokens %.0f: %s\n", ec->max_tokens,
		       tok > ec->max_tokens ? "exceeds budget" :
		       "within budget");
	if (ec->max_cost > 0 && cost >= 0)
		printf("budget:      max_cost $%.2f: %s\n", ec->max_cost,
		       cost > ec->max_cost ? "exceeds budget" :
		       "within budget");
	else if (ec->max_cost > 0)
		printf("budget:      max_cost $%.2f: cannot tell (no endpoint "
		       "has a price)\n", ec->max_cost);
}

void
plan_print(const struct pf_config *cfg, const struct engine_config *ec,
	   int offline, const struct prompts *p, const char *headline)
{
	struct plan pl;
	double cost;

	memset(&pl, 0, sizeof(pl));
	printf("%s: %s\n", cfg->path, headline);
	printf("dataset:     %s\n", cfg->name);
	printf("config hash: %s\n", cfg->config_hash);
	printf("seed:        %" PRIu64 "\n", cfg->seed);
	printf("personas:    %" PRId64 "\n", cfg->personas);
	print_backend(ec, offline);
	print_stages(cfg, p, &pl);
	printf("planned requests: %" PRId64 " (%" PRId64 " personas x %"
	       PRId64 " items)\n", pl.requests, cfg->personas, pl.items);
	printf("estimated tokens: ~%.0f in + ~%.0f out = ~%.0f\n"
	       "                  (in: template bytes + %d bytes of profile, "
	       "/ %d; out: max_tokens / 2)\n", pl.tok_in, pl.tok_out,
	       pl.tok_in + pl.tok_out, PROFILE_BYTES, BYTES_PER_TOKEN);
	cost = offline ? -1 : estimate_cost(ec, &pl);
	if (cost >= 0)
		printf("estimated cost:   ~$%.2f\n", cost);
	else if (offline)
		printf("estimated cost:   none (the offline backend sends no "
		       "requests)\n");
	else
		printf("estimated cost:   unknown: no endpoint has a price "
		       "($.endpoints[].price_input_per_mtok,\n"
		       "                  price_output_per_mtok)\n");
	print_budget(ec, &pl, cost, offline);
}
