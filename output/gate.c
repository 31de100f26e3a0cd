/* gate.c - the audit gates over a whole dataset (see gate.h). */
#include "output/gate.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "auditors/policy.h"
#include "base/log.h"
#include "output/findings.h"
#include "output/metrics.h"

/* Real-looking findings of auditor `name` at or above `sev`, into
 * *hits. Returns 0, or -1 on a read error. */
static int
count_hits(sqlite3_stmt *st, const char *name, enum audit_severity sev,
	   int64_t *hits)
{
	int s, rc = SQLITE_ROW;

	*hits = 0;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	for (s = sev; s <= AUDIT_CRITICAL &&
	     rc == SQLITE_ROW; s++) {
		sqlite3_bind_text(st, 2, audit_severity_name(
				  (enum audit_severity)s), -1, SQLITE_STATIC);
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW)
			*hits += sqlite3_column_int64(st, 0);
		sqlite3_reset(st);
	}
	return rc == SQLITE_ROW ? 0 : -1;
}

static sqlite3_stmt *
count_stmt(struct dataset *ds, struct pf_error *err)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(ds->db, "SELECT coalesce(sum(count), 0) FROM"
			       " audit_finding WHERE auditor = ?1 AND"
			       " synthetic = 0 AND severity = ?2 AND kind != '"
			       GATE_KIND "'", -1, &st, NULL) != SQLITE_OK) {
		pf_error_set(err, "cannot count audit findings: %s",
			     sqlite3_errmsg(ds->db));
		return NULL;
	}
	return st;
}

int
dataset_gate_count(struct dataset *ds, const char *name,
		   enum audit_severity sev, int64_t *hits,
		   struct pf_error *err)
{
	sqlite3_stmt *st = count_stmt(ds, err);
	int rc;

	if (st == NULL)
		return -1;
	rc = count_hits(st, name, sev, hits);
	if (rc != 0)
		pf_error_set(err, "cannot count audit findings: %s",
			     sqlite3_errmsg(ds->db));
	sqlite3_finalize(st);
	return rc;
}

/* One judgement in progress: the statements and the verdicts so far. */
struct judge {
	struct dataset *ds;
	sqlite3_stmt *count, *ins;
	int failed;
	struct pf_error *err;
};

/* Store the verdict of gate g (from `source`) on `hits` findings. */
static int
store(struct judge *j, const struct audit_gate *g, const char *source,
      int64_t hits, int failed)
{
	const struct auditor *a = auditor_find(g->auditor);
	struct row_finding f;
	char spec[64];

	memset(&f, 0, sizeof(f));
	audit_gate_format(g, spec, sizeof(spec));
	f.threshold = spec;
	f.sev = AUDIT_INFO;
	f.count = 1;
	snprintf(f.kind, sizeof(f.kind), GATE_KIND);
	snprintf(f.reason, sizeof(f.reason), "%s gate %s: %" PRId64
		 " real-looking findings at or above '%s', at most %" PRId64,
		 source, failed ? "failed" : "passed", hits,
		 audit_severity_name(g->severity), g->max);
	return findings_insert(j->ds, j->ins, g->auditor, a != NULL ?
			       a->version : "", "dataset", "dataset", &f, 0,
			       j->err);
}

static int
count_failed(struct judge *j)
{
	return pf_error_set(j->err, "cannot count audit findings: %s",
			    sqlite3_errmsg(j->ds->db));
}

/* The gate of a measuring auditor: every measure it holds to a threshold
 * (its config's, e.g. max_tvd) must meet it. Stored like the others,
 * with threshold "AUDITOR:measures" and the count of measures beyond
 * theirs; no verdict when it holds none to a threshold. */
static int
judge_measures(struct judge *j, const struct audit_instance *in)
{
	const char *name = in->auditor->name;
	int64_t gated, failing;
	struct row_finding f;
	char spec[64];

	if (dataset_metric_gate_count(j->ds, name, &gated, &failing,
				      j->err) != 0)
		return -1;
	if (gated == 0)
		return 0;
	memset(&f, 0, sizeof(f));
	snprintf(spec, sizeof(spec), "%s:measures", name);
	f.threshold = spec;
	f.sev = AUDIT_INFO;
	f.count = 1;
	snprintf(f.kind, sizeof(f.kind), GATE_KIND);
	snprintf(f.reason, sizeof(f.reason), "config gate %s: %" PRId64
		 " of %" PRId64 " gated measures beyond their thresholds",
		 failing ? "failed" : "passed", failing, gated);
	if (failing > 0) {
		log_error("audit gate failed: %" PRId64 " %s measures beyond "
			  "their thresholds; see the audit_metric table",
			  failing, name);
		j->failed++;
	}
	return findings_insert(j->ds, j->ins, name, in->auditor->version,
			       "dataset", "dataset", &f, 0, j->err);
}

/* Count, judge and store the gates of the config, then of the command
 * line. */
static int
judge_all(struct judge *j, const struct audit_instance *v, size_t n,
	  const struct audit_gate *g, size_t m)
{
	struct audit_gate cg;
	int64_t hits;
	size_t i;
	int f;

	for (i = 0; i < n; i++) {
		if (v[i].auditor->measure != NULL &&
		    judge_measures(j, &v[i]) != 0)
			return -1;
		if (v[i].policy.gate_max < 0)
			continue;
		snprintf(cg.auditor, sizeof(cg.auditor), "%s",
			 v[i].auditor->name);
		cg.severity = v[i].policy.gate_severity;
		cg.max = v[i].policy.gate_max;
		if (count_hits(j->count, cg.auditor, cg.severity, &hits) != 0)
			return count_failed(j);
		f = audit_gate_verdict(&v[i], hits);
		if (store(j, &cg, "config", hits, f) != 0)
			return -1;
		j->failed += f;
	}
	for (i = 0; i < m; i++) {
		if (count_hits(j->count, g[i].auditor, g[i].severity,
			       &hits) != 0)
			return count_failed(j);
		f = audit_gate_spec_verdict(&g[i], hits);
		if (store(j, &g[i], "command-line", hits, f) != 0)
			return -1;
		j->failed += f;
	}
	return 0;
}

static int
prepare(struct judge *j)
{
	j->ins = findings_insert_prepare(j->ds, j->err);
	if (j->ins == NULL)
		return -1;
	j->count = count_stmt(j->ds, j->err);
	return j->count != NULL ? 0 : -1;
}

int
dataset_gates_judge(struct dataset *ds, const struct audit_instance *v,
		    size_t n, const struct audit_gate *g, size_t m,
		    int *failed, struct pf_error *err)
{
	struct judge j = { ds, NULL, NULL, 0, err };
	int rc;

	*failed = 0;
	if (dataset_exec(ds, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	rc = prepare(&j);
	if (rc == 0)
		rc = dataset_exec(ds, "DELETE FROM audit_finding WHERE kind = '"
				  GATE_KIND "' AND row_table = 'dataset'", err);
	if (rc == 0 && judge_all(&j, v, n, g, m) != 0)
		rc = -1;
	sqlite3_finalize(j.count);
	sqlite3_finalize(j.ins);
	if (rc == 0 && dataset_exec(ds, "COMMIT", err) == 0) {
		*failed = j.failed;
		return 0;
	}
	dataset_exec(ds, "ROLLBACK", NULL);
	return -1;
}
