/* plan.h - what a build would do, without doing it: `validate` and
 * `build --dry-run` load a config the way build does and print the plan
 * (stages, items, requests, estimated tokens, cost, budget). */
#ifndef PF_SRC_PLAN_H
#define PF_SRC_PLAN_H

#include "engine/prompts.h"
#include "src/build.h"

/* Load everything build loads before it opens the output: config with
 * overrides, every template (offline ones too, whatever the backend) and
 * schema, and the persona tables. Prints the error and returns
 * PF_EXIT_USAGE on bad input, 0 with *cfg and *p set (the caller frees
 * them, and ec, also on failure). */
int plan_load(const struct build_args *a, struct pf_config **cfg,
	      struct engine_config *ec, int *offline, struct prompts **p);

/* Print the plan to stdout under the headline "CONFIG: HEADLINE":
 * dataset, config hash, seed, personas, backend, items per stage with
 * estimated tokens per request, planned requests, estimated tokens, the
 * cost at the endpoints' prices (or why there is none) and the budget.
 * Cannot fail. */
void plan_print(const struct pf_config *cfg, const struct engine_config *ec,
		int offline, const struct prompts *p, const char *headline);

#endif
