/* fuzz_config.c - libFuzzer target: the config loader (src/config-file.c
 * over base/jstrict.h and every section parser it hands sections to).
 *
 * The input is a config file: it is written to a scratch file (the loader
 * reads a path, as `build` does) and loaded. A config that loads must
 * survive its own canonical form: loading the canonical JSON gives a
 * config whose identity keys do not differ (config_diff_keys says none);
 * otherwise the target aborts. Refusals are normal outcomes.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "src/config-file.h"
#include "tests/fuzz/fuzz.h"

static char path[64];

/* Write n bytes to the scratch file; 0 or -1. */
static int
put(const void *data, size_t n)
{
	FILE *f = fopen(path, "wb");
	int ok;

	if (f == NULL)
		return -1;
	ok = fwrite(data, 1, n, f) == n;
	return fclose(f) == 0 && ok ? 0 : -1;
}

/* Load the config c's canonical text describes, and check that it names
 * the same dataset. */
static void
round_trip(const struct pf_config *c)
{
	struct pf_config *again = NULL;
	struct pf_error err;
	char *canon = config_canonical(c), keys[512];

	if (canon == NULL || put(canon, strlen(canon)) != 0)
		abort();
	if (config_load(path, &again, &err) != 0) {
		fprintf(stderr, "canonical config refused: %s\n%s\n", err.msg,
			canon);
		abort();
	}
	if (config_diff_keys(again, canon, keys, sizeof(keys)) != 0 ||
	    keys[0] != '\0') {
		fprintf(stderr, "canonical config differs: '%s'\n", keys);
		abort();
	}
	config_free(again);
	free(canon);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pf_config *c = NULL;
	struct pf_error err;

	if (path[0] == '\0')
		snprintf(path, sizeof(path), "%s/pf-fuzz-config-%ld.json",
			 access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp",
			 (long)getpid());
	if (put(data, size) != 0)
		abort();
	if (config_load(path, &c, &err) == 0) {
		round_trip(c);
		config_free(c);
	}
	unlink(path);
	return 0;
}
