/* test_ahead.c - a query read ahead (output/ahead.h): its rows in order
 * through a queue smaller than the result, NULLs, what a writer's open
 * transaction does not show, a row too large, a query that does not
 * prepare, and a handle freed halfway; a column ranked as it is read
 * (the ranks an SQL window gives, its plain form past the bounds) and
 * the key ranks (output/keyrank.h). */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <sqlite3.h>

#include "output/ahead.h"
#include "output/keyrank.h"
#include "tests/unit/check_tap.h"

static char path[256];
static sqlite3 *db;      /* the writer's connection */

/* A WAL file with table t(n, s) of rows 1..n, s "v<n>" or NULL when n is
 * a multiple of 7. */
static void
make_file(int n)
{
	char sql[256];
	int i;

	snprintf(path, sizeof(path), "/tmp/test_ahead.%d.db", (int)getpid());
	unlink(path);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA journal_mode=WAL; CREATE "
				      "TABLE t(n INTEGER, s TEXT); BEGIN",
				      NULL, NULL, NULL), SQLITE_OK);
	for (i = 1; i <= n; i++) {
		if (i % 7 == 0)
			snprintf(sql, sizeof(sql), "INSERT INTO t VALUES(%d, "
				 "NULL)", i);
		else
			snprintf(sql, sizeof(sql), "INSERT INTO t VALUES(%d, "
				 "'v%d')", i, i);
		ck_assert_int_eq(sqlite3_exec(db, sql, NULL, NULL, NULL),
				 SQLITE_OK);
	}
	ck_assert_int_eq(sqlite3_exec(db, "COMMIT", NULL, NULL, NULL),
			 SQLITE_OK);
}

static void
drop_file(void)
{
	char side[300];

	sqlite3_close(db);
	unlink(path);
	snprintf(side, sizeof(side), "%s-wal", path);
	unlink(side);
	snprintf(side, sizeof(side), "%s-shm", path);
	unlink(side);
}

/* Row counts around the queue's size. */
static const int sizes[] = { 0, 1, AHEAD_ROWS - 1, AHEAD_ROWS,
			     3 * AHEAD_ROWS + 5 };

START_TEST(rows_in_order)
{
	struct ahead_row r;
	struct pf_error e;
	struct ahead *a;
	char want[32];
	int n = sizes[_i], k = 0, got;

	make_file(n);
	/* the writer's uncommitted rows are not read */
	ck_assert_int_eq(sqlite3_exec(db, "BEGIN; INSERT INTO t VALUES(-1, "
				      "'x')", NULL, NULL, NULL), SQLITE_OK);
	pf_error_clear(&e);
	ck_assert_int_eq(ahead_start(path, "SELECT n, s FROM t ORDER BY n",
				     NULL, &a, &e), 0);
	ck_assert_int_eq(ahead_started(a), 0);
	while ((got = ahead_next(a, &r, &e)) == 1) {
		k++;
		ck_assert_int_eq(r.n, 2);
		ck_assert_int_eq(r.i[0], k);
		snprintf(want, sizeof(want), "v%d", k);
		if (k % 7 == 0)
			ck_assert_ptr_null(r.s[1]);
		else
			ck_assert_str_eq(r.s[1], want);
	}
	ck_assert_int_eq(got, 0);
	ck_assert_int_eq(k, n);
	ck_assert_int_eq(ahead_started(a), n > 0);
	ck_assert_int_eq(ahead_next(a, &r, &e), 0);
	ahead_free(a);
	sqlite3_exec(db, "ROLLBACK", NULL, NULL, NULL);
	drop_file();
}
END_TEST

/* An early free stops the thread, waiting on a full queue. */
START_TEST(freed_halfway)
{
	struct ahead_row r;
	struct pf_error e;
	struct ahead *a;

	make_file(2 * AHEAD_ROWS);
	ck_assert_int_eq(ahead_start(path, "SELECT n FROM t ORDER BY n", NULL,
				     &a, &e), 0);
	ck_assert_int_eq(ahead_next(a, &r, &e), 1);
	ck_assert_int_eq(r.i[0], 1);
	ahead_free(a);
	ahead_free(NULL);
	drop_file();
}
END_TEST

static int setup_calls;

static int
count_setup(sqlite3 *d)
{
	(void)d;
	setup_calls++;
	return 0;
}

static int
fail_setup(sqlite3 *d)
{
	(void)d;
	return 1;
}

/* What fails, fails at the start or at the row, with a message. */
START_TEST(failures)
{
	struct ahead_row r;
	struct pf_error e;
	struct ahead *a = NULL;

	make_file(3);
	pf_error_clear(&e);
	ck_assert_int_eq(ahead_start(path, "SELECT nope FROM t", NULL, &a,
				     &e), -1);
	ck_assert_ptr_null(a);
	ck_assert_ptr_nonnull(strstr(e.msg, "nope"));
	ck_assert_int_eq(ahead_start(path, "SELECT n FROM t", fail_setup, &a,
				     &e), -1);
	ck_assert_int_eq(ahead_start("/nonexistent/dir/x.db", "SELECT 1",
				     NULL, &a, &e), -1);
	setup_calls = 0;
	ck_assert_int_eq(ahead_start(path, "SELECT n, zeroblob(2000000) "
				     "FROM t", count_setup, &a, &e), 0);
	ck_assert_int_eq(setup_calls, 1);
	pf_error_clear(&e);
	ck_assert_int_eq(ahead_next(a, &r, &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "larger than"));
	ahead_free(a);
	drop_file();
}
END_TEST

