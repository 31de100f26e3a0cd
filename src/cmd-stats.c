/* cmd-stats.c - personaforge stats (being written). */
#include <stdio.h>
#include <string.h>

#include "engine/status.h"
#include "src/cmd.h"

static int
exec_stats(int argc, char **argv)
{
	if (argc > 1 && strcmp(argv[1], "--help") == 0) {
		cmd_usage(&cmd_stats_entry, stdout);
		return PF_EXIT_OK;
	}
	fprintf(stderr, "personaforge stats: not available yet\n");
	return PF_EXIT_RUNTIME;
}

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.usage = "ARGS",
	.summary = "stats",
	.help = "",
	.exec = exec_stats,
};
