/* diff.h - what changed between two datasets (`personaforge diff`).
 *
 * Per table of the registry (output/tables.h): rows only in OLD
 * (removed), only in NEW (added), and in both under the same id with
 * another row_sum or quarantine flag (changed). Rows are matched by
 * their DATASET_ID columns and compared by their row_sum checksum, so
 * no text is read twice. Findings (audit_finding, whose ids are not
 * unique) are matched as a multiset of (row, checksum) and tallied by
 * auditor and severity: appeared, went away. Each auditor gate of either
 * dataset's config (run.config, `$.audit`) is counted in both, so a gate
 * NEW fails and OLD passed (or did not have) is seen. Both datasets are
 * only read.
 */
#ifndef PF_DIFF_H
#define PF_DIFF_H

#include <stdint.h>

#include "base/error.h"
#include "output/dataset.h"
#include "output/tables.h"

#define DIFF_MAX_GROUPS 64     /* auditor x severity groups reported */
#define DIFF_MAX_GATES 16      /* gated auditors reported */

struct diff_table {
	const char *name;          /* the registry's */
	int64_t old_rows, new_rows;
	int64_t added, removed, changed;
};

/* Findings of one auditor at one severity, weighted by their `count`
 * (an overflow finding stands for several). */
struct diff_findings {
	char auditor[64];
	char severity[16];
	int64_t old_n, new_n;
	int64_t appeared, went_away;
};

/* One auditor's gate in both datasets; max -1: that dataset's config
 * has no gate for it (which passes). */
struct diff_gate {
	char auditor[64];
	char severity[16];         /* NEW's gate severity, else OLD's */
	int64_t old_hits, new_hits;
	int64_t old_max, new_max;
	int old_fail, new_fail;
};

struct diff_report {
	struct diff_table tables[DATASET_MAX_TABLES];
	size_t ntables;
	struct diff_findings findings[DIFF_MAX_GROUPS];
	size_t nfindings;
	int findings_overflow;     /* more groups than DIFF_MAX_GROUPS */
	struct diff_gate gates[DIFF_MAX_GATES];
	size_t ngates;
};

/* Compare dataset `a` (OLD) with `b` (NEW) into *out. Returns 0, or -1
 * with err filled (a read error, or a config in run that does not
 * parse). */
int dataset_diff(struct dataset *a, struct dataset *b,
		 struct diff_report *out, struct pf_error *err);

/* 1 if some gate fails in NEW and passed in OLD. */
int diff_gate_crossed(const struct diff_report *r);

#endif
