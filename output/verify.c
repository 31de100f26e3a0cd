/* verify.c - the whole-file check (see verify.h). */
#include "output/verify.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "engine/journal.h"
#include "output/rowsum.h"

struct pass {
	struct dataset *ds;
	size_t max, told;        /* lines allowed and given in this pass */
	verify_emit emit;
	void *ud;
	struct verify_report *r;
	struct pf_error *err;
};

static void
tell(struct pass *p, const char *line)
{
	if (p->told++ < p->max && p->emit != NULL)
		p->emit(p->ud, line);
}

/* The end of a pass's statement (NULL if it could not be prepared):
 * SQLITE_DONE is the end, a corrupt page is a finding (always told);
 * anything else stops verify. Returns 0 or -1 with err filled. */
static int
finish(struct pass *p, sqlite3_stmt *st, int rc, const char *what)
{
	char line[600];
	int code = sqlite3_errcode(p->ds->db);

	sqlite3_finalize(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB) {
		p->r->unreadable = 1;
		snprintf(line, sizeof(line), "%s: unreadable: %s", what,
			 sqlite3_errmsg(p->ds->db));
		if (p->emit != NULL)
			p->emit(p->ud, line);
		return 0;
	}
	return pf_error_set(p->err, "database error reading %s: %s", what,
			    sqlite3_errmsg(p->ds->db));
}

/* Prepare sql. Returns 1 with *st set, else what finish() returns for
 * the failure (0: noted as unreadable, go on; -1: stop). */
static int
prepare(struct pass *p, const char *sql, sqlite3_stmt **st,
	const char *what)
{
	*st = NULL;
	p->told = 0;
	if (sqlite3_prepare_v2(p->ds->db, sql, -1, st, NULL) == SQLITE_OK)
		return 1;
	return finish(p, NULL, SQLITE_ERROR, what);
}

static int
integrity(struct pass *p)
{
	sqlite3_stmt *st;
	const unsigned char *msg;
	int rc;

	if ((rc = prepare(p, "PRAGMA integrity_check", &st,
			  "integrity_check")) != 1)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		msg = sqlite3_column_text(st, 0);
		if (msg != NULL && strcmp((const char *)msg, "ok") == 0)
			continue;
		p->r->integrity++;
		tell(p, msg ? (const char *)msg : "integrity_check: ?");
	}
	return finish(p, st, rc, "integrity_check");
}

/* Every row of table t against its checksum. */
static int
table_rows(struct pass *p, const struct dataset_table *t)
{
	size_t i = dataset_table_index(t);
	struct rowsum_plan plan;
	char sql[128], name[256], line[512];
	sqlite3_stmt *st;
	int rc;

	if (rowsum_plan_star(&plan, t) != 0)
		return pf_error_set(p->err, "table %s has no checksum",
				    t->name);
	snprintf(sql, sizeof(sql), "SELECT * FROM \"%s\"", t->name);
	if ((rc = prepare(p, sql, &st, t->name)) != 1)
		return rc;
	if (!rowsum_columns_match(t, st, line, sizeof(line))) {
		p->r->unreadable = 1;   /* the schema text is damaged */
		if (p->emit != NULL)
			p->emit(p->ud, line);
		return sqlite3_finalize(st), 0;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->r->rows[i]++;
		if (rowsum_check(&plan, st) == 0)
			continue;
		p->r->damaged[i]++;
		rowsum_row_name(&plan, st, name, sizeof(name));
		snprintf(line, sizeof(line), "table %s, row %s: checksum "
			 "mismatch", t->name, name);
		tell(p, line);
	}
	return finish(p, st, rc, t->name);
}

/* One journal row: a known state, and a done row's reply as written. */
static int
journal_row_ok(sqlite3_stmt *st)
{
	enum journal_state state = journal_state_parse(
		sqlite3_column_text(st, 1));
	const char *reply = (const char *)sqlite3_column_text(st, 3);

	if (state == JOURNAL_NONE)
		return 0;
	if (state != JOURNAL_DONE)
		return 1;
	return sqlite3_column_type(st, 6) == SQLITE_INTEGER &&
	       sqlite3_column_int64(st, 6) == journal_reply_sum(
		       (const char *)sqlite3_column_text(st, 0),
		       (const char *)sqlite3_column_text(st, 2), reply,
		       (size_t)sqlite3_column_bytes(st, 3),
		       (const char *)sqlite3_column_text(st, 4),
		       (const char *)sqlite3_column_text(st, 5));
}

static int
journal_rows(struct pass *p)
{
	sqlite3_stmt *st;
	const unsigned char *id;
	char line[512];
	int rc;

	if ((rc = prepare(p, "SELECT item_id, state, req_hash, reply,"
			  " finish_reason, model, reply_sum FROM journal", &st,
			  "journal")) != 1)
		return rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		p->r->journal_rows++;
		if (journal_row_ok(st))
			continue;
		p->r->journal_damaged++;
		id = sqlite3_column_text(st, 0);
		snprintf(line, sizeof(line), "journal, item %.200s: checksum "
			 "mismatch or unknown state (the item is sent again "
			 "on the next build)", id ? (const char *)id : "NULL");
		tell(p, line);
	}
	return finish(p, st, rc, "journal");
}

int
dataset_verify(struct dataset *ds, size_t max, verify_emit emit, void *ud,
	       struct verify_report *r, struct pf_error *err)
{
	struct pass p = { ds, max, 0, emit, ud, r, err };
	size_t i;
	int rc;

	memset(r, 0, sizeof(*r));
	if (dataset_exec(ds, "BEGIN", err) != 0)
		return -1;
	rc = integrity(&p);
	for (i = 0; rc == 0 && i < dataset_ntables; i++)
		rc = table_rows(&p, &dataset_tables[i]);
	if (rc == 0)
		rc = journal_rows(&p);
	dataset_exec(ds, "COMMIT", NULL);
	return rc;
}

int
verify_ok(const struct verify_report *r)
{
	size_t i;

	if (r->integrity > 0 || r->journal_damaged > 0 || r->unreadable)
		return 0;
	for (i = 0; i < DATASET_MAX_TABLES; i++)
		if (r->damaged[i] > 0)
			return 0;
	return 1;
}
