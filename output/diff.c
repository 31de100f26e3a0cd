/* diff.c - what changed between two datasets (see diff.h). */
#include "output/diff.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/policy.h"
#include "base/buf.h"
#include "output/audit.h"
#include "output/gate.h"

#define SQL_MAX (1u << 14)

/* One side of a merge: a statement yielding (key, row_sum, quarantined,
 * group, weight) ordered by key, and its current row. */
struct side {
	sqlite3_stmt *st;
	int rc;                    /* of the last step */
};

enum diff_what { DIFF_ADDED, DIFF_REMOVED, DIFF_CHANGED };

/* Called for every difference with the row of the side it is in (NEW's
 * for a change). */
typedef void (*diff_fn)(void *ud, enum diff_what w, sqlite3_stmt *row);

static void
step(struct side *s)
{
	s->rc = sqlite3_step(s->st);
}

static const char *
key(struct side *s)
{
	const unsigned char *k = sqlite3_column_text(s->st, 0);

	return k != NULL ? (const char *)k : "";
}

/* Walk both sides in key order, reporting each difference to fn. Keys
 * are compared bytewise, as ORDER BY sorted them. Returns 0, or -1 on a
 * read error. */
static int
merge(struct side *a, struct side *b, diff_fn fn, void *ud)
{
	int c;

	step(a);
	step(b);
	while (a->rc == SQLITE_ROW || b->rc == SQLITE_ROW) {
		c = a->rc != SQLITE_ROW ? 1 : b->rc != SQLITE_ROW ? -1 :
		    strcmp(key(a), key(b));
		if (c < 0) {
			fn(ud, DIFF_REMOVED, a->st);
			step(a);
		} else if (c > 0) {
			fn(ud, DIFF_ADDED, b->st);
			step(b);
		} else {
			if (sqlite3_column_int64(a->st, 1) !=
			    sqlite3_column_int64(b->st, 1) ||
			    sqlite3_column_int(a->st, 2) !=
			    sqlite3_column_int(b->st, 2))
				fn(ud, DIFF_CHANGED, b->st);
			step(a);
			step(b);
		}
	}
	return a->rc == SQLITE_DONE && b->rc == SQLITE_DONE ? 0 : -1;
}

/* The merge query of table t: the key is its DATASET_ID columns (and,
 * for the findings, whose ids repeat, the auditor, severity and row_sum
 * too), joined by U+001F. */
static int
merge_sql(const struct dataset_table *t, struct buf *b)
{
	const struct dataset_col *c;
	int n, rc = buf_puts(b, "SELECT ''");
	int tail = t->role == DATASET_TAIL;

	if (tail)
		rc |= buf_puts(b, " || auditor || char(31) || severity ||"
			       " char(31) || row_sum");
	for (n = 0; (c = dataset_id_col(t, n)) != NULL; n++)
		rc |= buf_printf(b, " || char(31) || CAST(\"%s\" AS TEXT)",
				 c->name);
	/* Gate verdicts are rows, but no findings group: the gate lines
	 * report them. */
	rc |= buf_printf(b, ", row_sum, %s, %s, %s FROM \"%s\" ORDER BY 1",
			 t->quarantine ? "quarantined" : "0",
			 tail ? "CASE kind WHEN '" GATE_KIND "' THEN '' ELSE "
				"auditor || char(31) || severity END" : "''",
			 tail ? "count" : "1", t->name);
	return rc;
}

