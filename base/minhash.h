/* minhash.h - near-duplicate detection for texts: MinHash signatures
 * over word 5-shingles and an LSH index.
 *
 * A text's words are its runs of letters, digits and apostrophes,
 * lower-cased (ASCII); its shingles are the runs of MINHASH_SHINGLE
 * consecutive words (a shorter text is one shingle of all its words).
 * The signature keeps, for each of MINHASH_PERM hash functions, the least
 * hash over the shingles; the share of equal positions of two signatures
 * estimates the Jaccard similarity of their shingle sets (standard error
 * about 0.03 at 128 permutations).
 *
 * The index splits a signature into `bands` bands of `rows` positions
 * (bands x rows = MINHASH_PERM; default 16 x 8). Two texts become
 * candidates when one band is equal: probability 1 - (1 - s^rows)^bands
 * at Jaccard s (0.99998 at s = 0.9, 0.06 at s = 0.5; the S-curve's
 * middle is near (1/bands)^(1/rows) = 0.71). Each candidate is then
 * checked against the threshold with its estimated Jaccard, so the
 * bands decide only what gets compared.
 *
 * Pure functions of the text: the same text gives the same signature on
 * every machine. Nothing is thread-safe beyond that.
 */
#ifndef PF_MINHASH_H
#define PF_MINHASH_H

#include <stddef.h>
#include <stdint.h>

#define MINHASH_PERM 128          /* hash functions per signature */
#define MINHASH_SHINGLE 5         /* words per shingle */
#define MINHASH_BANDS 16          /* default LSH bands ... */
#define MINHASH_ROWS 8            /* ... of this many rows */
#define MINHASH_THRESHOLD 0.9     /* default Jaccard of a near-duplicate */

struct minhash {
	uint64_t v[MINHASH_PERM];
};

/* The signature of text (NUL-terminated; NULL or no words gives the
 * signature of the empty set: every position UINT64_MAX). */
void minhash_text(const char *text, struct minhash *out);

/* Estimated Jaccard similarity of two signatures, in [0, 1]. */
double minhash_jaccard(const struct minhash *a, const struct minhash *b);

struct minhash_index;  /* opaque */

/* A new index for at most `max` signatures with bands x rows =
 * MINHASH_PERM (0, 0: the defaults) and the given Jaccard threshold.
 * Returns NULL when bands x rows != MINHASH_PERM, threshold is outside
 * (0, 1], or memory runs out. */
struct minhash_index *minhash_index_new(size_t max, int bands, int rows,
					double threshold);

/* 1 and *id (may be NULL) of the first stored signature whose estimated
 * Jaccard with m reaches the threshold, else 0. */
int minhash_index_find(const struct minhash_index *x,
		       const struct minhash *m, int64_t *id);

/* As minhash_index_find, among the stored signatures whose id is less
 * than `below` only (the near-duplicate check of generators/dedup.h
 * compares a persona with lower indexes). */
int minhash_index_find_below(const struct minhash_index *x,
			     const struct minhash *m, int64_t below,
			     int64_t *id);

/* Store m under id. Returns 0, or -1 when the index is full or memory
 * runs out (the index is unchanged). */
int minhash_index_add(struct minhash_index *x, const struct minhash *m,
		      int64_t id);

/* Signatures stored. */
size_t minhash_index_size(const struct minhash_index *x);

/* Free the index. Accepts NULL. */
void minhash_index_free(struct minhash_index *x);

#endif
