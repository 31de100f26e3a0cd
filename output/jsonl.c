/* jsonl.c - the JSONL export: an export_sink writing one line per record
 * into one file per record type (see jsonl.h).
 *
 * Lines are built in one bounded buffer with json_quote (the one JSON
 * string escaper: control characters become \u00XX, invalid UTF-8 U+FFFD)
 * and written whole; no cJSON tree per row.
 */
#include "output/jsonl.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "output/card.h"
#include "output/export.h"

#define PATH_BYTES 8192

struct jsonl_out {
	struct export_file files[DATASET_MAX_TABLES];  /* by table, if it has
							* a file */
	struct export_file card;  /* README.md, the dataset card */
	struct buf line;          /* the record being written */
	struct pf_error *err;
	int incl;                 /* add "quarantined" to every record */
	int partial;              /* add "partial": true to provenance */
	FILE *stream;             /* one JSON document here instead of
				   * files (jsonl_export_stream) */
	int first;                /* no record yet in the stream's list */
};

static int stream_record(struct jsonl_out *j);

/* Report a record that does not fit the line buffer; returns -1. */
static int
too_long(struct jsonl_out *j)
{
	return pf_error_set(j->err, "a record is longer than %zu bytes",
			    j->line.max);
}

/* Append the comma before a member unless it is the first one. */
static int
sep(struct buf *b)
{
	char last = b->len > 0 ? b->data[b->len - 1] : '{';

	return last == '{' || last == '[' ? 0 : buf_putc(b, ',');
}

/* Append `"k":` (with its separator). */
static int
key(struct buf *b, const char *k)
{
	if (sep(b) != 0 || json_quote(b, k, strlen(k)) != 0)
		return -1;
	return buf_putc(b, ':');
}

/* Append column col of st as an integer, a boolean or a string. */
static int
val(struct buf *b, sqlite3_stmt *st, int col, unsigned flags)
{
	const char *s;

	if (flags & EXPORT_BOOL)
		return buf_puts(b, sqlite3_column_int64(st, col) ? "true"
				: "false");
	if (flags & EXPORT_INT)
		return buf_printf(b, "%lld",
				  (long long)sqlite3_column_int64(st, col));
	s = (const char *)sqlite3_column_text(st, col);
	if ((flags & EXPORT_NULL) && s == NULL)
		return buf_puts(b, "null");
	if ((flags & EXPORT_JSON) && s != NULL && *s != '\0')
		return buf_append(b, s, (size_t)sqlite3_column_bytes(st, col));
	return json_quote(b, s ? s : "", s ? (size_t)sqlite3_column_bytes(st,
							col) : 0);
}

/* Append cols as members; with st NULL every value is null. */
static int
put_cols(struct buf *b, const struct export_col *cols, sqlite3_stmt *st)
{
	const struct export_col *c;
	int i;

	for (c = cols, i = 2; c->column != NULL; c++, i++)
		if (key(b, c->column) != 0 ||
		    (st ? val(b, st, i, c->flags) : buf_puts(b, "null")) != 0)
			return -1;
	return 0;
}

/* Append "quarantined": q when quarantined records are exported. */
static int
put_quarantined(struct jsonl_out *j, int q)
{
	if (!j->incl)
		return 0;
	if (key(&j->line, "quarantined") != 0)
		return -1;
	return buf_puts(&j->line, q ? "true" : "false");
}

/* End the line and write it to kind k's file. */
static int
flush_line(struct jsonl_out *j, const struct export_kind *k)
{
	struct export_file *f = &j->files[k->idx];

	if (j->stream != NULL)
		return stream_record(j);
	if (buf_puts(&j->line, "}\n") != 0)
		return too_long(j);
	if (fwrite(j->line.data, 1, j->line.len, f->fp) != j->line.len) {
		snprintf(j->err->file, sizeof(j->err->file), "%s", f->path);
		return pf_error_set(j->err, "write failed: %s",
				    strerror(errno));
	}
	return 0;
}

/* provenance.json: one object, null values when there is no run row. */
static int
on_begin(void *ud, const struct export_rec *run)
{
	struct jsonl_out *j = ud;

	buf_reset(&j->line);
	if (buf_putc(&j->line, '{') != 0 ||
	    put_cols(&j->line, run->kind->cols, run->st) != 0 ||
	    (j->partial && (key(&j->line, "partial") != 0 ||
			    buf_puts(&j->line, "true") != 0)))
		return too_long(j);
	return flush_line(j, run->kind);
}

/* A personas.jsonl line into j->line, without its closing brace:
 * persona_id, the columns, the narrative. */
