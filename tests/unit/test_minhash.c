/* test_minhash.c - unit tests for base/minhash.c: signature estimates
 * against exact Jaccard, the LSH index, limits. Table-driven. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/minhash.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

#define LONG_A "the quick brown fox jumps over the lazy dog while the old " \
	"farmer watches from the porch and drinks his coffee slowly in " \
	"the warm light of an early summer morning near the river bend " \
	"where the children used to swim before the mill closed down for " \
	"good and everyone moved away to the city to look for work"

static const struct {
	const char *a, *b;
	double lo, hi;    /* the estimate's expected range */
} pairs[] = {
	{ LONG_A, LONG_A, 1.0, 1.0 },
	/* case and punctuation do not count */
	{ "One two, THREE four five six!", "one two three four five six",
	  1.0, 1.0 },
	/* one word changed at the end: 59 of 60 shingles kept */
	{ LONG_A, LONG_A " today", 0.85, 1.0 },
	/* one word changed in the middle: 5 of ~65 shingles differ */
	{ LONG_A, "the quick brown fox jumps over the lazy dog while the old "
	  "farmer watches from the porch and drinks his tea slowly in "
	  "the warm light of an early summer morning near the river bend "
	  "where the children used to swim before the mill closed down for "
	  "good and everyone moved away to the city to look for work",
	  0.70, 0.95 },
	{ LONG_A, "an entirely different sentence about budgets, taxes and "
	  "the weather in a town nobody has heard of before today", 0.0,
	  0.05 },
	/* fewer than five words: one shingle of all of them */
	{ "hello there", "hello there", 1.0, 1.0 },
	{ "hello there", "hello you", 0.0, 0.05 },
	{ "", "", 1.0, 1.0 },
};

START_TEST(estimates)
{
	struct minhash a, b;
	double j;

	minhash_text(pairs[_i].a, &a);
	minhash_text(pairs[_i].b, &b);
	j = minhash_jaccard(&a, &b);
	ck_assert_msg(j >= pairs[_i].lo && j <= pairs[_i].hi,
		      "pair %d: %.3f not in [%.2f, %.2f]", _i, j, pairs[_i].lo,
		      pairs[_i].hi);
}
END_TEST

/* The signature is a fixed function of the text on every machine (the
 * values of the portable loop; an AVX-512 CPU runs another build of it,
 * which must give the same). */
START_TEST(signature_is_fixed)
{
	struct minhash m;
	uint64_t sum = 0;
	int i;

	minhash_text(LONG_A, &m);
	for (i = 0; i < MINHASH_PERM; i++)
		sum = sum * 31 + m.v[i];
	ck_assert_uint_eq(m.v[0], 0x01131fe39f97b3b9ULL);
	ck_assert_uint_eq(m.v[64], 0x0774bb0e020b4833ULL);
	ck_assert_uint_eq(m.v[127], 0x06120d634afba914ULL);
	ck_assert_uint_eq(sum, 0x7f57bda2e6a18dc4ULL);
}
END_TEST

/* Texts that share no words but a numbered tag are far apart; the index
 * finds a near copy and only that. */
START_TEST(index_finds_near_copies)
{
	struct minhash_index *x = minhash_index_new(1000, 0, 0, 0.9);
	struct minhash m;
	char text[512];
	int64_t id = -1;
	int i, found = 0;

	ck_assert_ptr_nonnull(x);
	for (i = 0; i < 1000; i++) {
		snprintf(text, sizeof(text), "persona %d lives at number %d "
			 "and likes colour %d and food %d and sport %d", i,
			 i * 7, i * 13, i * 17, i * 19);
		minhash_text(text, &m);
		found += minhash_index_find(x, &m, NULL);
		ck_assert_int_eq(minhash_index_add(x, &m, i), 0);
	}
	ck_assert_int_eq(found, 0);
	ck_assert_int_eq((int)minhash_index_size(x), 1000);
	minhash_text("persona 500 lives at number 3500 and likes colour 6500 "
		     "and food 8500 and sport 9500", &m);
	ck_assert_int_eq(minhash_index_find(x, &m, &id), 1);
	ck_assert_int_eq((int)id, 500);
	/* only ids below the limit count: 500 is the copy, not 499 */
	ck_assert_int_eq(minhash_index_find_below(x, &m, 500, &id), 0);
	ck_assert_int_eq(minhash_index_find_below(x, &m, 501, &id), 1);
	ck_assert_int_eq((int)id, 500);
	ck_assert_int_eq(minhash_index_add(x, &m, 1000), -1);  /* full */
	minhash_index_free(x);
	minhash_index_free(NULL);
}
END_TEST

START_TEST(bad_parameters)
{
	ck_assert_ptr_null(minhash_index_new(10, 10, 10, 0.9));
	ck_assert_ptr_null(minhash_index_new(10, 16, 8, 0));
	ck_assert_ptr_null(minhash_index_new(10, 16, 8, 1.5));
	ck_assert_ptr_null(minhash_index_new(0, 16, 8, 0.9));
	minhash_index_free(minhash_index_new(10, 32, 4, 0.5));
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("minhash");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, estimates, 0, N(pairs));
	tcase_add_test(tc, signature_is_fixed);
	tcase_add_test(tc, index_finds_near_copies);
	tcase_add_test(tc, bad_parameters);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
