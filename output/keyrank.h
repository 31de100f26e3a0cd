/* keyrank.h - the dense ranks of text keys: the keys are added in their
 * order (a repeat right after itself), numbered 1..n as they first come,
 * then looked up by their text. A query read ahead (output/ahead.h)
 * ranks a column this way instead of an SQL window, which sorts every
 * row a second time.
 *
 * Memory is bounded: at most KEYRANK_KEYS keys of KEYRANK_BYTES bytes in
 * all; past that keyrank_add says the keys do not fit (the caller then
 * ranks another way).
 *
 * Ownership: the caller owns the map (keyrank_free); the map copies the
 * keys it is given.
 */
#ifndef PF_KEYRANK_H
#define PF_KEYRANK_H

#include <stddef.h>
#include <stdint.h>

#define KEYRANK_KEYS ((size_t)1 << 22)
#define KEYRANK_BYTES ((size_t)1 << 28)

struct keyrank;

/* A new empty map into *out. Returns 0, or -1 when out of memory. */
int keyrank_new(struct keyrank **out);

/* Add the next key in order (len bytes at key, no NUL among them): a
 * new rank unless it equals the key added last. Returns 0, 1 when the
 * keys would pass the bounds (the map is then unusable), or -1 when out
 * of memory. Only before keyrank_seal. */
int keyrank_add(struct keyrank *k, const char *key, size_t len);

/* Make the lookup table once every key is in. Returns 0, or -1 when out
 * of memory. */
int keyrank_seal(struct keyrank *k);

/* The rank (1..n) of key after keyrank_seal, or 0 when it was never
 * added. */
int64_t keyrank_find(const struct keyrank *k, const char *key);

/* n: how many distinct keys were added. */
int64_t keyrank_count(const struct keyrank *k);

/* Free k; accepts NULL. */
void keyrank_free(struct keyrank *k);

#endif
