/* report-int.h - what the files of the report share (output/report.h is
 * the contract; this header is for report*.c only). */
#ifndef PF_REPORT_INT_H
#define PF_REPORT_INT_H

#include <stdio.h>

#include "auditors/auditor.h"
#include "base/error.h"
#include "output/dataset.h"

struct rep {
	struct dataset *ds;
	FILE *out;
	struct pf_error *err;
	const char *const *table_dirs;
	struct audit_instance *aud;   /* the auditors of the stored config */
	size_t naud;
	int offline;                  /* run.backend is offline */
};

/* Open section `id` with its heading; close it. */
void rep_section(struct rep *r, const char *id, const char *title);
void rep_end(struct rep *r);

/* A "not run" notice: what has not run and why. */
void rep_not_run(struct rep *r, const char *what);

/* 1 if auditor `name` is in the stored config. */
int rep_auditor_ran(const struct rep *r, const char *name);

/* Run sql (with ?1 bound to p1 unless it is NULL) and write its rows as
 * an HTML table, headed by the result's column names (underscores shown
 * as spaces), at most `limit` rows (a row saying "none" when there is
 * none); integer columns right-aligned.
 * Returns the rows written, or -1 with r->err filled. */
long rep_table(struct rep *r, const char *sql, const char *p1, long limit);

/* The first column of the first row of sql (?1 bound to p1 unless it is
 * NULL) as an integer (0 without a row); -1 with r->err filled on error
 * (*out untouched). */
int rep_int(struct rep *r, const char *sql, const char *p1,
	    long long *out);

/* The sections of report-people.c and report-audit.c. */
/* The attributes against their tables, then the geography section. */
int rep_attributes(struct rep *r);
int rep_big5(struct rep *r);
int rep_fairness(struct rep *r);
int rep_safety(struct rep *r);
int rep_pii(struct rep *r);
int rep_metric_section(struct rep *r, const char *id, const char *title,
		       const char *auditor);
/* The counterfactual probe's measures (auditor "probe"), or "not run". */
int rep_probe(struct rep *r);

#endif
