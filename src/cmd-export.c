/* cmd-export.c - personaforge export (being written). */
#include <stdio.h>
#include <string.h>

#include "engine/status.h"
#include "src/cmd.h"

static int
exec_export(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		cmd_usage(&cmd_export_entry, stdout);
		return PF_EXIT_OK;
	}
	fprintf(stderr, "personaforge export: not available yet\n");
	return PF_EXIT_RUNTIME;
}

const struct cmd_entry cmd_export_entry = {
	.name = "export",
	.usage = "ARGS",
	.summary = "export",
	.help = "",
	.exec = exec_export,
};
