/* journal.c - work-item journal on SQLite (see journal.h). */
#include "engine/journal.h"

#include <stdio.h>

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/buf.h"
#include "base/sum64.h"
#include "engine/jplan.h"
#include "engine/sqlq.h"

const char journal_schema_sql[] =
	"CREATE TABLE IF NOT EXISTS journal ("
	" id INTEGER PRIMARY KEY, item_id TEXT NOT NULL UNIQUE,"
	" stage TEXT NOT NULL,"
	" persona_id INTEGER NOT NULL, idx INTEGER NOT NULL,"
	" state TEXT NOT NULL CHECK (state IN"
	"  ('pending','inflight','done','failed')),"
	" req_hash TEXT, attempts INTEGER NOT NULL DEFAULT 0, reply TEXT,"
	" finish_reason TEXT, model TEXT, prompt_tokens INTEGER,"
	" completion_tokens INTEGER, last_error TEXT, updated_at INTEGER,"
	" reply_sum INTEGER, model_hash TEXT, template_hash TEXT);";

/* Reads run on the connection; writes only through the queue. */
enum { ST_GET, ST_PREFIX, ST_EMPTY, ST_READS,
	ST_PLAN = ST_READS, ST_DONE, ST_FAIL, ST_REC_DONE, ST_REC_FAIL,
	ST_INS_DONE, ST_INS_FAIL, ST_N };

static const char *const sql[ST_N] = {
	/* ?5: the row id a fresh journal's plan was given (jplan.h), or
	 * NULL for SQLite's next. A row that exists keeps its state; only
	 * a damaged stage, persona or index (which reply_sum does not
	 * cover) is written again, or the item's outcome, written by item
	 * id, would count for no persona. */
	[ST_PLAN] = "INSERT INTO journal(id, item_id, stage, persona_id, idx,"
		    " state) VALUES (?5, ?1, ?2, ?3, ?4, 'pending')"
		    " ON CONFLICT(item_id) DO UPDATE SET stage = ?2,"
		    " persona_id = ?3, idx = ?4 WHERE stage IS NOT ?2 OR"
		    " persona_id IS NOT ?3 OR idx IS NOT ?4",
	[ST_GET] = "SELECT state, req_hash, reply, finish_reason, model,"
		   " last_error, attempts, prompt_tokens, completion_tokens,"
		   " reply_sum FROM journal WHERE item_id = ?1",
	[ST_DONE] = "UPDATE journal SET state = 'done', req_hash = ?2,"
		    " reply = ?3, finish_reason = ?4, model = ?5,"
		    " attempts = ?6, prompt_tokens = ?7,"
		    " completion_tokens = ?8, last_error = NULL,"
		    " updated_at = ?9, reply_sum = ?10, model_hash = ?11,"
		    " template_hash = ?12 WHERE item_id = ?1",
	[ST_FAIL] = "UPDATE journal SET state = 'failed', req_hash = ?2,"
		    " attempts = ?3, last_error = ?4, updated_at = ?5,"
		    " reply_sum = NULL WHERE item_id = ?1",
	[ST_PREFIX] = "SELECT 1 FROM journal WHERE item_id >= ?1"
		      " AND item_id < ?2 LIMIT 1",
	[ST_EMPTY] = "SELECT NOT EXISTS (SELECT 1 FROM journal)",
	/* a kept plan's one write: ST_DONE's and ST_FAIL's parameters,
	 * then its row id, stage, persona and index */
	[ST_INS_DONE] = "INSERT INTO journal(item_id, req_hash, reply,"
			" finish_reason, model, attempts, prompt_tokens,"
			" completion_tokens, updated_at, reply_sum,"
			" model_hash, template_hash, id, stage, persona_id,"
			" idx, state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8,"
			" ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, 'done')",
	[ST_INS_FAIL] = "INSERT INTO journal(item_id, req_hash, attempts,"
			" last_error, updated_at, id, stage, persona_id, idx,"
			" state) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9,"
			" 'failed')",
	/* one write per item, with no plan row before it */
	[ST_REC_DONE] = "INSERT INTO journal(item_id, stage, persona_id, idx,"
			" state, req_hash, reply, finish_reason, model,"
			" attempts, prompt_tokens, completion_tokens,"
			" updated_at, reply_sum) VALUES (?1, ?10, 0, ?11,"
			" 'done', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?12)"
			" ON CONFLICT(item_id) DO"
			" UPDATE SET state = 'done', req_hash = ?2,"
			" reply = ?3, finish_reason = ?4, model = ?5,"
			" attempts = ?6, prompt_tokens = ?7,"
			" completion_tokens = ?8, last_error = NULL,"
			" updated_at = ?9, reply_sum = ?12",
	[ST_REC_FAIL] = "INSERT INTO journal(item_id, stage, persona_id, idx,"
			" state, req_hash, attempts, last_error, updated_at)"
			" VALUES (?1, ?6, 0, ?7, 'failed', ?2, ?3, ?4, ?5)"
			" ON CONFLICT(item_id) DO UPDATE SET"
			" state = 'failed', req_hash = ?2, attempts = ?3,"
			" last_error = ?4, updated_at = ?5, reply_sum = NULL",
};

