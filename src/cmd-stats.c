/* cmd-stats.c - personaforge stats: what a dataset holds.
 *
 * Rows and quarantined rows per table, journal states, findings by
 * auditor x severity x synthetic/real, the safety auditor's findings by
 * PENGUIN domain x severity and the offline Precise Boolean rubric scores
 * of the replies (auditors/safety.h), and the provenance. Everything is
 * collected into one cJSON object (small: its size does not grow with the
 * dataset), printed as it is with --json or as text otherwise. Integers
 * go in as raw JSON so 64-bit values (seeds) print exactly.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/error.h"
#include "base/json.h"
#include "base/status.h"
#include "base/buf.h"
#include "engine/journal.h"
#include "auditors/policy.h"
#include "auditors/rubric.h"
#include "output/audit.h"
#include "output/complete.h"
#include "output/cursor.h"
#include "output/dataset.h"
#include "output/gate.h"
#include "output/metrics.h"
#include "output/safetystats.h"
#include "output/tables.h"
#include "src/cmd.h"

static const char *const journal_states[] = {
	"pending", "inflight", "done", "failed"
};

/* What the command prints. */
struct stats_args {
	const char *db;
	int json;
	int failed;                 /* --failed: the failed items instead */
	const char *stage;          /* --stage: only this stage's */
	int metrics;                /* --metrics: every measure, a line each */
};

