/* rng.h - small, fast, seedable random numbers (splitmix64 + xoshiro256**).
 *
 * Reproducibility rests on this: every persona and work item derives its own
 * stream from (run seed, stream tag, ids) with rng_derive(), so persona i of
 * seed S is the same whatever the run size, shard or order of execution.
 */
#ifndef PF_RNG_H
#define PF_RNG_H

#include <stdint.h>

struct rng {
	uint64_t s[4];
};

/* Seed a generator from one 64-bit value. */
void rng_seed(struct rng *r, uint64_t seed);

/* A 64-bit seed mixed from a run seed, a tag naming the stream ("persona",
 * "item", a stage name) and two ids. Pure function of its inputs. */
uint64_t rng_derive(uint64_t seed, const char *tag, uint64_t a, uint64_t b);

/* Next 64 random bits. */
uint64_t rng_next(struct rng *r);

/* Uniform double in [0, 1). */
double rng_uniform(struct rng *r);

/* Uniform integer in [0, n); returns 0 when n is 0. Unbiased. */
uint32_t rng_below(struct rng *r, uint32_t n);

/* Standard normal deviate (Box-Muller, no cached state). */
double rng_normal(struct rng *r);

/* Index drawn from `n` non-negative weights; returns n-1 if all are zero. */
uint32_t rng_weighted(struct rng *r, const double *w, uint32_t n);

#endif