/* Prepared on first use only, so `batch` (which never asks) works on a
 * journal file without the columns. */
static const char hashes_sql[] = "SELECT model_hash, template_hash FROM"
	" journal WHERE item_id = ?1";

struct journal {
	sqlite3 *db;
	sqlite3_stmt *st[ST_READS];
	sqlite3_stmt *hashes;       /* hashes_sql, once asked */
	struct sqlq *q;             /* every write goes here; NULL until
				       journal_attach_queue */
	int qst[ST_N];              /* statement ids in the queue */
	struct jplan *plans;        /* a fresh journal's plans not written
				       yet (jplan.h); NULL otherwise */
	struct buf row;             /* copies of the last row's strings */
	char errmsg[512];
};

static const char *const state_names[] = {
	[JOURNAL_PENDING] = "pending", [JOURNAL_DONE] = "done",
	[JOURNAL_FAILED] = "failed",
};

enum journal_state
journal_state_parse(const unsigned char *s)
{
	int i;

	for (i = JOURNAL_PENDING; i <= JOURNAL_FAILED; i++)
		if (s != NULL && strcmp((const char *)s, state_names[i]) == 0)
			return (enum journal_state)i;
	return JOURNAL_NONE;
}

static void
sum_str(struct sum64 *s, const char *v, size_t n)
{
	if (v == NULL)
		sum64_null(s);
	else
		sum64_text(s, v, n);
}

int64_t
journal_reply_sum(const char *item_id, const char *req_hash,
		  const char *reply, size_t reply_len,
		  const char *finish_reason, const char *model)
{
	struct sum64 s;

	sum64_init(&s);
	sum_str(&s, item_id, item_id ? strlen(item_id) : 0);
	sum_str(&s, req_hash, req_hash ? strlen(req_hash) : 0);
	sum_str(&s, reply, reply_len);
	sum_str(&s, finish_reason, finish_reason ? strlen(finish_reason) : 0);
	sum_str(&s, model, model ? strlen(model) : 0);
	return sum64_final(&s);
}

int
journal_add_columns(sqlite3 *db)
{
	sqlite3_stmt *st;
	int has;

	if (sqlite3_prepare_v2(db, "SELECT count(*) FROM"
			       " pragma_table_info('journal') WHERE name ="
			       " 'model_hash'", -1, &st, NULL) != SQLITE_OK)
		return -1;
	has = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (has != 0)
		return has > 0 ? 0 : -1;
	return sqlite3_exec(db, "ALTER TABLE journal ADD COLUMN model_hash TEXT;"
			    "ALTER TABLE journal ADD COLUMN template_hash"
			    " TEXT;", NULL, NULL, NULL) == SQLITE_OK ? 0 : -1;
}

