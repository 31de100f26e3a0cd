/* audit.c - rerun auditors over a dataset (see audit.h). */
#include "output/audit.h"

#include <stdio.h>
#include <string.h>

#include "auditors/policy.h"
#include "base/buf.h"
#include "base/json.h"
#include "output/cursor.h"
#include "output/findings.h"
#include "output/metrics.h"
#include "output/rowscan.h"
#include "output/rowsum.h"
#include "output/tables.h"
#include "output/tablesql.h"

/* The rank of a severity name, in SQL. */
#define SEV_RANK(X) "(CASE " X " WHEN 'info' THEN 0 WHEN 'low' THEN 1" \
	" WHEN 'medium' THEN 2 WHEN 'high' THEN 3 WHEN 'critical' THEN 4" \
	" ELSE 5 END)"
/* The severity of a "quarantine>=SEV" threshold. */
#define THRESHOLD_SEV "substr(f.threshold, 13)"

struct rerun {
	struct dataset *ds;
	sqlite3_stmt *ins;           /* INSERT INTO audit_finding */
	sqlite3_stmt *score;         /* INSERT INTO reply_rubric */
	struct rowsum_bind sb;       /* its binder: the mask made once */
	struct findings *fc;
	const struct audit_instance *v;
	size_t n, cur;               /* the dataset-wide auditor now */
	struct audit_counts *c;
	int failed;                  /* an insert failed */
	int count;                   /* count the quarantined rows after */
	struct pf_error *err;
};

/* Store one finding about row (table, row_id) and count it. */
static int
insert(struct rerun *r, const char *table, const char *row_id,
       const struct row_finding *f, int quarantined)
{
	if (findings_insert(r->ds, r->ins, f->in->auditor->name,
			    f->in->auditor->version, table, row_id, f,
			    quarantined, r->err) != 0)
		return -1;
	r->c->findings += f->count;
	if (!f->synthetic)
		r->c->real += f->count;
	return 0;
}

/* rowscan_fn: store one row's findings. */
static int
store_row(void *ud, const struct audit_row *row, int quarantined,
	  const struct row_finding *f, size_t nf)
{
	struct rerun *r = ud;
	size_t i;

	if (r->failed)   /* a score of this row could not be stored */
		return -1;
	for (i = 0; i < nf; i++)
		if (insert(r, row->table, row->id, &f[i], quarantined) != 0)
			return -1;
	return 0;
}

/* findings_score_fn of the rerun: store the score at once. */
static void
on_score(void *ud, const struct audit_instance *in,
	 const struct audit_score *s)
{
	struct rerun *r = ud;
	struct rowsum_bind b;
	char score[40];
	int rc;

	if (r->failed)
		return;
	if (s->defined)
		snprintf(score, sizeof(score), "%.15g", s->score);
	else
		snprintf(score, sizeof(score), "null");
	/* The binder made once, its sum restarted; every parameter is
	 * bound below, so none needs clearing; the texts are bound without
	 * a copy, the row being stored before this returns. */
	b = r->sb;
	rowsum_acc_begin(&b.acc, r->sb.mask, r->sb.acc.n);
	rowsum_bind_text_static(&b, in->auditor->name);
	rowsum_bind_text_static(&b, s->table);
	rowsum_bind_text_static(&b, s->row_id);
	rowsum_bind_text_static(&b, s->field);
	rowsum_bind_int(&b, (int64_t)s->offset);
	rowsum_bind_text_static(&b, s->domain);
	rowsum_bind_text_static(&b, s->criterion);
	rowsum_bind_text_static(&b, s->items);
	rowsum_bind_int(&b, s->yes);
	rowsum_bind_int(&b, s->no);
	rowsum_bind_int(&b, s->na);
	rowsum_bind_int(&b, s->good);
	rowsum_bind_text_static(&b, score);
	rowsum_bind_int(&b, 0);        /* sample: the rules judge once */
	rowsum_bind_text_static(&b, "");   /* abstained */
	rowsum_bind_int(&b, 0);        /* prompt and completion tokens */
	rowsum_bind_int(&b, 0);
	rowsum_bind_end(&b);
	rc = sqlite3_step(r->score);
	sqlite3_reset(r->score);
	if (rc != SQLITE_DONE)
		r->failed = pf_error_set(r->err, "cannot store a rubric score: "
					 "%s", sqlite3_errmsg(r->ds->db));
}

