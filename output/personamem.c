/* personamem.c - PersonaMem's token count and export (see
 * personamem.h). */
#include "output/personamem.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/buf.h"
#include "output/export.h"

static int
word_char(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9');
}

size_t
personamem_tokens(const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t n = 0;

	if (s == NULL)
		return 0;
	while (*p != '\0') {
		if (word_char(*p)) {
			while (word_char(*p) || (*p == '\'' && word_char(p[1])))
				p++;
			n++;
		} else {
			/* a blank is no token; a UTF-8 continuation byte
			 * belongs to the character before it */
			n += *p > ' ' && (*p & 0xC0) != 0x80;
			p++;
		}
	}
	return n;
}

/* ---- the export ---- */

#define PM_LINE_MAX ((size_t)1 << 26)   /* one CSV row or context line */

static const char *const pm_columns[] = { "persona_id", "question_id",
	"question_type", "topic", "stereotypical", "context_length_in_tokens",
	"context_length_in_letters", "distance_to_ref_in_blocks",
	"distance_to_ref_in_tokens", "num_irrelevant_tokens",
	"distance_to_ref_proportion_in_context", "user_question_or_message",
	"correct_answer", "all_options", "shared_context_id",
	"end_index_in_shared_context", NULL };

/* A session of the current persona: where its block starts. */
struct pm_doc {
	char doc_id[48];
	int block;               /* its system message's index */
	int64_t tokens_before;   /* tokens of the messages before it */
};

struct pm {
	struct pm_counts *c;
	struct pf_error *err;
	int measure;             /* first pass: only the longest context */
	FILE *q, *x;             /* the CSV and the JSONL (second pass) */
	char uid[48];
	cJSON *msgs;             /* the persona's context */
	int nmsgs;
	int64_t tokens, letters, noise_tokens;
	int ndocs, nitems;
	struct pm_doc docs[PM_MAX_DOCS];
	struct buf line;         /* a row being built */
};

static int
pm_oom(struct pm *m)
{
	return pf_error_set(m->err, "out of memory");
}

/* UTF-8 characters of s. */
static int64_t
letters(const char *s)
{
	int64_t n = 0;

	for (; *s != '\0'; s++)
		n += ((unsigned char)*s & 0xC0) != 0x80;
	return n;
}

/* Append {role, content} to the context and count it. */
static int
add_msg(struct pm *m, const char *role, const char *content, int noise)
{
	cJSON *o = cJSON_CreateObject();
	int64_t t = (int64_t)personamem_tokens(content);

	if (o == NULL || !cJSON_AddItemToArray(m->msgs, o) ||
	    cJSON_AddStringToObject(o, "role", role) == NULL ||
	    cJSON_AddStringToObject(o, "content", content) == NULL)
		return pm_oom(m);
	m->nmsgs++;
	m->tokens += t;
	m->letters += letters(content);
	m->noise_tokens += noise ? t : 0;
	return 0;
}

static int
on_persona(void *ud, const struct export_persona *p,
	   const struct export_rec *narr)
{
	struct pm *m = ud;

	(void)narr;
	snprintf(m->uid, sizeof(m->uid), "%s", p->uid);
	cJSON_Delete(m->msgs);
	if ((m->msgs = cJSON_CreateArray()) == NULL)
		return pm_oom(m);
	m->nmsgs = m->ndocs = m->nitems = 0;
	m->tokens = m->letters = m->noise_tokens = 0;
	return 0;
}

/* Whether entries are user-AI turns: an array of {role: user or
 * assistant, content}. */
static int
is_chat(const cJSON *e)
{
	const cJSON *t;
	const char *role;

	if (!cJSON_IsArray(e) || cJSON_GetArraySize(e) == 0)
		return 0;
	cJSON_ArrayForEach(t, e) {
		role = cJSON_GetStringValue(cJSON_GetObjectItem(t, "role"));
		if (role == NULL || (strcmp(role, "user") &&
		    strcmp(role, "assistant")) || !cJSON_IsString(
		    cJSON_GetObjectItem(t, "content")))
			return 0;
	}
	return 1;
}

