/* test_audit.c - the auditor contract end to end: the `$.audit` section
 * (auditors/policy.h), the writer handed the enabled auditors and its
 * findings overflow, the generic gate over a dataset (output/gate.h) and a dataset-wide pass
 * reading a real dataset through the output/ row cursor
 * (output/cursor.h).
 *
 * Test auditors are defined here, as a new auditor would be: a const
 * entry handed to the writer or run over a cursor. The dataset-wide test
 * builds its dataset with the program ($PERSONAFORGE, set by make check;
 * the test checks nothing without it), the writer tests with the
 * writer.
 */
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "auditors/auditor.h"
#include "auditors/policy.h"
#include "base/buf.h"
#include "base/json.h"
#include "engine/sqlq.h"
#include "output/cursor.h"
#include "output/dataset.h"
#include "output/audit.h"
#include "output/rowscan.h"
#include "output/gate.h"
#include "output/tables.h"
#include "output/writer.h"
#include "tests/unit/check_sql.h"
#include "tests/unit/check_tap.h"

/* ---- the `$.audit` section ----------------------------------------- */

static const struct {
	const char *json;             /* the value of $.audit, or NULL */
	const char *where, *msg;      /* expected error; NULL: parses */
	size_t n;                     /* enabled auditors when it parses */
	enum audit_severity quarantine, gate_sev;
	int64_t gate_max;
} section_cases[] = {
	{ NULL, NULL, NULL, 5, AUDIT_HIGH, AUDIT_HIGH, -1 },
	{ "{}", NULL, NULL, 5, AUDIT_HIGH, AUDIT_HIGH, -1 },
	{ "{\"pii\": {\"quarantine\": \"medium\", \"gate\": {\"severity\": "
	  "\"low\", \"max_findings\": 3}}}", NULL, NULL, 5, AUDIT_MEDIUM,
	  AUDIT_LOW, 3 },
	{ "{\"pii\": {\"enabled\": false}, \"canary\": {\"enabled\": "
	  "false}, \"safety\": {\"enabled\": false}, \"fairness\": "
	  "{\"enabled\": false}, \"judge\": {\"enabled\": false}}", NULL,
	  NULL, 0, 0, 0,
	  0 },
	{ "[]", "$.audit", "expected an object", 0, 0, 0, 0 },
	{ "{\"nope\": {}}", "$.audit.nope", "unknown auditor", 0, 0, 0, 0 },
	{ "{\"pii\": 1}", "$.audit.pii", "expected an object", 0, 0, 0, 0 },
	{ "{\"pii\": {\"gates\": {}}}", "$.audit.pii", "unknown key 'gates'; "
	  "did you mean 'gate'? (allowed: enabled, quarantine, gate)",
	  0, 0, 0, 0 },
	{ "{\"canary\": {\"fil\": \"x\"}}", "$.audit.canary", "unknown key "
	  "'fil'; did you mean 'file'? (allowed: enabled, quarantine, gate, "
	  "file)", 0, 0, 0, 0 },
	{ "{\"canary\": {\"file\": 3}}", "$.audit.canary.file",
	  "expected a non-empty string", 0, 0, 0, 0 },
	{ "{\"pii\": {\"enabled\": 1}}", "$.audit.pii.enabled",
	  "expected true or false", 0, 0, 0, 0 },
	{ "{\"pii\": {\"quarantine\": \"severe\"}}", "$.audit.pii.quarantine",
	  "expected one of info, low, medium, high, critical", 0, 0, 0, 0 },
	{ "{\"pii\": {\"quarantine\": 3}}", "$.audit.pii.quarantine",
	  "expected a non-empty string", 0, 0, 0, 0 },
	{ "{\"pii\": {\"gate\": {\"max\": 1}}}", "$.audit.pii.gate",
	  "unknown key 'max' (allowed: severity, max_findings)", 0, 0, 0, 0 },
	{ "{\"pii\": {\"gate\": {\"severity\": \"\"}}}",
	  "$.audit.pii.gate.severity", "expected a non-empty string",
	  0, 0, 0, 0 },
	{ "{\"pii\": {\"gate\": {\"max_findings\": 1.5}}}",
	  "$.audit.pii.gate.max_findings", "expected an integer", 0, 0, 0, 0 },
	{ "{\"pii\": {\"gate\": {\"max_findings\": -2}}}",
	  "$.audit.pii.gate.max_findings",
	  "expected an integer from -1 to 9223372036854775807", 0, 0, 0, 0 },
};

