/* hash.c - SHA-256 (FIPS 180-4), portable C (see hash.h). */
#include "base/hash.h"

#include <pthread.h>
#include <stdlib.h>
#include <string.h>

/* Not under clang: clang 14 (Debian 12's, which builds the fuzzers) has
 * no "sha" for __builtin_cpu_supports; clang builds use the portable C. */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#include <immintrin.h>
#define HAVE_SHANI 1
#endif

static const uint32_t K[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1,
	0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
	0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147,
	0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b,
	0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
	0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2
};

#define ROR(x, n) (((x) >> (n)) | ((x) << (32 - (n))))

static void
block_c(uint32_t *hs, const unsigned char *p)
{
	uint32_t w[64], a, b, cc, d, e, f, g, h, t1, t2;
	int i;

	for (i = 0; i < 16; i++)
		w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
		       (uint32_t)p[4 * i + 2] << 8 | p[4 * i + 3];
	for (i = 16; i < 64; i++)
		w[i] = (ROR(w[i - 2], 17) ^ ROR(w[i - 2], 19) ^ (w[i - 2] >> 10)) +
		       w[i - 7] + (ROR(w[i - 15], 7) ^ ROR(w[i - 15], 18) ^
		       (w[i - 15] >> 3)) + w[i - 16];
	a = hs[0]; b = hs[1]; cc = hs[2]; d = hs[3];
	e = hs[4]; f = hs[5]; g = hs[6]; h = hs[7];
	for (i = 0; i < 64; i++) {
		t1 = h + (ROR(e, 6) ^ ROR(e, 11) ^ ROR(e, 25)) +
		     ((e & f) ^ (~e & g)) + K[i] + w[i];
		t2 = (ROR(a, 2) ^ ROR(a, 13) ^ ROR(a, 22)) +
		     ((a & b) ^ (a & cc) ^ (b & cc));
		h = g; g = f; f = e; e = d + t1;
		d = cc; cc = b; b = a; a = t1 + t2;
	}
	hs[0] += a; hs[1] += b; hs[2] += cc; hs[3] += d;
	hs[4] += e; hs[5] += f; hs[6] += g; hs[7] += h;
}

static void
blocks_c(uint32_t *hs, const unsigned char *p, size_t n)
{
	for (; n > 0; n--, p += 64)
		block_c(hs, p);
}

#ifdef HAVE_SHANI
/* The same compression with the x86 SHA extensions: request hashing runs
 * on every work item, and this is several times faster than portable C.
 * The message schedule keeps four 4-word vectors X[i] = W[4i..4i+3]:
 * X[i] = msg2(msg1(X[i-4], X[i-3]) + W[4i-7..4i-4], X[i-1]). */
__attribute__((target("sha,sse4.1,ssse3")))
static void
blocks_shani(uint32_t *hs, const unsigned char *p, size_t n)
{
	const __m128i mask = _mm_set_epi64x(0x0c0d0e0f08090a0bULL,
					    0x0405060700010203ULL);
	__m128i s0, s1, t, msg, x[4], abef, cdgh;
	int i;

	t = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&hs[0]), 0xB1);
	s1 = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)&hs[4]), 0x1B);
	s0 = _mm_alignr_epi8(t, s1, 8);          /* ABEF */
	s1 = _mm_blend_epi16(s1, t, 0xF0);       /* CDGH */
	for (; n > 0; n--, p += 64) {
		abef = s0;
		cdgh = s1;
		for (i = 0; i < 16; i++) {
			if (i < 4)
				x[i] = _mm_shuffle_epi8(_mm_loadu_si128(
					(const __m128i *)(p + 16 * i)), mask);
			else
				x[i & 3] = _mm_sha256msg2_epu32(_mm_add_epi32(
					_mm_sha256msg1_epu32(x[i & 3],
							     x[(i + 1) & 3]),
					_mm_alignr_epi8(x[(i + 3) & 3],
							x[(i + 2) & 3], 4)),
					x[(i + 3) & 3]);
			msg = _mm_add_epi32(x[i & 3], _mm_loadu_si128(
				(const __m128i *)&K[4 * i]));
			s1 = _mm_sha256rnds2_epu32(s1, s0, msg);
			s0 = _mm_sha256rnds2_epu32(s0, s1,
						   _mm_shuffle_epi32(msg, 0x0E));
		}
		s0 = _mm_add_epi32(s0, abef);
		s1 = _mm_add_epi32(s1, cdgh);
	}
	t = _mm_shuffle_epi32(s0, 0x1B);                  /* FEBA */
	s1 = _mm_shuffle_epi32(s1, 0xB1);                 /* DCHG */
	_mm_storeu_si128((__m128i *)&hs[0], _mm_blend_epi16(t, s1, 0xF0));
	_mm_storeu_si128((__m128i *)&hs[4], _mm_alignr_epi8(s1, t, 8));
}
#endif

static void (*blocks)(uint32_t *, const unsigned char *, size_t);
static pthread_once_t blocks_once = PTHREAD_ONCE_INIT;

/* Set blocks once (pthread_once: the render pool's threads hash at
 * the same time, and each must see the pointer whole). */
static void
pick_blocks(void)
{
	void (*f)(uint32_t *, const unsigned char *, size_t) = blocks_c;

#ifdef HAVE_SHANI
	__builtin_cpu_init();
	if (__builtin_cpu_supports("sha") && __builtin_cpu_supports("sse4.1")
	    && getenv("PERSONAFORGE_NO_SHANI") == NULL)
		f = blocks_shani;
#endif
	blocks = f;
}

void
sha256_init(struct sha256 *c)
{
	static const uint32_t iv[8] = {
		0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
		0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19
	};

	pthread_once(&blocks_once, pick_blocks);
	memcpy(c->h, iv, sizeof(iv));
	c->total = 0;
	c->nblk = 0;
}

void
sha256_update(struct sha256 *c, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t take;

	c->total += n;
	while (n > 0) {
		if (c->nblk == 0 && n >= 64) {
			blocks(c->h, p, n / 64);
			p += n / 64 * 64;
			n %= 64;
			continue;
		}
		take = 64 - c->nblk < n ? 64 - c->nblk : n;
		memcpy(c->blk + c->nblk, p, take);
		c->nblk += take;
		p += take;
		n -= take;
		if (c->nblk == 64) {
			blocks(c->h, c->blk, 1);
			c->nblk = 0;
		}
	}
}

void
sha256_hex(struct sha256 *c, char hex[65])
{
	static const char digits[] = "0123456789abcdef";
	static const unsigned char zeros[64] = { 0x80 };
	uint64_t bits = c->total * 8;
	unsigned char len[8];
	size_t npad;
	int i;

	/* 0x80, then zeros up to 56 mod 64, then the length: one update. */
	npad = c->nblk < 56 ? 56 - c->nblk : 120 - c->nblk;
	sha256_update(c, zeros, npad);
	for (i = 0; i < 8; i++)
		len[i] = (unsigned char)(bits >> (56 - 8 * i));
	sha256_update(c, len, 8);
	for (i = 0; i < 32; i++) {
		unsigned char v = (unsigned char)(c->h[i / 4] >> (24 - 8 * (i % 4)));
		hex[2 * i] = digits[v >> 4];
		hex[2 * i + 1] = digits[v & 15];
	}
	hex[64] = '\0';
}

void
hash_hex(const void *p, size_t n, char hex[65])
{
	struct sha256 c;

	sha256_init(&c);
	sha256_update(&c, p, n);
	sha256_hex(&c, hex);
}

uint64_t
hash_fnv1a(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}