/* A session's text: a user-AI chat as its turns, anything else as one
 * user message. */
static int
session_msgs(struct pm *m, const struct export_rec *r, const char *type,
	     int noise)
{
	cJSON *e = strcmp(type, "user_ai") == 0 ?
		   cJSON_Parse(export_rec_text(r, "entries")) : NULL, *t;
	int rc = 0;

	if (!is_chat(e)) {
		cJSON_Delete(e);
		return add_msg(m, "user", export_rec_text(r, "content"),
			       noise);
	}
	cJSON_ArrayForEach(t, e)
		if (rc == 0)
			rc = add_msg(m, cJSON_GetStringValue(
				cJSON_GetObjectItem(t, "role")),
				cJSON_GetStringValue(cJSON_GetObjectItem(t,
				"content")), noise);
	cJSON_Delete(e);
	return rc;
}

/* One session: its block's system message, then its text. */
static int
on_document(struct pm *m, const struct export_rec *r)
{
	const char *type = export_rec_text(r, "doc_type");
	const char *ts = export_rec_text(r, "timestamp");
	int noise = strcmp(export_rec_text(r, "noise"), "0") != 0;
	struct pm_doc *d;
	char mark[512];

	if (m->ndocs >= PM_MAX_DOCS)
		return pf_error_set(m->err, "persona %s has more than %d "
				    "documents", r->uid, PM_MAX_DOCS);
	d = &m->docs[m->ndocs++];
	snprintf(d->doc_id, sizeof(d->doc_id), "%s",
		 export_rec_text(r, "doc_id"));
	d->block = m->nmsgs;
	d->tokens_before = m->tokens;
	snprintf(mark, sizeof(mark), "Session %d (%s, %.10s %.5s): %.300s",
		 m->ndocs, type, ts, strlen(ts) > 11 ? ts + 11 : "",
		 export_rec_text(r, "title"));
	if (add_msg(m, "system", mark, noise) != 0)
		return -1;
	return session_msgs(m, r, type, noise);
}

/* Append one CSV field (RFC 4180: quoted when it holds a comma, quote
 * or line break, quotes doubled), after a comma unless first. */
static int
csv_field(struct buf *b, const char *v, int first)
{
	int rc = first ? 0 : buf_putc(b, ',');

	if (strpbrk(v, ",\"\r\n") == NULL)
		return rc || buf_puts(b, v);
	rc |= buf_putc(b, '"');
	for (; *v != '\0' && rc == 0; v++)
		rc = *v == '"' ? buf_puts(b, "\"\"") : buf_putc(b, *v);
	return rc || buf_putc(b, '"');
}

/* Append s as a Python string literal the way repr() writes it: single
 * quotes unless s holds a single quote and no double one; backslash,
 * the quote and control characters escaped; other text as it is. */
static int
py_str(struct buf *b, const char *s)
{
	char q = strchr(s, '\'') != NULL && strchr(s, '"') == NULL ? '"' :
		 '\'';
	char esc[8];
	int rc = buf_putc(b, q);

	for (; *s != '\0' && rc == 0; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '\\' || c == (unsigned char)q)
			snprintf(esc, sizeof(esc), "\\%c", c);
		else if (c == '\n' || c == '\r' || c == '\t')
			snprintf(esc, sizeof(esc), "\\%c",
				 c == '\n' ? 'n' : c == '\r' ? 'r' : 't');
		else if (c < 0x20 || c == 0x7f)
			snprintf(esc, sizeof(esc), "\\x%02x", c);
		else
			snprintf(esc, sizeof(esc), "%c", c);
		rc = buf_puts(b, esc);
	}
	return rc || buf_putc(b, q);
}

/* all_options: the Python list literal of the four options, each
 * starting "(a) ".."(d) ", as text into *out (the caller frees it).
 * -1 when options is not four strings. */
