/* shard.h - which slice of the personas a build holds (build --shard).
 *
 * Shard I of N (I counted from 0) holds the personas with global index
 * floor(I*P/N) to floor((I+1)*P/N) - 1 of a P-persona build, with the
 * ids, seeds and rows a single build gives them, so `personaforge merge`
 * can put the shards together into the dataset one machine would have
 * built. A whole build is shard 0 of 1.
 */
#ifndef PF_SHARD_H
#define PF_SHARD_H

#include <stddef.h>
#include <stdint.h>

#define SHARD_MAX 100000   /* shards of one build */

struct shard {
	int64_t index, count;
};

/* Parse "I/N" (0 <= I < N <= SHARD_MAX) or "slurm" into *s. "slurm" reads
 * SLURM_ARRAY_TASK_ID, _MIN, _MAX and _COUNT (and _STEP when set), and
 * takes I = ID - MIN, N = COUNT only when the array is one unbroken range
 * MIN..MAX of at least 2 tasks starting at 0 or 1: a rerun of some tasks
 * (--array=2) cannot know the whole array, so such a task must be given
 * as I/N. Returns 0, or -1 with a message in msg[n]. */
int shard_parse(const char *arg, struct shard *s, char *msg, size_t n);

/* The global persona indexes [*first, *end) of shard s of p personas. */
void shard_range(const struct shard *s, int64_t p, int64_t *first,
		 int64_t *end);

#endif