static const struct option long_opts[] = {
	{ "json", no_argument, NULL, 'j' },
	{ "failed", no_argument, NULL, 'f' },
	{ "stage", required_argument, NULL, 's' },
	{ "metrics", no_argument, NULL, 'm' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

/* Add column i of st to obj under key: integers raw, text as strings. */
static int
add_col(cJSON *obj, const char *key, sqlite3_stmt *st, int i)
{
	char num[32];
	const char *s;

	if (sqlite3_column_type(st, i) == SQLITE_INTEGER) {
		snprintf(num, sizeof(num), "%lld",
			 (long long)sqlite3_column_int64(st, i));
		return cJSON_AddRawToObject(obj, key, num) ? 0 : -1;
	}
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return cJSON_AddNullToObject(obj, key) ? 0 : -1;
	s = (const char *)sqlite3_column_text(st, i);
	return cJSON_AddStringToObject(obj, key, s ? s : "") ? 0 : -1;
}

/* Run sql and add one object per result row (named by its columns) to
 * arr, or the first row's columns to obj when arr is NULL. */
static int
query(struct dataset *ds, const char *sql, cJSON *obj, cJSON *arr,
      struct pf_error *err)
{
	sqlite3_stmt *st = dataset_prepare(ds, sql, err);
	cJSON *row;
	int i, rc = -1;

	if (st == NULL)
		return -1;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		row = arr ? cJSON_CreateObject() : obj;
		if (row == NULL || (arr && !cJSON_AddItemToArray(arr, row)))
			break;
		for (i = 0; i < sqlite3_column_count(st); i++)
			if (add_col(row, sqlite3_column_name(st, i), st, i))
				break;
		if (arr == NULL) {
			rc = SQLITE_DONE;
			break;
		}
	}
	if (rc != SQLITE_DONE)
		pf_error_set(err, "database error: %s",
			     sqlite3_errmsg(ds->db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* "tables": { key: { rows, quarantined } } for every registry table
 * that has a stats key, in registry order. */
static int
add_tables(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	cJSON *tabs = cJSON_AddObjectToObject(root, "tables"), *t;
	const struct dataset_table *d;
	char sql[160];
	size_t i;

	for (i = 0; i < dataset_ntables; i++) {
		d = &dataset_tables[i];
		if (d->stats == NULL)
			continue;
		t = cJSON_AddObjectToObject(tabs, d->stats);
		if (t == NULL)
			return pf_error_set(err, "out of memory");
		/* the measures have no quarantine flag */
		snprintf(sql, sizeof(sql), "SELECT count(*) AS rows, "
			 "coalesce(sum(%s), 0) AS quarantined FROM \"%s\"",
			 d->role == DATASET_WIDE ? "0" : "quarantined != 0",
			 d->name);
		if (query(ds, sql, t, NULL, err) != 0)
			return -1;
	}
	return 0;
}

/* "near_duplicates": { narratives_redrawn, redraws }: the narratives
 * drawn again as near-duplicates of a lower index's (generators/dedup.h,
 * column narrative.redraws). */
static int
add_redraws(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	cJSON *o = cJSON_AddObjectToObject(root, "near_duplicates");

	if (o == NULL)
		return pf_error_set(err, "out of memory");
	return query(ds, "SELECT coalesce(sum(redraws > 0), 0) AS "
		     "narratives_redrawn, coalesce(sum(redraws), 0) AS "
		     "redraws FROM narrative", o, NULL, err);
}

/* The provenance columns: the head table's, but its id and hidden ones
 * (the whole config) and its checksum. */
static int
shown(const struct dataset_col *c)
{
	return !(c->flags & (DATASET_ID | DATASET_HIDDEN | DATASET_SUM));
}

/* SELECT of the provenance columns into b. */
static int
run_select(struct buf *b)
{
	const struct dataset_table *t = dataset_table_role(DATASET_HEAD);
	const struct dataset_col *c;
	const char *sep = "SELECT ";
	int rc = 0;

	for (c = t->cols; c->name != NULL; c++)
		if (shown(c)) {
			rc |= buf_printf(b, "%s\"%s\"", sep, c->name);
			sep = ", ";
		}
	return rc | buf_printf(b, " FROM \"%s\"", t->name);
}

/* "journal": { pending, inflight, done, failed } */
static int
add_journal(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	cJSON *j = cJSON_AddObjectToObject(root, "journal");
	sqlite3_stmt *st;
	char sql[128];
	size_t i;
	int rc = 0;

	for (i = 0; i < sizeof(journal_states) / sizeof(journal_states[0]) &&
	     rc == 0; i++) {
		snprintf(sql, sizeof(sql), "SELECT count(*) AS \"%s\" FROM "
			 "journal WHERE state = ?1", journal_states[i]);
		st = dataset_prepare(ds, sql, err);
		if (st == NULL || j == NULL)
			return -1;
		sqlite3_bind_text(st, 1, journal_states[i], -1, SQLITE_STATIC);
		rc = sqlite3_step(st) == SQLITE_ROW ? add_col(j,
			journal_states[i], st, 0) : pf_error_set(err,
			"database error: %s", sqlite3_errmsg(ds->db));
		sqlite3_finalize(st);
	}
	return rc;
}

/* "findings": [ { auditor, severity, synthetic, real } ], each finding
 * counted as the `count` findings it stands for (an overflow finding
 * stands for every finding its row left out),
 * "provenance": { ... } or null */
static int
add_findings_run(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "findings");
	cJSON *run = cJSON_CreateObject();
	struct buf sql;
	int rc;

	buf_init(&sql, 1 << 12);
	if (run_select(&sql) != 0) {
		cJSON_Delete(run);
		return pf_error_set(err, "out of memory");
	}
	rc = arr == NULL || run == NULL ||
	    query(ds, "SELECT auditor, severity, "
		  "sum(CASE WHEN synthetic != 0 THEN count ELSE 0 END)"
		  " AS synthetic, "
		  "sum(CASE WHEN synthetic = 0 THEN count ELSE 0 END)"
		  " AS real FROM audit_finding WHERE kind != '" GATE_KIND "' "
		  "GROUP BY auditor, severity ORDER BY auditor, "
		  "CASE severity WHEN 'critical' THEN 0 WHEN 'high' THEN 1 "
		  "WHEN 'medium' THEN 2 WHEN 'low' THEN 3 WHEN 'info' THEN 4 "
		  "ELSE 5 END, severity", NULL, arr, err) != 0 ||
	    query(ds, sql.data, run, NULL, err) != 0;
	buf_free(&sql);
	if (rc) {
		cJSON_Delete(run);
		return -1;
	}
	if (run->child == NULL) {
		cJSON_Delete(run);
		run = cJSON_CreateNull();
	}
	cJSON_AddItemToObject(root, "provenance", run);
	return 0;
}

/* Add a number (or null) printed by fmt to obj under key, raw. */
static int __attribute__((format(printf, 3, 4)))
raw(cJSON *obj, const char *key, const char *fmt, ...)
{
	char num[48];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(num, sizeof(num), fmt, ap);
	va_end(ap);
	return cJSON_AddRawToObject(obj, key, num) != NULL ? 0 : -1;
}

/* The totals of one criterion from reply_rubric into c: score (the
 * mean over replies with a score; null when none), yes, no, na, good,
 * scored. */
static int
add_criterion(struct dataset *ds, cJSON *c, const char *criterion,
	      struct pf_error *err)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT total(yes), total(no),"
		" total(na), total(good), count(NULLIF(score, 'null')),"
		" avg(CAST(NULLIF(score, 'null') AS REAL)) FROM reply_rubric"
		" WHERE auditor = 'safety' AND criterion = ?1", err);
	int rc = -1;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, criterion, -1, SQLITE_STATIC);
	if (sqlite3_step(st) != SQLITE_ROW)
		pf_error_set(err, "database error: %s", sqlite3_errmsg(ds->db));
	else if ((sqlite3_column_int64(st, 4) > 0 ? raw(c, "score", "%.4f",
		  sqlite3_column_double(st, 5)) : raw(c, "score", "null")) ||
		 raw(c, "yes", "%lld", (long long)sqlite3_column_int64(st, 0)) ||
		 raw(c, "no", "%lld", (long long)sqlite3_column_int64(st, 1)) ||
		 raw(c, "na", "%lld", (long long)sqlite3_column_int64(st, 2)) ||
		 raw(c, "good", "%lld", (long long)sqlite3_column_int64(st, 3)) ||
		 raw(c, "scored", "%lld", (long long)sqlite3_column_int64(st, 4)))
		pf_error_set(err, "out of memory");
	else
		rc = 0;
	sqlite3_finalize(st);
	return rc;
}

/* "rubric": { "replies": N, CRITERION: { score, yes, no, na, good,
 * scored } }: the safety auditor's Boolean rubric over every
 * user-facing reply with its persona, as the build (or `audit`) stored
 * it in reply_rubric. */
static int
add_rubric(struct dataset *ds, cJSON *safety, struct pf_error *err)
{
	cJSON *rb = cJSON_AddObjectToObject(safety, "rubric"), *c;
	int k;

	if (rb == NULL)
		return pf_error_set(err, "out of memory");
	if (query(ds, "SELECT count(*) AS replies FROM (SELECT DISTINCT "
		  "row_table, row_id, field, offset FROM reply_rubric WHERE "
		  "auditor = 'safety')", rb, NULL, err) != 0)
		return -1;
	for (k = 0; k < RUBRIC_NCRITERIA; k++) {
		c = cJSON_AddObjectToObject(rb, rubric_criterion_names[k]);
		if (c == NULL)
			return pf_error_set(err, "out of memory");
		if (add_criterion(ds, c, rubric_criterion_names[k], err) != 0)
			return -1;
	}
	return 0;
}

