/* hash.h - SHA-256, used for request hashes and config identity; FNV-1a
 * for in-memory tables.
 *
 * The journal keys reuse of a stored reply on the hash of the fully rendered
 * request, so a collision-resistant hash is worth its few cycles.
 */
#ifndef PF_HASH_H
#define PF_HASH_H

#include <stddef.h>
#include <stdint.h>

struct sha256 {
	uint32_t h[8];
	uint64_t total;          /* bytes fed so far */
	unsigned char blk[64];   /* partial block */
	size_t nblk;             /* bytes in blk */
};

void sha256_init(struct sha256 *c);
void sha256_update(struct sha256 *c, const void *p, size_t n);
/* Finish and write 64 lowercase hex digits plus a NUL into hex[65]. */
void sha256_hex(struct sha256 *c, char hex[65]);

/* One-shot convenience: hex digest of n bytes at p. */
void hash_hex(const void *p, size_t n, char hex[65]);

/* FNV-1a (64-bit) of the NUL-terminated string s: a fast, not
 * collision-resistant hash for in-memory lookup tables. Cannot fail. */
uint64_t hash_fnv1a(const char *s);

/* splitmix64's finaliser: a bijective 64-bit mix, for hashing words and
 * shingles (base/minhash.c, auditors/textdiv.c). Inline: it runs per
 * shingle and permutation. */
static inline uint64_t
hash_mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

#endif