static int
persona_line(struct jsonl_out *j, const struct export_persona *p,
	     const struct export_rec *narr)
{
	struct buf *b = &j->line;
	size_t i;

	buf_reset(b);
	if (buf_putc(b, '{') != 0 || key(b, "persona_id") != 0 ||
	    json_quote(b, p->uid, strlen(p->uid)) != 0)
		return too_long(j);
	for (i = 0; i < p->nattrs; i++)
		if (key(b, p->attrs[i].name) != 0 ||
		    val(b, p->st, p->attrs[i].col,
			p->attrs[i].flags) != 0)
			return too_long(j);
	if (key(b, dataset_table_role(DATASET_ONE)->xml_item) != 0 ||
	    buf_puts(b, narr ? "{" : "null") != 0)
		return too_long(j);
	if (narr != NULL &&
	    (put_cols(b, narr->kind->cols, narr->st) != 0 ||
	     put_quarantined(j, narr->quarantined) != 0 || buf_putc(b, '}')))
		return too_long(j);
	if (put_quarantined(j, p->quarantined) != 0)
		return too_long(j);
	return 0;
}

/* One personas.jsonl line. */
static int
on_persona(void *ud, const struct export_persona *p,
	   const struct export_rec *narr)
{
	struct jsonl_out *j = ud;

	if (persona_line(j, p, narr) != 0)
		return -1;
	return flush_line(j, p->kind);
}

static int
on_record(void *ud, const struct export_rec *r, enum export_event ev)
{
	struct jsonl_out *j = ud;
	const struct export_kind *k = r->kind;
	struct buf *b = &j->line;
	int rc = 0;

	switch (ev) {
	case EXPORT_OPEN:
		buf_reset(b);
		rc = buf_putc(b, '{');
		if (rc == 0 && r->uid != NULL)
			rc = key(b, "persona_id") ||
			     json_quote(b, r->uid, strlen(r->uid));
		if (rc == 0)
			rc = put_cols(b, k->cols, r->st);
		if (rc == 0 && k->sub != NULL)
			rc = key(b, k->sub_item) || buf_putc(b, '[');
		return rc == 0 ? 0 : too_long(j);
	case EXPORT_SUB:
		if (sep(b) != 0 || val(b, r->st, export_sub_col(k), 0) != 0)
			return too_long(j);
		return 0;
	case EXPORT_CLOSE:
		if ((k->sub != NULL && buf_putc(b, ']') != 0) ||
		    put_quarantined(j, r->quarantined) != 0)
			return too_long(j);
		return flush_line(j, k);
	}
	return -1;
}

/* Open the temporary file of every table that has a file. */
static int
open_files(struct jsonl_out *j, const char *dir)
{
	char path[PATH_BYTES];
	size_t i;
	int n;

	for (i = 0; i < dataset_ntables; i++) {
		if (dataset_tables[i].jsonl == NULL)
			continue;
		n = snprintf(path, sizeof(path), "%s/%s", dir,
			     dataset_tables[i].jsonl);
		if (n < 0 || (size_t)n >= sizeof(path))
			return pf_error_set(j->err, "output path too long");
		if (export_file_open(&j->files[i], path, j->err) != 0)
			return -1;
	}
	n = snprintf(path, sizeof(path), "%s/%s", dir, CARD_FILE);
	if (n < 0 || (size_t)n >= sizeof(path))
		return pf_error_set(j->err, "output path too long");
	return export_file_open(&j->card, path, j->err);
}

/* Sync every file, then rename them all into place. */
static int
commit_files(struct jsonl_out *j)
{
	size_t i;

	for (i = 0; i < DATASET_MAX_TABLES; i++)
		if (export_file_close(&j->files[i], j->err) != 0)
			return -1;
	if (export_file_close(&j->card, j->err) != 0 ||
	    export_file_rename(&j->card, j->err) != 0)
		return -1;
	for (i = 0; i < DATASET_MAX_TABLES; i++)
		if (j->files[i].tmp != NULL &&
		    export_file_rename(&j->files[i], j->err) != 0)
			return -1;
	return 0;
}

int
jsonl_export_write(struct dataset *ds, const char *dir, unsigned opts,
		   struct export_counts *counts, struct pf_error *err)
{
	struct jsonl_out j;
	struct export_sink sink = export_sink_nop;
	struct export_counts local;
	size_t id;
	int rc = -1;

