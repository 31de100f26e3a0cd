/* tables.h - the dataset table registry: every table of a dataset file
 * but the journal (engine/journal.h owns that one), in one const table.
 *
 * Everything that names a dataset table or column is derived from here:
 * the CREATE TABLE text and the writers' statements (output/tablesql.h),
 * the export walk and both exporters (output/export.h), `stats`, and the
 * test that holds doc/schema.md and output/personaforge.xsd to it. Adding
 * a table is one entry in output/tables.c plus its columns in those two
 * documents.
 *
 * Conventions every entry follows (the code relies on them):
 * - column order is the table's column order in SQLite (SELECT * and
 *   exports depend on it: never reorder, only append);
 * - every table but the head and the tail has a `persona_id` INTEGER
 *   column naming its persona, and a `quarantined` INTEGER flag that the
 *   auditors set (exports leave such rows out, `stats` counts them);
 * - every table ends with its `row_sum` column (DATASET_SUM): the
 *   checksum of the row's other columns but the `quarantined` flag, the
 *   DATASET_KEEP and the DATASET_AUTO ones (output/rowsum.h), written
 *   with the row and checked wherever rows are read back;
 * - rows are named (by findings, by writer_forget) through their
 *   DATASET_ID columns; an INTEGER id column is a persona_id, and such
 *   rows are named by the persona's text id ("p000042"), which
 *   DATASET_PERSONA_KEY turns back into the number.
 *
 * The registry is read-only data; nothing here allocates or fails.
 */
#ifndef PF_TABLES_H
#define PF_TABLES_H

#include <stddef.h>

#define DATASET_MAX_TABLES 32   /* capacity of arrays indexed by table */
#define DATASET_MAX_COLS 128    /* columns of one table, persona included */

/* The column holding a row's persona, in every per-persona table. */
#define DATASET_PERSONA_COL "persona_id"

/* The persona column holding its text id ("p000042"), which names the
 * rows keyed by persona_id. */
#define DATASET_PERSONA_UID "id"

/* SQL turning a row id that names a persona ("p000042", or "42") into its
 * persona_id; X is an SQL expression (a parameter or a column). */
#define DATASET_PERSONA_KEY(X) "CAST(ltrim(" X ", 'p') AS INTEGER)"

enum dataset_type { DATASET_INT, DATASET_TEXT };

enum dataset_col_flag {
	DATASET_ID = 1 << 0,     /* names the row: writers delete by these
				  * columns, findings give them as row_id */
	DATASET_AUDIT = 1 << 1,  /* text the in-stream auditors scan */
	DATASET_ATTR = 1 << 2,   /* XML: an attribute of the record element */
	DATASET_BODY = 1 << 3,   /* XML: the text content of the record */
	DATASET_BOOL = 1 << 4,   /* an integer exported as true/false */
	DATASET_KEEP = 1 << 5,   /* an upsert keeps the stored value */
	DATASET_AUTO = 1 << 6,   /* filled by SQLite (rowid); never written */
	DATASET_HIDDEN = 1 << 7, /* shown by no command (the whole config) */
	DATASET_FIELDS = 1 << 8, /* stands for one column per field of
				  * personas/persona.h, in field order */
	DATASET_POSITIVE = 1 << 9, /* an integer of at least 1
				    * (xs:positiveInteger in the XSD) */
	DATASET_SUM = 1 << 10,    /* the row's checksum (output/rowsum.h) */
	DATASET_JSON = 1 << 11,   /* text holding a JSON value the program
				   * wrote: JSONL embeds it as it is, XML
				   * carries it as text */
	DATASET_NULL = 1 << 12    /* text that may be SQL NULL (none): the
				   * checksum sums it as "", JSONL writes
				   * null, XML an empty value */
};

struct dataset_col {
	const char *name;      /* SQL column; also its JSON key */
	enum dataset_type type;
	const char *sql;       /* column constraints after the type */
	unsigned flags;        /* enum dataset_col_flag bits */
	const char *xml;       /* exported under this XML name; NULL: not
				* exported */
	int out;               /* position among the exported columns, 1.. */
	int sort;              /* position in the export order, 1..; 0 none
				* (per-persona rows sort by persona first) */
};