int
journal_open(sqlite3 *db, struct journal **out, struct pf_error *err)
{
	struct journal *j;
	int i;

	*out = NULL;
	j = calloc(1, sizeof(*j));
	if (j == NULL)
		return pf_error_set(err, "out of memory");
	j->db = db;
	buf_init(&j->row, BUF_MAX_DEFAULT);
	for (i = 0; i < ST_READS; i++) {
		if (sqlite3_prepare_v3(db, sql[i], -1,
				       SQLITE_PREPARE_PERSISTENT, &j->st[i],
				       NULL) != SQLITE_OK) {
			pf_error_set(err, "journal: %s", sqlite3_errmsg(db));
			journal_close(j);
			return -1;
		}
	}
	*out = j;
	return 0;
}

void
journal_close(struct journal *j)
{
	int i;

	if (j == NULL)
		return;
	for (i = 0; i < ST_READS; i++)
		sqlite3_finalize(j->st[i]);
	sqlite3_finalize(j->hashes);
	jplan_free(j->plans);
	buf_free(&j->row);
	free(j);
}

/* 1 if the journal has no row, 0 if it has, -1 on a read error. */
static int
is_empty(struct journal *j)
{
	sqlite3_stmt *st = j->st[ST_EMPTY];
	int rc = sqlite3_step(st), empty;

	empty = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_reset(st);
	return empty;
}

int
journal_attach_queue(struct journal *j, struct sqlq *q, struct pf_error *err)
{
	int i, empty;

	for (i = ST_READS; i < ST_N; i++)
		if (sqlq_prepare(q, sql[i], &j->qst[i], err) != 0)
			return -1;
	/* Every item planned into an empty journal is fresh: its row can
	 * wait for its outcome (jplan.h), row ids from 1. */
	if ((empty = is_empty(j)) < 0)
		return pf_error_set(err, "journal: %s", sqlite3_errmsg(j->db));
	if (empty && jplan_new(1, &j->plans) != 0)
		return pf_error_set(err, "out of memory");
	j->q = q;
	return 0;
}

/* Queue a pending row; rowid 0 lets SQLite choose. */
static void
queue_plan(struct journal *j, int64_t rowid, const char *id,
	   const char *stage, int64_t persona, int64_t idx)
{
	sqlq_begin(j->q, j->qst[ST_PLAN]);
	sqlq_text(j->q, id);
	sqlq_text(j->q, stage);
	sqlq_int(j->q, persona);
	sqlq_int(j->q, idx);
	if (rowid > 0)
		sqlq_int(j->q, rowid);
	else
		sqlq_text(j->q, NULL);
	sqlq_end(j->q);
}

static void
queue_kept(struct journal *j, const struct jplan_item *p)
{
	if (p != NULL)
		queue_plan(j, p->rowid, p->id, p->stage, p->persona, p->idx);
}

void
journal_unit_end(struct journal *j)
{
	if (j->q == NULL)
		return;
	if (j->plans != NULL)
		queue_kept(j, jplan_unit_end(j->plans));
	sqlq_boundary(j->q);
}

static int
write_kept(void *ud, const struct jplan_item *p)
{
	queue_kept(ud, p);
	return 0;
}

int
journal_plans_write(struct journal *j)
{
	if (j->q == NULL)
		return -1;
	if (j->plans != NULL)
		jplan_each_unwritten(j->plans, write_kept, j);
	sqlq_boundary(j->q);
	return 0;
}

int
journal_prefix_exists(struct journal *j, const char *prefix)
{
	sqlite3_stmt *st = j->st[ST_PREFIX];
	char hi[256];
	size_t n = strlen(prefix);
	int rc;

	if (n >= sizeof(hi))
		return 1;
	/* Every id starting with prefix sorts in [prefix, prefix+1); ids
	 * are UTF-8, so every one sorts below a 0xff byte. */
	memcpy(hi, prefix, n + 1);
	if (n == 0)
		memcpy(hi, "\xff", 2);
	else
		hi[n - 1]++;
	sqlite3_bind_text(st, 1, prefix, -1, SQLITE_STATIC);
	sqlite3_bind_text(st, 2, hi, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	return rc == SQLITE_ROW ? 1 : rc == SQLITE_DONE ? 0 : -1;
}

static void
bind_text(sqlite3_stmt *st, int i, const char *s)
{
	if (s == NULL)
		sqlite3_bind_null(st, i);
	else
		sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC);
}

