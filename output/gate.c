/* gate.c - the audit gate over a whole dataset (see gate.h). */
#include "output/gate.h"

#include "auditors/policy.h"

/* Real-looking findings of `in` at or above its gate severity, into
 * *hits. Returns 0, or -1 on a read error. */
static int
count_hits(sqlite3_stmt *st, const struct audit_instance *in,
	   int64_t *hits)
{
	int s, rc = SQLITE_ROW;

	*hits = 0;
	sqlite3_bind_text(st, 1, in->auditor->name, -1, SQLITE_STATIC);
	for (s = in->policy.gate_severity; s <= AUDIT_CRITICAL &&
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
prepare_count(struct dataset *ds, struct pf_error *err)
{
	sqlite3_stmt *st;

	if (sqlite3_prepare_v2(ds->db, "SELECT coalesce(sum(count), 0) FROM"
			       " audit_finding WHERE auditor = ?1 AND"
			       " synthetic = 0 AND severity = ?2", -1, &st,
			       NULL) == SQLITE_OK)
		return st;
	pf_error_set(err, "cannot count audit findings: %s",
		     sqlite3_errmsg(ds->db));
	return NULL;
}

int
dataset_gate_count(struct dataset *ds, const struct audit_instance *in,
		   int64_t *hits, struct pf_error *err)
{
	sqlite3_stmt *st = prepare_count(ds, err);
	int rc;

	if (st == NULL)
		return -1;
	rc = count_hits(st, in, hits);
	if (rc != 0)
		pf_error_set(err, "cannot count audit findings: %s",
			     sqlite3_errmsg(ds->db));
	sqlite3_finalize(st);
	return rc;
}

int
dataset_gate_check(struct dataset *ds, const struct audit_instance *auditors,
		   size_t n, int *failed, struct pf_error *err)
{
	sqlite3_stmt *st;
	int64_t hits;
	size_t i;
	int rc = 0;

	*failed = 0;
	if ((st = prepare_count(ds, err)) == NULL)
		return -1;
	for (i = 0; i < n && rc == 0; i++) {
		if (auditors[i].policy.gate_max < 0)
			continue;
		rc = count_hits(st, &auditors[i], &hits);
		if (rc == 0)
			*failed += audit_gate_verdict(&auditors[i], hits);
	}
	if (rc != 0)
		pf_error_set(err, "cannot count audit findings: %s",
			     sqlite3_errmsg(ds->db));
	sqlite3_finalize(st);
	return rc;
}
