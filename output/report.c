/* report.c - the HTML report of a dataset: the page, provenance, counts,
 * failed items, quarantined rows and samples (see report.h); the people
 * and audit sections are in report-people.c and report-audit.c. */
#include "output/report.h"

#include <math.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "auditors/policy.h"
#include "base/buf.h"
#include "base/json.h"
#include "output/audit.h"
#include "output/fewshot.h"
#include "output/html.h"
#include "output/report-int.h"
#include "output/tables.h"
#include "output/tablesql.h"

static const char style[] =
	"*{box-sizing:border-box}"
	"body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1d;"
	"background:#fff}"
	"main{max-width:980px;margin:0 auto;padding:12px 16px}"
	"h1{font-size:22px}h2{font-size:18px;margin-top:28px;"
	"border-bottom:1px solid #ccc}h3{font-size:15px}"
	"nav a{margin-right:10px;white-space:nowrap}"
	"nav{overflow-wrap:anywhere}"
	"table{border-collapse:collapse;width:100%;table-layout:fixed;"
	"margin:8px 0}"
	"th,td{border:1px solid #ccc;padding:3px 6px;text-align:left;"
	"vertical-align:top;overflow-wrap:anywhere;word-break:break-word}"
	"th{background:#f2f2f2}td.n{text-align:right}"
	"svg.chart{width:100%;max-width:600px;height:auto;display:block;"
	"margin:4px 0 12px}"
	"svg .a{fill:#2b5d8a}svg .b{fill:#9cc3e4}"
	"svg text{font-size:11px;fill:#1d1d1d}svg .t{text-anchor:middle}"
	".notrun{background:#fff6e0;border-left:4px solid #e0a000;"
	"padding:6px 10px}"
	".key span{display:inline-block;width:12px;height:12px;"
	"margin:0 4px 0 12px;vertical-align:middle}"
	"p,li{overflow-wrap:anywhere}";

static const struct { const char *id, *title; } toc[] = {
	{ "provenance", "Provenance" }, { "counts", "Counts" },
	{ "failed", "Failed items" }, { "attributes", "Attributes" },
	{ "geography", "Geography" }, { "big5", "Big Five" },
	{ "fairness", "Fairness and parity" }, { "safety", "Safety" },
	{ "pii", "PII and canaries" }, { "diversity", "Diversity" },
	{ "calibration", "Judge calibration" },
	{ "probe", "Counterfactual probe" },
	{ "needs-human", "Pairs that need a human" },
	{ "quarantine", "Quarantined rows" }, { "samples", "Samples" },
};

void
rep_section(struct rep *r, const char *id, const char *title)
{
	fprintf(r->out, "<section id=\"%s\"><h2>", id);
	html_text(r->out, title, 200);
	fputs("</h2>\n", r->out);
}

void
rep_end(struct rep *r)
{
	fputs("</section>\n", r->out);
}

void
rep_not_run(struct rep *r, const char *what)
{
	fputs("<p class=\"notrun\">Not run: ", r->out);
	html_text(r->out, what, 400);
	fputs("</p>\n", r->out);
}

int
rep_auditor_ran(const struct rep *r, const char *name)
{
	size_t i;

	for (i = 0; i < r->naud; i++)
		if (strcmp(r->aud[i].auditor->name, name) == 0)
			return 1;
	return 0;
}

static int
db_error(struct rep *r)
{
	return pf_error_set(r->err, "database error: %s",
			    sqlite3_errmsg(r->ds->db));
}

/* The header row of st's columns. */
static void
table_head(struct rep *r, sqlite3_stmt *st)
{
	const char *name;
	int i;

	fputs("<table><tr>", r->out);
	for (i = 0; i < sqlite3_column_count(st); i++) {
		fputs("<th>", r->out);
		for (name = sqlite3_column_name(st, i); *name; name++)
			fputc(*name == '_' ? ' ' : *name, r->out);
		fputs("</th>", r->out);
	}
	fputs("</tr>\n", r->out);
}