/* Whether table t has a row: 1, 0, or -1 with err filled. */
static int
has_rows(struct dataset *ds, const char *t, struct pf_error *err)
{
	char sql[96];
	sqlite3_stmt *st;
	int got;

	snprintf(sql, sizeof(sql), "SELECT 1 FROM \"%s\" LIMIT 1", t);
	if ((st = dataset_prepare(ds, sql, err)) == NULL)
		return -1;
	got = sqlite3_step(st) == SQLITE_ROW;
	sqlite3_finalize(st);
	return got;
}

/* "judge": { calls, abstained, risk_sensitivity, emotional_empathy,
 * personalization (means over the valid samples), tokens_per_call }:
 * the safety auditor's LLM judge (reply_penguin), present only when it
 * ran. */
static int
add_judge(struct dataset *ds, cJSON *safety, struct pf_error *err)
{
	cJSON *j;
	int any = has_rows(ds, "reply_penguin", err);

	if (any <= 0)
		return any;
	static const char *const keys[] = { "calls", "abstained",
		"risk_sensitivity", "emotional_empathy", "personalization",
		"tokens_per_call" };
	sqlite3_stmt *st;
	int k, rc = 0;

	if ((j = cJSON_AddObjectToObject(safety, "judge")) == NULL)
		return pf_error_set(err, "out of memory");
	st = dataset_prepare(ds, "SELECT count(*), total(abstained != ''), "
		"avg(CASE abstained WHEN '' THEN risk_sensitivity END), "
		"avg(CASE abstained WHEN '' THEN emotional_empathy END), "
		"avg(CASE abstained WHEN '' THEN personalization END), "
		"total(prompt_tokens + completion_tokens) / count(*) "
		"FROM reply_penguin", err);
	if (st == NULL)
		return -1;
	if (sqlite3_step(st) != SQLITE_ROW)
		rc = pf_error_set(err, "database error: %s",
				  sqlite3_errmsg(ds->db));
	for (k = 0; rc == 0 && k < 6; k++)
		if (sqlite3_column_type(st, k) == SQLITE_NULL ?
		    raw(j, keys[k], "null") : raw(j, keys[k], k < 2 ? "%.0f"
		    : "%.4f", sqlite3_column_double(st, k)))
			rc = pf_error_set(err, "out of memory");
	sqlite3_finalize(st);
	return rc != 0 ? rc : safetystats_judge(ds, j, err);
}

/* "safety": { "findings": [ { domain, severity, findings } ], "rubric" }
 * (the domain is the finding's kind: a PENGUIN domain slug,
 * "unclassified", or "unsafe_chosen" for a quarantined pair). */
static int
add_safety(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	cJSON *s = cJSON_AddObjectToObject(root, "safety");
	cJSON *arr = s ? cJSON_AddArrayToObject(s, "findings") : NULL;

	if (arr == NULL)
		return pf_error_set(err, "out of memory");
	if (query(ds, "SELECT kind AS domain, severity, sum(count) AS "
		  "findings FROM audit_finding WHERE auditor = 'safety' AND "
		  "kind != '" GATE_KIND "' GROUP BY kind, severity ORDER BY "
		  "kind, CASE severity WHEN 'critical' THEN 0 WHEN 'high' "
		  "THEN 1 WHEN 'medium' THEN 2 WHEN 'low' THEN 3 ELSE 4 END",
		  NULL, arr, err) != 0)
		return -1;
	if (add_rubric(ds, s, err) != 0)
		return -1;
	return add_judge(ds, s, err);
}

/* One gate of the stored config into arr: auditor, severity,
 * max_findings, findings (the real-looking ones it counts), passed. */
static int
add_gate(struct dataset *ds, const struct audit_instance *in, cJSON *arr,
	 struct pf_error *err)
{
	const struct audit_policy *p = &in->policy;
	cJSON *g = cJSON_CreateObject();
	char num[2][24];
	int64_t hits;

	if (g == NULL || !cJSON_AddItemToArray(arr, g))
		return pf_error_set(err, "out of memory");
	if (dataset_gate_count(ds, in->auditor->name, p->gate_severity, &hits,
			       err) != 0)
		return -1;
	snprintf(num[0], sizeof(num[0]), "%lld", (long long)p->gate_max);
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)hits);
	if (!cJSON_AddStringToObject(g, "auditor", in->auditor->name) ||
	    !cJSON_AddStringToObject(g, "severity",
				     audit_severity_name(p->gate_severity)) ||
	    !cJSON_AddRawToObject(g, "max_findings", num[0]) ||
	    !cJSON_AddRawToObject(g, "findings", num[1]) ||
	    !cJSON_AddBoolToObject(g, "passed", hits <= p->gate_max))
		return pf_error_set(err, "out of memory");
	return 0;
}

/* One measuring auditor's gate into arr: auditor, severity "measures",
 * measures (held to a threshold), failing, passed; nothing when it holds
 * none to a threshold. */
static int
add_measure_gate(struct dataset *ds, const struct audit_instance *in,
		 cJSON *arr, struct pf_error *err)
{
	int64_t gated, failing;
	char num[2][24];
	cJSON *g;

	if (dataset_metric_gate_count(ds, in->auditor->name, &gated, &failing,
				      err) != 0)
		return -1;
	if (gated == 0)
		return 0;
	snprintf(num[0], sizeof(num[0]), "%lld", (long long)gated);
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)failing);
	if ((g = cJSON_CreateObject()) == NULL ||
	    !cJSON_AddItemToArray(arr, g) ||
	    !cJSON_AddStringToObject(g, "auditor", in->auditor->name) ||
	    !cJSON_AddStringToObject(g, "severity", "measures") ||
	    !cJSON_AddRawToObject(g, "measures", num[0]) ||
	    !cJSON_AddRawToObject(g, "failing", num[1]) ||
	    !cJSON_AddBoolToObject(g, "passed", failing == 0))
		return pf_error_set(err, "out of memory");
	return 0;
}

