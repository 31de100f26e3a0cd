/* main.c - run a fuzz target without libFuzzer: each FILE argument (or
 * every file of a DIR argument) is passed once to LLVMFuzzerTestOneInput,
 * so `make check` replays the seed corpora and every crash ever found
 * (tests/fuzz/regress/) with the ordinary compiler. Exit 0 when every
 * input ran; a crash ends the run as it would under the fuzzer. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/json.h"
#include "tests/fuzz/fuzz.h"

#define INPUT_MAX (1u << 24)

static int
run_file(const char *path)
{
	char *data;
	size_t len;

	if (file_read_all(path, INPUT_MAX, &data, &len) != 0) {
		perror(path);
		return -1;
	}
	LLVMFuzzerTestOneInput((const uint8_t *)data, len);
	free(data);
	return 0;
}

/* Every regular file of dir, in name order (so runs are repeatable). */
static int
run_dir(const char *dir, int *n)
{
	struct dirent **ents;
	char path[4096];
	int i, k, rc = 0;

	if ((k = scandir(dir, &ents, NULL, alphasort)) < 0) {
		perror(dir);
		return -1;
	}
	for (i = 0; i < k; i++) {
		struct stat st;

		snprintf(path, sizeof(path), "%s/%s", dir, ents[i]->d_name);
		if (ents[i]->d_name[0] != '.' && stat(path, &st) == 0 &&
		    S_ISREG(st.st_mode)) {
			rc |= run_file(path);
			(*n)++;
		}
		free(ents[i]);
	}
	free(ents);
	return rc;
}

int
main(int argc, char **argv)
{
	struct stat st;
	int i, n = 0, rc = 0;

	for (i = 1; i < argc; i++) {
		if (stat(argv[i], &st) == 0 && S_ISDIR(st.st_mode)) {
			rc |= run_dir(argv[i], &n);
		} else {
			rc |= run_file(argv[i]);
			n++;
		}
	}
	printf("%s: %d inputs ran\n", argv[0], n);
	return rc == 0 ? 0 : 1;
}
