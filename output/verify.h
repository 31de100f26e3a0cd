/* verify.h - the whole-file check behind `personaforge verify`.
 *
 * Three passes over one read transaction: SQLite's integrity_check (pages,
 * b-trees, indexes against their tables), the checksum of every row of
 * every registry table (output/rowsum.h), and the reply checksum of every
 * done journal row (engine/journal.h). Nothing is written; a dataset in a
 * read-only folder is verified as it is.
 */
#ifndef PF_VERIFY_H
#define PF_VERIFY_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"
#include "output/dataset.h"
#include "output/tables.h"

struct verify_report {
	int64_t integrity;                     /* integrity_check problems */
	int64_t rows[DATASET_MAX_TABLES];      /* rows checked, by table */
	int64_t damaged[DATASET_MAX_TABLES];   /* rows whose sum differs */
	int64_t journal_rows, journal_damaged;
	int unreadable;      /* a pass stopped at a page SQLite calls corrupt,
			      * or a table's columns are not the registry's */
};

/* Called with one line about each problem found, the first `max` of each
 * pass (the report counts them all). */
typedef void (*verify_emit)(void *ud, const char *line);

/* Verify ds. Returns 0 when every pass ran to its end or stopped at a
 * corrupt page (r says what was found: the file is intact when
 * verify_ok(r)); -1 with err filled when it could not run at all (out of
 * memory, a locked file). */
int dataset_verify(struct dataset *ds, size_t max, verify_emit emit,
		   void *ud, struct verify_report *r, struct pf_error *err);

/* 1 if r found nothing wrong. */
int verify_ok(const struct verify_report *r);

#endif
