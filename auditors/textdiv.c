/* textdiv.c - tokens, distinct-n and self-BLEU-4 (see textdiv.h). */
#include "auditors/textdiv.h"
#include "base/hash.h"

#include <ctype.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#define BLEU_N 4
#define SMOOTH_EPS 0.1   /* NLTK SmoothingFunction().method1 */

static int
word_byte(unsigned char c)
{
	return isalnum(c) || c == '\'' || c >= 0x80;
}

size_t
textdiv_tokens(const char *text, uint64_t *out, size_t max)
{
	const unsigned char *p = (const unsigned char *)text;
	uint64_t h;
	size_t n = 0;

	while (p != NULL && *p && n < max) {
		if (isspace(*p)) {
			p++;
			continue;
		}
		h = 0xcbf29ce484222325ULL;
		if (!word_byte(*p))
			h = (h ^ *p++) * 0x100000001b3ULL;
		else
			for (; *p && word_byte(*p); p++)
				h = (h ^ (uint64_t)tolower(*p)) *
				    0x100000001b3ULL;
		out[n++] = hash_mix64(h);
	}
	return n;
}

/* The hash of the n-gram of t starting at i. */
static uint64_t
gram(const uint64_t *t, size_t i, int n)
{
	uint64_t h = (uint64_t)n;
	int k;

	for (k = 0; k < n; k++)
		h = hash_mix64(h ^ t[i + (size_t)k]);
	return h | 1;     /* never 0: 0 marks an empty slot */
}

static size_t
grams_total(const struct textdiv_text *t, size_t ntexts, int n)
{
	size_t i, total = 0;

	for (i = 0; i < ntexts; i++)
		if (t[i].n >= (size_t)n)
			total += t[i].n - (size_t)n + 1;
	return total;
}

static size_t
table_cap(size_t n)
{
	size_t cap = 16;

	while (cap < 2 * n)
		cap *= 2;
	return cap;
}

int
textdiv_distinct(const struct textdiv_text *t, size_t ntexts, int n,
		 double *value, int64_t *total)
{
	size_t all = grams_total(t, ntexts, n), cap = table_cap(all), i, j, s;
	size_t distinct = 0;
	uint64_t *set, h;

	*value = 0;
	*total = (int64_t)all;
	if (all == 0)
		return 0;
	if ((set = calloc(cap, sizeof(*set))) == NULL)
		return -1;
	for (i = 0; i < ntexts; i++)
		for (j = 0; j + (size_t)n <= t[i].n; j++) {
			h = gram(t[i].tok, j, n);
			for (s = h & (cap - 1); set[s] != 0 && set[s] != h;
			     s = (s + 1) & (cap - 1))
				;
			if (set[s] == 0) {
				set[s] = h;
				distinct++;
			}
		}
	free(set);
	*value = (double)distinct / (double)all;
	return 0;
}

/* ---- self-BLEU ---- */

/* Per n-gram over all texts: its highest count in one text (and which
 * text), and the highest count in any other text. */
struct best {
	uint64_t key;
	uint32_t top, top_text, second;
};

struct bleu {
	const struct textdiv_text *t;
	size_t ntexts, cap;
	struct best *b;
	uint64_t *g;               /* one text's n-grams, sorted */
	double (*match)[BLEU_N];   /* clipped matches per text and n */
	double (*count)[BLEU_N];
};

static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static struct best *
slot_of(struct bleu *bl, uint64_t h)
{
	size_t s;

	for (s = h & (bl->cap - 1); bl->b[s].key != 0 && bl->b[s].key != h;
	     s = (s + 1) & (bl->cap - 1))
		;
	return &bl->b[s];
}

/* Text i's n-grams, sorted into bl->g; returns how many. */
static size_t
sorted_grams(struct bleu *bl, size_t i, int n)
{
	size_t j, k = 0;

	for (j = 0; j + (size_t)n <= bl->t[i].n; j++)
		bl->g[k++] = gram(bl->t[i].tok, j, n);
	qsort(bl->g, k, sizeof(*bl->g), cmp_u64);
	return k;
}