static int
all_options(const char *options, char **out)
{
	cJSON *a = cJSON_Parse(options);
	struct buf b, one;
	const char *o;
	int k, rc = cJSON_GetArraySize(a) == 4 ? 0 : -1;

	buf_init(&b, PM_LINE_MAX);
	buf_init(&one, PM_LINE_MAX);
	rc = rc || buf_putc(&b, '[');
	for (k = 0; k < 4 && rc == 0; k++) {
		o = cJSON_GetStringValue(cJSON_GetArrayItem(a, k));
		buf_reset(&one);
		rc = o == NULL || buf_printf(&one, "(%c) %s", 'a' + k, o) ||
		     (k > 0 && buf_puts(&b, ", ")) || py_str(&b, one.data);
	}
	rc = rc || buf_putc(&b, ']');
	cJSON_Delete(a);
	buf_free(&one);
	*out = rc == 0 ? buf_detach(&b) : NULL;
	buf_free(&b);
	return rc == 0 && *out != NULL ? 0 : -1;
}

static const struct pm_doc *
doc_of(const struct pm *m, const char *doc_id)
{
	int i;

	for (i = 0; i < m->ndocs; i++)
		if (strcmp(m->docs[i].doc_id, doc_id) == 0)
			return &m->docs[i];
	return NULL;
}

/* The numbers of an item asked after the last session whose answer
 * rests on session d, as the CSV's text fields 5..10. */
static void
numbers(const struct pm *m, const struct pm_doc *d, char f[6][32])
{
	int64_t dist = m->tokens - d->tokens_before;

	snprintf(f[0], 32, "%" PRId64, m->tokens);
	snprintf(f[1], 32, "%" PRId64, m->letters);
	snprintf(f[2], 32, "%d", m->ndocs - (int)(d - m->docs));
	snprintf(f[3], 32, "%" PRId64, dist);
	snprintf(f[4], 32, "%" PRId64, m->noise_tokens);
	snprintf(f[5], 32, "%.2f%%", m->tokens > 0 ? 100.0 * (double)dist /
		 (double)m->tokens : 0.0);
}

/* One item: a CSV row (the question comes after the persona's last
 * session: end index = the context's length). */
static int
on_mcq(struct pm *m, const struct export_rec *r)
{
	const char *id = export_rec_text(r, "mcq_id");
	const struct pm_doc *d = doc_of(m, export_rec_text(r, "doc_id"));
	char f[6][32], end[32], *opts = NULL;
	const char *v[16];
	int i, rc;

	if (d == NULL) {
		m->c->left_out++;
		return 0;
	}
	m->nitems++;
	if (m->measure)
		return 0;
	if (all_options(export_rec_text(r, "options"), &opts) != 0)
		return pf_error_set(m->err, "mcq %s: options are not four "
				    "strings", id);
	numbers(m, d, f);
	snprintf(end, sizeof(end), "%d", m->nmsgs);
	v[0] = m->uid; v[1] = id;
	v[2] = export_rec_text(r, "question_type");
	v[3] = export_rec_text(r, "topic");
	v[4] = "No";
	for (i = 0; i < 6; i++)
		v[5 + i] = f[i];
	v[11] = export_rec_text(r, "question");
	v[12] = export_rec_text(r, "correct_answer");
	v[13] = opts; v[14] = m->uid; v[15] = end;
	buf_reset(&m->line);
	for (rc = 0, i = 0; i < 16 && rc == 0; i++)
		rc = csv_field(&m->line, v[i], i == 0);
	rc = rc || buf_puts(&m->line, "\r\n");
	free(opts);
	if (rc != 0)
		return pf_error_set(m->err, "mcq %s: the row is too long", id);
	fwrite(m->line.data, 1, m->line.len, m->q);
	m->c->questions++;
	return 0;
}

static int
on_record(void *ud, const struct export_rec *r, enum export_event ev)
{
	struct pm *m = ud;
	const char *t = r->kind->table->name;

	if (ev != EXPORT_OPEN || r->uid == NULL)
		return 0;
	if (strcmp(t, "document") == 0)
		return on_document(m, r);
	if (strcmp(t, "mcq") == 0)
		return on_mcq(m, r);
	return 0;
}