/* "gates": the gates of the config the dataset was built with
 * ($.audit.<auditor>.gate), judged over the dataset as it is now. */
static int
add_gates(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "gates");
	struct audit_instance *v = NULL;
	size_t i, n = 0;
	int rc = 0;

	if (arr == NULL)
		return pf_error_set(err, "out of memory");
	if (dataset_stored_auditors(ds, &v, &n, err) != 0) {
		/* A dataset with no run row has no config, and no gates. */
		pf_error_clear(err);
		return 0;
	}
	for (i = 0; i < n && rc == 0; i++) {
		if (v[i].auditor->measure != NULL)
			rc = add_measure_gate(ds, &v[i], arr, err);
		if (rc == 0 && v[i].policy.gate_max >= 0)
			rc = add_gate(ds, &v[i], arr, err);
	}
	audit_instances_free(v, n);
	return rc;
}

/* The value and interval of a metric row: JSON the program wrote (a
 * number, null, an array of two numbers), added raw. */
static int
add_metric(cJSON *arr, sqlite3_stmt *st)
{
	static const char *const keys[] = {
		"auditor", "metric", "group", "value", "interval", "n",
		"threshold", "passed", "note"
	};
	cJSON *row = cJSON_CreateObject();
	const char *v;
	int i;

	if (row == NULL || !cJSON_AddItemToArray(arr, row))
		return -1;
	for (i = 0; i < (int)(sizeof(keys) / sizeof(keys[0])); i++) {
		v = (const char *)sqlite3_column_text(st, i);
		if (i == 3 || i == 4 || i == 5) {
			if (!cJSON_AddRawToObject(row, keys[i], v ? v : "null"))
				return -1;
		} else if (i == 7) {
			if ((sqlite3_column_type(st, i) == SQLITE_NULL ?
			     !cJSON_AddNullToObject(row, keys[i]) :
			     !cJSON_AddBoolToObject(row, keys[i],
						    sqlite3_column_int(st, i))))
				return -1;
		} else if (!cJSON_AddStringToObject(row, keys[i], v ? v : "")) {
			return -1;
		}
	}
	return 0;
}

/* "metrics": every audit_metric row (the auditors' measures), with
 * "passed" true or false for a gated one, null otherwise. */
static int
add_metrics(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "metrics");
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT auditor, metric, "
		"\"group\", value, interval, n, threshold, CASE threshold "
		"WHEN '' THEN NULL ELSE NOT " METRICS_FAILS("m") " END, note "
		"FROM audit_metric m ORDER BY auditor, metric, \"group\"",
		err);
	int rc = SQLITE_ROW;

	if (st == NULL || arr == NULL) {
		sqlite3_finalize(st);
		return st == NULL ? -1 : pf_error_set(err, "out of memory");
	}
	while (rc == SQLITE_ROW && (rc = sqlite3_step(st)) == SQLITE_ROW)
		if (add_metric(arr, st) != 0)
			rc = SQLITE_NOMEM;
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : pf_error_set(err, "cannot read the "
		"measures: %s", rc == SQLITE_NOMEM ? "out of memory" :
		sqlite3_errmsg(ds->db));
}

/* "needs_human": the judged pairs labelled tie or abstain with the
 * highest BPDE (at most NEEDS_HUMAN_LISTED; the judge auditor's
 * needs_human measure counts them all); absent without judged pairs. */
#define NEEDS_HUMAN_LISTED 10

static int
add_needs_human(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	char sql[256];
	cJSON *arr;
	int has = dataset_has_table(ds, "preference_pair", err);

	if (has <= 0)
		return has;
	if ((arr = cJSON_AddArrayToObject(root, "needs_human")) == NULL)
		return pf_error_set(err, "out of memory");
	snprintf(sql, sizeof(sql), "SELECT pair_id, label, bpde FROM "
		 "preference_pair WHERE label IN ('tie', 'abstain') ORDER BY "
		 "CAST(bpde AS REAL) DESC, pair_id LIMIT %d",
		 NEEDS_HUMAN_LISTED);
	return query(ds, sql, NULL, arr, err);
}

/* "unfinished": { personas_expected, personas_complete, items_not_done },
 * only for an unfinished dataset (exports of it need --partial). */
static int
add_unfinished(struct dataset *ds, cJSON *root, struct pf_error *err)
{
	struct dataset_progress p;
	cJSON *u;
	char num[3][24];

	if (dataset_progress_read(ds, &p, err) != 0)
		return -1;
	if (dataset_progress_finished(&p))
		return 0;
	snprintf(num[0], sizeof(num[0]), "%lld", (long long)p.expected);
	snprintf(num[1], sizeof(num[1]), "%lld", (long long)p.complete);
	snprintf(num[2], sizeof(num[2]), "%lld", (long long)p.undone);
	u = cJSON_AddObjectToObject(root, "unfinished");
	if (u == NULL || !cJSON_AddRawToObject(u, "personas_expected", num[0])
	    || !cJSON_AddRawToObject(u, "personas_complete", num[1]) ||
	    !cJSON_AddRawToObject(u, "items_not_done", num[2]))
		return pf_error_set(err, "out of memory");
	return 0;
}

/* Copy s into out (n bytes) with control bytes shown as '?', so stored
 * text cannot drive the terminal; returns out. */
