/* out-path.c - the output path check of build and export (see
 * out-path.h). */
#include "src/out-path.h"

#include <errno.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/status.h"

int
out_path_check(const char *out)
{
	char *copy = strdup(out), *dir;
	int ok;

	if (copy == NULL)
		return PF_EXIT_RUNTIME;
	dir = dirname(copy);
	ok = access(dir, W_OK | X_OK) == 0 &&
	     (access(out, F_OK) != 0 || access(out, R_OK | W_OK) == 0);
	if (!ok)
		fprintf(stderr, "personaforge: %s: cannot write the output "
			"here: %s\n", out, strerror(errno));
	free(copy);
	return ok ? 0 : PF_EXIT_USAGE;
}
