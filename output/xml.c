/* xml.c - the XML export: an export_sink over xmlTextWriter (see xml.h).
 *
 * Every writer call returns the bytes written or -1; each is checked, and
 * xmlTextWriterFlush is checked at the end because xmlFreeTextWriter
 * returns void and would hide a late write error.
 */
#include "output/xml.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <libxml/xmlwriter.h>

#include "base/buf.h"
#include "output/export.h"
#include "output/sanitize.h"

struct xml_out {
	xmlTextWriterPtr w;
	struct buf scratch;      /* sanitized copy of the current value */
	char num[32];            /* the current integer value as text */
	struct pf_error *err;
	const char *path;        /* output, for messages */
	int partial;             /* mark the root partial="true" */
};

/* Report a failed writer call; returns -1. */
static int
io_fail(struct xml_out *x)
{
	if (x->err != NULL)
		snprintf(x->err->file, sizeof(x->err->file), "%s", x->path);
	return pf_error_set(x->err, "XML write failed: %s",
			    errno ? strerror(errno) : "out of memory");
}

/* The XML text of column col of st: a number, true/false, or sanitized
 * text (borrowed until the next call). NULL with err set when the value
 * does not fit the scratch buffer. */
static const char *
value(struct xml_out *x, sqlite3_stmt *st, int col, unsigned flags)
{
	const char *s;

	if (flags & EXPORT_BOOL)
		return sqlite3_column_int64(st, col) ? "true" : "false";
	if (flags & EXPORT_INT) {
		snprintf(x->num, sizeof(x->num), "%lld",
			 (long long)sqlite3_column_int64(st, col));
		return x->num;
	}
	s = (const char *)sqlite3_column_text(st, col);
	if (s == NULL)
		return "";
	s = sanitize_xml_cstr(&x->scratch, s,
			      (size_t)sqlite3_column_bytes(st, col));
	if (s == NULL)
		pf_error_set(x->err, "a text value is longer than %zu bytes",
			     x->scratch.max);
	return s;
}

static int
start(struct xml_out *x, const char *name)
{
	if (xmlTextWriterStartElement(x->w, BAD_CAST name) < 0)
		return io_fail(x);
	return 0;
}

static int
end(struct xml_out *x)
{
	if (xmlTextWriterEndElement(x->w) < 0)
		return io_fail(x);
	return 0;
}

/* Write attribute name=v; v NULL means value() failed. */
static int
attr(struct xml_out *x, const char *name, const char *v)
{
	if (v == NULL)
		return -1;
	if (xmlTextWriterWriteAttribute(x->w, BAD_CAST name, BAD_CAST v) < 0)
		return io_fail(x);
	return 0;
}

/* Write <name>v</name>, or only v as text when name is NULL. */
static int
elem(struct xml_out *x, const char *name, const char *v)
{
	int rc;

	if (v == NULL)
		return -1;
	if (name == NULL)
		rc = xmlTextWriterWriteString(x->w, BAD_CAST v);
	else
		rc = xmlTextWriterWriteElement(x->w, BAD_CAST name,
					       BAD_CAST v);
	return rc < 0 ? io_fail(x) : 0;
}

/* Write a record's columns into the open element: attributes first, then
 * quarantined="true" if it applies, then child elements or body text. */
static int
put_cols(struct xml_out *x, const struct export_col *cols, sqlite3_stmt *st,
	 int quarantined)
{
	const struct export_col *c;
	int i;

	for (c = cols, i = 2; c->column != NULL; c++, i++)
		if ((c->flags & EXPORT_ATTR) &&
		    attr(x, c->xml, value(x, st, i, c->flags)) != 0)
			return -1;
	if (quarantined && attr(x, "quarantined", "true") != 0)
		return -1;
	for (c = cols, i = 2; c->column != NULL; c++, i++)
		if (!(c->flags & EXPORT_ATTR) &&
		    elem(x, c->flags & EXPORT_BODY ? NULL : c->xml,
			 value(x, st, i, c->flags)) != 0)
			return -1;
	return 0;
}