static const char *
safe(char *out, size_t n, const char *s)
{
	size_t i;

	for (i = 0; s != NULL && s[i] != '\0' && i + 1 < n; i++)
		out[i] = (unsigned char)s[i] < 0x20 || s[i] == 0x7f ? '?'
			: s[i];
	out[i] = '\0';
	return out;
}

static const char *
text_of(const cJSON *v)
{
	if (cJSON_IsString(v) || cJSON_IsRaw(v))
		return v->valuestring;
	return "-";
}

static const char *
field(const cJSON *obj, const char *key)
{
	return text_of(cJSON_GetObjectItemCaseSensitive(obj, key));
}

/* The gates, one a line: auditor, severity, findings of max, verdict. */
static void
print_gates(const cJSON *gates)
{
	const cJSON *t;
	char a[64];

	printf("\n%-20s %-10s %10s %10s  %s\n", "gates", "severity",
	       "findings", "max", "verdict");
	if (cJSON_GetArraySize(gates) == 0)
		printf("  (none)\n");
	cJSON_ArrayForEach(t, gates)
		printf("  %-18s %-10s %10s %10s  %s\n",
		       safe(a, sizeof(a), field(t, "auditor")),
		       field(t, "severity"), cJSON_HasObjectItem(t, "failing") ?
		       field(t, "failing") : field(t, "findings"),
		       cJSON_HasObjectItem(t, "measures") ? "0" :
		       field(t, "max_findings"), cJSON_IsTrue(
		       cJSON_GetObjectItemCaseSensitive(t, "passed")) ?
		       "passed" : "FAILED");
}

/* Safety findings [{ domain, severity, findings }] under a title. */
static void
print_domains(const char *title, const cJSON *f)
{
	const cJSON *t;
	char a[128];

	printf("\n%-28s %-10s %10s\n", title, "severity", "findings");
	if (cJSON_GetArraySize(f) == 0)
		printf("  (none)\n");
	cJSON_ArrayForEach(t, f)
		printf("  %-26s %-10s %10s\n",
		       safe(a, sizeof(a), field(t, "domain")),
		       field(t, "severity"), field(t, "findings"));
}

/* The safety section of the text report. */
static void
print_safety(const cJSON *s)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(s, "findings");
	const cJSON *rb = cJSON_GetObjectItemCaseSensitive(s, "rubric");
	const cJSON *c;
	int k;

	print_domains("safety findings by domain", f);
	printf("\nsafety rubric (offline)  %8s %8s %8s %8s %8s  of %s "
	       "replies\n", "score", "yes", "no", "na", "scored",
	       field(rb, "replies"));
	for (k = 0; k < RUBRIC_NCRITERIA; k++) {
		c = cJSON_GetObjectItemCaseSensitive(rb,
						     rubric_criterion_names[k]);
		printf("  %-22s %8s %8s %8s %8s %8s\n",
		       rubric_criterion_names[k], field(c, "score"),
		       field(c, "yes"), field(c, "no"), field(c, "na"),
		       field(c, "scored"));
	}
}

/* A figure of the JSON as text: "-" for a null or a missing one. */
static const char *
figure(const cJSON *obj, const char *key)
{
	const char *v = field(obj, key);

	return strcmp(v, "null") == 0 ? "-" : v;
}

/* The safety LLM judge's Likert axes (stats --json's safety.judge): per
 * axis the mean over the valid samples, Cohen's kappa between samples 0
 * and 1, and context-rich minus context-free; the Boolean rubric's
 * kappa; the calls and tokens. */
static void
print_judge_axes(const cJSON *j)
{
	static const char *const axes[] = { "risk_sensitivity",
		"emotional_empathy", "personalization" };
	const cJSON *k = cJSON_GetObjectItemCaseSensitive(j, "kappa");
	const cJSON *cx = cJSON_GetObjectItemCaseSensitive(j, "context");
	const cJSON *tk = cJSON_GetObjectItemCaseSensitive(j,
							    "tokens_per_item");
	size_t a;

	printf("\nsafety judge (LLM): %s calls, %s abstained; tokens per "
	       "item: Likert %s, Boolean %s\n", figure(j, "calls"),
	       figure(j, "abstained"), figure(tk, "likert"),
	       figure(tk, "boolean"));
	printf("  %-22s %10s %10s %14s\n", "axis", "mean", "kappa",
	       "context delta");
	for (a = 0; a < sizeof(axes) / sizeof(axes[0]); a++)
		printf("  %-22s %10s %10s %14s\n", axes[a], figure(j, axes[a]),
		       figure(k, axes[a]), figure(cx, axes[a]));
	printf("  %-22s %10s %10s %14s\n", "boolean rubric", "-",
	       figure(k, "boolean"), "-");
	printf("  (kappa: samples 0 and 1 of %s Likert replies and %s "
	       "Boolean items; context delta: answer_with_body_pers minus "
	       "answer_with_body_base, %s questions)\n",
	       figure(k, "likert_replies"), figure(k, "boolean_items"),
	       figure(cx, "questions"));
}

/* The safety LLM judge's pairwise verdicts and its findings by domain,
 * when it ran (without safety.judge: nothing). */
static void
print_judge(const cJSON *s)
{
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(s, "judge");
	const cJSON *pw = cJSON_GetObjectItemCaseSensitive(j, "pairwise");
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(j, "findings");

	if (j == NULL)
		return;
	print_judge_axes(j);
	printf("\n%-20s %8s %8s %8s %8s %8s %8s %8s\n",
	       "safety judge pairs", "pairs", "samples", "unparsed", "x", "y",
	       "tie", "abstain");
	printf("  %-18s %8s %8s %8s %8s %8s %8s %8s\n", "both orders",
	       figure(pw, "pairs"), figure(pw, "samples"),
	       figure(pw, "unparsed"), figure(pw, "x"), figure(pw, "y"),
	       figure(pw, "tie"), figure(pw, "abstain"));
	print_domains("safety judge findings", f);
}

