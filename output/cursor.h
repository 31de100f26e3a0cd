/* cursor.h - the row cursor of auditors/auditor.h over a dataset.
 *
 * Dataset-wide auditor passes read rows through it: every row of every
 * table of the registry (output/tables.h) with audited text columns
 * (DATASET_AUDIT), in registry order, each table in id order, quarantined
 * rows included, with those columns in table order. It
 * streams: one prepared statement at a time, one row in memory, so memory
 * does not grow with the dataset. Rows are named as the writer's findings
 * name them (narrative rows by their persona's id, "p000042"). Each row
 * carries its persona's columns as a JSON object (row->persona), loaded
 * once per run of rows of the same persona.
 */
#ifndef PF_CURSOR_H
#define PF_CURSOR_H

#include "auditors/auditor.h"
#include "base/error.h"
#include "output/dataset.h"

/* Open a cursor over ds, which must stay open while the cursor is used.
 * Returns 0 with *out owned by the caller (dataset_cursor_close), or -1
 * with err filled. */
int dataset_cursor_open(struct dataset *ds, struct audit_cursor **out,
			struct pf_error *err);

/* Open a cursor over ds, as dataset_cursor_open, that reads only the
 * tables some auditor of v (n of them) can find anything in
 * (auditor_reads_table): the rows of the other tables it would read are
 * counted (dataset_cursor_passed), not read. */
int dataset_cursor_open_for(struct dataset *ds,
			    const struct audit_instance *v, size_t n,
			    struct audit_cursor **out, struct pf_error *err);

/* The rows c passed over since it was opened or rewound. */
int64_t dataset_cursor_passed(const struct audit_cursor *c);

/* Finish the current statement and free the cursor; accepts NULL. */
void dataset_cursor_close(struct audit_cursor *c);

#endif