static void
table_row(struct rep *r, sqlite3_stmt *st)
{
	int i, num;

	fputs("<tr>", r->out);
	for (i = 0; i < sqlite3_column_count(st); i++) {
		num = sqlite3_column_type(st, i) == SQLITE_INTEGER ||
		      sqlite3_column_type(st, i) == SQLITE_FLOAT;
		fputs(num ? "<td class=\"n\">" : "<td>", r->out);
		if (sqlite3_column_type(st, i) == SQLITE_FLOAT)
			fprintf(r->out, "%.4g", sqlite3_column_double(st, i));
		else
			html_text(r->out, (const char *)
				  sqlite3_column_text(st, i), REPORT_CELL_MAX);
		fputs("</td>", r->out);
	}
	fputs("</tr>\n", r->out);
}

long
rep_table(struct rep *r, const char *sql, const char *p1, long limit)
{
	sqlite3_stmt *st = NULL;
	long n = 0;
	int rc;

	if (sqlite3_prepare_v2(r->ds->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(r);
	if (p1 != NULL)
		sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
	table_head(r, st);
	while (n < limit && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		table_row(r, st);
		n++;
	}
	if (n == limit)
		rc = SQLITE_DONE;
	if (n == 0 && rc == SQLITE_DONE)
		fprintf(r->out, "<tr><td colspan=\"%d\">none</td></tr>\n",
			sqlite3_column_count(st));
	fputs("</table>\n", r->out);
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? n : db_error(r);
}

int
rep_int(struct rep *r, const char *sql, const char *p1, long long *out)
{
	sqlite3_stmt *st = NULL;
	int rc;

	if (sqlite3_prepare_v2(r->ds->db, sql, -1, &st, NULL) != SQLITE_OK)
		return db_error(r);
	if (p1 != NULL)
		sqlite3_bind_text(st, 1, p1, -1, SQLITE_STATIC);
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	else if (rc == SQLITE_DONE)
		*out = 0;
	sqlite3_finalize(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_error(r);
}

/* "N more not shown" after a list of `shown` of `total` rows. */
static void
more(struct rep *r, long shown, long long total, const char *what)
{
	if (total > shown)
		fprintf(r->out, "<p>First %ld of %lld %s shown; %lld more not "
			"shown.</p>\n", shown, total, what, total - shown);
	else
		fprintf(r->out, "<p>%lld %s.</p>\n", total, what);
}

/* The cost of the journal's tokens at the first priced endpoint of the
 * stored config, as text into out. */
static void
cost_text(const struct rep *r, const char *config, long long in,
	  long long outt, char *out, size_t n)
{
	cJSON *c = config ? cJSON_Parse(config) : NULL;
	const cJSON *ep;
	double pin, pout;

	snprintf(out, n, r->offline ? "none (the offline backend sends no "
		 "requests)" : "unknown: no endpoint has a price "
		 "($.endpoints[].price_input_per_mtok, price_output_per_mtok)");
	cJSON_ArrayForEach(ep, json_get(c, "endpoints")) {
		pin = cJSON_GetNumberValue(json_get(ep, "price_input_per_mtok"));
		pout = cJSON_GetNumberValue(json_get(ep,
						     "price_output_per_mtok"));
		if (r->offline || !(pin > 0 || pout > 0))
			continue;
		snprintf(out, n, "$%.2f at the prices of %s",
			 (double)in / 1e6 * (pin > 0 ? pin : 0) +
			 (double)outt / 1e6 * (pout > 0 ? pout : 0),
			 json_get_str(ep, "model", "the first priced endpoint"));
		break;
	}
	cJSON_Delete(c);
}

/* One row of the provenance table. */
static void
kv(struct rep *r, const char *k, const char *v)
{
	fprintf(r->out, "<tr><th>%s</th><td>", k);
	html_text(r->out, v, REPORT_CELL_MAX);
	fputs("</td></tr>\n", r->out);
}

/* Requests, tokens, cost and the span of the journal's updates. */
static int
traffic(struct rep *r, const char *config)
{
	sqlite3_stmt *st = dataset_prepare(r->ds, "SELECT "
		"coalesce(sum(attempts), 0), coalesce(sum(prompt_tokens), 0), "
		"coalesce(sum(completion_tokens), 0), "
		"coalesce(max(updated_at) - min(updated_at), 0), count(*) "
		"FROM journal", r->err);
	char v[512];
	long long in, outt;

	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW) {
		sqlite3_finalize(st);
		return db_error(r);
	}
	in = sqlite3_column_int64(st, 1);
	outt = sqlite3_column_int64(st, 2);
	snprintf(v, sizeof(v), "%lld items, %lld requests",
		 (long long)sqlite3_column_int64(st, 4),
		 (long long)sqlite3_column_int64(st, 0));
	kv(r, "work", v);
	snprintf(v, sizeof(v), "%lld in + %lld out = %lld", in, outt,
		 in + outt);
	kv(r, "tokens", v);
	cost_text(r, config, in, outt, v, sizeof(v));
	kv(r, "cost", v);
	snprintf(v, sizeof(v), "%lld s from the first to the last item "
		 "update (all builds of this file)",
		 (long long)sqlite3_column_int64(st, 3));
	kv(r, "wall time", v);
	sqlite3_finalize(st);
	return 0;
}

/* The run row and the traffic, as a two-column table. */
static int
provenance(struct rep *r)
{
	static const char *const keys[] = { "name", "config_hash", "seed",
		"personas", "version", "backend", "model", "created_at",
		"updated_at" };
	sqlite3_stmt *st = dataset_prepare(r->ds, "SELECT name, config_hash, "
		"seed, personas, version, backend, model, created_at, "
		"updated_at, config, stages FROM run WHERE id = 1", r->err);
	size_t i;
	int rc;

	if (st == NULL)
		return -1;
	rep_section(r, "provenance", "Provenance");
	if ((rc = sqlite3_step(st)) != SQLITE_ROW) {
		sqlite3_finalize(st);
		fputs("<p>The dataset has no run row.</p>\n", r->out);
		rep_end(r);
		return rc == SQLITE_DONE ? 0 : db_error(r);
	}
	r->offline = strcmp((const char *)sqlite3_column_text(st, 5),
			    "offline") == 0;
	fputs("<table>\n", r->out);
	for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		kv(r, keys[i], (const char *)sqlite3_column_text(st, (int)i));
	kv(r, "stages", (const char *)sqlite3_column_text(st, 10));
	rc = traffic(r, (const char *)sqlite3_column_text(st, 9));
	fputs("</table>\n", r->out);
	if (r->offline)
		fputs("<p>Written by the offline backend: its text is a "
		      "deterministic stand-in for testing, not data for a "
		      "study.</p>\n", r->out);
	sqlite3_finalize(st);
	rep_end(r);
	return rc;
}

/* Rows and quarantined rows per table, then items per stage and state. */
static int
counts(struct rep *r)
{
	struct buf sql;
	const char *sep = "";
	size_t i;
	int rc = 0;

	rep_section(r, "counts", "Counts per table and stage");
	buf_init(&sql, 1 << 14);
	for (i = 0; i < dataset_ntables; i++) {
		if (dataset_tables[i].stats == NULL)
			continue;
		rc |= buf_printf(&sql, "%sSELECT '%s' AS \"table\", count(*) "
				 "AS rows, %s AS quarantined FROM \"%s\"", sep,
				 dataset_tables[i].name,
				 dataset_tables[i].quarantine ?
				 "coalesce(sum(quarantined != 0), 0)" : "0",
				 dataset_tables[i].name);
		sep = " UNION ALL ";
	}
	if (rc != 0 || rep_table(r, sql.data, NULL, 1000) < 0 ||
	    rep_table(r, "SELECT stage, count(*) AS items, "
		      "sum(state = 'done') AS done, "
		      "sum(state = 'failed') AS failed, "
		      "sum(state NOT IN ('done', 'failed')) AS unfinished, "
		      "coalesce(sum(attempts), 0) AS requests "
		      "FROM journal GROUP BY stage ORDER BY min(id)", NULL,
		      1000) < 0)
		rc = -1;
	buf_free(&sql);
	rep_end(r);
	return rc;
}

static int
failed(struct rep *r)
{
	long long total;
	long n;

	rep_section(r, "failed", "Failed items");
	if (rep_int(r, "SELECT count(*) FROM journal WHERE state = "
		    "'failed'", NULL, &total) != 0 ||
	    (n = rep_table(r, "SELECT item_id, stage, attempts, last_error "
			   "AS reason FROM journal WHERE state = 'failed' "
			   "ORDER BY id", NULL, REPORT_LIST_MAX)) < 0)
		return -1;
	more(r, n, total, "failed items");
	rep_end(r);
	return 0;
}

/* SQL listing every quarantined row (table, id, reason) into b. */
static int
quarantine_sql(struct buf *b)
{
	const struct dataset_table *t;
	const struct dataset_col *id;
	const char *sep = "";
	char key[96];
	size_t i;
	int rc = 0;

	for (i = 0; i < dataset_ntables; i++) {
		t = &dataset_tables[i];
		if (!t->quarantine || (id = dataset_id_col(t, 0)) == NULL)
			continue;
		rc |= buf_printf(b, "%sSELECT '%s' AS \"table\", ", sep,
				 t->name);
		/* Qualified: inside the name's subquery a bare column
		 * would be the persona table's own, naming every row after
		 * the first persona. */
		snprintf(key, sizeof(key), "t.\"%s\"", id->name);
		rc |= tablesql_row_name(id, key, b);
		rc |= buf_printf(b, " AS id, coalesce((SELECT f.auditor || "
				 "' ' || f.severity || ': ' || f.reason FROM "
				 "audit_finding f WHERE f.row_table = '%s' AND "
				 "f.quarantined = 1 AND ", t->name);
		rc |= tablesql_row_key(id, "f.row_id", b);
		rc |= buf_printf(b, " = t.\"%s\" ORDER BY f.finding_id LIMIT "
				 "1), 'rests on a quarantined row') AS reason "
				 "FROM \"%s\" t WHERE t.quarantined != 0",
				 id->name, t->name);
		sep = " UNION ALL ";
	}
	return rc;
}

static int
quarantined(struct rep *r)
{
	struct buf sql, cnt;
	long long total;
	long n = -1;

	rep_section(r, "quarantine", "Quarantined rows");
	buf_init(&sql, 1 << 15);
	buf_init(&cnt, 1 << 15);
	if (quarantine_sql(&sql) == 0 &&
	    buf_printf(&cnt, "SELECT count(*) FROM (%s)", sql.data) == 0 &&
	    rep_int(r, cnt.data, NULL, &total) == 0)
		n = rep_table(r, sql.data, NULL, REPORT_LIST_MAX);
	buf_free(&cnt);
	buf_free(&sql);
	if (n < 0)
		return -1;
	more(r, n, total, "quarantined rows");
	rep_end(r);
	return 0;
}

/* The judged pairs a human should look at: the top share by BPDE, the
 * list the fewshot export writes as needs_human.jsonl. */
static int
needs_human(struct rep *r)
{
	double share = fewshot_human_share(r->ds);
	long long total, k;
	long n;

	rep_section(r, "needs-human", "Pairs that need a human");
	if (rep_int(r, "SELECT count(*) FROM preference_pair WHERE "
		    "quarantined = 0", NULL, &total) != 0)
		return -1;
	k = (long long)ceil(share * (double)total - 1e-9);
	fprintf(r->out, "<p>The %g%% of the %lld judged pairs on which the "
		"judge disagreed most with itself (highest BPDE, natural log; "
		"<code>$.stages.preferences.human_share</code>), as the "
		"fewshot export's needs_human.jsonl lists them.</p>\n",
		share * 100, total);
	n = rep_table(r, "SELECT pair_id, persona_id, view_chosen, "
		      "view_rejected, label, printf('%.3f', CAST(bpde AS "
		      "REAL)) AS bpde FROM preference_pair WHERE quarantined "
		      "= 0 ORDER BY CAST(bpde AS REAL) DESC, pair_id", NULL,
		      k < REPORT_LIST_MAX ? (long)k : REPORT_LIST_MAX);
	if (n < 0)
		return -1;
	more(r, n, k, "pairs that need a human");
	rep_end(r);
	return 0;
}

/* REPORT_SAMPLES records of each table that holds generated text. */
static int
samples(struct rep *r)
{
	const struct dataset_col *cols[DATASET_MAX_COLS];
	const struct dataset_table *t;
	struct buf sql;
	size_t i, k, n;
	int rc = 0;

	rep_section(r, "samples", "Sample records per stage");
	buf_init(&sql, 1 << 14);
	for (i = 0; i < dataset_ntables && rc == 0; i++) {
		t = &dataset_tables[i];
		if ((t->role != DATASET_ONE && t->role != DATASET_LIST) ||
		    !t->quarantine)
			continue;
		n = dataset_export_cols(t, cols, DATASET_MAX_COLS);
		buf_reset(&sql);
		for (k = 0; k < n && k < DATASET_MAX_COLS; k++)
			rc |= buf_printf(&sql, "%s\"%s\"", k ? ", " :
					 "SELECT ", cols[k]->name);
		rc |= buf_printf(&sql, " FROM \"%s\" WHERE quarantined = 0 "
				 "ORDER BY rowid", t->name);
		fprintf(r->out, "<h3>%s</h3>\n", t->name);
		if (rc == 0 && rep_table(r, sql.data, NULL,
					 REPORT_SAMPLES) < 0)
			rc = -1;
	}
	buf_free(&sql);
	rep_end(r);
	return rc;
}

static void
head(struct rep *r)
{
	size_t i;

	fprintf(r->out, "<!DOCTYPE html>\n<html lang=\"en\"><head>"
		"<meta charset=\"utf-8\"><meta name=\"viewport\" "
		"content=\"width=device-width, initial-scale=1\">"
		"<title>personaforge report</title><style>%s</style></head>\n"
		"<body><main>\n<h1>personaforge dataset report</h1>\n<nav>",
		style);
	for (i = 0; i < sizeof(toc) / sizeof(toc[0]); i++)
		fprintf(r->out, "<a href=\"#%s\">%s</a> ", toc[i].id,
			toc[i].title);
	fputs("</nav>\n", r->out);
}

/* Every section in order; stops at the first database error. */
static int
sections(struct rep *r)
{
	return provenance(r) || counts(r) || failed(r) ||
	       rep_attributes(r) || rep_big5(r) ||
	       rep_fairness(r) || rep_safety(r) || rep_pii(r) ||
	       rep_metric_section(r, "diversity", "Diversity per stage",
				  "diversity") ||
	       rep_metric_section(r, "calibration", "Judge calibration",
				  "judge") || rep_probe(r) || needs_human(r) ||
	       quarantined(r) || samples(r) ? -1 : 0;
}

int
report_write(struct dataset *ds, FILE *out, const char *const *table_dirs,
	     struct pf_error *err)
{
	struct rep r;
	int rc;

	memset(&r, 0, sizeof(r));
	r.ds = ds;
	r.out = out;
	r.err = err;
	r.table_dirs = table_dirs;
	/* A dataset without a run row has no config: no auditor ran. */
	if (dataset_stored_auditors(ds, &r.aud, &r.naud, err) != 0) {
		pf_error_clear(err);
		r.aud = NULL;
		r.naud = 0;
	}
	if (dataset_exec(ds, "BEGIN", err) != 0)
		return -1;
	head(&r);
	rc = sections(&r);
	fputs("</main></body></html>\n", out);
	dataset_exec(ds, "COMMIT", NULL);
	audit_instances_free(r.aud, r.naud);
	return rc;
}