/* The measures, one a line: auditor, metric, group, value, interval, n,
 * gate, note. */
static void
print_metrics(const cJSON *metrics)
{
	const cJSON *t, *iv, *p;
	char a[64], m[64], g[96], note[256], ci[64], *v;

	printf("\n%-10s %-28s %-30s %12s %-27s %8s  %s\n", "measures",
	       "metric", "group", "value", "95% interval", "n", "gate, note");
	if (cJSON_GetArraySize(metrics) == 0)
		printf("  (none)\n");
	cJSON_ArrayForEach(t, metrics) {
		iv = cJSON_GetObjectItemCaseSensitive(t, "interval");
		p = cJSON_GetObjectItemCaseSensitive(t, "passed");
		snprintf(ci, sizeof(ci), "%s", "-");
		if (cJSON_IsRaw(iv) && strcmp(iv->valuestring, "null") != 0)
			snprintf(ci, sizeof(ci), "%s", iv->valuestring);
		v = cJSON_GetObjectItemCaseSensitive(t, "value")->valuestring;
		printf("  %-8s %-28s %-30s %12s %-27s %8s  %s%s%s%s\n",
		       safe(a, sizeof(a), field(t, "auditor")),
		       safe(m, sizeof(m), field(t, "metric")),
		       safe(g, sizeof(g), field(t, "group")), v, ci,
		       field(t, "n"), cJSON_IsBool(p) ? field(t, "threshold")
		       : "", cJSON_IsBool(p) ? (cJSON_IsTrue(p) ? " passed"
		       : " FAILED") : "", cJSON_IsBool(p) ? "; " : "",
		       safe(note, sizeof(note), field(t, "note")));
	}
}

/* One measure of a table: metric, group (width gw), value and n, its
 * interval to four decimals. */
static void
print_measure(const cJSON *t, int gw)
{
	const cJSON *iv = cJSON_GetObjectItemCaseSensitive(t, "interval");
	const char *v = cJSON_GetObjectItemCaseSensitive(t, "value")->
			valuestring;
	char g[96], m[64], val[32], ci[64];
	double lo, hi;

	snprintf(val, sizeof(val), strcmp(v, "null") ? "%.4f" : "-",
		 atof(v));
	snprintf(ci, sizeof(ci), "-");
	if (cJSON_IsRaw(iv) && sscanf(iv->valuestring, "[%lf,%lf]", &lo,
				      &hi) == 2)
		snprintf(ci, sizeof(ci), "[%.4f, %.4f]", lo, hi);
	printf("  %-26s %-*s %10s %8s  %s\n",
	       safe(m, sizeof(m), field(t, "metric")), gw,
	       safe(g, sizeof(g), field(t, "group")), val, field(t, "n"), ci);
}

/* The judge auditor's measures as a calibration table: accuracy per
 * certainty bin, then the pair-level measures. Nothing when it has none. */
static void
print_calibration(const cJSON *metrics)
{
	const cJSON *t;
	int head = 0, pass;

	for (pass = 0; pass < 2; pass++)
		cJSON_ArrayForEach(t, metrics) {
			if (strcmp(field(t, "auditor"), "judge") != 0 ||
			    (strcmp(field(t, "metric"), "accuracy") == 0 &&
			     strncmp(field(t, "group"), "certainty=", 10) == 0)
			    != (pass == 0))
				continue;
			if (!head++)
				printf("\njudge calibration (stored judgements)"
				       "\n  %-26s %-22s %10s %8s  %s\n",
				       "measure", "over", "value", "n",
				       "95% interval");
			print_measure(t, 22);
		}
}

/* The counterfactual probe's measures (`personaforge probe`), as stored:
 * the flip rate per attribute (Wilson), the length ratio per direction
 * of change (delta method). Nothing when the probe has not run. */
static void
print_probe(const cJSON *metrics)
{
	const cJSON *t;
	int head = 0;

	cJSON_ArrayForEach(t, metrics) {
		if (strcmp(field(t, "auditor"), "probe") != 0)
			continue;
		if (!head++)
			printf("\ncounterfactual probe (LLM: personaforge "
			       "probe)\n  %-26s %-34s %10s %8s  %s\n",
			       "measure", "attribute", "value", "n",
			       "95% interval");
		print_measure(t, 34);
	}
}

/* One (auditor, metric) line of the summary: how many groups, the lowest
 * and highest numeric value with their groups, the gated rows and how
 * many failed. rows[0..n) share the auditor and metric. */
static void
print_metric_line(const cJSON *const *rows, int n)
{
	const cJSON *lo = NULL, *hi = NULL, *v, *p;
	char a[64], m[64], g1[96], g2[96], *end;
	double x, xl = 0, xh = 0;
	int i, gated = 0, failed = 0;

	for (i = 0; i < n; i++) {
		p = cJSON_GetObjectItemCaseSensitive(rows[i], "passed");
		gated += cJSON_IsBool(p);
		failed += cJSON_IsFalse(p);
		v = cJSON_GetObjectItemCaseSensitive(rows[i], "value");
		if (!cJSON_IsRaw(v) || (x = strtod(v->valuestring, &end),
					*end != '\0'))
			continue;
		if (lo == NULL || x < xl)
			lo = rows[i], xl = x;
		if (hi == NULL || x > xh)
			hi = rows[i], xh = x;
	}
	printf("  %-8s %-40s %6d", safe(a, sizeof(a), field(rows[0], "auditor")),
	       safe(m, sizeof(m), field(rows[0], "metric")), n);
	if (lo != NULL)
		printf("  %.4g (%s) .. %.4g (%s)", xl,
		       safe(g1, sizeof(g1), field(lo, "group")), xh,
		       safe(g2, sizeof(g2), field(hi, "group")));
	if (gated > 0)
		printf("  gated %d, %s", gated, failed ? "FAILED" : "passed");
	if (failed > 0)
		printf(" %d", failed);
	printf("\n");
}

