/* test_diversity.c - the diversity auditor: distinct-n and self-BLEU
 * against hand-computed values, and the planted near-duplicates of
 * issue 20 (200 copies at Jaccard >= 0.9 among 10,000 texts: cluster
 * recall >= 0.95, false pairs <= 1% at threshold 0.8). Table-driven. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/diversity.h"
#include "auditors/textdiv.h"
#include "base/rng.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

/* ---- distinct-n by hand ---- */

static const struct {
	const char *texts[3];
	int n;
	double want;
	int64_t total;
} distinct_cases[] = {
	/* a b a | b c: 3 distinct of 5 tokens */
	{ { "a b a", "b c", NULL }, 1, 0.6, 5 },
	/* (a b) (b a) | (b c): bigrams do not cross texts */
	{ { "a b a", "b c", NULL }, 2, 1.0, 3 },
	/* (a b) (b a) (a b) */
	{ { "A b a B", NULL, NULL }, 2, 2.0 / 3.0, 3 },
	/* case folds, punctuation is a token: hi , hi ! */
	{ { "Hi, HI!", NULL, NULL }, 1, 0.75, 4 },
	{ { "one two", NULL, NULL }, 3, 0.0, 0 },
};

START_TEST(distinct_by_hand)
{
	uint64_t tok[3][16];
	struct textdiv_text t[3];
	double v;
	int64_t total;
	size_t k = 0;
	int i;

	for (i = 0; i < 3 && distinct_cases[_i].texts[i] != NULL; i++, k++) {
		t[k].tok = tok[k];
		t[k].n = textdiv_tokens(distinct_cases[_i].texts[i], tok[k],
					16);
	}
	ck_assert_int_eq(textdiv_distinct(t, k, distinct_cases[_i].n, &v,
					  &total), 0);
	ck_assert_int_eq(total, distinct_cases[_i].total);
	ck_assert_msg(fabs(v - distinct_cases[_i].want) < 1e-12,
		      "case %d: distinct %g, want %g", _i, v,
		      distinct_cases[_i].want);
}
END_TEST

/* Identical texts: BLEU 1. Disjoint texts of 4 tokens: brevity 1, no
 * match at any n, so method1 gives (0.1/4 * 0.1/3 * 0.1/2 * 0.1/1)^.25. */
START_TEST(self_bleu_by_hand)
{
	static const char *const same[] = { "the cat sat on the mat",
					    "the cat sat on the mat" };
	static const char *const apart[] = { "a b c d", "e f g h" };
	uint64_t tok[2][16];
	struct textdiv_text t[2];
	double v, want = pow(0.025 * (0.1 / 3) * 0.05 * 0.1, 0.25);
	int64_t n;
	int i;

	for (i = 0; i < 2; i++)
		t[i] = (struct textdiv_text){ tok[i], textdiv_tokens(same[i],
					      tok[i], 16) };
	ck_assert_int_eq(textdiv_self_bleu(t, 2, &v, &n), 0);
	ck_assert_int_eq(n, 2);
	ck_assert_msg(fabs(v - 1.0) < 1e-12, "identical: %g", v);
	for (i = 0; i < 2; i++)
		t[i] = (struct textdiv_text){ tok[i], textdiv_tokens(apart[i],
					      tok[i], 16) };
	ck_assert_int_eq(textdiv_self_bleu(t, 2, &v, &n), 0);
	ck_assert_msg(fabs(v - want) < 1e-12, "disjoint: %g, want %g", v,
		      want);
	t[1].n = 3;    /* one text under 4 tokens: undefined */
	ck_assert_int_eq(textdiv_self_bleu(t, 2, &v, &n), 0);
	ck_assert_int_eq(n, 0);
}
END_TEST

/* ---- the planted near-duplicates ---- */

#define TEXTS 10000
#define PLANTED 200
#define WORDS 120
#define VOCAB 3000
#define TEXT_MAX (WORDS * 8)

struct corpus {
	struct audit_cursor base;
	char (*text)[TEXT_MAX];
	int source[TEXTS];       /* planted copy: its source; else -1 */
	int cluster[TEXTS];      /* reported: the cluster's first text */
	size_t next;
	long reported, false_pairs;
	char id[16];
};

static int
corpus_next(struct audit_cursor *base, struct audit_row *row,
	    struct pf_error *err)
{
	static const char *const names[] = { "text" };
	struct corpus *c = (struct corpus *)base;
	static const char *texts[1];

	(void)err;
	if (c->next == TEXTS)
		return 0;
	snprintf(c->id, sizeof(c->id), "t%05zu", c->next);
	texts[0] = c->text[c->next++];
	memset(row, 0, sizeof(*row));
	row->table = "planted";
	row->id = c->id;
	row->nfields = 1;
	row->names = names;
	row->texts = texts;
	return 1;
}

static int
corpus_rewind(struct audit_cursor *base, struct pf_error *err)
{
	(void)err;
	((struct corpus *)base)->next = 0;
	return 0;
}

