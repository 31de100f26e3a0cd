/* rng.c - splitmix64 seeding and xoshiro256** generation (see rng.h). */
#include "base/rng.h"

#include "base/hash.h"

#include <math.h>

static uint64_t
splitmix(uint64_t *x)
{
	return hash_mix64(*x += 0x9e3779b97f4a7c15ULL);
}

static uint64_t
rotl(uint64_t x, int k)
{
	return (x << k) | (x >> (64 - k));
}

void
rng_seed(struct rng *r, uint64_t seed)
{
	int i;

	for (i = 0; i < 4; i++)
		r->s[i] = splitmix(&seed);
}

uint64_t
rng_derive(uint64_t seed, const char *tag, uint64_t a, uint64_t b)
{
	uint64_t h = 0xcbf29ce484222325ULL, x;

	for (; *tag; tag++)
		h = (h ^ (unsigned char)*tag) * 0x100000001b3ULL;
	x = seed ^ h;
	x = splitmix(&x) ^ a;
	x = splitmix(&x) ^ b;
	return splitmix(&x);
}

uint64_t
rng_next(struct rng *r)
{
	uint64_t *s = r->s;
	uint64_t out = rotl(s[1] * 5, 7) * 9, t = s[1] << 17;

	s[2] ^= s[0];
	s[3] ^= s[1];
	s[1] ^= s[2];
	s[0] ^= s[3];
	s[2] ^= t;
	s[3] = rotl(s[3], 45);
	return out;
}

double
rng_uniform(struct rng *r)
{
	return (double)(rng_next(r) >> 11) * 0x1.0p-53;
}

uint32_t
rng_below(struct rng *r, uint32_t n)
{
	uint64_t m;
	uint32_t lo, t;

	if (n == 0)
		return 0;
	/* Lemire's multiply-shift with rejection of the biased sliver. */
	m = (uint64_t)(uint32_t)(rng_next(r) >> 32) * n;
	lo = (uint32_t)m;
	if (lo < n) {
		t = (uint32_t)(-n) % n;
		while (lo < t) {
			m = (uint64_t)(uint32_t)(rng_next(r) >> 32) * n;
			lo = (uint32_t)m;
		}
	}
	return (uint32_t)(m >> 32);
}

double
rng_normal(struct rng *r)
{
	double u1 = rng_uniform(r), u2 = rng_uniform(r);

	if (u1 < 1e-300)
		u1 = 1e-300;
	return sqrt(-2.0 * log(u1)) * cos(2.0 * M_PI * u2);
}

uint32_t
rng_weighted(struct rng *r, const double *w, uint32_t n)
{
	double total = 0, x;
	uint32_t i;

	for (i = 0; i < n; i++)
		total += w[i];
	if (n == 0 || total <= 0)
		return n ? n - 1 : 0;
	x = rng_uniform(r) * total;
	for (i = 0; i < n; i++) {
		if (x < w[i])
			return i;
		x -= w[i];
	}
	return n - 1;
}