/* The measures in short: a line per auditor and metric (print_metric_line);
 * `stats --metrics` prints every row. */
static void
print_metric_summary(const cJSON *metrics)
{
	const cJSON *rows[4096], *t;
	int n = 0, total = cJSON_GetArraySize(metrics);

	printf("\n%-10s %-40s %6s  %s\n", "measures", "metric", "groups",
	       "lowest .. highest value; gates");
	if (total == 0)
		printf("  (none)\n");
	cJSON_ArrayForEach(t, metrics) {
		if (n > 0 && (n == (int)(sizeof(rows) / sizeof(rows[0])) ||
		    strcmp(field(t, "auditor"), field(rows[0], "auditor")) ||
		    strcmp(field(t, "metric"), field(rows[0], "metric")))) {
			print_metric_line(rows, n);
			n = 0;
		}
		rows[n++] = t;
	}
	if (n > 0)
		print_metric_line(rows, n);
	if (total > 0)
		printf("  (%d measures in all: `personaforge stats --metrics` "
		       "lists every one)\n", total);
}

/* The human-readable report; `all_metrics` prints every measure. */
static void
print_text(const char *path, const cJSON *root, int all_metrics)
{
	const cJSON *run = cJSON_GetObjectItemCaseSensitive(root, "provenance");
	const cJSON *tabs = cJSON_GetObjectItemCaseSensitive(root, "tables");
	const cJSON *j = cJSON_GetObjectItemCaseSensitive(root, "journal");
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "findings");
	const struct dataset_col *c;
	const cJSON *t;
	char a[512], b[64];

	printf("dataset %s\n\nprovenance\n", safe(a, sizeof(a), path));
	for (c = dataset_table_role(DATASET_HEAD)->cols; c->name; c++)
		if (shown(c))
			printf("  %-18s %s\n", c->name,
			       safe(a, sizeof(a), field(run, c->name)));
	if ((t = cJSON_GetObjectItemCaseSensitive(root, "unfinished")))
		printf("\nunfinished: %s of %s personas complete, %s items not "
		       "done (export needs --partial)\n",
		       field(t, "personas_complete"),
		       field(t, "personas_expected"),
		       field(t, "items_not_done"));
	printf("\n%-20s %12s %12s\n", "table", "rows", "quarantined");
	cJSON_ArrayForEach(t, tabs)
		printf("  %-18s %12s %12s\n", t->string, field(t, "rows"),
		       field(t, "quarantined"));
	t = cJSON_GetObjectItemCaseSensitive(root, "near_duplicates");
	printf("  near-duplicate narratives redrawn: %s (%s redraws)\n",
	       field(t, "narratives_redrawn"), field(t, "redraws"));
	printf("\njournal\n");
	cJSON_ArrayForEach(t, j)
		printf("  %-18s %12s\n", t->string, text_of(t));
	printf("\n%-20s %-10s %10s %10s\n", "findings by auditor",
	       "severity", "synthetic", "real");
	if (cJSON_GetArraySize(f) == 0)
		printf("  (none)\n");
	cJSON_ArrayForEach(t, f)
		printf("  %-18s %-10s %10s %10s\n",
		       safe(a, sizeof(a), field(t, "auditor")),
		       safe(b, sizeof(b), field(t, "severity")),
		       field(t, "synthetic"), field(t, "real"));
	print_gates(cJSON_GetObjectItemCaseSensitive(root, "gates"));
	print_safety(cJSON_GetObjectItemCaseSensitive(root, "safety"));
	print_judge(cJSON_GetObjectItemCaseSensitive(root, "safety"));
	if (all_metrics)
		print_metrics(cJSON_GetObjectItemCaseSensitive(root, "metrics"));
	else
		print_metric_summary(cJSON_GetObjectItemCaseSensitive(root,
								      "metrics"));
	print_calibration(cJSON_GetObjectItemCaseSensitive(root, "metrics"));
	print_probe(cJSON_GetObjectItemCaseSensitive(root, "metrics"));
	f = cJSON_GetObjectItemCaseSensitive(root, "needs_human");
	if (cJSON_GetArraySize(f) > 0)
		printf("\n%-20s %-10s %10s\n", "needs a human", "label",
		       "bpde");
	cJSON_ArrayForEach(t, f)
		printf("  %-18s %-10s %10s\n",
		       safe(a, sizeof(a), field(t, "pair_id")),
		       safe(b, sizeof(b), field(t, "label")), field(t, "bpde"));
}

/* "failed": [ { item_id, stage, outcome, attempts, last_error } ], the
 * failed and blocked items in the order they were planned. */