/* How the writers insert a row. */
enum dataset_write {
	DATASET_REPLACE,  /* INSERT OR REPLACE: a re-accepted item replaces
			   * its rows */
	DATASET_UPSERT,   /* insert, or update every column but the id and
			   * DATASET_KEEP ones (a resumed build keeps a
			   * persona's quarantine, the run its created_at) */
	DATASET_IGNORE,   /* INSERT OR IGNORE: duplicates collapse */
	DATASET_APPEND    /* plain INSERT of every column but DATASET_AUTO */
};

/* Where a table's rows go in an export (and in the walk's order). */
enum dataset_role {
	DATASET_HEAD,      /* one row before the personas (provenance) */
	DATASET_PERSONAS,  /* the personas every other row hangs on */
	DATASET_ONE,       /* at most one row per persona, inside its record */
	DATASET_LIST,      /* a list of rows per persona, in registry order */
	DATASET_SUB,       /* rows grouped into their owner's records */
	DATASET_TAIL,      /* the findings, after the personas; its two ID
			    * columns name the table and the id of the row
			    * a finding is about */
	DATASET_WIDE       /* rows about the dataset as a whole (the
			    * auditors' measures), after the findings; no
			    * persona_id, no quarantine */
};

struct dataset_table {
	const char *name;
	const struct dataset_col *cols;  /* ends with name == NULL */
	const char *constraints;  /* table constraints inside ( ), or NULL */
	const char *options;      /* after the closing ")", or NULL */
	const char *indexes;      /* further DDL run after it, or NULL */
	enum dataset_write write;
	enum dataset_role role;
	const char *owner;        /* DATASET_SUB: the table holding the rows;
				   * they are deleted with its row */
	const char *stats;        /* key in stats' "tables"; NULL: not
				   * counted */
	int quarantine;           /* has the auditors' `quarantined` flag */
	const char *xml_list;     /* XML element of the list; NULL: one row */
	const char *xml_item;     /* XML element of one record (XML element
				   * and JSON key of a SUB row) */
	const char *jsonl;        /* JSONL export file; NULL: nested */
	/* DATASET_WIDE rows about single rows, named like the findings by
	 * its first two ID columns (row_table, row_id): an export leaves
	 * out those about rows it leaves out (reply_rubric). */
	int about_rows;
};

/* The dataset tables in creation and export order. */
extern const struct dataset_table dataset_tables[];
extern const size_t dataset_ntables;

/* The table called name, or NULL. */
const struct dataset_table *dataset_table_find(const char *name);

/* t's index in dataset_tables. */
size_t dataset_table_index(const struct dataset_table *t);

/* The DATASET_SUB table whose rows t's records hold, or NULL. */
const struct dataset_table *dataset_table_sub(const struct dataset_table *t);

/* The first table with role r, or NULL. */
const struct dataset_table *dataset_table_role(enum dataset_role r);

/* 1 if column c is covered by its row's checksum. */
int dataset_col_summed(const struct dataset_col *c);

/* Copy column i (0-based) of t, with DATASET_FIELDS expanded, to *out:
 * a persona field comes out as a TEXT or INTEGER NOT NULL column named
 * after the field, with no flags. Returns 0, or -1 past the last column
 * (*out untouched). */
int dataset_col_at(const struct dataset_table *t, size_t i,
		   struct dataset_col *out);

/* The n-th (0-based) DATASET_ID column of t, or NULL. */
const struct dataset_col *dataset_id_col(const struct dataset_table *t,
					 int n);

/* Fill out[] with t's exported columns in export order; returns their
 * number (at most max). */
size_t dataset_export_cols(const struct dataset_table *t,
			   const struct dataset_col **out, size_t max);

/* Fill out[] with t's sort columns in sort order; returns their number. */
size_t dataset_sort_cols(const struct dataset_table *t,
			 const struct dataset_col **out, size_t max);

#endif
