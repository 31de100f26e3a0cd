/* cqafile.c - cqa questions from a JSONL file (see cqafile.h). */
#include "generators/cqafile.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/json.h"
#include "base/lines.h"
#include "base/log.h"
#include "base/suggest.h"

/* Keys a line may carry: ours, SE-PQA's names for them, and SE-PQA's
 * other query fields (allowed, not read). */
static const char *const known[] = {
	"id", "title", "body", "tags", "community", "asker", "timestamp",
	"text", "user_id", "score", "views", "favorite", "user_questions",
	"user_answers", "rel_ids", "rel_scores", "rel_timestamps",
	"best_answer", "bm25_doc_ids", NULL,
};

/* One line's reading: its file and number, the error when bad. */
struct rd {
	struct cqa_questions *f;
	const char *path;
	long line;
	char msg[400];
};

static int bad(struct rd *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Say why the line is bad; always -1. */
static int
bad(struct rd *r, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(r->msg, sizeof(r->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int
is_known(const char *k)
{
	int i;

	for (i = 0; known[i] != NULL; i++)
		if (strcmp(known[i], k) == 0)
			return 1;
	return 0;
}

/* A string field, or a number written as an integer (ids, user ids);
 * NULL when absent or of another type. *buf holds a number's text. */
static const char *
str_or_int(const cJSON *o, const char *k, char *buf, size_t n)
{
	const cJSON *v = json_get(o, k);

	if (cJSON_IsString(v))
		return v->valuestring;
	if (cJSON_IsNumber(v) && v->valuedouble == (double)(long long)
	    v->valuedouble) {
		snprintf(buf, n, "%lld", (long long)v->valuedouble);
		return buf;
	}
	return NULL;
}

/* One of two names for a field (ours first); both given is a bad line. */
static const char *
either(struct rd *r, const cJSON *o, const char *ours, const char *sepqa,
       char *buf, size_t n)
{
	const char *a = str_or_int(o, ours, buf, n);

	if (strcmp(ours, sepqa) != 0 && json_get(o, ours) != NULL &&
	    json_get(o, sepqa) != NULL) {
		bad(r, "both \"%s\" and \"%s\" given: keep one", ours, sepqa);
		return NULL;
	}
	if (json_get(o, ours) == NULL)
		a = str_or_int(o, sepqa, buf, n);
	if (a == NULL || a[0] == '\0')
		bad(r, "\"%s\" (or \"%s\") must be a non-empty string", ours,
		    sepqa);
	return a == NULL || a[0] == '\0' ? NULL : a;
}

/* "timestamp": Unix seconds or "YYYY-MM-DDTHH:MM:SS" (UTC). */
static int
read_ts(struct rd *r, const cJSON *v, int64_t *ts)
{
	struct tm tm;
	const char *end;

	if (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
	    v->valuedouble < 1e11) {
		*ts = (int64_t)v->valuedouble;
		return 0;
	}
	memset(&tm, 0, sizeof(tm));
	if (cJSON_IsString(v) && (end = strptime(v->valuestring,
	    "%Y-%m-%dT%H:%M:%S", &tm)) != NULL && (*end == '\0' ||
	    strcmp(end, "Z") == 0)) {
		*ts = (int64_t)timegm(&tm);
		return 0;
	}
	return bad(r, "\"timestamp\" must be Unix seconds or "
		   "\"YYYY-MM-DDTHH:MM:SS\"");
}

static int
read_tags(struct rd *r, const cJSON *o, struct cqa_fq *q)
{
	const cJSON *a = json_get(o, "tags"), *t;

	if (!cJSON_IsArray(a))
		return bad(r, "\"tags\" must be an array of strings");
	if (cJSON_GetArraySize(a) > CQA_TAGS_MAX)
		return bad(r, "more than 5 tags");
	cJSON_ArrayForEach(t, a) {
		if (!cJSON_IsString(t) || t->valuestring[0] == '\0')
			return bad(r, "\"tags\" must be an array of non-empty "
				   "strings");
		if ((q->tags[q->ntags++] = strdup(t->valuestring)) == NULL)
			return bad(r, "out of memory");
	}
	return 0;
}

/* The community: "community", else the id's prefix before its last '_'
 * (SE-PQA ids are "<community>_<post id>"). */
static int
read_comm(struct rd *r, const cJSON *o, const char *id, struct cqa_fq *q)
{
	const cJSON *c = json_get(o, "community");
	const char *names[CQA_COMM_MAX + 1], *us, *near;
	char name[96];
	size_t i;

	if (c != NULL && !cJSON_IsString(c))
		return bad(r, "\"community\" must be a string");
	if (c != NULL)
		snprintf(name, sizeof(name), "%s", c->valuestring);
	else if ((us = strrchr(id, '_')) != NULL && us - id < 96)
		snprintf(name, sizeof(name), "%.*s", (int)(us - id), id);
	else
		return bad(r, "no \"community\", and the id \"%s\" has no "
			   "\"<community>_\" prefix", id);
	if ((q->comm = community_find(name)) != NULL)
		return 0;
	for (i = 0; i < ncommunities && i < CQA_COMM_MAX; i++)
		names[i] = communities[i].name;
	names[i] = NULL;
	if ((near = suggest_closest(name, names)) != NULL)
		return bad(r, "unknown community \"%s\"; did you mean "
			   "\"%s\"?", name, near);
	return bad(r, "unknown community \"%s\" (SE-PQA's 50 are listed "
		   "in doc/config.md)", name);
}

/* "body", or SE-PQA's "text" (title + body) without its title. */
static const char *
body_of(struct rd *r, const cJSON *o, const char *title)
{
	const char *b = json_get_str(o, "body", NULL);
	const char *t = json_get_str(o, "text", NULL);
	size_t n = strlen(title);

	if (json_get(o, "body") != NULL && json_get(o, "text") != NULL)
		return bad(r, "both \"%s\" and \"%s\" given: keep one", "body",
			   "text"), NULL;
	if (b == NULL && t != NULL) {
		b = strncmp(t, title, n) == 0 ? t + n : t;
		b += strspn(b, " \t\n");
	}
	if (b == NULL)
		bad(r, "\"body\" (or \"text\") must be a string");
	return b;
}

static int
read_fields(struct rd *r, const cJSON *o, struct cqa_fq *q)
{
	char ib[32], ab[32];
	const char *id, *asker, *title, *body;
	const cJSON *k;

	if (!cJSON_IsObject(o))
		return bad(r, "expected a JSON object");
	cJSON_ArrayForEach(k, o)
		if (!is_known(k->string))
			return bad(r, "unknown field \"%s\"", k->string);
	if ((id = either(r, o, "id", "id", ib, sizeof(ib))) == NULL ||
	    (asker = either(r, o, "asker", "user_id", ab, sizeof(ab))) ==
	    NULL)
		return -1;
	title = json_get_str(o, "title", NULL);
	if (title == NULL || title[0] == '\0')
		return bad(r, "\"title\" must be a non-empty string");
	if ((body = body_of(r, o, title)) == NULL ||
	    read_tags(r, o, q) != 0 || read_comm(r, o, id, q) != 0)
		return -1;
	if (json_get(o, "timestamp") != NULL &&
	    read_ts(r, json_get(o, "timestamp"), &q->ts) != 0)
		return -1;
	q->id = strdup(id);
	q->asker = strdup(asker);
	q->title = strdup(title);
	q->body = strdup(body);
	if (!q->id || !q->asker || !q->title || !q->body)
		return bad(r, "out of memory");
	return 0;
}

static void
fq_free(struct cqa_fq *q)
{
	int i;

	free(q->id);
	free(q->title);
	free(q->body);
	free(q->asker);
	for (i = 0; i < q->ntags; i++)
		free(q->tags[i]);
}

/* Parse one non-blank line and append it; -1 with r->msg when bad. */
static int
add_line(struct rd *r, const char *text, size_t len)
{
	struct cqa_questions *f = r->f;
	struct json_error je;
	struct cqa_fq q;
	cJSON *o = NULL;
	void *p;
	int rc, has_ts;

	memset(&q, 0, sizeof(q));
	if (json_parse(text, len, &o, &je) != 0)
		return bad(r, "not JSON: %s (column %d)", je.msg, je.col);
	has_ts = json_get(o, "timestamp") != NULL;
	rc = read_fields(r, o, &q);
	cJSON_Delete(o);
	if (rc == 0 && f->n > 0 && has_ts != f->timestamps)
		rc = bad(r, "\"timestamp\" %s here but %s on the first "
			 "question: give it on every line or on none",
			 has_ts ? "given" : "missing",
			 has_ts ? "missing" : "given");
	if (rc == 0 && f->n >= CQA_FILE_QUESTIONS)
		rc = bad(r, "more than %d questions", CQA_FILE_QUESTIONS);
	if (rc == 0 && f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 256;
		if ((p = realloc(f->q, (size_t)f->cap * sizeof(*f->q))) == NULL)
			rc = bad(r, "out of memory");
		else
			f->q = p;
	}
	if (rc != 0)
		return fq_free(&q), -1;
	f->timestamps = has_ts;
	q.line = r->line;
	f->q[f->n++] = q;
	return 0;
}

/* ---- after reading: ids, histories, the personalised list ---- */

static const struct cqa_questions *sort_f;   /* qsort has no context */

static int
by_id(const void *a, const void *b)
{
	const struct cqa_fq *x = &sort_f->q[*(const int *)a];
	const struct cqa_fq *y = &sort_f->q[*(const int *)b];
	int c = strcmp(x->id, y->id);

	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int
by_asker(const void *a, const void *b)
{
	const struct cqa_fq *x = &sort_f->q[*(const int *)a];
	const struct cqa_fq *y = &sort_f->q[*(const int *)b];
	int c = strcmp(x->asker, y->asker);

	if (c == 0)
		c = (x->ts > y->ts) - (x->ts < y->ts);
	return c ? c : (x->line > y->line) - (x->line < y->line);
}

static int
by_comm(const void *a, const void *b)
{
	const struct cqa_fq *x = &sort_f->q[*(const int *)a];
	const struct cqa_fq *y = &sort_f->q[*(const int *)b];

	if (x->comm != y->comm)
		return x->comm < y->comm ? -1 : 1;
	return (x->line > y->line) - (x->line < y->line);
}

static int *
sorted(const struct cqa_questions *f, int (*cmp)(const void *, const void *))
{
	int *o = malloc(((size_t)f->n + 1) * sizeof(*o));
	int i;

	if (o == NULL)
		return NULL;
	for (i = 0; i < f->n; i++)
		o[i] = i;
	sort_f = f;
	qsort(o, (size_t)f->n, sizeof(*o), cmp);
	return o;
}

/* Report a bad line: file:line: msg. */
static void
report(const char *path, long line, const char *msg, int nbad,
       struct pf_error *err)
{
	struct pf_error e;

	pf_error_clear(&e);
	snprintf(e.file, sizeof(e.file), "%s", path);
	e.line = (int)line;
	pf_error_set(&e, "%s", msg);
	if (nbad < CQA_FILE_REPORT)
		pf_error_print(&e);
	if (nbad == 0)
		*err = e;
}

/* A repeated id is a bad line (the later one). Returns the count. */
static int
check_ids(const struct cqa_questions *f, const int *o, int nbad,
	  struct pf_error *err)
{
	char msg[400];
	int i, n = 0;

	for (i = 1; i < f->n; i++) {
		const struct cqa_fq *a = &f->q[o[i - 1]], *b = &f->q[o[i]];

		if (strcmp(a->id, b->id) != 0)
			continue;
		snprintf(msg, sizeof(msg), "id \"%s\" is also on line %ld",
			 b->id, a->line);
		report(f->path, b->line, msg, nbad + n++, err);
	}
	return n;
}

/* Without timestamps, the file order spread over the generated span. */
static void
spread_times(struct cqa_questions *f)
{
	int i;

	if (f->timestamps)
		return;
	for (i = 0; i < f->n; i++)
		f->q[i].ts = CQA_EPOCH + (int64_t)((double)(i + 1) /
			     (double)(f->n + 1) * (double)CQA_SPAN);
}

/* pos, group and the personalised list (file order). */
static int
index_askers(struct cqa_questions *f, int min_history)
{
	int i, start = 0;

	for (i = 0; i < f->n; i++) {
		struct cqa_fq *q = &f->q[f->order[i]];

		if (i > 0 && strcmp(q->asker, f->q[f->order[i - 1]].asker))
			start = i;
		q->group = start;
		q->pos = i - start;
	}
	if ((f->pers = malloc(((size_t)f->n + 1) * sizeof(int))) ==
	    NULL)
		return -1;
	for (i = 0; i < f->n; i++)
		if (f->q[i].pos >= min_history && f->q[i].pos < CQA_POSTS_MAX)
			f->pers[f->npers++] = i;
	return 0;
}

static int
index_comms(struct cqa_questions *f)
{
	int i, c;

	if ((f->bycomm = sorted(f, by_comm)) == NULL)
		return -1;
	for (c = 0, i = 0; c <= CQA_COMM_MAX; c++) {
		while (i < f->n && f->q[f->bycomm[i]].comm - communities < c)
			i++;
		f->cstart[c] = i;
	}
	return 0;
}

/* Read every line; returns the count of bad ones, -1 on a read error. */
static int
read_all(struct cqa_questions *f, struct lines *l, struct pf_error *err)
{
	struct rd r = { .f = f, .path = f->path };
	struct line ln;
	enum lines_result lr;
	int nbad = 0;

	while ((lr = lines_next(l, &ln, err)) != LINES_END) {
		if (lr == LINES_ERROR)
			return -1;
		r.line = ln.lineno;
		if (lr == LINES_LONG)
			snprintf(r.msg, sizeof(r.msg), "longer than %d bytes",
				 CQA_FILE_LINE_MAX);
		else if (ln.text[strspn(ln.text, " \t")] == '\0' ||
			 add_line(&r, ln.text, ln.len) == 0)
			continue;
		report(f->path, r.line, r.msg, nbad++, err);
	}
	return nbad;
}

int
cqa_questions_load(const char *path, int min_history,
		   struct cqa_questions **out, struct pf_error *err)
{
	struct cqa_questions *f = calloc(1, sizeof(*f));
	struct lines *l = NULL;
	int *ids = NULL, nbad = -1;

	*out = NULL;
	if (f == NULL || (f->path = strdup(path)) == NULL) {
		pf_error_set(err, "out of memory");
		goto done;
	}
	if (lines_open(path, CQA_FILE_LINE_MAX, &l, err) != 0 ||
	    (nbad = read_all(f, l, err)) < 0)
		goto done;
	if ((ids = sorted(f, by_id)) == NULL)
		goto oom;
	nbad += check_ids(f, ids, nbad, err);
	if (nbad > 0) {
		if (nbad > CQA_FILE_REPORT)
			log_print(PF_LOG_ERROR, NULL, "%s: %d bad lines, the "
				  "first %d shown", path, nbad,
				  CQA_FILE_REPORT);
		goto done;
	}
	spread_times(f);
	if ((f->order = sorted(f, by_asker)) == NULL ||
	    index_askers(f, min_history) != 0 || index_comms(f) != 0)
		goto oom;
	*out = f;
	f = NULL;
	goto done;
oom:
	nbad = -1;
	pf_error_set(err, "out of memory");
done:
	free(ids);
	lines_close(l);
	cqa_questions_free(f);
	return nbad > 0 ? CQA_FILE_BAD_LINES : nbad < 0 ? -1 : 0;
}

void
cqa_questions_free(struct cqa_questions *f)
{
	int i;

	if (f == NULL)
		return;
	for (i = 0; i < f->n; i++)
		fq_free(&f->q[i]);
	free(f->q);
	free(f->order);
	free(f->pers);
	free(f->bycomm);
	free(f->path);
	free(f);
}

static void
post_of(const struct cqa_fq *q, struct cqa_post *p)
{
	int i;

	p->comm = q->comm;
	p->ntags = q->ntags;
	for (i = 0; i < q->ntags; i++)
		p->tags[i] = q->tags[i];
	p->ts = q->ts;
	p->src = q;
}

int
cqa_questions_history(const struct cqa_questions *f, int k, int64_t persona,
		      struct cqa_history *h)
{
	const struct cqa_fq *q = &f->q[k];
	int i, n = 0;

	memset(h, 0, sizeof(*h));
	h->persona = persona;
	for (i = q->group; i < f->n && n < CQA_POSTS_MAX; i++) {
		const struct cqa_fq *e = &f->q[f->order[i]];

		if (strcmp(e->asker, q->asker) != 0)
			break;
		post_of(e, &h->asked[n++]);
	}
	h->nasked = n;
	h->home[0] = q->comm;
	h->nhome = 1;
	return q->pos;
}

int
cqa_questions_post(const struct cqa_questions *f, const struct community *c,
		   uint64_t r, struct cqa_post *p)
{
	int ci = (int)(c - communities), n;
	int64_t ts = p->ts;

	if (ci < 0 || ci >= CQA_COMM_MAX)
		return -1;
	n = f->cstart[ci + 1] - f->cstart[ci];
	if (n <= 0)
		return -1;
	post_of(&f->q[f->bycomm[f->cstart[ci] + (int)(r % (uint64_t)n)]], p);
	p->ts = ts;       /* the answer's own date */
	p->src = NULL;
	return 0;
}
