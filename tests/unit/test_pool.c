/* test_pool.c - unit tests for base/pool.c: every index runs exactly
 * once, on a thread the pool has, for pools of any size and runs of any
 * length, many runs on one pool. Table-driven. */
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))
#define MAX_N 5000

static const struct {
	unsigned threads;  /* asked for (0: the machine's) */
	size_t n;          /* indices per run */
	int runs;          /* runs on the one pool */
} cases[] = {
	{ 1, 0, 1 }, { 1, 1, 1 }, { 1, 100, 3 },
	{ 2, 0, 2 }, { 2, 1, 5 }, { 2, 2, 50 }, { 2, MAX_N, 20 },
	{ 4, 3, 200 }, { 4, MAX_N, 10 }, { 9, 17, 30 }, { 0, 1000, 10 },
};

struct tally {
	atomic_int seen[MAX_N];
	atomic_int bad_thread;
	atomic_int on_caller;      /* indices run on thread 0 */
	unsigned threads;
};

static void
count(void *ud, size_t i, unsigned t)
{
	struct tally *c = ud;

	atomic_fetch_add(&c->seen[i], 1);
	if (t == 0)
		atomic_fetch_add(&c->on_caller, 1);
	if (t >= c->threads)
		atomic_fetch_add(&c->bad_thread, 1);
}

/* A tally and a pool of case i's size. */
static struct tally *
tally_new(int i, struct pool **p)
{
	struct tally *c = calloc(1, sizeof(*c));

	ck_assert_ptr_nonnull(c);
	ck_assert_int_eq(pool_new(cases[i].threads, p), 0);
	c->threads = pool_threads(*p);
	return c;
}

/* Every index of case i ran `times` times, on a thread the pool has. */
static void
tally_check(struct tally *c, int i, int times)
{
	size_t k;

	for (k = 0; k < cases[i].n; k++)
		ck_assert_int_eq(atomic_load(&c->seen[k]), times);
	ck_assert_int_eq(atomic_load(&c->bad_thread), 0);
}

START_TEST(each_index_once)
{
	struct pool *p;
	struct tally *c = tally_new(_i, &p);
	int r;

	ck_assert_uint_ge(c->threads, 1);
	ck_assert_uint_le(c->threads, POOL_MAX_THREADS);
	if (cases[_i].threads > 0 && cases[_i].threads <= POOL_MAX_THREADS)
		ck_assert_uint_le(c->threads, cases[_i].threads);
	for (r = 0; r < cases[_i].runs; r++)
		pool_run(p, cases[_i].n, count, c);
	tally_check(c, _i, cases[_i].runs);
	pool_free(p);
	free(c);
}
END_TEST

/* pool_start and pool_wait: the same tally, runs alternating with
 * pool_run; then pool_start and pool_join, which with workers leaves
 * none of the indices to the caller's thread (a pool of one thread runs
 * them all in pool_start); and one run left for pool_free to end. */
START_TEST(started_runs)
{
	struct pool *p;
	struct tally *c = tally_new(_i, &p);
	int r, runs = cases[_i].runs;

	pool_wait(p);          /* no run: both return at once */
	pool_join(p);
	for (r = 0; r < runs; r++) {
		pool_start(p, cases[_i].n, count, c);
		pool_wait(p);
		pool_run(p, cases[_i].n, count, c);
	}
	tally_check(c, _i, 2 * runs);
	atomic_store(&c->on_caller, 0);
	for (r = 0; r < runs; r++) {
		pool_start(p, cases[_i].n, count, c);
		pool_join(p);
	}
	tally_check(c, _i, 3 * runs);
	ck_assert_int_eq(atomic_load(&c->on_caller), c->threads > 1 ? 0 :
			 (int)cases[_i].n * runs);
	pool_start(p, cases[_i].n, count, c);
	pool_free(p);
	tally_check(c, _i, 3 * runs + 1);
	free(c);
}
END_TEST

START_TEST(free_null)
{
	pool_free(NULL);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, each_index_once, 0, N(cases));
	tcase_add_loop_test(tc, started_runs, 0, N(cases));
	tcase_add_test(tc, free_null);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