START_TEST(section_parse)
{
	struct audit_instance *v = NULL;
	struct pf_error err;
	cJSON *j = NULL;
	size_t n = 99;
	int rc;

	pf_error_clear(&err);
	if (section_cases[_i].json != NULL)
		ck_assert_int_eq(json_parse(section_cases[_i].json,
			strlen(section_cases[_i].json), &j, NULL), 0);
	rc = audit_config_parse(j, &v, &n, &err);
	if (section_cases[_i].where != NULL) {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(v);
		ck_assert_str_eq(err.where, section_cases[_i].where);
		ck_assert_str_eq(err.msg, section_cases[_i].msg);
	} else {
		ck_assert_int_eq(rc, 0);
		ck_assert_uint_eq(n, section_cases[_i].n);
	}
	if (rc == 0 && n > 0) {
		ck_assert_ptr_eq(v[0].auditor, &auditor_pii);
		ck_assert_int_eq(v[0].policy.quarantine,
				 section_cases[_i].quarantine);
		ck_assert_int_eq(v[0].policy.gate_severity,
				 section_cases[_i].gate_sev);
		ck_assert_int_eq(v[0].policy.gate_max,
				 section_cases[_i].gate_max);
	}
	audit_instances_free(v, n);
	cJSON_Delete(j);
}
END_TEST

/* ---- a test auditor that reports a burst of findings ---------------- */

/* Its config: n findings in one row, the last of severity `last`, the
 * others of severity `sev`. */
struct burst {
	int n;
	enum audit_severity sev, last;
	int synthetic;
};

static int
burst_scan_row(const void *cfg, const struct audit_row *row,
	       audit_emit_fn emit, void *ud)
{
	const struct burst *b = cfg;
	struct audit_hit h = { .table = row->table, .row_id = row->id,
		.field = row->names[0], .kind = "burst", .masked = "",
		.reason = "test finding" };
	int i;

	for (i = 0; emit != NULL && i < b->n; i++) {
		h.severity = i == b->n - 1 ? b->last : b->sev;
		h.synthetic = b->synthetic;
		h.offset = (size_t)i;
		emit(ud, &h);
	}
	return 0;
}

