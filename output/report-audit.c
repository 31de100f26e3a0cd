/* report-audit.c - the report's audit sections: fairness and parity,
 * diversity and judge calibration (rows of the `audit_metric` table,
 * which the fairness auditor adds), safety, PII and canary findings. A
 * section whose auditor did not run says so. */
#include <stdio.h>

#include "output/gate.h"
#include "output/html.h"
#include "output/report-int.h"
#include "output/report.h"

#define METRIC_ROWS 300       /* rows of one measures table */

/* Findings by kind and severity, real-looking and synthetic. */
#define FINDINGS_SQL(KIND) \
	"SELECT kind AS " KIND ", severity, " \
	"sum(CASE WHEN synthetic = 0 THEN count ELSE 0 END) AS real_looking, " \
	"sum(CASE WHEN synthetic != 0 THEN count ELSE 0 END) AS synthetic, " \
	"sum(CASE WHEN quarantined != 0 THEN count ELSE 0 END) AS " \
	"quarantining FROM audit_finding WHERE auditor = ?1 AND kind != '" \
	GATE_KIND "' GROUP BY kind, severity ORDER BY kind, CASE severity " \
	"WHEN 'critical' THEN 0 WHEN 'high' THEN 1 WHEN 'medium' THEN 2 " \
	"WHEN 'low' THEN 3 ELSE 4 END"

/* Rows of audit_metric matching `where` (with ?1 = p1), as a table and
 * a count; "not run" when the table is absent or has none. */
static int
metrics(struct rep *r, const char *where, const char *p1, const char *what)
{
	char sql[512];
	long long total;
	long n;
	int has = dataset_has_table(r->ds, "audit_metric", r->err);

	if (has < 0)
		return -1;
	if (!has) {
		rep_not_run(r, what);
		return 0;
	}
	snprintf(sql, sizeof(sql), "SELECT count(*) FROM audit_metric WHERE "
		 "%s", where);
	if (rep_int(r, sql, p1, &total) != 0)
		return -1;
	if (total == 0) {
		rep_not_run(r, what);
		return 0;
	}
	snprintf(sql, sizeof(sql), "SELECT * FROM audit_metric WHERE %s "
		 "ORDER BY auditor", where);
	if ((n = rep_table(r, sql, p1, METRIC_ROWS)) < 0)
		return -1;
	if (total > n)
		fprintf(r->out, "<p>First %ld of %lld measures shown.</p>\n",
			n, total);
	return 0;
}

int
rep_fairness(struct rep *r)
{
	int rc;

	rep_section(r, "fairness", "Fairness and parity");
	fputs("<p>Representation and parity measures with their thresholds "
	      "(the gates), from the <code>audit_metric</code> table.</p>\n",
	      r->out);
	rc = metrics(r, "auditor NOT IN ('diversity', 'judge', 'probe')",
		     NULL,
		     "the fairness auditor (no representation or parity "
		     "measures in this dataset)");
	rep_end(r);
	return rc;
}

int
rep_metric_section(struct rep *r, const char *id, const char *title,
		   const char *auditor)
{
	char what[160];
	int rc;

	rep_section(r, id, title);
	snprintf(what, sizeof(what), "the %s auditor (no %s measures in "
		 "this dataset)", auditor, auditor);
	rc = metrics(r, "auditor = ?1", auditor, what);
	rep_end(r);
	return rc;
}

int
rep_probe(struct rep *r)
{
	int rc;

	rep_section(r, "probe", "Counterfactual probe");
	fputs("<p>The judge's verdict and the answers' length with one "
	      "protected attribute of the persona changed "
	      "(<code>personaforge probe</code>, LLM only): the flip rate "
	      "per attribute with its Wilson interval, the length ratio per "
	      "direction of change with its delta-method interval.</p>\n",
	      r->out);
	rc = metrics(r, "auditor = ?1", "probe", "the counterfactual probe "
		     "(personaforge probe, LLM only, has not run on this "
		     "dataset)");
	rep_end(r);
	return rc;
}

/* One auditor's findings by kind and severity, or "not run". */
static int
findings(struct rep *r, const char *auditor, const char *kind)
{
	char what[160];

	fprintf(r->out, "<h3>%s</h3>\n", auditor);
	if (!rep_auditor_ran(r, auditor)) {
		snprintf(what, sizeof(what), "the %s auditor is not in this "
			 "dataset's config", auditor);
		rep_not_run(r, what);
		return 0;
	}
	return rep_table(r, kind[0] == 'd' ? FINDINGS_SQL("domain") :
			 FINDINGS_SQL("kind"), auditor, 1000) < 0 ? -1 : 0;
}

int
rep_safety(struct rep *r)
{
	int rc;

	rep_section(r, "safety", "Safety findings");
	fputs("<p>Findings of the safety auditor per domain and severity.</p>"
	      "\n", r->out);
	rc = findings(r, "safety", "domain");
	rep_end(r);
	return rc;
}

int
rep_pii(struct rep *r)
{
	int rc;

	rep_section(r, "pii", "PII and canary findings");
	fputs("<p>Real-looking values, and reserved or planted ones "
	      "(synthetic, always info); quarantining: findings at or above "
	      "their auditor's quarantine severity.</p>\n", r->out);
	rc = findings(r, "pii", "kind");
	if (rc == 0)
		rc = findings(r, "canary", "kind");
	if (rc == 0) {
		fputs("<h3>Gates</h3>\n", r->out);
		rc = rep_table(r, "SELECT threshold AS gate, reason AS verdict "
			       "FROM audit_finding WHERE kind = '" GATE_KIND
			       "' ORDER BY threshold", NULL, 1000) < 0 ? -1 : 0;
	}
	rep_end(r);
	return rc;
}
