/* minhash.c - MinHash signatures and an LSH index (see minhash.h). */
#include "base/minhash.h"
#include "base/hash.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#define WORD_MAX 64   /* bytes of a word that count; the rest is cut */

/* FNV-1a of the next word at *s (lower-cased); advances *s past it.
 * Returns 0 when no word is left. */
static int
next_word(const char **s, uint64_t *h)
{
	const unsigned char *p = (const unsigned char *)*s;
	int n = 0;

	while (*p && !(isalnum(*p) || *p == '\''))
		p++;
	if (*p == '\0')
		return *s = (const char *)p, 0;
	*h = 0xcbf29ce484222325ULL;
	for (; *p && (isalnum(*p) || *p == '\''); p++)
		if (n++ < WORD_MAX)
			*h = (*h ^ (uint64_t)tolower(*p)) * 0x100000001b3ULL;
	*s = (const char *)p;
	return 1;
}

/* Fold shingle hash x into m: the least hash per permutation. */
static inline void
shingle_min(struct minhash *m, uint64_t x)
{
	uint64_t h;
	int i;

	for (i = 0; i < MINHASH_PERM; i++) {
		h = hash_mix64(x ^ (0x9e3779b97f4a7c15ULL * (uint64_t)(i + 1)));
		if (h < m->v[i])
			m->v[i] = h;
	}
}

static void
add_shingle_c(struct minhash *m, uint64_t x)
{
	shingle_min(m, x);
}

/* The same loop built for AVX-512 (x86-64, GCC), where the compiler does
 * eight permutations' 64-bit products at once (vpmullq): about twice as
 * fast, the same values. Picked when the CPU has it (add_shingle). */
#if defined(__x86_64__) && defined(__GNUC__) && !defined(__clang__)
#define HAVE_AVX512_SHINGLE 1
__attribute__((target("avx512f,avx512dq")))
static void
add_shingle_avx512(struct minhash *m, uint64_t x)
{
	shingle_min(m, x);
}
#endif

/* The shingle loop this CPU runs best. */
static void (*add_shingle_fn(void))(struct minhash *, uint64_t)
{
#ifdef HAVE_AVX512_SHINGLE
	if (__builtin_cpu_supports("avx512f") &&
	    __builtin_cpu_supports("avx512dq"))
		return add_shingle_avx512;
#endif
	return add_shingle_c;
}

void
minhash_text(const char *text, struct minhash *out)
{
	void (*add_shingle)(struct minhash *, uint64_t) = add_shingle_fn();
	uint64_t w[MINHASH_SHINGLE], x;
	int n = 0, i;

	memset(out->v, 0xff, sizeof(out->v));
	while (text != NULL && next_word(&text, &w[n % MINHASH_SHINGLE])) {
		n++;
		if (n < MINHASH_SHINGLE)
			continue;
		for (x = 0, i = 0; i < MINHASH_SHINGLE; i++)
			x = hash_mix64(x ^ w[(n + i) % MINHASH_SHINGLE]);
		add_shingle(out, x);
	}
	if (n > 0 && n < MINHASH_SHINGLE) {
		for (x = 0, i = 0; i < n; i++)
			x = hash_mix64(x ^ w[i]);
		add_shingle(out, x);
	}
}

double
minhash_jaccard(const struct minhash *a, const struct minhash *b)
{
	int i, eq = 0;

	for (i = 0; i < MINHASH_PERM; i++)
		eq += a->v[i] == b->v[i];
	return (double)eq / MINHASH_PERM;
}

/* ---- the index: per band, an open-addressing table of band hashes
 * pointing at chains of signatures ---- */

struct minhash_index {
	int bands, rows;
	double threshold;
	size_t n, max, cap;          /* cap: slots per band table (2^k) */
	struct minhash *sig;         /* [max] */
	int64_t *id;                 /* [max] */
	uint64_t *key;               /* [bands * cap]: band hash, 0 empty */
	int64_t *head;               /* [bands * cap]: first signature */
	int64_t *next;               /* [max * bands]: chain links */
};