/* A persona with items: its context line (second pass), or its length
 * (first pass). */
static int
on_persona_end(void *ud, const struct export_persona *p)
{
	struct pm *m = ud;
	cJSON *o;
	char *text;

	(void)p;
	if (m->nitems == 0)
		return 0;
	if (m->measure) {
		if (m->tokens > m->c->max_tokens)
			m->c->max_tokens = m->tokens;
		return 0;
	}
	if ((o = cJSON_CreateObject()) == NULL)
		return pm_oom(m);
	cJSON_AddItemToObject(o, m->uid, m->msgs);
	m->msgs = NULL;
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (text == NULL)
		return pm_oom(m);
	fprintf(m->x, "%s\n", text);
	cJSON_free(text);
	m->c->personas++;
	m->c->messages += (uint64_t)m->nmsgs;
	return 0;
}

/* One walk over ds with m's settings. */
static int
pm_walk(struct dataset *ds, unsigned opts, struct pm *m)
{
	struct export_sink sink = export_sink_nop;
	struct export_counts ec;
	int rc;

	sink.ud = m;
	sink.persona = on_persona;
	sink.record = on_record;
	sink.persona_end = on_persona_end;
	memset(&ec, 0, sizeof(ec));
	rc = export_walk(ds, opts, &sink, &ec, m->err);
	m->c->damaged = ec.damaged;
	cJSON_Delete(m->msgs);
	m->msgs = NULL;
	return rc;
}

/* PersonaMem's context size tag for the longest context. */
static const char *
size_tag(int64_t tokens)
{
	return tokens <= 32768 ? "32k" : tokens <= 131072 ? "128k" : "1M";
}

/* Open DIR/questions_<tag>.csv and DIR/shared_contexts_<tag>.jsonl
 * into f[0], f[1], the CSV with its header. */
static int
open_files(const char *dir, const char *tag, struct export_file f[2],
	   struct pf_error *err)
{
	char path[4096];
	int i;

	snprintf(path, sizeof(path), "%.4000s/questions_%s.csv", dir, tag);
	if (export_file_open(&f[0], path, err) != 0)
		return -1;
	snprintf(path, sizeof(path), "%.4000s/shared_contexts_%s.jsonl", dir,
		 tag);
	if (export_file_open(&f[1], path, err) != 0)
		return -1;
	for (i = 0; pm_columns[i] != NULL; i++)
		fprintf(f[0].fp, "%s%s", i > 0 ? "," : "", pm_columns[i]);
	fputs("\r\n", f[0].fp);
	return 0;
}

int
personamem_export_write(struct dataset *ds, const char *dir, unsigned opts,
			struct pm_counts *counts, struct pf_error *err)
{
	struct pm m = { .c = counts, .err = err, .measure = 1 };
	struct export_file f[2];
	int rc = -1;

	memset(counts, 0, sizeof(*counts));
	memset(f, 0, sizeof(f));
	buf_init(&m.line, PM_LINE_MAX);
	if (export_make_dir(dir, err) != 0 || pm_walk(ds, opts, &m) != 0)
		goto done;
	if (counts->max_tokens == 0 && counts->left_out == 0) {
		pf_error_set(err, "no multiple-choice items to export (the "
			     "build has no mcq stage: set "
			     "$.stages.mcq.per_persona)");
		goto done;
	}
	snprintf(counts->tag, sizeof(counts->tag), "%s",
		 size_tag(counts->max_tokens));
	counts->left_out = 0;   /* counted again below */
	if (open_files(dir, counts->tag, f, err) != 0)
		goto done;
	m.measure = 0;
	m.q = f[0].fp;
	m.x = f[1].fp;
	if (pm_walk(ds, opts, &m) == 0 &&
	    export_file_close(&f[0], err) == 0 &&
	    export_file_close(&f[1], err) == 0 &&
	    export_file_rename(&f[0], err) == 0 &&
	    export_file_rename(&f[1], err) == 0)
		rc = 0;
done:
	export_file_abort(&f[0]);
	export_file_abort(&f[1]);
	buf_free(&m.line);
	return rc;
}
