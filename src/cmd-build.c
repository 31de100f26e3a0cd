/* cmd-build.c - personaforge build (being written). */
#include <stdio.h>
#include <string.h>

#include "engine/status.h"
#include "src/cmd.h"

static int
exec_build(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		cmd_usage(&cmd_build_entry, stdout);
		return PF_EXIT_OK;
	}
	fprintf(stderr, "personaforge build: not available yet\n");
	return PF_EXIT_RUNTIME;
}

const struct cmd_entry cmd_build_entry = {
	.name = "build",
	.usage = "ARGS",
	.summary = "build",
	.help = "",
	.exec = exec_build,
};
