/* export.h - what the XML and JSONL exporters share.
 *
 * One walk over a dataset in export order, with the quarantine rule, and
 * crash-safe output files. What is exported, under which names and in
 * which order, comes from the table registry (output/tables.h). The walk streams: one cursor per table, all
 * ordered by persona and then by item, advanced in lockstep (a merge), so
 * memory stays flat however large the dataset is and there is no query per
 * persona. An exporter is a set of callbacks (struct export_sink) that
 * turns what the walk hands it into its format.
 *
 * Order, for byte-identical exports: personas by persona_id; under each,
 * its narrative, then backstory turns by (turn, turn_id), documents, facts,
 * QA items and preference pairs by (idx, id), QA evidence by doc_id; then
 * the findings by (row_table, row_id, field, offset, kind, and every other
 * exported column). finding_id is never exported: it is insertion order,
 * which differs between resumed runs.
 *
 * Quarantine: a row with quarantined = 1 is left out, and a quarantined
 * persona takes all its rows with it; a finding is exported when the row
 * it names is exported (findings about tables that are not dataset tables
 * describe the whole dataset and are always exported, findings about rows
 * that do not exist never are). With include_quarantined everything is
 * exported and the quarantined flag travels with the record.
 */
#ifndef PF_EXPORT_H
#define PF_EXPORT_H

#include <stdint.h>
#include <stdio.h>
#include <sqlite3.h>

#include "base/buf.h"
#include "base/error.h"
#include "output/dataset.h"
#include "output/tables.h"

enum export_flag {
	EXPORT_ATTR = 1,  /* XML: attribute of the record's element */
	EXPORT_INT = 2,   /* integer column */
	EXPORT_BOOL = 4,  /* integer column exported as true/false */
	EXPORT_BODY = 8,  /* XML: text content of the record's element */
	EXPORT_JSON = 16, /* text holding JSON: embedded as it is in JSONL */
	EXPORT_NULL = 32  /* text that may be SQL NULL: null in JSONL */
};

#define EXPORT_MAX_COLS 64   /* exported columns of one record type */

/* One exported column of a record. */
struct export_col {
	const char *column;   /* SQL column; also the JSON key */
	const char *xml;      /* XML attribute or element name */
	unsigned flags;       /* enum export_flag bits */
};

/* A record type: one exported table of the registry (output/tables.h),
 * with what the exporters need of it. Its cursor's columns are: 0
 * persona_id, 1 the record's quarantined flag, 2.. cols in order, then
 * the sub column if any. */
struct export_kind {
	const struct dataset_table *table;
	size_t idx;           /* the table's index in dataset_tables */
	const char *list;     /* XML container element, NULL if one-to-one */
	const char *item;     /* XML element of one record */
	const char *file;     /* JSONL file name, NULL if nested */
	const struct dataset_table *sub;  /* rows grouped into each record
					   * (QA evidence), or NULL */
	const char *sub_item; /* XML element / JSON key of the sub rows */
	const char *sub_attr; /* XML attribute holding the sub value */
	struct export_col cols[EXPORT_MAX_COLS + 1];  /* in export order, ends
						       * with column == NULL;
						       * empty for personas
						       * (read from the
						       * table) */
};

/* The statement column of k's sub value: after persona_id, quarantined
 * and k->cols. */
int export_sub_col(const struct export_kind *k);

/* A persona attribute: one column of the persona table. */
struct export_attr {
	int col;              /* index in the persona statement */
	const char *name;     /* column name (a valid XML name) */
	int is_int;           /* declared INTEGER */
	unsigned flags;       /* EXPORT_INT, and EXPORT_JSON for a column the
			       * registry marks DATASET_JSON */
};

struct export_persona {
	const struct export_kind *kind;
	sqlite3_stmt *st;     /* current persona row */
	const struct export_attr *attrs;
	size_t nattrs;
	const char *uid;      /* text id ("p000042"), or persona_id */
	int quarantined;
};

/* One record handed to a sink. st's columns follow export_kind. */
struct export_rec {
	const struct export_kind *kind;
	sqlite3_stmt *st;     /* positioned on the row; see EXPORT_CLOSE */
	const char *uid;      /* the persona's uid; NULL for findings */
	int quarantined;
};

enum export_event {
	EXPORT_OPEN,          /* a record starts; st is its (first) row */
	EXPORT_SUB,           /* a sub row (non-NULL sub column) of it */
	EXPORT_CLOSE          /* it ends; st is already past it: don't read */
};