int
journal_item_plan(struct journal *j, const char *id, const char *stage,
		  int64_t persona, int64_t idx)
{
	int64_t rowid = 0;
	int kept = 0;

	if (j->q == NULL)
		return -1;
	if (j->plans != NULL)
		jplan_add(j->plans, id, stage, persona, idx, &rowid, &kept);
	if (!kept)
		queue_plan(j, rowid, id, stage, persona, idx);
	return 0;
}

/* Copy column i into the row buffer; returns its offset, -1 if NULL,
 * -2 if it could not be copied (the lookup then fails rather than make a
 * done row look empty and get it paid for again). */
static long
keep(struct journal *j, sqlite3_stmt *st, int i)
{
	const unsigned char *t = sqlite3_column_text(st, i);
	size_t off = j->row.len;

	if (t == NULL)
		return -1;
	if (buf_append(&j->row, t, (size_t)sqlite3_column_bytes(st, i)) != 0 ||
	    buf_putc(&j->row, '\0') != 0)
		return -2;
	return (long)off;
}

static const char *
at(struct journal *j, long off)
{
	return off < 0 ? NULL : j->row.data + off;
}

int
journal_item_get(struct journal *j, const char *id, struct journal_row *row)
{
	sqlite3_stmt *st = j->st[ST_GET];
	sqlite3_int64 sum = 0;
	long o[5];
	int rc, i, has_sum = 0;

	memset(row, 0, sizeof(*row));
	buf_reset(&j->row);
	bind_text(st, 1, id);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		row->state = journal_state_parse(sqlite3_column_text(st, 0));
		for (i = 0; i < 5; i++)
			if ((o[i] = keep(j, st, i + 1)) == -2)
				rc = SQLITE_NOMEM;
		row->reply_len = (size_t)sqlite3_column_bytes(st, 2);
		row->attempts = (uint32_t)sqlite3_column_int(st, 6);
		row->prompt_tokens = (uint32_t)sqlite3_column_int(st, 7);
		row->completion_tokens = (uint32_t)sqlite3_column_int(st, 8);
		has_sum = sqlite3_column_type(st, 9) == SQLITE_INTEGER;
		sum = sqlite3_column_int64(st, 9);
	}
	/* Reset at once: a pending read would pin the WAL. */
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	if (rc == SQLITE_DONE)
		return 0;
	if (rc != SQLITE_ROW)
		return -1;
	row->req_hash = at(j, o[0]);
	row->reply = at(j, o[1]);
	row->finish_reason = at(j, o[2]);
	row->model = at(j, o[3]);
	row->last_error = at(j, o[4]);
	if (row->state == JOURNAL_DONE && (!has_sum ||
	    sum != journal_reply_sum(id, row->req_hash, row->reply,
				     row->reply_len, row->finish_reason,
				     row->model))) {
		/* Damaged: never reuse it; the item is sent again. */
		row->state = JOURNAL_PENDING;
		row->reply = NULL;
		row->reply_len = 0;
		row->damaged = 1;
	}
	return 0;
}

/* 1 if id is a kept plan with no row yet: its one write is an insert,
 * which *p completes (end_kept). *next: a pending row to queue after it
 * (its unit's new sentinel), or NULL. */
static int
take_kept(struct journal *j, const char *id, struct jplan_item *p,
	  const struct jplan_item **next)
{
	*next = NULL;
	return j->plans != NULL && jplan_take(j->plans, id, p, next) &&
	       !p->written;
}

/* End the insert or update being queued: an insert ends with the kept
 * plan p's row id, stage, persona and index. Then queue next. */
static void
end_kept(struct journal *j, const struct jplan_item *p,
	 const struct jplan_item *next)
{
	if (p != NULL) {
		sqlq_int(j->q, p->rowid);
		sqlq_text(j->q, p->stage);
		sqlq_int(j->q, p->persona);
		sqlq_int(j->q, p->idx);
	}
	sqlq_end(j->q);
	queue_kept(j, next);
}

