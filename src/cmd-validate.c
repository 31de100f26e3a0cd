/* cmd-validate.c - personaforge validate: check a config and everything it
 * uses (prompt, offline and system templates, reply schemas, persona
 * tables) the way build would load them, then print the plan: stages,
 * planned requests, a rough token and cost estimate against the budget.
 * Sends no request and writes no file. */
#include "config.h"

#include <stdio.h>

#include "src/cmd.h"
#include "src/plan.h"

static const char validate_help[] =
	"Check CONFIG, every template and reply schema it uses (offline ones\n"
	"included) and the persona tables, then print the plan: stages,\n"
	"planned requests, estimated tokens and cost against the budget.\n"
	"Sends no request and writes no file.\n\n"
	"      --personas N      number of personas (overrides the config)\n"
	"      --seed S          run seed (overrides the config)\n"
	"      --backend B       offline or openai (default: openai when an "
	"endpoint\n"
	"                        is configured, else offline)\n"
	"      --base-url URL    plan for this OpenAI-compatible server\n"
	"      --model NAME      model name to request (with --base-url)\n"
	"      --api-key-env V   environment variable holding the API key\n"
	"  -h, --help            this help\n\n"
	"Exit status: 0 valid, 2 bad input (reported as FILE:LINE:COL or\n"
	"FILE: $.json.path).\n";

static int
exec_validate(int argc, char **argv)
{
	struct build_args a;
	struct pf_config *cfg = NULL;
	struct engine_config ec;
	struct prompts *p = NULL;
	int offline = 1, rc;

	engine_config_init(&ec);
	if ((rc = build_parse_args(&cmd_validate_entry, argc, argv, 0,
				   &a)) >= 0)
		return rc;
	if ((rc = plan_load(&a, &cfg, &ec, &offline, &p)) == 0)
		plan_print(cfg, &ec, offline, p,
			   "valid (no request sent, no file written)");
	prompts_free(p);
	engine_config_free(&ec);
	config_free(cfg);
	return rc;
}

const struct cmd_entry cmd_validate_entry = {
	.name = "validate",
	.usage = "CONFIG [--personas N] [--seed S] [--backend offline|openai] "
		 "[--base-url URL --model NAME] [--api-key-env VAR]",
	.summary = "check a config, its templates and schemas; print the "
		   "plan",
	.help = validate_help,
	.exec = exec_validate,
};
