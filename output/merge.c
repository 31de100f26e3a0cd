/* merge.c - copying shard datasets together (see merge.h). */
#include "output/merge.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "output/rowsum.h"
#include "output/tables.h"

#define SQL_MAX ((size_t)1 << 16)

/* The statements moving one table: a SELECT on src, an INSERT on dst. */
struct mover {
	sqlite3_stmt *sel, *ins;
	int ncols;                  /* columns moved (the first ncols of sel) */
	struct rowsum_plan plan;    /* sel's checksum columns; .n < 0: none */
};

static int
db_fail(struct dataset *ds, struct pf_error *err, const char *what)
{
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", ds->path);
	return pf_error_set(err, "database error %s: %s", what,
			    sqlite3_errmsg(ds->db));
}

/* Append the INSERT for `table` with `n` parameters for the columns in
 * `cols` (already quoted, comma-separated) to b. */
static int
insert_sql(struct buf *b, const char *table, const char *cols, int n)
{
	int i, rc;

	rc = buf_printf(b, "INSERT INTO \"%s\" (%s) VALUES (", table, cols);
	for (i = 1; i <= n; i++)
		rc |= buf_printf(b, "%s?%d", i > 1 ? ", " : "", i);
	return rc | buf_putc(b, ')');
}

/* Prepare m->sel on src from b and m->ins on dst from ins. */
static int
prepare(struct mover *m, struct dataset *dst, struct dataset *src,
	const char *sel, const char *ins, struct pf_error *err)
{
	if (sqlite3_prepare_v2(src->db, sel, -1, &m->sel, NULL) != SQLITE_OK)
		return db_fail(src, err, "reading a shard");
	if (sqlite3_prepare_v2(dst->db, ins, -1, &m->ins, NULL) != SQLITE_OK)
		return db_fail(dst, err, "writing the merge");
	return 0;
}

/* The mover of registry table t: every column but the DATASET_AUTO
 * ones, row_sum last, checked as they are read. */
static int
mover_table(struct mover *m, const struct dataset_table *t,
	    struct dataset *dst, struct dataset *src, struct pf_error *err)
{
	struct dataset_col c;
	struct buf cols, sel, ins;
	size_t i;
	int rc;

	memset(m, 0, sizeof(*m));
	buf_init(&cols, SQL_MAX);
	buf_init(&sel, SQL_MAX);
	buf_init(&ins, SQL_MAX);
	rc = 0;
	for (i = 0; dataset_col_at(t, i, &c) == 0; i++)
		if (!(c.flags & DATASET_AUTO))
			rc |= buf_printf(&cols, "%s\"%s\"", m->ncols++ ? ", " :
					 "", c.name);
	rc |= rowsum_plan_insert(&m->plan, t);
	rc |= buf_printf(&sel, "SELECT %s FROM \"%s\"", cols.data, t->name);
	rc |= insert_sql(&ins, t->name, cols.data, m->ncols);
	if (rc != 0)
		rc = pf_error_set(err, "query for %s too long", t->name);
	else
		rc = prepare(m, dst, src, sel.data, ins.data, err);
	buf_free(&cols);
	buf_free(&sel);
	buf_free(&ins);
	return rc;
}

/* The journal's mover: every column but its row id, in row id order. */
static int
mover_journal(struct mover *m, struct dataset *dst, struct dataset *src,
	      struct pf_error *err)
{
	sqlite3_stmt *info;
	struct buf cols, sel, ins;
	const char *name;
	int rc = 0;

	memset(m, 0, sizeof(*m));
	m->plan.n = -1;
	if (sqlite3_prepare_v2(src->db, "SELECT name FROM pragma_table_info("
			       "'journal') ORDER BY cid", -1, &info, NULL) !=
	    SQLITE_OK)
		return db_fail(src, err, "reading a shard's journal");
	buf_init(&cols, SQL_MAX);
	buf_init(&sel, SQL_MAX);
	buf_init(&ins, SQL_MAX);
	while (sqlite3_step(info) == SQLITE_ROW) {
		name = (const char *)sqlite3_column_text(info, 0);
		if (name != NULL && strcmp(name, "id") != 0)
			rc |= buf_printf(&cols, "%s\"%s\"", m->ncols++ ? ", " :
					 "", name);
	}
	sqlite3_finalize(info);
	rc |= buf_printf(&sel, "SELECT %s FROM journal ORDER BY id", cols.data);
	rc |= insert_sql(&ins, "journal", cols.data, m->ncols);
	rc = rc != 0 ? pf_error_set(err, "journal query too long") :
	     prepare(m, dst, src, sel.data, ins.data, err);
	buf_free(&cols);
	buf_free(&sel);
	buf_free(&ins);
	return rc;
}