/* An exporter. Every callback returns 0, or -1 after filling the error
 * the exporter was given. Calls come in this order: begin (the head
 * table's record; its st is NULL when the table has no row), list(open)
 * of the personas, then per persona: persona, then per list kind
 * list(open), record events, list(close), then persona_end; then
 * list(close) of the personas; the findings as one list; the
 * measures (audit_metric) as one list; end. */
struct export_sink {
	void *ud;
	int (*begin)(void *ud, const struct export_rec *run);
	int (*persona)(void *ud, const struct export_persona *p,
		       const struct export_rec *narrative /* or NULL */);
	int (*list)(void *ud, const struct export_kind *k, int open);
	int (*record)(void *ud, const struct export_rec *r,
		      enum export_event ev);
	int (*persona_end)(void *ud, const struct export_persona *p);
	int (*end)(void *ud);
};

/* What to export (bits of the opts argument of the walk and of both
 * exporters; 1 is the old include_quarantined switch). */
enum export_opt {
	EXPORT_QUARANTINED = 1,  /* quarantined rows too, marked */
	EXPORT_PARTIAL = 2       /* only the complete personas (see
				  * output/complete.h) and what hangs on
				  * them; the exporters mark the output
				  * partial */
};

/* A sink whose callbacks all return 0 (ud NULL): an exporter that needs
 * a few events copies it and sets those. */
extern const struct export_sink export_sink_nop;

/* Create dir unless it is already a directory; -1 with err filled
 * (err->file = dir). */
int export_make_dir(const char *dir, struct pf_error *err);

/* The text of column `column` of r's record ("" when r's kind has no
 * such exported column). */
const char *export_rec_text(const struct export_rec *r, const char *column);

/* Write bufs[i] to dir/names[i] for each of n files: each to its
 * temporary name first, all fsynced and closed, then all renamed into
 * place (a name may hold a subdirectory of dir that exists). Returns 0,
 * or -1 with err filled (no target is touched unless all were written). */
int export_files_write(const char *dir, const char *const *names,
		       const struct buf *bufs, int n, struct pf_error *err);

/* Records written per table (by index in dataset_tables): the run row,
 * personas, narratives, list records and findings; sub rows are not
 * counted. */
struct export_counts {
	uint64_t rows[DATASET_MAX_TABLES];
	int damaged;          /* the walk stopped at a damaged row or page
			       * (a checksum mismatch or SQLITE_CORRUPT) */
};

/* Walk ds in export order and feed sink; counts (may be NULL) gets the
 * records handed over. Every row is checked against its checksum
 * (output/rowsum.h) before the sink sees it. Returns 0, or -1 with err
 * filled (by the walk for database errors and damage, with
 * counts->damaged set for damage; by the sink for its own errors). */
int export_walk(struct dataset *ds, unsigned opts,
		const struct export_sink *sink, struct export_counts *counts,
		struct pf_error *err);

/* A file written under a temporary name in its target's directory and
 * renamed over the target only when complete. The temporary name is
 * ".NAME.tmpXXXXXX" (NAME the target's base name) and the file is
 * flock()ed until it is renamed or removed, so a temporary whose writer
 * died (kill -9, power loss) is one nobody holds: the next
 * export_file_open of the same target removes every such file. */
struct export_file {
	char *path;           /* target */
	char *tmp;            /* temporary name; NULL once renamed */
	FILE *fp;             /* open stream; NULL once closed */
	int lock_fd;          /* holds the lock until rename or abort */
};

/* Remove the temporaries of `path` left by writers that died, then create
 * its own (mode 0666 minus the umask). Returns 0, or -1 with err filled
 * (err->file = path). On success the caller ends with export_file_close
 * + export_file_rename, or abort. */
int export_file_open(struct export_file *f, const char *path,
		     struct pf_error *err);

/* Flush, fsync and close the stream; -1 with err filled on any write
 * error seen so far. */
int export_file_close(struct export_file *f, struct pf_error *err);

/* Rename the closed temporary over the target and sync the directory. */
int export_file_rename(struct export_file *f, struct pf_error *err);

/* Close and unlink whatever is left and free f's memory; safe after a
 * successful rename, on a zeroed struct, and twice. */
void export_file_abort(struct export_file *f);

#endif
