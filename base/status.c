/* status.c - exit-code precedence (see status.h). */
#include "base/status.h"

const struct status_desc status_table[] = {
	{ PF_EXIT_OK, "success" },
	{ PF_EXIT_RUNTIME, "runtime or I/O error (a full disk included)" },
	{ PF_EXIT_USAGE, "usage, config or input error" },
	{ PF_EXIT_GATE, "an audit gate failed" },
	{ PF_EXIT_PARTIAL, "some items failed after their retries" },
	{ PF_EXIT_BUDGET, "stopped by a budget" },
	{ PF_EXIT_QUOTA, "stopped: quota exhausted" },
	{ PF_EXIT_AUTH, "stopped: authentication failed" },
	{ PF_EXIT_LOCKED, "another process is writing the dataset" },
	{ PF_EXIT_UNREACHABLE, "stopped at the start: no endpoint could be "
	  "reached" },
	{ PF_EXIT_UNFINISHED, "export: unfinished dataset, no --partial" },
	{ PF_EXIT_DAMAGED, "the dataset file is damaged" },
	{ PF_EXIT_BADLINES, "an input file has bad lines (file:line)" },
	{ PF_EXIT_INTERRUPTED, "interrupted (SIGINT or SIGTERM)" },
};
const int status_ntable = (int)(sizeof(status_table) /
				sizeof(status_table[0]));

/* Rank: errors (1, 2) stand alone; among outcomes of a finished run the
 * stops (5-7, 9, 130) outrank partial (4), which outranks the gate (3). */
static int
rank(int s)
{
	switch (s) {
	case PF_EXIT_INTERRUPTED: return 100 + 130;
	case PF_EXIT_UNREACHABLE:
	case PF_EXIT_AUTH:
	case PF_EXIT_QUOTA:
	case PF_EXIT_BUDGET: return 100 + s;
	case PF_EXIT_RUNTIME:
	case PF_EXIT_USAGE: return 50 + s;
	case PF_EXIT_PARTIAL: return 20;
	case PF_EXIT_GATE: return 10;
	default: return 0;
	}
}

int
status_merge(int a, int b)
{
	return rank(a) >= rank(b) ? a : b;
}