/* The reply a done row stores: NULL when the request hash covers it. */
static const char *
stored_reply(const struct journal_result *r, size_t *len)
{
	*len = r->reply_in_hash ? 0 : r->reply_len;
	return r->reply_in_hash ? NULL : r->reply;
}

int
journal_item_done(struct journal *j, const char *id,
		  const struct journal_result *r)
{
	size_t len;
	const char *reply = stored_reply(r, &len);
	const struct jplan_item *next = NULL;
	struct jplan_item p;
	int ins;

	if (j->q == NULL)
		return -1;
	ins = take_kept(j, id, &p, &next);
	sqlq_begin(j->q, j->qst[ins ? ST_INS_DONE : ST_DONE]);
	sqlq_text(j->q, id);
	sqlq_text(j->q, r->req_hash);
	sqlq_textn(j->q, reply, len);
	sqlq_text(j->q, r->finish_reason);
	sqlq_text(j->q, r->model);
	sqlq_int(j->q, r->attempts);
	sqlq_int(j->q, r->prompt_tokens);
	sqlq_int(j->q, r->completion_tokens);
	sqlq_int(j->q, (int64_t)time(NULL));
	sqlq_int(j->q, journal_reply_sum(id, r->req_hash, reply, len,
					 r->finish_reason, r->model));
	sqlq_text(j->q, r->model_hash);
	sqlq_text(j->q, r->template_hash);
	end_kept(j, ins ? &p : NULL, next);
	return 0;
}

/* Copy text column i into out[65] ("" when NULL or not a hash). */
static void
hash_col(sqlite3_stmt *st, int i, char out[65])
{
	const unsigned char *t = sqlite3_column_text(st, i);

	out[0] = '\0';
	if (t != NULL && sqlite3_column_bytes(st, i) == 64)
		memcpy(out, t, 65);
}

int
journal_item_hashes(struct journal *j, const char *id, char model_hash[65],
		    char template_hash[65])
{
	int rc;

	model_hash[0] = template_hash[0] = '\0';
	if (j->hashes == NULL &&
	    sqlite3_prepare_v3(j->db, hashes_sql, -1,
			       SQLITE_PREPARE_PERSISTENT, &j->hashes,
			       NULL) != SQLITE_OK)
		return -1;
	bind_text(j->hashes, 1, id);
	rc = sqlite3_step(j->hashes);
	if (rc == SQLITE_ROW) {
		hash_col(j->hashes, 0, model_hash);
		hash_col(j->hashes, 1, template_hash);
	}
	sqlite3_reset(j->hashes);
	sqlite3_clear_bindings(j->hashes);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : -1;
}

int
journal_item_fail(struct journal *j, const char *id, const char *hash,
		  uint32_t attempts, const char *reason)
{
	const struct jplan_item *next = NULL;
	struct jplan_item p;
	int ins;

	if (j->q == NULL)
		return -1;
	ins = take_kept(j, id, &p, &next);
	sqlq_begin(j->q, j->qst[ins ? ST_INS_FAIL : ST_FAIL]);
	sqlq_text(j->q, id);
	sqlq_text(j->q, hash);
	sqlq_int(j->q, attempts);
	sqlq_text(j->q, reason);
	sqlq_int(j->q, (int64_t)time(NULL));
	end_kept(j, ins ? &p : NULL, next);
	return 0;
}

int
journal_item_record(struct journal *j, const struct journal_item *it,
		    const struct journal_result *r, const char *reason)
{
	int done = r != NULL;
	size_t len = 0;
	const char *reply = done ? stored_reply(r, &len) : NULL;

	if (j->q == NULL)
		return -1;
	sqlq_begin(j->q, j->qst[done ? ST_REC_DONE : ST_REC_FAIL]);
	sqlq_text(j->q, it->id);
	sqlq_text(j->q, it->req_hash);
	if (done) {
		sqlq_textn(j->q, reply, len);
		sqlq_text(j->q, r->finish_reason);
		sqlq_text(j->q, r->model);
	}
	sqlq_int(j->q, it->attempts);
	if (done) {
		sqlq_int(j->q, r->prompt_tokens);
		sqlq_int(j->q, r->completion_tokens);
	} else {
		sqlq_text(j->q, reason);
	}
	sqlq_int(j->q, (int64_t)time(NULL));
	sqlq_text(j->q, it->stage);
	sqlq_int(j->q, it->idx);
	if (done)
		sqlq_int(j->q, journal_reply_sum(it->id, it->req_hash,
						 reply, len, r->finish_reason,
						 r->model));
	sqlq_end(j->q);
	return 0;
}