/* Move every row: 0, 1 on a damaged row, -1 on a database error. */
static int
move_rows(struct mover *m, struct dataset *dst, struct dataset *src,
	  struct pf_error *err)
{
	int i, rc;

	while ((rc = sqlite3_step(m->sel)) == SQLITE_ROW) {
		if (m->plan.n >= 0 && rowsum_check_report(&m->plan, m->sel,
							  src->path, NULL,
							  err) != 0)
			return 1;
		for (i = 0; i < m->ncols; i++)
			sqlite3_bind_value(m->ins, i + 1,
					   sqlite3_column_value(m->sel, i));
		if (sqlite3_step(m->ins) != SQLITE_DONE)
			return db_fail(dst, err, "writing the merge");
		sqlite3_reset(m->ins);
	}
	return rc == SQLITE_DONE ? 0 : db_fail(src, err, "reading a shard");
}

static void
mover_free(struct mover *m)
{
	sqlite3_finalize(m->sel);
	sqlite3_finalize(m->ins);
}

int
dataset_merge_copy(struct dataset *dst, struct dataset *src,
		   struct pf_error *err)
{
	const struct dataset_table *t;
	struct mover m;
	size_t i;
	int rc = 0;

	for (i = 0; rc == 0 && i <= dataset_ntables; i++) {
		t = i < dataset_ntables ? &dataset_tables[i] : NULL;
		if (t != NULL && t->role == DATASET_HEAD)
			continue;
		rc = t != NULL ? mover_table(&m, t, dst, src, err) :
		     mover_journal(&m, dst, src, err);
		if (rc == 0)
			rc = move_rows(&m, dst, src, err);
		mover_free(&m);
	}
	return rc;
}

/* Set the run row's shard to 0 of 1 and its checksum to match. */
static int
restamp_run(struct dataset *dst, const struct dataset_table *t,
	    struct pf_error *err)
{
	struct rowsum_plan plan;
	sqlite3_stmt *st;
	int64_t sum = 0;
	int rc;

	if (sqlite3_exec(dst->db, "UPDATE run SET shard_index = 0, "
			 "shard_count = 1", NULL, NULL, NULL) != SQLITE_OK)
		return db_fail(dst, err, "writing the run row");
	if (rowsum_plan_star(&plan, t) != 0 ||
	    sqlite3_prepare_v2(dst->db, "SELECT * FROM run", -1, &st,
			       NULL) != SQLITE_OK)
		return db_fail(dst, err, "reading the run row");
	rc = sqlite3_step(st) == SQLITE_ROW ? rowsum_compute(&plan, st, &sum)
	     : -1;
	sqlite3_finalize(st);
	if (rc != 0)
		return db_fail(dst, err, "reading the run row");
	if (sqlite3_prepare_v2(dst->db, "UPDATE run SET row_sum = ?1", -1,
			       &st, NULL) != SQLITE_OK)
		return db_fail(dst, err, "writing the run row");
	sqlite3_bind_int64(st, 1, sum);
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : db_fail(dst, err, "writing the run row");
}

int
dataset_merge_run(struct dataset *dst, struct dataset *src,
		  struct pf_error *err)
{
	const struct dataset_table *t = dataset_table_role(DATASET_HEAD);
	struct mover m;
	int rc;

	if ((rc = mover_table(&m, t, dst, src, err)) == 0)
		rc = move_rows(&m, dst, src, err);
	mover_free(&m);
	return rc != 0 ? rc : restamp_run(dst, t, err);
}