static const struct auditor auditor_burst = {
	.name = "burst",
	.version = "1",
	.defaults = { .enabled = 1, .quarantine = AUDIT_HIGH,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.scan_row = burst_scan_row,
};

/* The same under another name, for rows two auditors scan. */
static const struct auditor auditor_other = {
	.name = "other",
	.version = "2",
	.defaults = { .enabled = 1, .quarantine = AUDIT_LOW,
		      .gate_severity = AUDIT_HIGH, .gate_max = 0 },
	.scan_row = burst_scan_row,
};

/* A fresh dataset file in a temporary directory; path in out. */
static void
temp_dataset(char *out, size_t n)
{
	char dir[] = "/tmp/pf-audit.XXXXXX";

	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(out, n, "%s/t.db", dir);
}

static void
remove_dataset(const char *path)
{
	char cmd[600];

	snprintf(cmd, sizeof(cmd), "rm -rf \"$(dirname '%s')\"", path);
	ck_assert_int_eq(system(cmd), 0);
}

/* Build `personas` personas of the demo config into a fresh dataset
 * (path in out) with the program $PERSONAFORGE; 0 when it is unset (the
 * test then checks nothing), else 1. */
static int
demo_dataset(int personas, char *out, size_t n)
{
	const char *pf = getenv("PERSONAFORGE");
	char cmd[1200];

	if (pf == NULL || *pf == '\0')
		return 0;
	temp_dataset(out, n);
	snprintf(cmd, sizeof(cmd), "'%s' build '%s/examples/demo.json'"
		 " --personas %d -o '%s' -q", pf, getenv("top_srcdir") ?
		 getenv("top_srcdir") : ".", personas, out);
	ck_assert_int_eq(system(cmd), 0);
	return 1;
}

/* Write one document through the writer with the given auditors. */
static void
write_document(const char *path, const struct audit_instance *in, size_t n)
{
	struct pf_error err;
	struct sqlq *q;
	struct writer *w;
	const struct writer_session s = { "note---session---1",
		"123456789012", "2024-01-02T09:00:00", "[]", "", "[]", 0 };

	pf_error_clear(&err);
	ck_assert_int_eq(sqlq_open(path, &q, &err), 0);
	ck_assert_int_eq(writer_open(q, in, n, &w, &err), 0);
	ck_assert_int_eq(writer_document(w, 1, "p000001-d1", 1, "item",
		"note", "a title", "the content", &s, 0), 0);
	sqlq_boundary(q);
	ck_assert_int_eq(sqlq_close(q, &err), 0);
	writer_close(w);
}

/* A new dataset in a temporary directory (its path in path) holding one
 * document written with the given auditors; open for reading back. */
static struct dataset *
written_dataset(char *path, size_t n, const struct audit_instance *in,
		size_t nin)
{
	struct dataset *ds;
	struct pf_error err;

	pf_error_clear(&err);
	temp_dataset(path, n);
	ck_assert_int_eq(dataset_open(path, DATASET_WRITE, &ds, &err), 0);
	write_document(path, in, nin);
	return ds;
}

static int64_t
one_int(struct dataset *ds, const char *sql)
{
	sqlite3_stmt *st;
	int64_t v;

	ck_assert_int_eq(sqlite3_prepare_v2(ds->db, sql, -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

/* Findings `stats --json` counts in the dataset: the sum of synthetic
 * and real over its findings list; -1 without $PERSONAFORGE. */
static int64_t
stats_findings(const char *path)
{
	const char *pf = getenv("PERSONAFORGE");
	char cmd[1024], out[1 << 16];
	const cJSON *it;
	cJSON *j;
	int64_t sum = 0;
	size_t len;
	FILE *f;

	if (pf == NULL || *pf == '\0')
		return -1;
	snprintf(cmd, sizeof(cmd), "'%s' stats --json '%s'", pf, path);
	f = popen(cmd, "r");
	ck_assert_ptr_nonnull(f);
	len = fread(out, 1, sizeof(out) - 1, f);
	ck_assert_int_eq(pclose(f), 0);
	ck_assert_int_eq(json_parse(out, len, &j, NULL), 0);
	cJSON_ArrayForEach(it, json_get(j, "findings"))
		sum += (int64_t)json_get_num(it, "synthetic", 0) +
		       (int64_t)json_get_num(it, "real", 0);
	cJSON_Delete(j);
	return sum;
}

/* ---- the overflow: a row's findings are never dropped --------------- */

static const struct {
	const char *name;
	struct burst b;
	int64_t gate_max;
	int64_t rows;                 /* audit_finding rows */
	const char *over_sev;         /* the overflow finding's severity */
	int over_synthetic;
	int quarantined, gate_fails;
} overflow_cases[] = {
	/* 299 low, then a high one: the high one is stored, 44 low are
	 * counted in the overflow finding; the row is quarantined and the
	 * gate fails. */
	{ "high after 299 low", { 300, AUDIT_LOW, AUDIT_HIGH, 0 }, 0,
	  257, "low", 0, 1, 1 },
	/* 300 high: the overflow finding is high and stands for 44. */
	{ "300 high, at most 299", { 300, AUDIT_HIGH, AUDIT_HIGH, 0 }, 299,
	  257, "high", 0, 1, 1 },
	{ "300 high, at most 300", { 300, AUDIT_HIGH, AUDIT_HIGH, 0 }, 300,
	  257, "high", 0, 1, 0 },
	/* Synthetic findings quarantine by severity but never gate. */
	{ "300 synthetic info", { 300, AUDIT_INFO, AUDIT_INFO, 1 }, 0,
	  257, "info", 1, 0, 0 },
	{ "256 fit", { 256, AUDIT_HIGH, AUDIT_HIGH, 0 }, 0, 256, NULL, 0,
	  1, 1 },
};

START_TEST(findings_overflow)
{
	struct audit_instance in = { &auditor_burst, auditor_burst.defaults,
				     NULL };
	struct burst b = overflow_cases[_i].b;
	struct dataset *ds;
	struct pf_error err;
	char path[512], sql[256];
	int failed = -1;

	in.cfg = &b;
	in.policy.gate_max = overflow_cases[_i].gate_max;
	pf_error_clear(&err);
	ds = written_dataset(path, sizeof(path), &in, 1);
	ck_assert_int_eq(one_int(ds, "SELECT count(*) FROM audit_finding"),
			 overflow_cases[_i].rows);
	ck_assert_int_eq(one_int(ds, "SELECT sum(count) FROM audit_finding"),
			 b.n);
	ck_assert_int_eq(one_int(ds, "SELECT quarantined FROM document"),
			 overflow_cases[_i].quarantined);
	ck_assert_int_eq(one_int(ds, "SELECT count(*) FROM audit_finding"
				 " WHERE severity = 'high' AND count = 1"),
			 b.last == AUDIT_HIGH && b.sev != AUDIT_HIGH ? 1
			 : b.sev == AUDIT_HIGH ? 256 : 0);
	if (overflow_cases[_i].over_sev != NULL) {
		snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_finding"
			 " WHERE kind = 'overflow' AND count = %d AND field = ''"
			 " AND severity = '%s' AND synthetic = %d", b.n - 256,
			 overflow_cases[_i].over_sev,
			 overflow_cases[_i].over_synthetic);
		ck_assert_int_eq(one_int(ds, sql), 1);
	}
	ck_assert_int_eq(dataset_gates_judge(ds, &in, 1, NULL, 0, &failed,
					     &err), 0);
	ck_assert_int_eq(failed, overflow_cases[_i].gate_fails);
	/* The verdict is stored about the dataset; judging again replaces
	 * it, and it never counts for a gate. */
	ck_assert_int_eq(dataset_gates_judge(ds, &in, 1, NULL, 0, &failed,
					     &err), 0);
	ck_assert_int_eq(failed, overflow_cases[_i].gate_fails);
	ck_assert_int_eq(one_int(ds, "SELECT count(*) FROM audit_finding WHERE"
				 " kind = 'gate' AND row_table = 'dataset'"),
			 in.policy.gate_max >= 0);
	dataset_close(ds);
	if (stats_findings(path) >= 0)
		ck_assert_int_eq(stats_findings(path), b.n);
	remove_dataset(path);
}
END_TEST

/* Two auditors handed to the writer, scanning one row: each finding
 * carries its auditor's name, version and threshold, each auditor
 * quarantines by its own severity, gets its own overflow finding, and
 * its gate counts only its own findings. */
static const struct {
	const char *name;
	struct burst b[2];
	struct audit_policy p[2];
	int failed;                       /* gates that fail */
	struct {
		const char *sql;
		int64_t want;
	} checks[4];
} pair_cases[] = {
	{ "own thresholds and gates",
	  { { 3, AUDIT_MEDIUM, AUDIT_MEDIUM, 0 },
	    { 2, AUDIT_LOW, AUDIT_LOW, 0 } },
	  { { 1, AUDIT_HIGH, AUDIT_MEDIUM, 2 },
	    { 1, AUDIT_LOW, AUDIT_HIGH, 0 } },
	  1,   /* burst's: 3 > 2; other's: no high finding */
	  { { "SELECT count(*) FROM audit_finding WHERE auditor = 'burst'"
	      " AND auditor_version = '1' AND threshold = 'quarantine>=high'"
	      " AND field = 'title'", 3 },
	    { "SELECT count(*) FROM audit_finding WHERE auditor = 'other'"
	      " AND auditor_version = '2' AND threshold = 'quarantine>=low'"
	      " AND quarantined = 1", 2 },
	    { "SELECT quarantined FROM document", 1 } } },
	{ "the 256 slots go to the more severe",
	  { { 200, AUDIT_MEDIUM, AUDIT_MEDIUM, 0 },
	    { 100, AUDIT_LOW, AUDIT_LOW, 0 } },
	  { { 1, AUDIT_HIGH, AUDIT_HIGH, -1 },
	    { 1, AUDIT_CRITICAL, AUDIT_LOW, 0 } },
	  1,   /* other's: 56 stored + 44 left out > 0 */
	  { { "SELECT count(*) FROM audit_finding WHERE auditor = 'burst'"
	      " AND count = 1", 200 },
	    { "SELECT count(*) FROM audit_finding WHERE auditor = 'other'"
	      " AND count = 1", 56 },
	    { "SELECT sum(count) FROM audit_finding WHERE kind = 'overflow'"
	      " AND auditor = 'other' AND threshold = 'quarantine>=critical'",
	      44 },
	    { "SELECT quarantined FROM document", 0 } } },
};

START_TEST(two_auditors)
{
	struct burst b[2] = { pair_cases[_i].b[0], pair_cases[_i].b[1] };
	struct audit_instance in[2] = {
		{ &auditor_burst, pair_cases[_i].p[0], &b[0] },
		{ &auditor_other, pair_cases[_i].p[1], &b[1] },
	};
	struct dataset *ds;
	struct pf_error err;
	char path[512];
	int k, failed = -1;

	pf_error_clear(&err);
	ds = written_dataset(path, sizeof(path), in, 2);
	for (k = 0; k < 4 && pair_cases[_i].checks[k].sql != NULL; k++)
		ck_assert_int_eq(one_int(ds, pair_cases[_i].checks[k].sql),
				 pair_cases[_i].checks[k].want);
	ck_assert_int_eq(dataset_gates_judge(ds, in, 2, NULL, 0, &failed,
					     &err), 0);
	ck_assert_int_eq(failed, pair_cases[_i].failed);
	dataset_close(ds);
	remove_dataset(path);
}
END_TEST

START_TEST(gate_verdict)
{
	struct audit_instance in = { &auditor_pii, auditor_pii.defaults,
				     NULL };

	ck_assert_int_eq(audit_gate_verdict(&in, 1000), 0);   /* off */
	in.policy.gate_max = 2;
	ck_assert_int_eq(audit_gate_verdict(&in, 2), 0);
	ck_assert_int_eq(audit_gate_verdict(&in, 3), 1);
}
END_TEST

/* ---- a dataset-wide pass over a dataset the program built ------------ */

/* The census auditor reads the dataset twice: it counts the rows of each
 * table, then reports the first row of each table with that count as
 * its reason, and one finding about the dataset as a whole: how many
 * rows, and how many had every text column. */
struct census {
	int64_t rows[16];
	char tables[16][32];
	int ntables;
	int64_t total, complete;
};

static int
census_index(struct census *c, const char *table)
{
	int i;

	for (i = 0; i < c->ntables; i++)
		if (strcmp(c->tables[i], table) == 0)
			return i;
	ck_assert_int_lt(c->ntables, 16);
	snprintf(c->tables[c->ntables], sizeof(c->tables[0]), "%s", table);
	return c->ntables++;
}

/* First pass: counts. */
static int
census_count(struct census *c, struct audit_cursor *cur,
	     struct pf_error *err)
{
	struct audit_row row;
	size_t i;
	int rc;

	while ((rc = cur->next(cur, &row, err)) == 1) {
		c->rows[census_index(c, row.table)]++;
		for (i = 0; i < row.nfields && row.texts[i] != NULL; i++)
			;
		c->total++;
		c->complete += i == row.nfields;
	}
	return rc;
}

static int
census_scan(const void *cfg, struct audit_cursor *cur, audit_emit_fn emit,
	    void *ud, struct pf_error *err)
{
	struct census c;
	struct audit_row row;
	struct audit_hit h = { .field = "", .kind = "census", .masked = "",
			       .severity = AUDIT_INFO };
	char reason[64], prev[32] = "";
	int rc;

	(void)cfg;
	memset(&c, 0, sizeof(c));
	if (census_count(&c, cur, err) != 0 || cur->rewind(cur, err) != 0)
		return -1;
	while ((rc = cur->next(cur, &row, err)) == 1) {
		if (strcmp(prev, row.table) == 0)
			continue;
		snprintf(prev, sizeof(prev), "%s", row.table);
		snprintf(reason, sizeof(reason), "%" PRId64 " rows",
			 c.rows[census_index(&c, row.table)]);
		h.table = row.table;
		h.row_id = row.id;
		h.reason = reason;
		emit(ud, &h);
	}
	snprintf(reason, sizeof(reason), "%" PRId64 " rows, %" PRId64
		 " complete", c.total, c.complete);
	h.table = h.row_id = "dataset";
	emit(ud, &h);
	return rc;
}

static const struct auditor auditor_census = {
	.name = "census",
	.version = "1",
	.scan_dataset = census_scan,
};

/* What the census reported. */
struct heard {
	struct dataset *ds;
	int n;
	char first[16][48];
	char whole[64];
	int64_t total;                /* rows of the tables named */
};

static void
on_census(void *ud, const struct audit_hit *h)
{
	struct heard *r = ud;
	const struct dataset_table *t;
	sqlite3_stmt *st;
	char sql[256];

	ck_assert_int_lt(r->n, 16);
	snprintf(r->first[r->n++], sizeof(r->first[0]), "%s %s", h->table,
		 h->row_id);
	if (strcmp(h->table, "dataset") == 0) {
		snprintf(r->whole, sizeof(r->whole), "%s", h->reason);
		return;
	}
	/* The row it names exists, with the count it reports. */
	t = dataset_table_find(h->table);
	ck_assert_ptr_nonnull(t);
	snprintf(sql, sizeof(sql), "SELECT count(*) || ' rows' FROM %s",
		 t->name);
	ck_assert_int_eq(sqlite3_prepare_v2(r->ds->db, sql, -1, &st, NULL),
			 SQLITE_OK);
	ck_assert_int_eq(sqlite3_step(st), SQLITE_ROW);
	ck_assert_str_eq((const char *)sqlite3_column_text(st, 0), h->reason);
	r->total += strtoll(h->reason, NULL, 10);
	sqlite3_finalize(st);
}

START_TEST(dataset_wide_pass)
{
	const char *pf = getenv("PERSONAFORGE");
	struct heard r;
	struct audit_cursor *cur;
	struct dataset *ds;
	struct pf_error err;
	char path[512], cmd[1200], want[64];
	FILE *f;

	if (pf == NULL || *pf == '\0') {
		fprintf(stderr, "# PERSONAFORGE unset: dataset_wide_pass "
			"checks nothing\n");
		return;
	}
	temp_dataset(path, sizeof(path));
	snprintf(cmd, sizeof(cmd), "%s.json", path);
	f = fopen(cmd, "w");
	ck_assert_ptr_nonnull(f);
	fputs("{\"name\": \"census\", \"personas\": 3}\n", f);
	ck_assert_int_eq(fclose(f), 0);
	snprintf(cmd, sizeof(cmd), "'%s' build '%s.json' -o '%s' -q", pf,
		 path, path);
	ck_assert_int_eq(system(cmd), 0);

	memset(&r, 0, sizeof(r));
	pf_error_clear(&err);
	ck_assert_int_eq(dataset_open(path, DATASET_READ, &ds, &err), 0);
	r.ds = ds;
	ck_assert_int_eq(dataset_cursor_open(ds, &cur, &err), 0);
	ck_assert_int_eq(auditor_census.scan_dataset(NULL, cur, on_census,
						     &r, &err), 0);
	dataset_cursor_close(cur);
	/* Every audited table in registry order, each from its first row
	 * by id, then the dataset; every row read with all its text. */
	ck_assert_int_eq(r.n, 7);
	ck_assert_str_eq(r.first[0], "narrative p000000");
	ck_assert_str_eq(r.first[1], "backstory_turn p000000-t1");
	ck_assert_str_eq(r.first[2], "document p000000-d1");
	ck_assert_str_eq(r.first[5], "preference_pair p000000-r1");
	ck_assert_str_eq(r.first[6], "dataset dataset");
	snprintf(want, sizeof(want), "%" PRId64 " rows, %" PRId64
		 " complete", r.total, r.total);
	ck_assert_str_eq(r.whole, want);
	ck_assert_int_gt(r.total, 3);
	dataset_close(ds);
	remove_dataset(path);
}
END_TEST

/* A rerun runs the dataset-wide pass too: the census findings are
 * stored (replacing those of an earlier rerun), and a finding at or above
 * the quarantine severity quarantines the row it names. */
START_TEST(rerun_dataset_wide)
{
	struct audit_instance in = { &auditor_census, { 1, AUDIT_INFO,
		AUDIT_HIGH, -1 }, NULL };
	struct audit_counts c;
	struct dataset *ds;
	struct pf_error err;
	char path[512];
	int k;

	if (!demo_dataset(2, path, sizeof(path)))
		return;
	pf_error_clear(&err);
	ck_assert_int_eq(dataset_open(path, DATASET_WRITE, &ds, &err), 0);
	for (k = 0; k < 2; k++) {
		ck_assert_int_eq(dataset_audit_rerun(ds, &in, 1, &c, &err), 0);
		/* the demo config's audited tables, cqa among them, and
		 * the dataset */
		ck_assert_int_eq(check_sql_int(ds->db, "SELECT count(*) FROM "
			"audit_finding WHERE auditor = 'census'"), 8);
	}
	ck_assert_int_eq(c.findings, 8);
	ck_assert_int_eq(check_sql_int(ds->db, "SELECT count(*) FROM narrative "
		"WHERE quarantined"), 1);
	ck_assert_int_eq(check_sql_int(ds->db, "SELECT count(*) FROM document "
		"WHERE quarantined AND doc_id = 'p000000-d1'"), 1);
	ck_assert_int_eq(check_sql_int(ds->db, "SELECT count(*) FROM "
		"audit_finding WHERE quarantined AND row_table = 'document'"),
		1);
	/* Back to a policy that quarantines nothing: every flag cleared. */
	in.policy.quarantine = AUDIT_CRITICAL;
	ck_assert_int_eq(dataset_audit_rerun(ds, &in, 1, &c, &err), 0);
	ck_assert_int_eq(c.quarantined, 0);
	dataset_close(ds);
	remove_dataset(path);
}
END_TEST

/* The echo auditor: one finding per present field of every row, its
 * offset the text's length, its reason the persona's age (rowscan.h
 * copies each row, texts and persona, before scanning it elsewhere). */
static int
echo_scan_row(const void *cfg, const struct audit_row *row,
	      audit_emit_fn emit, void *ud)
{
	const cJSON *age = row->persona ? cJSON_GetObjectItem(row->persona,
							     "age") : NULL;
	struct audit_hit h = { .table = row->table, .row_id = row->id,
		.kind = "echo", .severity = AUDIT_INFO, .synthetic = 1 };
	char reason[64];
	size_t i;

	(void)cfg;
	snprintf(reason, sizeof(reason), "age %d", age ? age->valueint : -1);
	h.reason = reason;
	for (i = 0; i < row->nfields; i++)
		if (row->texts[i] != NULL) {
			h.field = row->names[i];
			h.offset = strlen(row->texts[i]);
			emit(ud, &h);
		}
	return 0;
}

static const struct auditor auditor_echo = {
	.name = "echo",
	.version = "1",
	.scan_row = echo_scan_row,
	.needs_persona = 1,
};

/* rowscan_fn: fold what it is handed, in order, into a running text. */
static int
fold_row(void *ud, const struct audit_row *row, int quarantined,
	 const struct row_finding *f, size_t nf)
{
	struct buf *b = ud;
	size_t i;

	buf_printf(b, "%s %s %d:", row->table, row->id, quarantined);
	for (i = 0; i < nf; i++)
		buf_printf(b, " %s/%zu/%s", f[i].field, f[i].offset,
			   f[i].reason);
	return buf_putc(b, '\n');
}

/* findings_score_fn: fold a score into the running text. */
static void
fold_score(void *ud, const struct audit_instance *in,
	   const struct audit_score *v)
{
	buf_printf(ud, "score %s %s %s %s %s %s %lld/%lld/%lld %.6g\n",
		   in->auditor->name, v->table, v->row_id, v->field,
		   v->domain, v->criterion, (long long)v->yes,
		   (long long)v->no, (long long)v->na, v->score);
}

/* Scan a 20-persona demo dataset with auditor a (and its scores when
 * score is set) on one thread and on four: the same rows, findings and
 * scores in the same order. The one-thread text goes to one (the
 * caller frees it); 0 when there is no dataset to scan. */
static int
scan_twice(const struct auditor *a, findings_score_fn score,
	   struct buf *one)
{
	struct audit_instance in = { a, { 1, AUDIT_INFO, AUDIT_HIGH, -1 },
				     NULL };
	struct dataset *ds;
	struct pf_error err;
	struct buf four;
	int64_t rows1, rows4;
	char path[512];

	if (!demo_dataset(20, path, sizeof(path)))
		return 0;
	pf_error_clear(&err);
	ck_assert_int_eq(dataset_open(path, DATASET_READ, &ds, &err), 0);
	buf_init(one, 1 << 24);
	buf_init(&four, 1 << 24);
	ck_assert_int_eq(rowscan_run(ds, &in, 1, 1, &(struct rowscan_ops){
		.row = fold_row, .score = score, .ud = one }, &rows1, &err), 0);
	ck_assert_int_eq(rowscan_run(ds, &in, 1, 4, &(struct rowscan_ops){
		.row = fold_row, .score = score, .ud = &four }, &rows4, &err),
		0);
	ck_assert_int_gt(rows1, ROWSCAN_BATCH);
	ck_assert_int_eq(rows1, rows4);
	ck_assert_uint_eq(one->len, four.len);
	ck_assert_int_eq(memcmp(one->data, four.data, one->len), 0);
	buf_free(&four);
	dataset_close(ds);
	remove_dataset(path);
	return 1;
}

/* A scan on one thread and on four hands over the same rows with the same
 * findings in the same order. */
START_TEST(rowscan_any_threads)
{
	struct buf one;

	if (!scan_twice(&auditor_echo, NULL, &one))
		return;
	ck_assert_ptr_nonnull(strstr(one.data, "/age "));
	ck_assert_ptr_null(strstr(one.data, "age -1"));
	buf_free(&one);
}
END_TEST

/* The echo auditor again, naming the one table it reads. */
static const char *const docs_only[] = { "document", NULL };

static const struct auditor auditor_echo_docs = {
	.name = "echo",
	.version = "1",
	.scan_row = echo_scan_row,
	.needs_persona = 1,
	.tables = docs_only,
};

/* Scan path with auditor a on two threads into b; the rows counted. */
static int64_t
scan_into(const char *path, const struct auditor *a, struct buf *b)
{
	struct audit_instance in = { a, { 1, AUDIT_INFO, AUDIT_HIGH, -1 },
				     NULL };
	struct dataset *ds;
	struct pf_error err;
	int64_t rows = -1;

	pf_error_clear(&err);
	ck_assert_int_eq(dataset_open(path, DATASET_READ, &ds, &err), 0);
	ck_assert_int_eq(rowscan_run(ds, &in, 1, 2, &(struct rowscan_ops){
		.row = fold_row, .ud = b }, &rows, &err), 0);
	dataset_close(ds);
	return rows;
}

/* An auditor that names its tables is handed their rows only, the same
 * rows with the same findings as when it reads every table; the rows it
 * passes over still count. */
START_TEST(rowscan_named_tables)
{
	struct buf all, docs, want;
	const char *line, *end;
	char path[512];

	if (!demo_dataset(3, path, sizeof(path)))
		return;
	buf_init(&all, 1 << 24);
	buf_init(&docs, 1 << 24);
	buf_init(&want, 1 << 24);
	ck_assert_int_eq(scan_into(path, &auditor_echo, &all),
			 scan_into(path, &auditor_echo_docs, &docs));
	for (line = all.data; (end = strchr(line, '\n')) != NULL;
	     line = end + 1)
		if (strncmp(line, "document ", 9) == 0)
			buf_append(&want, line, (size_t)(end - line) + 1);
	ck_assert_uint_gt(want.len, 0);
	ck_assert_uint_lt(want.len, all.len);
	ck_assert_uint_eq(docs.len, want.len);
	ck_assert_int_eq(memcmp(docs.data, want.data, want.len), 0);
	buf_free(&all);
	buf_free(&docs);
	buf_free(&want);
	remove_dataset(path);
}
END_TEST

/* With scoring on (the safety auditor's rubric), one thread and four
 * hand over the same scores and findings in the same order. */
START_TEST(rowscan_scores_any_threads)
{
	struct buf one;

	if (!scan_twice(&auditor_safety, fold_score, &one))
		return;
	ck_assert_ptr_nonnull(strstr(one.data, "score safety "));
	buf_free(&one);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, section_parse, 0, sizeof(section_cases) /
			    sizeof(section_cases[0]));
	tcase_add_loop_test(tc, findings_overflow, 0,
			    sizeof(overflow_cases) / sizeof(overflow_cases[0]));
	tcase_add_loop_test(tc, two_auditors, 0,
			    sizeof(pair_cases) / sizeof(pair_cases[0]));
	tcase_add_test(tc, gate_verdict);
	tcase_add_test(tc, dataset_wide_pass);
	tcase_add_test(tc, rerun_dataset_wide);
	tcase_add_test(tc, rowscan_any_threads);
	tcase_add_test(tc, rowscan_scores_any_threads);
	tcase_add_test(tc, rowscan_named_tables);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