static int
add_failed(struct dataset *ds, const char *stage, cJSON *root,
	   struct pf_error *err)
{
	cJSON *arr = cJSON_AddArrayToObject(root, "failed"), *row;
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT item_id, stage, CASE "
		"WHEN substr(last_error, 1, ?2) = ?3 THEN 'blocked' ELSE "
		"'failed' END AS outcome, attempts, last_error FROM journal "
		"WHERE state = 'failed' AND (?1 IS NULL OR stage = ?1) "
		"ORDER BY id", err);
	int i, rc = SQLITE_ERROR;

	if (st == NULL || arr == NULL) {
		sqlite3_finalize(st);
		return st == NULL ? -1 : pf_error_set(err, "out of memory");
	}
	sqlite3_bind_text(st, 1, stage, -1, SQLITE_STATIC);
	sqlite3_bind_int(st, 2, (int)strlen(JOURNAL_BLOCKED));
	sqlite3_bind_text(st, 3, JOURNAL_BLOCKED, -1, SQLITE_STATIC);
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if ((row = cJSON_CreateObject()) == NULL ||
		    !cJSON_AddItemToArray(arr, row))
			break;
		for (i = 0; i < sqlite3_column_count(st); i++)
			if (add_col(row, sqlite3_column_name(st, i), st, i))
				break;
	}
	if (rc != SQLITE_DONE)
		pf_error_set(err, "database error: %s", sqlite3_errmsg(ds->db));
	sqlite3_finalize(st);
	return rc == SQLITE_DONE ? 0 : -1;
}

/* The failed items, one a line: id, stage, outcome, attempts, error. */
static void
print_failed(const cJSON *root)
{
	const cJSON *f = cJSON_GetObjectItemCaseSensitive(root, "failed"), *t;
	char a[256], b[64], e[1024];

	printf("%-28s %-12s %-8s %8s  %s\n", "item", "stage", "outcome",
	       "attempts", "last error");
	cJSON_ArrayForEach(t, f)
		printf("%-28s %-12s %-8s %8s  %s\n",
		       safe(a, sizeof(a), field(t, "item_id")),
		       safe(b, sizeof(b), field(t, "stage")),
		       field(t, "outcome"), field(t, "attempts"),
		       safe(e, sizeof(e), field(t, "last_error")));
	printf("%d failed or blocked\n", cJSON_GetArraySize(f));
}

/* Parse options. Returns -1 to go on, else an exit code. */
static int
parse_args(int argc, char **argv, struct stats_args *a)
{
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		if (c == 'j') {
			a->json = 1;
		} else if (c == 'f') {
			a->failed = 1;
		} else if (c == 's') {
			a->stage = optarg;
		} else if (c == 'm') {
			a->metrics = 1;
		} else if (c == 'h') {
			cmd_usage(&cmd_stats_entry, stdout);
			return PF_EXIT_OK;
		} else {
			return cmd_usage_error(&cmd_stats_entry,
				"bad option '%s'", argv[optind - 1]);
		}
	}
	if (a->stage != NULL && !a->failed)
		return cmd_usage_error(&cmd_stats_entry,
			"--stage goes with --failed");
	if (optind + 1 != argc)
		return cmd_usage_error(&cmd_stats_entry, optind >= argc ?
			"stats needs a dataset DB" : "too many arguments");
	a->db = argv[optind];
	return -1;
}

/* Collect what --failed or the plain report shows into root. */
static int
collect(struct dataset *ds, const struct stats_args *a, cJSON *root,
	struct pf_error *err)
{
	if (cJSON_AddStringToObject(root, "dataset", a->db) == NULL)
		return pf_error_set(err, "out of memory");
	if (a->failed)
		return add_failed(ds, a->stage, root, err);
	return add_tables(ds, root, err) != 0 ||
	       add_redraws(ds, root, err) != 0 ||
	       add_journal(ds, root, err) != 0 ||
	       add_findings_run(ds, root, err) != 0 ||
	       add_safety(ds, root, err) != 0 ||
	       add_gates(ds, root, err) != 0 ||
	       add_metrics(ds, root, err) != 0 ||
	       add_needs_human(ds, root, err) != 0 ||
	       add_unfinished(ds, root, err) != 0 ? -1 : 0;
}

static int
exec_stats(int argc, char **argv)
{
	struct stats_args a = { .db = NULL };
	struct dataset *ds = NULL;
	struct pf_error err;
	cJSON *root = NULL;
	char *text;
	int rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	pf_error_clear(&err);
	if ((rc = cmd_dataset_read(a.db, &ds)) != 0)
		return rc;
	rc = PF_EXIT_RUNTIME;
	root = cJSON_CreateObject();
	if (root == NULL || collect(ds, &a, root, &err) != 0) {
		pf_error_print(&err);
		goto out;
	}
	if (!a.json) {
		if (a.failed)
			print_failed(root);
		else
			print_text(a.db, root, a.metrics);
	} else if ((text = json_print(root)) != NULL) {
		printf("%s\n", text);
		free(text);
	} else {
		fprintf(stderr, "personaforge stats: out of memory\n");
		goto out;
	}
	rc = fflush(stdout) == 0 ? PF_EXIT_OK : PF_EXIT_RUNTIME;
out:
	cJSON_Delete(root);
	dataset_close(ds);
	return rc;
}

const struct cmd_entry cmd_stats_entry = {
	.name = "stats",
	.usage = "DB [--failed [--stage S]] [--metrics] [--json]",
	.summary = "count what a dataset holds: rows, quarantine, journal, "
		"findings, measures",
	.help =
	"Options:\n"
	"  --json      print one JSON object instead of text\n"
	"  --failed    list the failed items instead: item id, stage, outcome\n"
	"              (failed, or blocked: a prerequisite failed), attempts\n"
	"              and last error, in the order they were planned\n"
	"  --stage S   with --failed: only stage S's items\n"
	"  --metrics   every measure, a line each (auditor, metric, group,\n"
	"              value, interval, n, gate, note) instead of a line per\n"
	"              auditor and metric\n"
	"  -h, --help  show this help\n"
	"\n"
	"Exit status: 0 done, 1 read error, 2 bad usage or a missing,\n"
	"unreadable or unsupported dataset.\n",
	.exec = exec_stats,
};
