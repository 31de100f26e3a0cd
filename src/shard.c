/* shard.c - build --shard I/N (see shard.h). */
#include "src/shard.h"

#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* A decimal integer from 0 to max filling all of s; -1 if not one. */
static int64_t
number(const char *s, const char *end, int64_t max)
{
	int64_t v = 0;

	if (s == NULL || s == end)
		return -1;
	for (; s < end; s++) {
		if (*s < '0' || *s > '9' || v > (max - (*s - '0')) / 10)
			return -1;
		v = v * 10 + (*s - '0');
	}
	return v;
}

/* The Slurm array variable SLURM_ARRAY_TASK_<name>, or -1 if unset or
 * not a number. */
static int64_t
slurm_var(const char *name)
{
	char key[64];
	const char *v;

	snprintf(key, sizeof(key), "SLURM_ARRAY_TASK_%s", name);
	v = getenv(key);
	return v != NULL ? number(v, v + strlen(v), INT32_MAX) : -1;
}

static int
from_slurm(struct shard *s, char *msg, size_t n)
{
	int64_t id = slurm_var("ID"), min = slurm_var("MIN");
	int64_t max = slurm_var("MAX"), count = slurm_var("COUNT");
	int64_t step = getenv("SLURM_ARRAY_TASK_STEP") ? slurm_var("STEP") : 1;

	if (id < 0 || min < 0 || max < 0 || count < 1) {
		snprintf(msg, n, "--shard slurm needs a Slurm array job "
			 "(SLURM_ARRAY_TASK_ID, _MIN, _MAX and _COUNT)");
		return -1;
	}
	/* A rerun of some tasks (--array=2, --array=1-2 of 0-3) cannot
	 * know the whole array: only a full range from 0 or 1 is taken. */
	if (step != 1 || max - min + 1 != count || id < min || id > max ||
	    count < 2 || count > SHARD_MAX || min > 1) {
		snprintf(msg, n, "--shard slurm needs the whole array, one "
			 "unbroken range of at least 2 tasks from 0 or 1 (this "
			 "one has tasks %" PRId64 "-%" PRId64 ", count %" PRId64
			 "); to rerun a task, give its shard as I/N", min, max,
			 count);
		return -1;
	}
	s->index = id - min;
	s->count = count;
	return 0;
}

int
shard_parse(const char *arg, struct shard *s, char *msg, size_t n)
{
	const char *slash = arg ? strchr(arg, '/') : NULL;

	if (arg != NULL && strcmp(arg, "slurm") == 0)
		return from_slurm(s, msg, n);
	if (slash != NULL) {
		s->index = number(arg, slash, SHARD_MAX);
		s->count = number(slash + 1, slash + strlen(slash), SHARD_MAX);
		if (s->index >= 0 && s->count >= 1 && s->index < s->count)
			return 0;
	}
	snprintf(msg, n, "--shard needs I/N with 0 <= I < N <= %d, or "
		 "'slurm', not '%s'", SHARD_MAX, arg ? arg : "");
	return -1;
}

void
shard_range(const struct shard *s, int64_t p, int64_t *first, int64_t *end)
{
	/* p <= 10^8 (CONFIG_PERSONAS_MAX) and count <= SHARD_MAX: the
	 * products fit in 64 bits */
	*first = p * s->index / s->count;
	*end = p * (s->index + 1) / s->count;
}
