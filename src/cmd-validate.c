/* cmd-validate.c - personaforge validate (being written). */
#include <stdio.h>
#include <string.h>

#include "engine/status.h"
#include "src/cmd.h"

static int
exec_validate(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		cmd_usage(&cmd_validate_entry, stdout);
		return PF_EXIT_OK;
	}
	fprintf(stderr, "personaforge validate: not available yet\n");
	return PF_EXIT_RUNTIME;
}

const struct cmd_entry cmd_validate_entry = {
	.name = "validate",
	.usage = "ARGS",
	.summary = "validate",
	.help = "",
	.exec = exec_validate,
};