int
journal_tx_commit(struct journal *j)
{
	if (j->q == NULL)
		return 0;
	sqlq_flush(j->q);
	return sqlq_failed(j->q, NULL, 0) ? -1 : 0;
}

int
journal_count(struct journal *j, int64_t counts[5])
{
	sqlite3_stmt *st;
	int rc;

	memset(counts, 0, 5 * sizeof(counts[0]));
	if (sqlite3_prepare_v2(j->db, "SELECT state, count(*) FROM journal"
			       " GROUP BY state", -1, &st, NULL) != SQLITE_OK)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		counts[journal_state_parse(sqlite3_column_text(st, 0))] +=
			sqlite3_column_int64(st, 1);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* Index of `name` among stages[0..n), or -1. */
static int
stage_index(const char *const *stages, int n, const unsigned char *name)
{
	int i;

	for (i = 0; name != NULL && i < n; i++)
		if (strcmp(stages[i], (const char *)name) == 0)
			return i;
	return -1;
}

static void
outcome_add(struct journal_outcome *o, enum journal_state st, int blocked,
	    int64_t count)
{
	if (st == JOURNAL_DONE)
		o->done += count;
	else if (st == JOURNAL_FAILED && blocked)
		o->blocked += count;
	else if (st == JOURNAL_FAILED)
		o->failed += count;
	else
		o->other += count;
}

int
journal_outcomes(struct journal *j, int64_t first, int64_t end,
		 const char *const *stages, int n,
		 struct journal_outcome *out)
{
	sqlite3_stmt *st;
	int rc, k;

	memset(out, 0, (size_t)n * sizeof(*out));
	if (sqlite3_prepare_v2(j->db, "SELECT stage, state, substr(last_error,"
			       " 1, ?3) = ?4, count(*) FROM journal WHERE"
			       " persona_id >= ?1 AND persona_id < ?2"
			       " GROUP BY 1, 2, 3", -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, end);
	sqlite3_bind_int(st, 3, (int)strlen(JOURNAL_BLOCKED));
	sqlite3_bind_text(st, 4, JOURNAL_BLOCKED, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		k = stage_index(stages, n, sqlite3_column_text(st, 0));
		if (k >= 0)
			outcome_add(&out[k], journal_state_parse(
					    sqlite3_column_text(st, 1)),
				    sqlite3_column_int(st, 2),
				    sqlite3_column_int64(st, 3));
	}
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

int64_t
journal_units_complete(struct journal *j, int64_t first, int64_t end,
		       int64_t per_unit)
{
	sqlite3_stmt *st;
	int64_t n = -1;

	if (sqlite3_prepare_v2(j->db, "SELECT count(*) FROM (SELECT 1 FROM"
			       " journal WHERE persona_id >= ?1 AND"
			       " persona_id < ?2 GROUP BY persona_id HAVING"
			       " count(*) >= ?3 AND sum(state <> 'done') = 0)",
			       -1, &st, NULL) != SQLITE_OK)
		return -1;
	sqlite3_bind_int64(st, 1, first);
	sqlite3_bind_int64(st, 2, end);
	sqlite3_bind_int64(st, 3, per_unit);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

const char *
journal_errmsg(const struct journal *j)
{
	struct journal *mj = (struct journal *)j;

	if (j->q != NULL && sqlq_failed(j->q, mj->errmsg, sizeof(mj->errmsg)))
		return j->errmsg;
	return sqlite3_errmsg(j->db);
}
