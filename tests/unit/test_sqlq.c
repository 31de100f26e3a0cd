/* test_sqlq.c - the write queue and the journal on real SQLite files:
 * units commit whole, sync waits for commits, a failed statement is
 * reported and stops the writer, journal rows written through the queue
 * read back as written, without a queue the journal writes nothing, and
 * a fresh journal writes each row once with one pending row a unit;
 * across many chunks (their buffers reused) and hand-overs in the middle
 * of a unit every row arrives intact. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "engine/journal.h"
#include "engine/sqlq.h"
#include "tests/unit/check_sql.h"
#include "tests/unit/check_tap.h"

static char path[256];

static sqlite3 *
fresh_db(void)
{
	sqlite3 *db;
	char *err = NULL;

	snprintf(path, sizeof(path), "/tmp/pf-sqlq-%d.db", (int)getpid());
	unlink(path);
	ck_assert_int_eq(sqlite3_open(path, &db), SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, "PRAGMA journal_mode=WAL;"
				      "CREATE TABLE t(k INTEGER PRIMARY KEY, "
				      "v TEXT NOT NULL);", NULL, NULL, &err),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_exec(db, journal_schema_sql, NULL, NULL,
				      &err), SQLITE_OK);
	return db;
}

static void
put_row(struct sqlq *q, int id, int k, const char *v)
{
	sqlq_begin(q, id);
	sqlq_int(q, k);
	sqlq_text(q, v);
	sqlq_end(q);
}

START_TEST(units_commit_whole)
{
	sqlite3 *db = fresh_db();
	struct sqlq *q;
	struct pf_error e;
	int id, k;

	ck_assert_int_eq(sqlq_open(path, &q, &e), 0);
	ck_assert_int_eq(sqlq_prepare(q, "INSERT INTO t VALUES (?1, ?2)",
				      &id, &e), 0);
	/* 3000 units of two rows, each well past a chunk in total */
	for (k = 0; k < 6000; k += 2) {
		put_row(q, id, k, "first row of the unit, padded out ........"
			"............................................");
		put_row(q, id, k + 1, "second");
		sqlq_boundary(q);
	}
	put_row(q, id, 100000, "an unfinished unit is never written");
	ck_assert_int_eq(sqlq_sync(q), 0);
	ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM t"), 6000);
	ck_assert_int_eq(sqlq_close(q, &e), 0);
	ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM t"), 6000);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

/* Eight chunks and more: the writer hands emptied buffers back and the
 * producer refills them; a flush in the middle of a unit carries the
 * unit's first row over into the next buffer. */
START_TEST(chunks_reused_keep_every_unit)
{
	sqlite3 *db = fresh_db();
	struct sqlq *q;
	struct pf_error e;
	char v[300];
	int id, k;

	ck_assert_int_eq(sqlq_open(path, &q, &e), 0);
	ck_assert_int_eq(sqlq_prepare(q, "INSERT INTO t VALUES (?1, ?2)",
				      &id, &e), 0);
	for (k = 0; k < 60000; k += 2) {
		snprintf(v, sizeof(v), "%0*d", 100 + k % 150, k);
		put_row(q, id, k, v);
		if (k % 998 == 0)
			sqlq_flush(q);
		put_row(q, id, k + 1, v);
		sqlq_boundary(q);
	}
	ck_assert_int_eq(sqlq_close(q, &e), 0);
	ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM t"), 60000);
	ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM t WHERE"
				       " length(v) != 100 + (k - k % 2) % 150"
				       " OR CAST(v AS INTEGER) != k - k % 2"),
			 0);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