/* Every audited row through the in-stream passes, scoring too (each
 * reply is judged once), scanned on all cores and stored in cursor
 * order (output/rowscan.h). */
static int
pass_rows(struct rerun *r)
{
	const struct rowscan_ops ops = { .row = store_row, .score = on_score,
					 .ud = r };

	return rowscan_run(r->ds, r->v, r->n, 0, &ops, &r->c->rows, r->err);
}

/* audit_emit_fn of the dataset-wide passes: store the hit at once. */
static void
on_wide_hit(void *ud, const struct audit_hit *h)
{
	struct rerun *r = ud;
	const struct audit_instance *in = &r->v[r->cur];
	struct row_finding f;

	if (r->failed)
		return;
	memset(&f, 0, sizeof(f));
	f.in = in;
	f.threshold = findings_threshold(r->fc, r->cur);
	f.sev = (unsigned)h->severity <= AUDIT_CRITICAL ? h->severity
		: AUDIT_CRITICAL;
	f.synthetic = h->synthetic != 0;
	f.offset = h->offset;
	f.count = 1;
	snprintf(f.field, sizeof(f.field), "%s", h->field ? h->field : "");
	snprintf(f.kind, sizeof(f.kind), "%s", h->kind ? h->kind : "");
	snprintf(f.masked, sizeof(f.masked), "%s", h->masked ? h->masked : "");
	snprintf(f.reason, sizeof(f.reason), "%s", h->reason ? h->reason : "");
	if (insert(r, h->table, h->row_id, &f, f.sev >= in->policy.quarantine)
	    != 0)
		r->failed = 1;
}

/* The dataset-wide pass of every auditor that has one. */
static int
pass_wide(struct rerun *r)
{
	struct audit_cursor *cur;
	const struct auditor *a;
	int rc = 0;

	for (r->cur = 0; rc == 0 && r->cur < r->n; r->cur++) {
		a = r->v[r->cur].auditor;
		if (a->scan_dataset == NULL)
			continue;
		if (dataset_cursor_open(r->ds, &cur, r->err) != 0)
			return -1;
		rc = a->scan_dataset(r->v[r->cur].cfg, cur, on_wide_hit, r,
				     r->err);
		dataset_cursor_close(cur);
		if (rc == 0 && r->failed)
			rc = -1;
	}
	return rc;
}

/* SQL setting the quarantine flag of table t from the findings. Only
 * rows whose flag changes are written: rewriting every row put the
 * whole table through the WAL at each end of a build. A row that is
 * not flagged and has no finding keeps its 0, so the findings are
 * looked up only for the flagged rows and those the findings name: the
 * keys of the findings' row ids (output/tables.h: a row's key turned
 * into its name turns back into the key), a set made once, not a
 * lookup for every row. */
static int
quarantine_sql(const struct dataset_table *t, struct buf *b)
{
	const struct dataset_col *id = dataset_id_col(t, 0);
	char key[96];
	struct buf name, q;
	int rc;

	snprintf(key, sizeof(key), "\"%s\".\"%s\"", t->name, id->name);
	buf_init(&name, 1024);
	buf_init(&q, 4096);
	rc = tablesql_row_name(id, key, &name);
	rc |= buf_printf(&q, "EXISTS (SELECT 1 FROM audit_finding f WHERE"
			 " f.row_table = '%s' AND f.row_id = %s AND "
			 SEV_RANK("f.severity") " >= " SEV_RANK(THRESHOLD_SEV)
			 ")", t->name, name.data);
	if (rc == 0)
		rc = buf_printf(b, "UPDATE \"%s\" SET quarantined = %s WHERE"
				" (quarantined IS NOT 0 OR %s IN (SELECT ",
				t->name, q.data, key);
	rc |= tablesql_row_key(id, "row_id", b);
	rc |= buf_printf(b, " FROM audit_finding WHERE row_table = '%s')) "
			 "AND quarantined IS NOT %s;", t->name, q.data);
	buf_free(&q);
	buf_free(&name);
	return rc;
}