static int64_t
count_rows(struct dataset *ds, const char *table)
{
	sqlite3_stmt *st;
	char sql[128];
	int64_t n = -1;

	snprintf(sql, sizeof(sql), "SELECT count(*) FROM \"%s\"", table);
	if (sqlite3_prepare_v2(ds->db, sql, -1, &st, NULL) != SQLITE_OK)
		return -1;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* Run fn over the differences of table t between a and b. */
static int
diff_rows(struct dataset *a, struct dataset *b, const struct dataset_table *t,
	  diff_fn fn, void *ud, struct pf_error *err)
{
	struct side sa = { NULL, 0 }, sb = { NULL, 0 };
	struct buf sql;
	int rc = -1;

	buf_init(&sql, SQL_MAX);
	if (merge_sql(t, &sql) != 0) {
		buf_free(&sql);
		return pf_error_set(err, "out of memory");
	}
	if (sqlite3_prepare_v2(a->db, sql.data, -1, &sa.st, NULL) !=
	    SQLITE_OK)
		pf_error_set(err, "%s: cannot read %s: %s", a->path, t->name,
			     sqlite3_errmsg(a->db));
	else if (sqlite3_prepare_v2(b->db, sql.data, -1, &sb.st, NULL) !=
		 SQLITE_OK)
		pf_error_set(err, "%s: cannot read %s: %s", b->path, t->name,
			     sqlite3_errmsg(b->db));
	else if ((rc = merge(&sa, &sb, fn, ud)) != 0)
		pf_error_set(err, "cannot read %s: %s", t->name,
			     sqlite3_errmsg(sa.rc != SQLITE_DONE ? a->db :
					    b->db));
	sqlite3_finalize(sa.st);
	sqlite3_finalize(sb.st);
	buf_free(&sql);
	return rc;
}

/* The findings group "auditor<US>severity", added when new; NULL when
 * the report is full. */
static struct diff_findings *
group(struct diff_report *r, const char *g)
{
	const char *sep = strchr(g, '\x1f');
	struct diff_findings *f;
	size_t i, n = sep != NULL ? (size_t)(sep - g) : strlen(g);

	for (i = 0; i < r->nfindings; i++) {
		f = &r->findings[i];
		if (strlen(f->auditor) == n && strncmp(f->auditor, g, n) == 0 &&
		    strcmp(f->severity, sep != NULL ? sep + 1 : "") == 0)
			return f;
	}
	if (r->nfindings == DIFF_MAX_GROUPS) {
		r->findings_overflow = 1;
		return NULL;
	}
	f = &r->findings[r->nfindings++];
	snprintf(f->auditor, sizeof(f->auditor), "%.*s", (int)n, g);
	snprintf(f->severity, sizeof(f->severity), "%s",
		 sep != NULL ? sep + 1 : "");
	return f;
}

/* Where a table's differences are counted. */
struct tally {
	struct diff_report *r;
	struct diff_table *d;
	int findings;              /* also by auditor and severity */
};

static void
tally(void *ud, enum diff_what w, sqlite3_stmt *row)
{
	struct tally *t = ud;
	const unsigned char *g = sqlite3_column_text(row, 3);
	struct diff_findings *f = NULL;
	int64_t n = sqlite3_column_int64(row, 4);

	if (w == DIFF_ADDED)
		t->d->added++;
	else if (w == DIFF_REMOVED)
		t->d->removed++;
	else
		t->d->changed++;
	if (t->findings && g != NULL && *g != '\0')   /* '': a verdict */
		f = group(t->r, (const char *)g);
	if (f != NULL && w == DIFF_ADDED)
		f->appeared += n;
	else if (f != NULL && w == DIFF_REMOVED)
		f->went_away += n;
}

/* Each side's findings by group, weighted by count. */
static int
count_findings(struct dataset *ds, struct diff_report *r, int is_new,
	       struct pf_error *err)
{
	sqlite3_stmt *st;
	struct diff_findings *f;
	int rc;

	if (sqlite3_prepare_v2(ds->db, "SELECT auditor || char(31) ||"
			       " severity, sum(count) FROM audit_finding"
			       " WHERE kind != '" GATE_KIND "'"
			       " GROUP BY 1 ORDER BY 1", -1, &st, NULL) !=
	    SQLITE_OK)
		return pf_error_set(err, "%s: cannot read findings: %s",
				    ds->path, sqlite3_errmsg(ds->db));
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		f = group(r, (const char *)sqlite3_column_text(st, 0));
		if (f != NULL && is_new)
			f->new_n = sqlite3_column_int64(st, 1);
		else if (f != NULL)
			f->old_n = sqlite3_column_int64(st, 1);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return pf_error_set(err, "%s: cannot read findings",
				    ds->path);
	return 0;
}

/* The gate entry of `name`, added when new; NULL when full. */
static struct diff_gate *
gate(struct diff_report *r, const char *name)
{
	struct diff_gate *g;
	size_t i;

	for (i = 0; i < r->ngates; i++)
		if (strcmp(r->gates[i].auditor, name) == 0)
			return &r->gates[i];
	if (r->ngates == DIFF_MAX_GATES)
		return NULL;
	g = &r->gates[r->ngates++];
	snprintf(g->auditor, sizeof(g->auditor), "%s", name);
	g->old_max = g->new_max = -1;
	return g;
}

/* Count every gate of ds's config in ds. */
static int
gates_of(struct dataset *ds, struct diff_report *r, int is_new,
	 struct pf_error *err)
{
	struct audit_instance *in;
	struct diff_gate *g;
	int64_t hits;
	size_t i, n;
	int rc = 0;

	if (dataset_stored_auditors(ds, &in, &n, err) != 0)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (in[i].policy.gate_max < 0 ||
		    (g = gate(r, in[i].auditor->name)) == NULL)
			continue;
		rc = dataset_gate_count(ds, in[i].auditor->name,
					in[i].policy.gate_severity, &hits, err);
		if (is_new || g->severity[0] == '\0')
			snprintf(g->severity, sizeof(g->severity), "%s",
				 audit_severity_name(
				 in[i].policy.gate_severity));
		if (is_new) {
			g->new_hits = hits;
			g->new_max = in[i].policy.gate_max;
			g->new_fail = hits > g->new_max;
		} else {
			g->old_hits = hits;
			g->old_max = in[i].policy.gate_max;
			g->old_fail = hits > g->old_max;
		}
	}
	audit_instances_free(in, n);
	return rc;
}

int
dataset_diff(struct dataset *a, struct dataset *b, struct diff_report *out,
	     struct pf_error *err)
{
	const struct dataset_table *t;
	struct tally ty;
	size_t i;
	int rc = 0;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < dataset_ntables && rc == 0; i++) {
		t = &dataset_tables[i];
		ty.r = out;
		ty.d = &out->tables[out->ntables++];
		ty.findings = t->role == DATASET_TAIL;
		ty.d->name = t->name;
		ty.d->old_rows = count_rows(a, t->name);
		ty.d->new_rows = count_rows(b, t->name);
		rc = diff_rows(a, b, t, tally, &ty, err);
	}
	if (rc == 0)
		rc = count_findings(a, out, 0, err);
	if (rc == 0)
		rc = count_findings(b, out, 1, err);
	if (rc == 0)
		rc = gates_of(a, out, 0, err);
	if (rc == 0)
		rc = gates_of(b, out, 1, err);
	return rc;
}

int
diff_gate_crossed(const struct diff_report *r)
{
	size_t i;

	for (i = 0; i < r->ngates; i++)
		if (r->gates[i].new_fail && !r->gates[i].old_fail)
			return 1;
	return 0;
}
