/* cmd-template.c - personaforge template (being written). */
#include <stdio.h>
#include <string.h>

#include "engine/status.h"
#include "src/cmd.h"

static int
exec_template(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		cmd_usage(&cmd_template_entry, stdout);
		return PF_EXIT_OK;
	}
	fprintf(stderr, "personaforge template: not available yet\n");
	return PF_EXIT_RUNTIME;
}

const struct cmd_entry cmd_template_entry = {
	.name = "template",
	.usage = "ARGS",
	.summary = "template",
	.help = "",
	.exec = exec_template,
};