static int
finding_flags_sql(const struct dataset_table *t, struct buf *b)
{
	const struct dataset_col *id = dataset_id_col(t, 0);
	char key[96];
	int rc;

	/* The finding's row id turned into the row's key, not each row's
	 * key turned into a name: the key is the table's index, so each
	 * finding looks its row up instead of scanning the table. */
	snprintf(key, sizeof(key), "\"%s\".\"%s\"", t->name, id->name);
	rc = buf_printf(b, "UPDATE audit_finding SET quarantined = coalesce("
			"(SELECT \"%s\".quarantined FROM \"%s\" WHERE %s = ",
			t->name, t->name, key);
	rc |= tablesql_row_key(id, "audit_finding.row_id", b);
	return rc | buf_printf(b, "), 0) WHERE row_table = '%s';", t->name);
}

int
dataset_requarantine(struct dataset *ds, struct pf_error *err)
{
	struct buf sql;
	size_t i;
	int rc = 0;

	buf_init(&sql, 1 << 16);
	for (i = 0; i < dataset_ntables && rc == 0; i++)
		if (dataset_tables[i].quarantine)
			rc = quarantine_sql(&dataset_tables[i], &sql);
	if (rc != 0) {
		buf_free(&sql);
		return pf_error_set(err, "out of memory");
	}
	rc = dataset_exec(ds, sql.data, err);
	if (rc == 0)
		rc = dataset_propagate_quarantine(ds, err);
	buf_reset(&sql);
	for (i = 0; i < dataset_ntables && rc == 0; i++)
		if (dataset_tables[i].quarantine)
			rc = finding_flags_sql(&dataset_tables[i], &sql);
	if (rc == 0)
		rc = dataset_exec(ds, sql.data, err);
	buf_free(&sql);
	return rc;
}

/* Rows quarantined in all tables, into r->c->quarantined. */
static int
count_quarantined(struct rerun *r)
{
	char sql[256];
	sqlite3_stmt *st;
	size_t i;

	r->c->quarantined = 0;
	for (i = 0; i < dataset_ntables; i++) {
		if (!dataset_tables[i].quarantine)
			continue;
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\" WHERE"
			 " quarantined", dataset_tables[i].name);
		if ((st = dataset_prepare(r->ds, sql, r->err)) == NULL)
			return -1;
		if (sqlite3_step(st) == SQLITE_ROW)
			r->c->quarantined += sqlite3_column_int64(st, 0);
		sqlite3_finalize(st);
	}
	return 0;
}