/* Keys in order, repeats next to each other: ranks as they first come,
 * absent keys 0. */
START_TEST(key_ranks)
{
	static const char *const keys[] = { "a", "a", "ab", "b", "b", "b",
					    "k1", "p0" };
	struct keyrank *k;
	char many[32];
	size_t i;

	ck_assert_int_eq(keyrank_new(&k), 0);
	ck_assert_int_eq(keyrank_find(k, "a"), 0);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		ck_assert_int_eq(keyrank_add(k, keys[i], strlen(keys[i])), 0);
	ck_assert_int_eq(keyrank_seal(k), 0);
	ck_assert_int_eq(keyrank_count(k), 5);
	ck_assert_int_eq(keyrank_find(k, "a"), 1);
	ck_assert_int_eq(keyrank_find(k, "ab"), 2);
	ck_assert_int_eq(keyrank_find(k, "b"), 3);
	ck_assert_int_eq(keyrank_find(k, "p0"), 5);
	ck_assert_int_eq(keyrank_find(k, "c"), 0);
	ck_assert_int_eq(keyrank_find(k, ""), 0);
	keyrank_free(k);
	keyrank_free(NULL);
	/* many keys: the table grows, every key found */
	ck_assert_int_eq(keyrank_new(&k), 0);
	for (i = 0; i < 5000; i++) {
		snprintf(many, sizeof(many), "k%06zu", i);
		ck_assert_int_eq(keyrank_add(k, many, strlen(many)), 0);
	}
	ck_assert_int_eq(keyrank_seal(k), 0);
	for (i = 0; i < 5000; i++) {
		snprintf(many, sizeof(many), "k%06zu", i);
		ck_assert_int_eq(keyrank_find(k, many), (int64_t)i + 1);
	}
	keyrank_free(k);
}
END_TEST

/* Table u(user, item): items shared between users, so the ranks are
 * dense; the rows as the window query gives them. */
static const char u_sql[] = "CREATE TABLE u(user INTEGER, item TEXT);"
	"INSERT INTO u VALUES(2, 'k2'),(1, 'p9'),(1, 'k2'),(3, 'a'),"
	"(2, 'p9'),(10, 'zz'),(3, 'k2');";
static const char u_plain[] = "SELECT CAST(user AS TEXT), dense_rank() "
	"OVER (ORDER BY item), (SELECT count(DISTINCT item) FROM u), 7 FROM"
	" u ORDER BY 1, 2";
static const char u_rows[] = "SELECT CAST(user AS TEXT), item, 0, 7 FROM "
	"u ORDER BY 1, 2";
static const char u_keys[] = "SELECT item FROM u ORDER BY item";

/* Every row of a and of b alike, in order. */
static void
same_rows(struct ahead *a, struct ahead *b)
{
	struct ahead_row r, w;
	struct pf_error e;
	int got, c, n = 0;

	pf_error_clear(&e);
	while ((got = ahead_next(a, &r, &e)) == 1) {
		ck_assert_int_eq(ahead_next(b, &w, &e), 1);
		ck_assert_str_eq(r.s[0], w.s[0]);
		for (c = 1; c < 4; c++)
			ck_assert_int_eq(r.i[c], w.i[c]);
		n++;
	}
	ck_assert_int_eq(got, 0);
	ck_assert_int_eq(ahead_next(b, &w, &e), 0);
	ck_assert_int_eq(n, 7);
}

START_TEST(ranked_as_the_window)
{
	struct ahead_rank r = { u_keys, u_plain, 1 };
	struct ahead *a, *b;
	struct pf_error e;

	make_file(0);
	ck_assert_int_eq(sqlite3_exec(db, u_sql, NULL, NULL, NULL),
			 SQLITE_OK);
	pf_error_clear(&e);
	ck_assert_int_eq(ahead_start_ranked(path, u_rows, &r, &a, &e), 0);
	ck_assert_int_eq(ahead_start(path, u_plain, NULL, &b, &e), 0);
	same_rows(a, b);
	ahead_free(a);
	ahead_free(b);
	/* a key the keys' query leaves out fails the query */
	r.keys_sql = "SELECT item FROM u WHERE item != 'zz' ORDER BY item";
	ck_assert_int_eq(ahead_start_ranked(path, u_rows, &r, &a, &e), 0);
	while (ahead_next(a, &(struct ahead_row){ 0 }, &e) == 1)
		;
	ck_assert_ptr_nonnull(strstr(e.msg, "not among the keys"));
	ahead_free(a);
	/* no column after the ranked one */
	r.col = 3;
	ck_assert_int_eq(ahead_start_ranked(path, u_rows, &r, &a, &e), -1);
	ck_assert_ptr_null(a);
	drop_file();
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("ahead");
	TCase *tc = tcase_create("core");

	tcase_add_loop_test(tc, rows_in_order, 0,
			    (int)(sizeof(sizes) / sizeof(sizes[0])));
	tcase_add_test(tc, freed_halfway);
	tcase_add_test(tc, failures);
	tcase_add_test(tc, key_ranks);
	tcase_add_test(tc, ranked_as_the_window);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
