/* gate.c - the audit gate over a whole dataset (see gate.h). */
#include "output/gate.h"

#include "auditors/policy.h"

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
			       " synthetic = 0 AND severity = ?2", -1, &st,
			       NULL) != SQLITE_OK) {
		pf_error_set(err, "cannot count audit findings: %s",
			     sqlite3_errmsg(ds->db));
		return NULL;
	}
	return st;
}

/* Prepare the count, run each(st, ud), fill err on a read error. */
static int
with_count(struct dataset *ds, struct pf_error *err,
	   int (*each)(sqlite3_stmt *st, void *ud), void *ud)
{
	sqlite3_stmt *st = count_stmt(ds, err);
	int rc;

	if (st == NULL)
		return -1;
	rc = each(st, ud);
	if (rc != 0)
		pf_error_set(err, "cannot count audit findings: %s",
			     sqlite3_errmsg(ds->db));
	sqlite3_finalize(st);
	return rc;
}

/* What the counting callbacks below work on. */
struct gate_job {
	const char *name;                     /* dataset_gate_count */
	enum audit_severity sev;
	int64_t *hits;
	const struct audit_gate *gates;       /* dataset_gate_check_specs */
	const struct audit_instance *auditors; /* dataset_gate_check */
	size_t n;
	int failed;
};

static int
count_one(sqlite3_stmt *st, void *ud)
{
	struct gate_job *j = ud;

	return count_hits(st, j->name, j->sev, j->hits);
}

static int
judge_specs(sqlite3_stmt *st, void *ud)
{
	struct gate_job *j = ud;
	int64_t hits;
	size_t i;

	for (i = 0; i < j->n; i++) {
		if (count_hits(st, j->gates[i].auditor, j->gates[i].severity,
			       &hits) != 0)
			return -1;
		j->failed += audit_gate_spec_verdict(&j->gates[i], hits);
	}
	return 0;
}

static int
judge_config(sqlite3_stmt *st, void *ud)
{
	struct gate_job *j = ud;
	const struct audit_instance *in;
	int64_t hits;
	size_t i;

	for (i = 0; i < j->n; i++) {
		in = &j->auditors[i];
		if (in->policy.gate_max < 0)
			continue;
		if (count_hits(st, in->auditor->name, in->policy.gate_severity,
			       &hits) != 0)
			return -1;
		j->failed += audit_gate_verdict(in, hits);
	}
	return 0;
}

int
dataset_gate_count(struct dataset *ds, const char *name,
		   enum audit_severity sev, int64_t *hits,
		   struct pf_error *err)
{
	struct gate_job j = { .name = name, .sev = sev, .hits = hits };

	return with_count(ds, err, count_one, &j);
}

int
dataset_gate_check_specs(struct dataset *ds, const struct audit_gate *g,
			 size_t n, int *failed, struct pf_error *err)
{
	struct gate_job j = { .gates = g, .n = n };
	int rc = with_count(ds, err, judge_specs, &j);

	*failed = j.failed;
	return rc;
}

int
dataset_gate_check(struct dataset *ds, const struct audit_instance *auditors,
		   size_t n, int *failed, struct pf_error *err)
{
	struct gate_job j = { .auditors = auditors, .n = n };
	int rc = with_count(ds, err, judge_config, &j);

	*failed = j.failed;
	return rc;
}