/* Delete the rows of every auditor of the rerun from table t. */
static int
forget(struct rerun *r, const char *t)
{
	char sql[128];
	sqlite3_stmt *st;
	size_t i;
	int rc = SQLITE_DONE;

	snprintf(sql, sizeof(sql), "DELETE FROM %s WHERE auditor = ?1", t);
	if ((st = dataset_prepare(r->ds, sql, r->err)) == NULL)
		return -1;
	for (i = 0; i < r->n && rc == SQLITE_DONE; i++) {
		sqlite3_bind_text(st, 1, r->v[i].auditor->name, -1,
				  SQLITE_STATIC);
		rc = sqlite3_step(st);
		sqlite3_reset(st);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pf_error_set(r->err, "cannot delete from %s: %s", t,
				    sqlite3_errmsg(r->ds->db));
	return 0;
}

/* The insert statement of table t, or NULL with r->err filled. */
static sqlite3_stmt *
prepare_insert(struct rerun *r, const char *t)
{
	struct buf sql;
	sqlite3_stmt *st;

	buf_init(&sql, 1 << 14);
	if (tablesql_insert(dataset_table_find(t), &sql) != 0) {
		buf_free(&sql);
		pf_error_set(r->err, "out of memory");
		return NULL;
	}
	st = dataset_prepare(r->ds, sql.data, r->err);
	buf_free(&sql);
	return st;
}

/* The rerun of r's auditors (dataset_audit_rerun), counting the
 * quarantined rows only when r->count is set. */
static int
rerun(struct rerun *r)
{
	struct dataset *ds = r->ds;
	struct pf_error *err = r->err;
	struct metrics_pass *mp = NULL;
	int rc;

	memset(r->c, 0, sizeof(*r->c));
	if (findings_new(r->v, r->n, &r->fc, err) != 0)
		return -1;
	if (dataset_exec(ds, "BEGIN IMMEDIATE", err) != 0) {
		findings_free(r->fc);
		return -1;
	}
	r->ins = findings_insert_prepare(ds, err);
	r->score = r->ins != NULL ? prepare_insert(r, "reply_rubric") : NULL;
	if (r->score != NULL && rowsum_bind_begin(&r->sb, r->score,
			dataset_table_find("reply_rubric")) != 0) {
		pf_error_set(err, "reply_rubric has no row_sum");
		sqlite3_finalize(r->score);
		r->score = NULL;
	}
	/* The measures begin reading what the rerun does not change
	 * (output/metrics.h) while it works. */
	rc = r->score != NULL ? metrics_pass_begin(ds, r->v, r->n, &mp, err)
	     : -1;
	if (rc == 0)
		rc = forget(r, "audit_finding");
	if (rc == 0)
		rc = forget(r, "reply_rubric");
	if (rc == 0)
		rc = pass_rows(r);
	if (rc == 0)
		rc = pass_wide(r);
	if (rc == 0)
		rc = dataset_requarantine(ds, err);
	if (rc == 0 && r->count)
		rc = count_quarantined(r);
	/* The measures read the quarantine and findings just settled. */
	if (rc == 0)
		rc = metrics_pass_run(mp, err);
	metrics_pass_free(mp);
	sqlite3_finalize(r->ins);
	sqlite3_finalize(r->score);
	findings_free(r->fc);
	if (rc == 0)
		return dataset_exec(ds, "COMMIT", err);
	dataset_exec(ds, "ROLLBACK", NULL);
	return -1;
}

int
dataset_audit_rerun(struct dataset *ds, const struct audit_instance *v,
		    size_t n, struct audit_counts *c, struct pf_error *err)
{
	struct rerun r = { .ds = ds, .v = v, .n = n, .c = c, .count = 1,
			   .err = err };

	return rerun(&r);
}

int
dataset_stored_auditors(struct dataset *ds, struct audit_instance **v,
			size_t *n, struct pf_error *err)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT config FROM run", err);
	struct json_error je;
	cJSON *root = NULL;
	const char *text;
	int rc = -1;

	*v = NULL;
	*n = 0;
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW ||
	    (text = (const char *)sqlite3_column_text(st, 0)) == NULL)
		pf_error_set(err, "no run row: the dataset was never built");
	else if (json_parse(text, strlen(text), &root, &je) != 0)
		pf_error_set(err, "the stored config is not JSON: %s", je.msg);
	else
		rc = audit_config_parse(json_get(root, "audit"), v, n, err);
	cJSON_Delete(root);
	sqlite3_finalize(st);
	return rc;
}

int
dataset_audit_wide(struct dataset *ds, const struct audit_instance *v,
		   size_t n, struct pf_error *err)
{
	struct audit_instance w[FINDINGS_MAX_AUDITORS];
	struct audit_counts c;
	/* Nobody reads the counts: the quarantined rows are not counted
	 * (a read of every row of every table). */
	struct rerun r = { .ds = ds, .v = w, .c = &c, .err = err };
	size_t i;

	for (i = 0; i < n && r.n < FINDINGS_MAX_AUDITORS; i++)
		if (v[i].auditor->scan_dataset != NULL ||
		    v[i].auditor->needs_persona ||
		    v[i].auditor->measure != NULL)
			w[r.n++] = v[i];
	return r.n > 0 ? rerun(&r) : 0;
}