START_TEST(failure_is_reported)
{
	sqlite3 *db = fresh_db();
	struct sqlq *q;
	struct pf_error e;
	char msg[256];
	int id;

	pf_error_clear(&e);
	ck_assert_int_eq(sqlq_open(path, &q, &e), 0);
	ck_assert_int_eq(sqlq_prepare(q, "INSERT INTO t VALUES (?1, ?2)",
				      &id, &e), 0);
	put_row(q, id, 1, "a");
	sqlq_boundary(q);
	put_row(q, id, 1, "the same key again");   /* constraint error */
	sqlq_boundary(q);
	ck_assert_int_eq(sqlq_sync(q), -1);
	ck_assert(sqlq_failed(q, msg, sizeof(msg)));
	ck_assert_ptr_nonnull(strstr(msg, "UNIQUE"));
	ck_assert_int_eq(sqlq_close(q, &e), -1);
	/* the failed chunk was rolled back whole */
	ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM t"), 0);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

START_TEST(bad_sql_is_refused_at_prepare)
{
	sqlite3 *db = fresh_db();
	struct sqlq *q;
	struct pf_error e;
	int id;

	pf_error_clear(&e);
	ck_assert_int_eq(sqlq_open(path, &q, &e), 0);
	ck_assert_int_eq(sqlq_prepare(q, "INSERT INTO nope VALUES (1)", &id,
				      &e), -1);
	ck_assert_ptr_nonnull(strstr(e.msg, "nope"));
	ck_assert_int_eq(sqlq_close(q, &e), 0);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

/* The journal reads back what it wrote through the queue. */
START_TEST(journal_roundtrip)
{
	sqlite3 *db = fresh_db();
	struct journal *j;
	struct journal_row row;
	struct journal_result r;
	struct sqlq *q = NULL;
	struct pf_error e;

	ck_assert_int_eq(journal_open(db, &j, &e), 0);
	ck_assert_int_eq(sqlq_open(path, &q, &e), 0);
	ck_assert_int_eq(journal_attach_queue(j, q, &e), 0);
	ck_assert_int_eq(journal_prefix_exists(j, "p"), 0);
	ck_assert(journal_item_plan(j, "p000001/qa/0", "qa", 1, 0) >= 0);
	ck_assert(journal_item_plan(j, "p000001/qa/1", "qa", 1, 1) >= 0);
	memset(&r, 0, sizeof(r));
	r.req_hash = "abc";
	r.reply = "{\"answer\":\"x\"}";
	r.reply_len = strlen(r.reply);
	r.finish_reason = "stop";
	r.model = "m";
	r.attempts = 2;
	r.prompt_tokens = 10;
	r.completion_tokens = 3;
	ck_assert_int_eq(journal_item_done(j, "p000001/qa/0", &r), 0);
	ck_assert_int_eq(journal_item_fail(j, "p000001/qa/1", "def", 3,
					   "why it failed"), 0);
	journal_unit_end(j);
	ck_assert_int_eq(journal_tx_commit(j), 0);
	ck_assert_int_eq(sqlq_sync(q), 0);
	ck_assert_int_eq(journal_prefix_exists(j, "p000001/"), 1);
	ck_assert_int_eq(journal_prefix_exists(j, "p000002/"), 0);
	ck_assert_int_eq(journal_item_get(j, "p000001/qa/0", &row), 0);
	ck_assert_int_eq(row.state, JOURNAL_DONE);
	ck_assert_str_eq(row.req_hash, "abc");
	ck_assert_str_eq(row.reply, "{\"answer\":\"x\"}");
	ck_assert_uint_eq(row.attempts, 2);
	ck_assert_uint_eq(row.prompt_tokens, 10);
	ck_assert_int_eq(journal_item_get(j, "p000001/qa/1", &row), 0);
	ck_assert_int_eq(row.state, JOURNAL_FAILED);
	ck_assert_str_eq(row.last_error, "why it failed");
	ck_assert_int_eq(journal_item_get(j, "p000009/qa/0", &row), 0);
	ck_assert_int_eq(row.state, JOURNAL_NONE);
	ck_assert_int_eq(sqlq_close(q, &e), 0);
	journal_close(j);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

/* A journal empty at attach keeps its plans back (engine/jplan.h): each
 * step below is one write unit, committed, then the table must hold
 * `rows` rows of which `pending` pending, and the row ids in plan order
 * spell `order` (item ids' last letters). */
static const struct fresh_step {
	const char *what;           /* plan, done, fail, write (plans) */
	const char *ids;            /* one letter an item: "p000000/x/a" */
	int rows, pending;
	const char *pending_ids;    /* the pending ones, by row id */
} fresh_steps[] = {
	/* a unit of three: only its last is written, as its sentinel */
	{ .what = "plan", .ids = "abc", .rows = 1, .pending = 1,
	  .pending_ids = "c" },
	/* a plain item: one insert, done */
	{ .what = "done", .ids = "a", .rows = 2, .pending = 1,
	  .pending_ids = "c" },
	/* the sentinel ends first: b, still open, takes its place */
	{ .what = "done", .ids = "c", .rows = 3, .pending = 1,
	  .pending_ids = "b" },
	{ .what = "plan", .ids = "de", .rows = 4, .pending = 2,
	  .pending_ids = "be" },
	/* a run that stops writes every plan kept back */
	{ .what = "write", .ids = "", .rows = 5, .pending = 3,
	  .pending_ids = "bde" },
	{ .what = "fail", .ids = "d", .rows = 5, .pending = 2,
	  .pending_ids = "be" },
	{ .what = "done", .ids = "be", .rows = 5, .pending = 0,
	  .pending_ids = "" },
	/* a failure before anything of its unit was written */
	{ .what = "plan", .ids = "fg", .rows = 6, .pending = 1,
	  .pending_ids = "g" },
	{ .what = "fail", .ids = "f", .rows = 7, .pending = 1,
	  .pending_ids = "g" },
	{ .what = "done", .ids = "g", .rows = 7, .pending = 0,
	  .pending_ids = "" },
};

/* The last letters of the ids of rows in `state`, in row id order. */
static void
ids_in(sqlite3 *db, const char *state, char *out, size_t n)
{
	sqlite3_stmt *st;
	size_t k = 0;

	ck_assert_int_eq(sqlite3_prepare_v2(db, "SELECT substr(item_id, -1)"
					    " FROM journal WHERE state LIKE ?1"
					    " ORDER BY id", -1, &st, NULL),
			 SQLITE_OK);
	sqlite3_bind_text(st, 1, state, -1, SQLITE_STATIC);
	while (sqlite3_step(st) == SQLITE_ROW && k + 1 < n)
		out[k++] = (char)sqlite3_column_text(st, 0)[0];
	out[k] = '\0';
	sqlite3_finalize(st);
}

static void
fresh_step(struct journal *j, const struct fresh_step *f, int *persona)
{
	struct journal_result r = { .req_hash = "h", .reply = "{}",
				    .reply_len = 2, .finish_reason = "stop",
				    .model = "m", .attempts = 1 };
	char id[32];
	const char *c;

	if (strcmp(f->what, "write") == 0) {
		ck_assert_int_eq(journal_plans_write(j), 0);
		return;
	}
	for (c = f->ids; *c != '\0'; c++) {
		snprintf(id, sizeof(id), "p%06d/x/%c", *persona, *c);
		if (strcmp(f->what, "plan") == 0)
			ck_assert_int_eq(journal_item_plan(j, id, "x",
							   *persona,
							   c - f->ids), 0);
		else if (strcmp(f->what, "done") == 0)
			ck_assert_int_eq(journal_item_done(j, id, &r), 0);
		else
			ck_assert_int_eq(journal_item_fail(j, id, "h", 1,
							   "why"), 0);
		if (strcmp(f->what, "plan") != 0)
			journal_unit_end(j);
	}
	if (strcmp(f->what, "plan") == 0)
		journal_unit_end(j);
}

START_TEST(journal_fresh_writes_once)
{
	sqlite3 *db = fresh_db();
	struct journal *j;
	struct sqlq *q = NULL;
	struct pf_error e;
	char got[16];
	size_t i;
	int persona = 0;

	ck_assert_int_eq(journal_open(db, &j, &e), 0);
	ck_assert_int_eq(sqlq_open(path, &q, &e), 0);
	ck_assert_int_eq(journal_attach_queue(j, q, &e), 0);
	for (i = 0; i < sizeof(fresh_steps) / sizeof(fresh_steps[0]); i++) {
		const struct fresh_step *f = &fresh_steps[i];

		fresh_step(j, f, &persona);
		ck_assert_int_eq(sqlq_sync(q), 0);
		ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM "
					       "journal"), f->rows);
		ids_in(db, "pending", got, sizeof(got));
		ck_assert_msg(strcmp(got, f->pending_ids) == 0, "step %zu "
			      "(%s %s): pending %s, not %s", i, f->what,
			      f->ids, got, f->pending_ids);
		ck_assert_int_eq((int)strlen(got), f->pending);
	}
	/* every row once, with the row id its plan was given */
	ids_in(db, "%", got, sizeof(got));
	ck_assert_str_eq(got, "abcdefg");
	ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM journal "
				       "WHERE id = 1 + instr('abcdefg', "
				       "substr(item_id, -1)) - 1"), 7);
	ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM journal "
				       "WHERE state = 'failed'"), 2);
	ck_assert_int_eq(sqlq_close(q, &e), 0);
	journal_close(j);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