/* Count the n-grams of every text (pass 0) or clip text i's against the
 * other texts (pass 1). */
static void
bleu_pass(struct bleu *bl, int n, int pass)
{
	struct best *e;
	size_t i, j, k, m;
	uint32_t c, ref;

	for (i = 0; i < bl->ntexts; i++) {
		if (bl->t[i].n < BLEU_N)
			continue;
		m = sorted_grams(bl, i, n);
		for (j = 0; j < m; j = k) {
			for (k = j; k < m && bl->g[k] == bl->g[j]; k++)
				;
			c = (uint32_t)(k - j);
			e = slot_of(bl, bl->g[j]);
			if (pass == 1) {
				ref = e->top_text == i ? e->second : e->top;
				bl->match[i][n - 1] += c < ref ? c : ref;
				bl->count[i][n - 1] += c;
			} else if (e->key == 0 || c > e->top) {
				e->second = e->key != 0 ? e->top : 0;
				e->key = bl->g[j];
				e->top = c;
				e->top_text = (uint32_t)i;
			} else if (c > e->second) {
				e->second = c;
			}
		}
	}
}

/* The reference length closest to text i's (ties: the shorter). */
static size_t
closest_ref(const struct bleu *bl, size_t i)
{
	size_t j, best = 0, c = bl->t[i].n, d, bd = (size_t)-1;

	for (j = 0; j < bl->ntexts; j++) {
		if (j == i || bl->t[j].n < BLEU_N)
			continue;
		d = bl->t[j].n > c ? bl->t[j].n - c : c - bl->t[j].n;
		if (d < bd || (d == bd && bl->t[j].n < best)) {
			bd = d;
			best = bl->t[j].n;
		}
	}
	return best;
}

static double
sentence_bleu(const struct bleu *bl, size_t i)
{
	double logp = 0, c = (double)bl->t[i].n, r = (double)closest_ref(bl, i);
	int n;

	for (n = 0; n < BLEU_N; n++)
		logp += log((bl->match[i][n] > 0 ? bl->match[i][n] :
			     SMOOTH_EPS) / bl->count[i][n]) / BLEU_N;
	return (c > r ? 1.0 : exp(1.0 - r / c)) * exp(logp);
}

int
textdiv_self_bleu(const struct textdiv_text *t, size_t ntexts,
		  double *value, int64_t *nhyp)
{
	struct bleu bl = { .t = t, .ntexts = ntexts };
	size_t i, hyps = 0, longest = 0;
	double sum = 0;
	int n, rc = -1;

	*value = 0;
	*nhyp = 0;
	for (i = 0; i < ntexts; i++) {
		hyps += t[i].n >= BLEU_N;
		longest = t[i].n > longest ? t[i].n : longest;
	}
	if (hyps < 2)
		return 0;
	bl.cap = table_cap(grams_total(t, ntexts, 1));
	bl.b = malloc(bl.cap * sizeof(*bl.b));
	bl.g = malloc((longest + 1) * sizeof(*bl.g));
	bl.match = calloc(ntexts, sizeof(*bl.match));
	bl.count = calloc(ntexts, sizeof(*bl.count));
	if (bl.b == NULL || bl.g == NULL || bl.match == NULL ||
	    bl.count == NULL)
		goto done;
	for (n = 1; n <= BLEU_N; n++) {
		memset(bl.b, 0, bl.cap * sizeof(*bl.b));
		bleu_pass(&bl, n, 0);
		bleu_pass(&bl, n, 1);
	}
	for (i = 0; i < ntexts; i++)
		if (t[i].n >= BLEU_N)
			sum += sentence_bleu(&bl, i);
	*value = sum / (double)hyps;
	*nhyp = (int64_t)hyps;
	rc = 0;
done:
	free(bl.b);
	free(bl.g);
	free(bl.match);
	free(bl.count);
	return rc;
}