/* Root element and provenance. */
static int
on_begin(void *ud, const struct export_rec *run)
{
	struct xml_out *x = ud;

	if (xmlTextWriterStartDocument(x->w, NULL, "UTF-8", NULL) < 0 ||
	    xmlTextWriterSetIndent(x->w, 1) < 0 ||
	    xmlTextWriterSetIndentString(x->w, BAD_CAST "  ") < 0)
		return io_fail(x);
	if (start(x, "dataset") != 0 || attr(x, "xmlns", XML_EXPORT_NS) != 0 ||
	    attr(x, "schema_version", XML_EXPORT_VERSION) != 0 ||
	    (x->partial && attr(x, "partial", "true") != 0))
		return -1;
	if (run->st != NULL && (start(x, run->kind->item) != 0 ||
				put_cols(x, run->kind->cols, run->st, 0) != 0 ||
				end(x) != 0))
		return -1;
	return 0;
}

/* <persona id>, its <attributes> and its <narrative>; stays open. */
static int
on_persona(void *ud, const struct export_persona *p,
	   const struct export_rec *narr)
{
	struct xml_out *x = ud;
	size_t i;

	if (start(x, p->kind->item) != 0 || attr(x, "id", p->uid) != 0 ||
	    (p->quarantined && attr(x, "quarantined", "true") != 0) ||
	    start(x, "attributes") != 0)
		return -1;
	for (i = 0; i < p->nattrs; i++)
		if (elem(x, p->attrs[i].name, value(x, p->st, p->attrs[i].col,
		    p->attrs[i].flags)) != 0)
			return -1;
	if (end(x) != 0)
		return -1;
	if (narr == NULL)
		return 0;
	if (start(x, narr->kind->item) != 0 ||
	    put_cols(x, narr->kind->cols, narr->st, narr->quarantined) != 0)
		return -1;
	return end(x);
}

static int
on_list(void *ud, const struct export_kind *k, int open)
{
	struct xml_out *x = ud;

	return open ? start(x, k->list) : end(x);
}

static int
on_record(void *ud, const struct export_rec *r, enum export_event ev)
{
	struct xml_out *x = ud;
	const struct export_kind *k = r->kind;

	switch (ev) {
	case EXPORT_OPEN:
		if (start(x, k->item) != 0)
			return -1;
		return put_cols(x, k->cols, r->st, r->quarantined);
	case EXPORT_SUB:
		if (start(x, k->sub_item) != 0 ||
		    attr(x, k->sub_attr, value(x, r->st, export_sub_col(k),
						0)) != 0)
			return -1;
		return end(x);
	case EXPORT_CLOSE:
		return end(x);
	}
	return -1;
}

static int
on_end_one(void *ud, const struct export_persona *p)
{
	(void)p;
	return end(ud);
}

/* Close every element and push everything to the stream. */
static int
on_end(void *ud)
{
	struct xml_out *x = ud;

	if (xmlTextWriterEndDocument(x->w) < 0 || xmlTextWriterFlush(x->w) < 0)
		return io_fail(x);
	return 0;
}

int
xml_export_write(struct dataset *ds, const char *path, unsigned opts,
		 struct export_counts *counts, struct pf_error *err)
{
	struct xml_out x;
	struct export_file f;
	xmlOutputBufferPtr out;
	struct export_sink sink = {
		&x, on_begin, on_persona, on_list, on_record, on_end_one,
		on_end
	};
	int rc = -1;

	memset(&x, 0, sizeof(x));
	x.err = err;
	x.path = path;
	x.partial = (opts & EXPORT_PARTIAL) != 0;
	buf_init(&x.scratch, BUF_MAX_DEFAULT);
	if (export_file_open(&f, path, err) != 0)
		goto done;
	out = xmlOutputBufferCreateFile(f.fp, NULL);  /* never closes fp */
	x.w = out != NULL ? xmlNewTextWriter(out) : NULL;
	if (x.w == NULL) {
		xmlOutputBufferClose(out);
		pf_error_set(err, "out of memory");
		goto done;
	}
	errno = 0;
	rc = export_walk(ds, opts, &sink, counts, err);
	xmlFreeTextWriter(x.w);
	if (rc == 0)
		rc = export_file_close(&f, err);
	if (rc == 0)
		rc = export_file_rename(&f, err);
done:
	export_file_abort(&f);
	buf_free(&x.scratch);
	return rc;
}