/* Every write goes through a queue: before one is attached, writes are
 * refused and the table stays empty. */
START_TEST(journal_needs_queue)
{
	sqlite3 *db = fresh_db();
	struct journal *j;
	struct journal_item it = { "p000001/qa/0", "qa", 0, "abc", 1 };
	struct journal_result r;
	struct pf_error e;

	memset(&r, 0, sizeof(r));
	r.req_hash = "abc";
	r.reply = "{}";
	r.reply_len = 2;
	ck_assert_int_eq(journal_open(db, &j, &e), 0);
	ck_assert_int_eq(journal_item_plan(j, it.id, "qa", 1, 0), -1);
	ck_assert_int_eq(journal_item_done(j, it.id, &r), -1);
	ck_assert_int_eq(journal_item_fail(j, it.id, "abc", 1, "why"), -1);
	ck_assert_int_eq(journal_item_record(j, &it, &r, NULL), -1);
	ck_assert_int_eq(journal_tx_commit(j), 0);
	ck_assert_int_eq(check_sql_int(db, "SELECT count(*) FROM journal"), 0);
	journal_close(j);
	sqlite3_close(db);
	unlink(path);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("sqlq");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, units_commit_whole);
	tcase_add_test(tc, chunks_reused_keep_every_unit);
	tcase_add_test(tc, failure_is_reported);
	tcase_add_test(tc, bad_sql_is_refused_at_prepare);
	tcase_add_test(tc, journal_roundtrip);
	tcase_add_test(tc, journal_needs_queue);
	tcase_add_test(tc, journal_fresh_writes_once);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