static uint64_t
band_hash(const struct minhash_index *x, const struct minhash *m, int b)
{
	uint64_t h = 0x84222325cbf29ce4ULL;
	int r;

	for (r = 0; r < x->rows; r++)
		h = hash_mix64(h ^ m->v[b * x->rows + r]);
	return h | 1;   /* never 0: 0 marks an empty slot */
}

/* The slot of band b holding hash h, or the empty slot where it goes. */
static size_t
slot(const struct minhash_index *x, int b, uint64_t h)
{
	size_t i = (size_t)(h & (x->cap - 1));
	const uint64_t *k = x->key + (size_t)b * x->cap;

	while (k[i] != 0 && k[i] != h)
		i = (i + 1) & (x->cap - 1);
	return i;
}

struct minhash_index *
minhash_index_new(size_t max, int bands, int rows, double threshold)
{
	struct minhash_index *x;

	if (bands == 0 && rows == 0) {
		bands = MINHASH_BANDS;
		rows = MINHASH_ROWS;
	}
	if (bands <= 0 || rows <= 0 || bands * rows != MINHASH_PERM ||
	    !(threshold > 0 && threshold <= 1) || max == 0)
		return NULL;
	if ((x = calloc(1, sizeof(*x))) == NULL)
		return NULL;
	x->bands = bands;
	x->rows = rows;
	x->threshold = threshold;
	x->max = max;
	for (x->cap = 16; x->cap < 2 * max; x->cap *= 2)
		;
	x->sig = malloc(max * sizeof(*x->sig));
	x->id = malloc(max * sizeof(*x->id));
	x->key = calloc((size_t)bands * x->cap, sizeof(*x->key));
	x->head = malloc((size_t)bands * x->cap * sizeof(*x->head));
	x->next = malloc(max * (size_t)bands * sizeof(*x->next));
	if (!x->sig || !x->id || !x->key || !x->head || !x->next) {
		minhash_index_free(x);
		return NULL;
	}
	return x;
}

int
minhash_index_find(const struct minhash_index *x, const struct minhash *m,
		   int64_t *id)
{
	return minhash_index_find_below(x, m, INT64_MAX, id);
}

int
minhash_index_find_below(const struct minhash_index *x,
			 const struct minhash *m, int64_t below, int64_t *id)
{
	uint64_t h;
	int64_t k;
	size_t s;
	int b;

	for (b = 0; b < x->bands; b++) {
		h = band_hash(x, m, b);
		s = slot(x, b, h);
		if (x->key[(size_t)b * x->cap + s] == 0)
			continue;
		for (k = x->head[(size_t)b * x->cap + s]; k >= 0;
		     k = x->next[(size_t)k * x->bands + b])
			if (x->id[k] < below &&
			    minhash_jaccard(&x->sig[k], m) >= x->threshold) {
				if (id != NULL)
					*id = x->id[k];
				return 1;
			}
	}
	return 0;
}

int
minhash_index_add(struct minhash_index *x, const struct minhash *m,
		  int64_t id)
{
	size_t s, k = x->n, t;
	uint64_t h;
	int b;

	if (x->n == x->max)
		return -1;
	x->sig[k] = *m;
	x->id[k] = id;
	for (b = 0; b < x->bands; b++) {
		h = band_hash(x, m, b);
		s = slot(x, b, h);
		t = (size_t)b * x->cap + s;
		if (x->key[t] == 0) {
			x->key[t] = h;
			x->head[t] = -1;
		}
		x->next[k * (size_t)x->bands + b] = x->head[t];
		x->head[t] = (int64_t)k;
	}
	x->n++;
	return 0;
}

size_t
minhash_index_size(const struct minhash_index *x)
{
	return x->n;
}

void
minhash_index_free(struct minhash_index *x)
{
	if (x == NULL)
		return;
	free(x->sig);
	free(x->id);
	free(x->key);
	free(x->head);
	free(x->next);
	free(x);
}
