/* findings.h - the findings of one row, as every auditor reports them,
 * ready to store in audit_finding.
 *
 * The writer (as rows land) and `audit` (over a whole dataset) both run
 * the in-stream auditors over a row through one collector, so both store
 * a row's findings the same way: at most FINDINGS_MAX_ROW of them, the
 * most severe first (a real-looking one before a synthetic one of the
 * same severity), and for each auditor with more one overflow finding
 * (kind "overflow", `count` the number left out, severity the highest
 * among them, synthetic only if all were, the tally in its reason), so
 * no finding is ever dropped. The row is quarantined when a finding,
 * stored or left out, is at or above its auditor's quarantine severity.
 *
 * Ownership: the collector copies what auditors report (their strings
 * live only during the call); the auditor instances must outlive it.
 */
#ifndef PF_FINDINGS_H
#define PF_FINDINGS_H

#include <stddef.h>
#include <stdint.h>

#include "auditors/auditor.h"
#include "base/error.h"
#include "output/dataset.h"

#define FINDINGS_MAX_ROW 256
#define FINDINGS_MAX_AUDITORS 16

/* One finding to store. */
struct row_finding {
	const struct audit_instance *in;   /* the auditor that found it */
	const char *threshold;        /* "quarantine>=high" */
	enum audit_severity sev;
	int synthetic;
	size_t offset;
	int64_t count;                /* 1, or an overflow's left-out count */
	char field[48], kind[32], masked[64], reason[160];
};

struct findings;

/* A collector for the n auditors of v (at most FINDINGS_MAX_AUDITORS).
 * Returns 0 with *out (findings_free), or -1 with err filled. */
int findings_new(const struct audit_instance *v, size_t n,
		 struct findings **out, struct pf_error *err);

void findings_free(struct findings *fc);   /* accepts NULL */

/* Receives one score of auditor instance `in` (findings_set_scorer). */
typedef void (*findings_score_fn)(void *ud, const struct audit_instance *in,
				  const struct audit_score *s);

/* From now on findings_scan runs, for an auditor that has a score_row
 * hook, that hook in place of its scan_row, handing its scores to fn
 * (with ud): each reply is judged once for its findings and its
 * scores. fn NULL: back to scan_row alone. */
void findings_set_scorer(struct findings *fc, findings_score_fn fn,
			 void *ud);

/* Run every auditor's scan_row (or score_row, see findings_set_scorer)
 * over row, replacing what the collector held. Returns 1 if the row
 * must be quarantined, 0 if not, or -1 when a score_row hook could not
 * run (its findings so far stand). */
int findings_scan(struct findings *fc, const struct audit_row *row);

/* Call fn for each finding of the last scan: the stored ones, then one
 * overflow per auditor that had more. Stops at fn's first nonzero
 * return and returns it; 0 when all went through. */
int findings_each(struct findings *fc,
		  int (*fn)(void *ud, const struct row_finding *f), void *ud);

/* Prepare the insert of one audit_finding row on ds (the registry's
 * column order). Returns the statement (sqlite3_finalize), or NULL with
 * err filled. */
sqlite3_stmt *findings_insert_prepare(struct dataset *ds,
				      struct pf_error *err);

/* Run ins (from findings_insert_prepare) for finding f of auditor
 * `name` at `version` about row (table, row_id). Returns 0, or -1 with
 * err filled. */
int findings_insert(struct dataset *ds, sqlite3_stmt *ins, const char *name,
		    const char *version, const char *table,
		    const char *row_id, const struct row_finding *f,
		    int quarantined, struct pf_error *err);

/* The "quarantine>=SEV" threshold of auditor instance i. */
const char *findings_threshold(const struct findings *fc, size_t i);

#endif
