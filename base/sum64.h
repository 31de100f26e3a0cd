/* sum64.h - a 64-bit checksum of a row of typed values.
 *
 * Dataset rows and journal replies carry one, written with them, so that
 * a damaged byte in the file is found when the row is read back (export,
 * resume, `personaforge verify`) instead of being passed on. It guards
 * against damage, not an adversary: SHA-256 (base/hash.h) keys request
 * identity; this one must be cheap enough to run over every byte a build
 * writes.
 *
 * Each value is fed as a type tag, then (for text) its length, then its
 * bytes, eight at a time. The state update h = (h ^ word) * K (K odd) is a
 * bijection of h for any given word, and the final mix is a bijection
 * too, so two rows of the same shape that differ anywhere always get
 * different sums; a change of shape changes a tag or a length word and
 * is missed with probability about 2^-64.
 */
#ifndef PF_SUM64_H
#define PF_SUM64_H

#include <stddef.h>
#include <stdint.h>

struct sum64 {
	uint64_t h;
};

void sum64_init(struct sum64 *s);
void sum64_int(struct sum64 *s, int64_t v);
void sum64_text(struct sum64 *s, const void *p, size_t n);
void sum64_null(struct sum64 *s);

/* The checksum of what was fed (s is not changed). */
int64_t sum64_final(const struct sum64 *s);

#endif