/* Word 5-shingles of a text of WORDS words w[], as hashes, sorted. */
static int
cmp_u64(const void *a, const void *b)
{
	uint64_t x = *(const uint64_t *)a, y = *(const uint64_t *)b;

	return x < y ? -1 : x > y;
}

static double
exact_jaccard(const int *a, const int *b)
{
	uint64_t sa[WORDS], sb[WORDS];
	int i, j, k, n = WORDS - 4, inter = 0;

	for (i = 0; i < n; i++) {
		sa[i] = sb[i] = 0;
		for (k = 0; k < 5; k++) {
			sa[i] = sa[i] * 7919 + (uint64_t)a[i + k];
			sb[i] = sb[i] * 7919 + (uint64_t)b[i + k];
		}
	}
	qsort(sa, (size_t)n, 8, cmp_u64);
	qsort(sb, (size_t)n, 8, cmp_u64);
	for (i = j = 0; i < n && j < n;) {
		if (sa[i] == sb[j]) {
			inter++;
			i++;
			j++;
		} else if (sa[i] < sb[j]) {
			i++;
		} else {
			j++;
		}
	}
	return (double)inter / (double)(2 * n - inter);
}

static void
write_text(char *out, const int *w)
{
	size_t o = 0;
	int i;

	for (i = 0; i < WORDS; i++)
		o += (size_t)snprintf(out + o, TEXT_MAX - o, "%sw%d",
				      i ? " " : "", w[i]);
}

/* 9,800 texts of random words; 200 of them copied with one word
 * replaced (Jaccard (116-5)/(116+5) = 0.917), each copy at a random
 * place after its source. */
static void
plant(struct corpus *c)
{
	static int words[TEXTS][WORDS];
	struct rng r;
	int i, j, s;

	rng_seed(&r, 20);
	for (i = 0; i < TEXTS; i++)
		c->source[i] = -1;
	for (i = 0; i < TEXTS - PLANTED; i++)
		for (j = 0; j < WORDS; j++)
			words[i][j] = (int)rng_below(&r, VOCAB);
	for (i = TEXTS - PLANTED; i < TEXTS; i++) {
		s = (int)rng_below(&r, TEXTS - PLANTED);
		memcpy(words[i], words[s], sizeof(words[i]));
		words[i][rng_below(&r, WORDS)] = VOCAB + i;
		ck_assert(exact_jaccard(words[i], words[s]) >= 0.9);
		c->source[i] = s;
	}
	for (i = 0; i < TEXTS; i++)
		write_text(c->text[i], words[i]);
}

static int
id_num(const char *id)
{
	return atoi(id + 1);
}

static void
on_hit(void *ud, const struct audit_hit *h)
{
	struct corpus *c = ud;
	int row = id_num(h->row_id), rep;

	ck_assert_str_eq(h->kind, "near_duplicate");
	ck_assert(strncmp(h->masked, "cluster t", 9) == 0);
	rep = id_num(h->masked + 8);
	c->cluster[row] = rep;
	c->reported++;
	c->false_pairs += c->source[row] != rep && c->source[rep] != row;
}

START_TEST(planted_near_duplicates)
{
	struct corpus *c = calloc(1, sizeof(*c));
	struct diversity_config cfg = { .threshold = 0.8, .bands = 32,
		.rows = 4, .min_words = 10, .sample = 1000, .pairs = 20000,
		.seed = 1, .min_distinct2 = -1, .max_share = -1 };
	struct pf_error err = { 0 };
	int i, found = 0;

	c->text = calloc(TEXTS, sizeof(*c->text));
	c->base.next = corpus_next;
	c->base.rewind = corpus_rewind;
	plant(c);
	for (i = 0; i < TEXTS; i++)
		c->cluster[i] = i;
	ck_assert_int_eq(auditor_diversity.scan_dataset(&cfg, &c->base,
							on_hit, c, &err), 0);
	for (i = 0; i < TEXTS; i++)
		if (c->source[i] >= 0)
			found += c->cluster[i] == c->cluster[c->source[i]];
	printf("# planted %d: found %d (recall %.4f), reported pairs %ld, "
	       "false %ld (%.4f)\n", PLANTED, found, (double)found / PLANTED,
	       c->reported, c->false_pairs, c->reported ?
	       (double)c->false_pairs / (double)c->reported : 0.0);
	ck_assert_msg(found >= 0.95 * PLANTED, "recall %d of %d", found,
		      PLANTED);
	ck_assert_msg(c->false_pairs <= 0.01 * (double)c->reported,
		      "false pairs %ld of %ld", c->false_pairs, c->reported);
	free(c->text);
	free(c);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("diversity");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, distinct_by_hand, 0, N(distinct_cases));
	tcase_add_test(tc, self_bleu_by_hand);
	tcase_add_test(tc, planted_near_duplicates);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
