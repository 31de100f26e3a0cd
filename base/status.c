/* status.c - exit-code precedence (see status.h). */
#include "base/status.h"

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