	if (counts == NULL)
		counts = &local;
	sink.ud = &j;
	sink.begin = on_begin;
	sink.persona = on_persona;
	sink.record = on_record;
	memset(&j, 0, sizeof(j));
	j.err = err;
	j.incl = (opts & EXPORT_QUARANTINED) != 0;
	j.partial = (opts & EXPORT_PARTIAL) != 0;
	buf_init(&j.line, BUF_MAX_DEFAULT);
	if (export_make_dir(dir, err) == 0 && open_files(&j, dir) == 0 &&
	    export_walk(ds, opts, &sink, counts, err) == 0 &&
	    card_write(ds, j.card.fp, counts, opts, err) == 0 &&
	    commit_files(&j) == 0)
		rc = 0;
	for (id = 0; id < DATASET_MAX_TABLES; id++)
		export_file_abort(&j.files[id]);
	export_file_abort(&j.card);
	buf_free(&j.line);
	return rc;
}

/* ---- one JSON document on a stream (jsonl_export_stream) ---- */

/* Write s to the stream. */
static int
put(struct jsonl_out *j, const char *s, size_t n)
{
	if (fwrite(s, 1, n, j->stream) == n)
		return 0;
	return pf_error_set(j->err, "write failed: %s", strerror(errno));
}

static int
puts_stream(struct jsonl_out *j, const char *s)
{
	return put(j, s, strlen(s));
}

/* j->line, after its separator in the list. */
static int
put_item(struct jsonl_out *j)
{
	if (puts_stream(j, j->first ? "\n" : ",\n") != 0)
		return -1;
	j->first = 0;
	return put(j, j->line.data, j->line.len);
}

/* The record in j->line, closed, after its separator in the list. */
static int
stream_record(struct jsonl_out *j)
{
	if (buf_putc(&j->line, '}') != 0)
		return too_long(j);
	return put_item(j);
}

/* {"provenance": the run row */
static int
s_begin(void *ud, const struct export_rec *run)
{
	struct jsonl_out *j = ud;

	buf_reset(&j->line);
	if (buf_putc(&j->line, '{') != 0 ||
	    put_cols(&j->line, run->kind->cols, run->st) != 0 ||
	    buf_putc(&j->line, '}') != 0)
		return too_long(j);
	if (puts_stream(j, "{\"provenance\":") != 0)
		return -1;
	return put(j, j->line.data, j->line.len);
}

/* A list's key: its JSONL file's name without ".jsonl" ("documents"),
 * else its table's name. */
static int
put_list_key(struct jsonl_out *j, const struct export_kind *k)
{
	const char *name = k->file != NULL ? k->file : k->table->name;
	const char *dot = strchr(name, '.');
	size_t n = dot != NULL ? (size_t)(dot - name) : strlen(name);

	buf_reset(&j->line);
	if (buf_putc(&j->line, ',') != 0 ||
	    json_quote(&j->line, name, n) != 0 ||
	    buf_puts(&j->line, ":[") != 0)
		return too_long(j);
	return put(j, j->line.data, j->line.len);
}

static int
s_list(void *ud, const struct export_kind *k, int open)
{
	struct jsonl_out *j = ud;

	if (!open)
		return puts_stream(j, "]");
	j->first = 1;
	return put_list_key(j, k);
}

/* A persona object stays open for its lists. */
static int
s_persona(void *ud, const struct export_persona *p,
	  const struct export_rec *narr)
{
	struct jsonl_out *j = ud;

	if (persona_line(j, p, narr) != 0)
		return -1;
	return put_item(j);
}

/* The persona object ends; the next persona follows a comma. */
static int
s_persona_end(void *ud, const struct export_persona *p)
{
	struct jsonl_out *j = ud;

	(void)p;
	j->first = 0;
	return puts_stream(j, "}");
}

int
jsonl_export_stream(struct dataset *ds, FILE *out, unsigned opts,
		    const char *extra, struct pf_error *err)
{
	struct jsonl_out j;
	struct export_sink sink = export_sink_nop;
	int rc = -1;

	sink.ud = &j;
	sink.begin = s_begin;
	sink.persona = s_persona;
	sink.list = s_list;
	sink.record = on_record;
	sink.persona_end = s_persona_end;
	memset(&j, 0, sizeof(j));
	j.err = err;
	j.incl = (opts & EXPORT_QUARANTINED) != 0;
	j.stream = out;
	buf_init(&j.line, BUF_MAX_DEFAULT);
	if (export_walk(ds, opts, &sink, NULL, err) == 0 &&
	    (extra == NULL || (puts_stream(&j, ",") == 0 &&
			       puts_stream(&j, extra) == 0)) &&
	    puts_stream(&j, "}\n") == 0 && fflush(out) == 0)
		rc = 0;
	else if (err->msg[0] == '\0')
		pf_error_set(err, "write failed: %s", strerror(errno));
	buf_free(&j.line);
	return rc;
}
