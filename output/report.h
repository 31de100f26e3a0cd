/* report.h - `personaforge report`: one self-contained HTML file that a
 * researcher reads before publishing a dataset.
 *
 * Inline CSS and SVG only (no script, no network, no font), written in
 * one streaming pass: each section is queried and written in turn, and
 * everything that grows with the dataset is bounded (lists show their
 * first REPORT_LIST_MAX rows then a count, charts their REPORT_BARS_MAX
 * largest values), so the file stays small however many personas there
 * are. Sections: provenance (with requests, tokens, cost and the span of
 * the journal's updates), counts per table and stage, failed items,
 * persona attributes against their tables (personas/target.h), geography,
 * Big Five histograms, fairness and parity measures (the `audit_metric`
 * table), safety findings by domain and severity, PII and canary
 * findings with the gates, diversity, judge calibration, quarantined
 * rows, sample records. A section whose auditor has not run (not in the
 * dataset's config, or its table absent) says so.
 */
#ifndef PF_REPORT_H
#define PF_REPORT_H

#include <stdio.h>

#include "base/error.h"
#include "output/dataset.h"

#define REPORT_LIST_MAX 50    /* rows of the failed and quarantined lists */
#define REPORT_BARS_MAX 12    /* values of one attribute's chart */
#define REPORT_SAMPLES 2      /* sample records per table */
#define REPORT_CELL_MAX 300   /* bytes of one table cell */

/* Write the report of ds to out. `table_dirs` (NULL-terminated; NULL for
 * none) are searched for the persona tables (the TSV files of personas/data) the
 * attributes are compared with; without them that section says so.
 * Returns 0, or -1 with err filled (a database error; write errors show
 * when the caller closes out). */
int report_write(struct dataset *ds, FILE *out,
		 const char *const *table_dirs, struct pf_error *err);

#endif
