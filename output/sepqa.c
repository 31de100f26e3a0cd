/* sepqa.c - the SE-PQA / Sy-SE-PQA export (see sepqa.h).
 *
 * An export_sink collects the cqa records (the walk hands them over in
 * persona and item order, so the answers of one question arrive
 * together), then BM25 runs over the collected answers and the files are
 * written. Everything held is bounded by SEPQA_MAX_ANSWERS and
 * SEPQA_MAX_BYTES. */
#include "output/sepqa.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "output/export.h"

#define PATH_BYTES 4096
#define BM25_K1 0.9
#define BM25_B 0.4

/* The SE-PQA answer keys, in the order a question file lists them. */
static const char *const tech_keys[] = {
	"answer_with_body_context", "answer_with_body_base",
	"answer_only_title_pers", "answer_with_body_pers",
};
#define NTECH 4

struct answer {
	char *id, *text;
	int tech;                 /* index in tech_keys, -1 other */
	double overlap;
	uint64_t *terms;          /* sorted term hashes (with repeats) */
	uint32_t nterms;
};

struct question {
	char *id, *community, *title, *body, *top5;
	uint32_t first, n;        /* its answers */
	int comm;                 /* index in sq.comms */
};

struct sq {
	struct answer *a;
	struct question *q;
	uint32_t na, nq, capa, capq;
	size_t bytes;
	char **comms;             /* distinct communities, first-seen order */
	uint32_t ncomm, capc;
	struct pf_error *err;
	/* BM25 */
	uint64_t *dfk;            /* open-addressing table: term -> df */
	uint32_t *dfv;
	uint32_t dfcap;
	double avgdl;
};

static char *
dup_bounded(struct sq *s, const char *t)
{
	size_t n = strlen(t ? t : "");
	char *d;

	if (s->bytes + n + 1 > SEPQA_MAX_BYTES) {
		pf_error_set(s->err, "community QA text passes %zu bytes",
			     SEPQA_MAX_BYTES);
		return NULL;
	}
	if ((d = malloc(n + 1)) == NULL) {
		pf_error_set(s->err, "out of memory");
		return NULL;
	}
	memcpy(d, t ? t : "", n + 1);
	s->bytes += n + 1;
	return d;
}

/* Grow array *p of *cap elements of size sz to hold n + 1, up to max. */
static int
grow(struct sq *s, void **p, uint32_t *cap, uint32_t n, size_t sz,
     uint32_t max)
{
	uint32_t c = *cap ? *cap * 2 : 256;
	void *np;

	if (n < *cap)
		return 0;
	if (n >= max)
		return pf_error_set(s->err, "more than %u community QA "
				    "answers", max);
	if (c > max)
		c = max;
	if ((np = realloc(*p, (size_t)c * sz)) == NULL)
		return pf_error_set(s->err, "out of memory");
	*p = np;
	*cap = c;
	return 0;
}

/* ---- collecting ---- */

static int
tech_of(const char *name)
{
	int t;

	for (t = 0; t < NTECH; t++)
		if (strcmp(tech_keys[t], name) == 0)
			return t;
	return -1;
}

static int
comm_index(struct sq *s, const char *name)
{
	uint32_t i;

	for (i = 0; i < s->ncomm; i++)
		if (strcmp(s->comms[i], name) == 0)
			return (int)i;
	if (grow(s, (void **)&s->comms, &s->capc, s->ncomm,
		 sizeof(*s->comms), 4096) != 0 ||
	    (s->comms[s->ncomm] = dup_bounded(s, name)) == NULL)
		return -1;
	return (int)s->ncomm++;
}

/* "["a","b"]" (a JSON array the writer stored) into "a, b". */
static char *
top5_string(struct sq *s, const char *json)
{
	cJSON *a = cJSON_Parse(json ? json : "[]"), *it;
	struct buf b;
	char *out = NULL;

	buf_init(&b, 4096);
	cJSON_ArrayForEach(it, a)
		if (cJSON_IsString(it))
			buf_printf(&b, "%s%s", b.len ? ", " : "",
				   it->valuestring);
	cJSON_Delete(a);
	out = dup_bounded(s, b.data ? b.data : "");
	buf_free(&b);
	return out;
}

static int
new_question(struct sq *s, const struct export_rec *r, const char *qid)
{
	struct question *q;
	int c;

	if (grow(s, (void **)&s->q, &s->capq, s->nq, sizeof(*s->q),
		 SEPQA_MAX_ANSWERS) != 0 ||
	    (c = comm_index(s, export_rec_text(r, "community"))) < 0)
		return -1;
	q = &s->q[s->nq];
	memset(q, 0, sizeof(*q));
	q->comm = c;
	q->first = s->na;
	if ((q->id = dup_bounded(s, qid)) == NULL ||
	    (q->community = dup_bounded(s, export_rec_text(r, "community"))) ==
	    NULL || (q->title = dup_bounded(s, export_rec_text(r, "title"))) ==
	    NULL || (q->body = dup_bounded(s, export_rec_text(r, "body"))) == NULL ||
	    (q->top5 = top5_string(s, export_rec_text(r, "top5_tags"))) == NULL)
		return -1;
	s->nq++;
	return 0;
}

static int
on_record(void *ud, const struct export_rec *r, enum export_event ev)
{
	struct sq *s = ud;
	const char *qid;
	struct answer *a;

	if (ev != EXPORT_OPEN || strcmp(r->kind->table->name, "cqa") != 0)
		return 0;
	qid = export_rec_text(r, "question_id");
	if ((s->nq == 0 || strcmp(s->q[s->nq - 1].id, qid) != 0) &&
	    new_question(s, r, qid) != 0)
		return -1;
	if (grow(s, (void **)&s->a, &s->capa, s->na, sizeof(*s->a),
		 SEPQA_MAX_ANSWERS) != 0)
		return -1;
	a = &s->a[s->na];
	memset(a, 0, sizeof(*a));
	a->tech = tech_of(export_rec_text(r, "technique"));
	a->overlap = strtod(export_rec_text(r, "tag_overlap"), NULL);
	if ((a->id = dup_bounded(s, export_rec_text(r, "cqa_id"))) == NULL ||
	    (a->text = dup_bounded(s, export_rec_text(r, "answer"))) == NULL)
		return -1;
	s->na++;
	s->q[s->nq - 1].n++;
	return 0;
}

/* ---- BM25 ---- */

#define DF_MAX (1u << 24)   /* distinct terms */

/* The term hashes of text (lower-cased ASCII letter and digit runs,
 * FNV-1a), sorted, into *out (malloc'd); returns how many, -1 if out of
 * memory. */
static int64_t
terms_of(const char *text, uint64_t **out)
{
	size_t n = 0, cap = 64;
	uint64_t *t = malloc(cap * sizeof(*t)), h, *nt;
	const unsigned char *p = (const unsigned char *)text;

	while (t != NULL && *p != '\0') {
		if (!isalnum(*p) || *p >= 0x80) {
			p++;
			continue;
		}
		for (h = 1469598103934665603ULL; *p != '\0' && *p < 0x80 &&
		     isalnum(*p); p++)
			h = (h ^ (uint64_t)tolower(*p)) * 1099511628211ULL;
		if (n == cap) {
			nt = realloc(t, (cap *= 2) * sizeof(*t));
			if (nt == NULL)
				break;
			t = nt;
		}
		t[n++] = h ? h : 1;
	}
	if (t == NULL || *p != '\0') {
		free(t);
		return -1;
	}
	for (size_t i = 1; i < n; i++) {   /* insertion sort: short texts */
		uint64_t v = t[i];
		size_t k = i;

		for (; k > 0 && t[k - 1] > v; k--)
			t[k] = t[k - 1];
		t[k] = v;
	}
	*out = t;
	return (int64_t)n;
}

static uint32_t *
df_slot(struct sq *s, uint64_t h)
{
	uint32_t i = (uint32_t)(h ^ (h >> 32)) & (s->dfcap - 1);

	while (s->dfk[i] != 0 && s->dfk[i] != h)
		i = (i + 1) & (s->dfcap - 1);
	s->dfk[i] = h;
	return &s->dfv[i];
}

static uint32_t
df_get(const struct sq *s, uint64_t h)
{
	uint32_t i = (uint32_t)(h ^ (h >> 32)) & (s->dfcap - 1);

	while (s->dfk[i] != 0 && s->dfk[i] != h)
		i = (i + 1) & (s->dfcap - 1);
	return s->dfk[i] == h ? s->dfv[i] : 0;
}

/* Tokenise every answer and count document frequencies. */
static int
bm25_index(struct sq *s)
{
	uint64_t total = 0, distinct = 0;
	uint32_t i, k;
	int64_t n;

	for (i = 0; i < s->na; i++) {
		if ((n = terms_of(s->a[i].text, &s->a[i].terms)) < 0)
			return pf_error_set(s->err, "out of memory");
		s->a[i].nterms = (uint32_t)n;
		total += (uint64_t)n;
	}
	distinct = total < DF_MAX / 2 ? total : DF_MAX / 2;
	for (s->dfcap = 1024; s->dfcap < distinct * 2; s->dfcap *= 2)
		;
	s->dfk = calloc(s->dfcap, sizeof(*s->dfk));
	s->dfv = calloc(s->dfcap, sizeof(*s->dfv));
	if (s->dfk == NULL || s->dfv == NULL)
		return pf_error_set(s->err, "out of memory");
	for (i = 0; i < s->na; i++)
		for (k = 0; k < s->a[i].nterms; k++)
			if (k == 0 || s->a[i].terms[k] != s->a[i].terms[k - 1])
				(*df_slot(s, s->a[i].terms[k]))++;
	s->avgdl = s->na ? (double)total / (double)s->na : 1.0;
	if (s->avgdl <= 0)
		s->avgdl = 1.0;
	return 0;
}

static uint32_t
tf(const struct answer *a, uint64_t h)
{
	uint32_t lo = 0, hi = a->nterms, n = 0;

	while (lo < hi) {               /* first index >= h */
		uint32_t m = lo + (hi - lo) / 2;

		if (a->terms[m] < h)
			lo = m + 1;
		else
			hi = m;
	}
	while (lo + n < a->nterms && a->terms[lo + n] == h)
		n++;
	return n;
}

/* BM25 of answer a for the distinct query terms qt[nq]. */
static double
bm25(const struct sq *s, const struct answer *a, const uint64_t *qt,
     uint32_t nq)
{
	double score = 0, idf, f, df, norm;
	uint32_t i;

	norm = BM25_K1 * (1 - BM25_B + BM25_B * a->nterms / s->avgdl);
	for (i = 0; i < nq; i++) {
		if (i > 0 && qt[i] == qt[i - 1])
			continue;
		if ((f = tf(a, qt[i])) == 0)
			continue;
		df = df_get(s, qt[i]);
		idf = log(1 + (s->na - df + 0.5) / (df + 0.5));
		score += idf * f * (BM25_K1 + 1) / (f + norm);
	}
	return round(score * 1e4) / 1e4;
}

/* ---- the run of one question ---- */

struct scored {
	uint32_t a;
	double score;
	const char *id;           /* the answer's, for ties */
};

static int
cmp_scored(const void *x, const void *y)
{
	const struct scored *p = x, *q = y;

	if (p->score != q->score)
		return p->score < q->score ? 1 : -1;
	return strcmp(p->id, q->id);
}

/* Add question qi's answers to pool (up to SEPQA_POOL). */
static void
pool_add(const struct sq *s, uint32_t qi, struct scored *pool, int *n)
{
	uint32_t k;

	for (k = 0; k < s->q[qi].n && *n < SEPQA_POOL; k++)
		pool[(*n)++].a = s->q[qi].first + k;
}

/* The pool of question qi: its own answers, then those of the nearest
 * questions of its community; scored and sorted best first. */
static int
run_of(const struct sq *s, uint32_t qi, struct scored *pool)
{
	const struct question *q = &s->q[qi];
	uint64_t *qt = NULL;
	char text[8192];
	int64_t nq;
	uint32_t d;
	int n = 0, i, more = 1;

	pool_add(s, qi, pool, &n);
	for (d = 1; more && n < SEPQA_POOL; d++) {
		more = 0;
		if (qi >= d) {
			more = 1;
			if (s->q[qi - d].comm == q->comm)
				pool_add(s, qi - d, pool, &n);
		}
		if (qi + d < s->nq) {
			more = 1;
			if (s->q[qi + d].comm == q->comm)
				pool_add(s, qi + d, pool, &n);
		}
	}
	snprintf(text, sizeof(text), "%s %s", q->title, q->body);
	if ((nq = terms_of(text, &qt)) < 0)
		return -1;
	for (i = 0; i < n; i++) {
		pool[i].score = bm25(s, &s->a[pool[i].a], qt, (uint32_t)nq);
		pool[i].id = s->a[pool[i].a].id;
	}
	free(qt);
	qsort(pool, (size_t)n, sizeof(*pool), cmp_scored);
	return n;
}

/* ---- writing ---- */

static int
put_str(struct buf *b, const char *v)
{
	return json_quote(b, v, strlen(v));
}

/* The answer of question q under technique t, or NULL. */
static const struct answer *
answer_of(const struct sq *s, const struct question *q, int t)
{
	uint32_t k;

	for (k = 0; k < q->n; k++)
		if (s->a[q->first + k].tech == t)
			return &s->a[q->first + k];
	return NULL;
}

/* The candidate with the highest tag overlap, the first of equals. */
static const struct answer *
best_of(const struct sq *s, const struct question *q)
{
	const struct answer *best = &s->a[q->first];
	uint32_t k;

	for (k = 1; k < q->n; k++)
		if (s->a[q->first + k].overlap > best->overlap)
			best = &s->a[q->first + k];
	return best;
}

static int
exportable(const struct sq *s, const struct question *q)
{
	return q->top5[0] != '\0' && answer_of(s, q, 0) != NULL &&
	       answer_of(s, q, 1) != NULL;
}

/* The question's own file, as join_data_new.py reads it. */
static int
question_json(const struct sq *s, const struct question *q, struct buf *b)
{
	const struct answer *a;
	int t, both = answer_of(s, q, 2) && answer_of(s, q, 3);

	buf_puts(b, "{\"id\": ");
	put_str(b, q->id);
	buf_puts(b, ", \"Title\": ");
	put_str(b, q->title);
	buf_puts(b, ", \"Body\": ");
	put_str(b, q->body);
	buf_puts(b, ", \"top5_tags\": ");
	put_str(b, q->top5);
	for (t = 0; t < NTECH; t++) {
		if ((a = answer_of(s, q, t)) == NULL || (t >= 2 && !both))
			continue;
		buf_printf(b, ", \"%s\": [{\"generated_text\": ", tech_keys[t]);
		put_str(b, a->text);
		buf_puts(b, "}]");
	}
	return buf_puts(b, "}\n");
}

/* Write b to path whole (temporary, fsync, rename). */
static int
write_whole(const char *path, const struct buf *b, struct pf_error *err)
{
	struct export_file f;
	int rc = -1;

	memset(&f, 0, sizeof(f));
	if (export_file_open(&f, path, err) == 0 &&
	    fwrite(b->data ? b->data : "", 1, b->len, f.fp) == b->len &&
	    export_file_close(&f, err) == 0 &&
	    export_file_rename(&f, err) == 0)
		rc = 0;
	else if (err->msg[0] == '\0')
		pf_error_set(err, "cannot write %s: %s", path, strerror(errno));
	export_file_abort(&f);
	return rc;
}

#define OUT_MAX ((size_t)3 << 30)   /* one SE-PQA file */

enum { F_COLL, F_DATA, F_RUN, F_N };

/* The SE-PQA side: every answer into the collection; per exported
 * question its train line and its BM25 run. */
static int
sepqa_side(const struct sq *s, struct buf out[F_N], struct pf_error *err)
{
	struct scored *pool = malloc(SEPQA_POOL * sizeof(*pool));
	const struct answer *best;
	uint32_t i, qi;
	int n, k, rc = 0;

	if (pool == NULL)
		return pf_error_set(err, "out of memory");
	buf_putc(&out[F_COLL], '{');
	for (i = 0; i < s->na; i++) {
		buf_puts(&out[F_COLL], i ? ", " : "");
		put_str(&out[F_COLL], s->a[i].id);
		buf_puts(&out[F_COLL], ": ");
		put_str(&out[F_COLL], s->a[i].text);
	}
	buf_puts(&out[F_COLL], "}\n");
	buf_putc(&out[F_RUN], '{');
	for (qi = 0; rc == 0 && qi < s->nq; qi++) {
		const struct question *q = &s->q[qi];
		char text[8192];

		if (!exportable(s, q))
			continue;
		if ((n = run_of(s, qi, pool)) <= 0) {
			rc = pf_error_set(err, "out of memory");
			break;
		}
		best = best_of(s, q);
		snprintf(text, sizeof(text), "%s %s", q->title, q->body);
		buf_puts(&out[F_DATA], "{\"id\": ");
		put_str(&out[F_DATA], q->id);
		buf_puts(&out[F_DATA], ", \"title\": ");
		put_str(&out[F_DATA], q->title);
		buf_puts(&out[F_DATA], ", \"text\": ");
		put_str(&out[F_DATA], text);
		buf_puts(&out[F_DATA], ", \"best_answer\": ");
		put_str(&out[F_DATA], best->id);
		buf_puts(&out[F_DATA], ", \"rel_ids\": [");
		put_str(&out[F_DATA], best->id);
		buf_puts(&out[F_DATA], "], \"bm25_doc_ids\": [");
		buf_puts(&out[F_RUN], out[F_RUN].len > 1 ? ", " : "");
		put_str(&out[F_RUN], q->id);
		buf_puts(&out[F_RUN], ": {");
		for (k = 0; k < n; k++) {
			buf_puts(&out[F_DATA], k ? ", " : "");
			put_str(&out[F_DATA], s->a[pool[k].a].id);
			buf_puts(&out[F_RUN], k ? ", " : "");
			put_str(&out[F_RUN], s->a[pool[k].a].id);
			buf_printf(&out[F_RUN], ": %.4f", pool[k].score);
		}
		buf_puts(&out[F_DATA], "]}\n");
		rc = buf_puts(&out[F_RUN], "}");
	}
	buf_puts(&out[F_RUN], "}\n");
	free(pool);
	for (k = 0; rc == 0 && k < F_N; k++)
		if (out[k].len + 1 >= out[k].max)
			rc = pf_error_set(err, "an SE-PQA file passes %zu "
					  "bytes", out[k].max);
	return rc;
}

/* Write the three SE-PQA files, renaming them only when all are whole. */
static int
write_side(const struct sq *s, const char *dir, struct pf_error *err)
{
	static const char *const names[F_N] = {
		"answer_collection.json", "train/data_pers.jsonl",
		"train/bm25_run.json"
	};
	struct buf out[F_N];
	int i, rc;

	for (i = 0; i < F_N; i++)
		buf_init(&out[i], OUT_MAX);
	rc = sepqa_side(s, out, err);
	if (rc == 0)
		rc = export_files_write(dir, names, out, F_N, err);
	for (i = 0; i < F_N; i++)
		buf_free(&out[i]);
	return rc;
}

static int
write_questions(const struct sq *s, const char *dir,
		struct sepqa_counts *c, struct pf_error *err)
{
	char path[PATH_BYTES];
	struct buf b;
	uint32_t i;
	int rc = 0;

	buf_init(&b, SEPQA_MAX_BYTES);
	for (i = 0; rc == 0 && i < s->ncomm; i++) {
		snprintf(path, sizeof(path), "%s/%s", dir, s->comms[i]);
		rc = export_make_dir(path, err);
	}
	for (i = 0; rc == 0 && i < s->nq; i++) {
		if (!exportable(s, &s->q[i])) {
			c->skipped++;
			continue;
		}
		buf_reset(&b);
		snprintf(path, sizeof(path), "%s/%s/%s.json", dir,
			 s->q[i].community, s->q[i].id);
		if (question_json(s, &s->q[i], &b) != 0)
			rc = pf_error_set(err, "question %s passes %zu bytes",
					  s->q[i].id, b.max);
		else
			rc = write_whole(path, &b, err);
		c->questions += rc == 0;
	}
	buf_free(&b);
	return rc;
}

static void
sq_free(struct sq *s)
{
	uint32_t i;

	for (i = 0; i < s->na; i++) {
		free(s->a[i].id);
		free(s->a[i].text);
		free(s->a[i].terms);
	}
	for (i = 0; i < s->nq; i++) {
		free(s->q[i].id);
		free(s->q[i].community);
		free(s->q[i].title);
		free(s->q[i].body);
		free(s->q[i].top5);
	}
	for (i = 0; i < s->ncomm; i++)
		free(s->comms[i]);
	free(s->a);
	free(s->q);
	free(s->comms);
	free(s->dfk);
	free(s->dfv);
}

int
sepqa_export_write(struct dataset *ds, const char *dir, unsigned opts,
		   struct sepqa_counts *counts, struct pf_error *err)
{
	struct sq s;
	struct export_sink sink = export_sink_nop;
	struct export_counts ec;
	struct sepqa_counts c;
	char path[PATH_BYTES];
	int rc = -1;

	memset(&s, 0, sizeof(s));
	memset(&ec, 0, sizeof(ec));
	memset(&c, 0, sizeof(c));
	s.err = err;
	sink.ud = &s;
	sink.record = on_record;
	if (export_walk(ds, opts, &sink, &ec, err) != 0)
		goto done;
	if (s.na == 0) {
		pf_error_set(err, "no community QA in this dataset (enable "
			     "the cqa stage: $.stages.cqa.questions > 0)");
		goto done;
	}
	snprintf(path, sizeof(path), "%s/train", dir);
	if (export_make_dir(dir, err) != 0 || export_make_dir(path, err) != 0 ||
	    bm25_index(&s) != 0 || write_questions(&s, dir, &c, err) != 0 ||
	    write_side(&s, dir, err) != 0)
		goto done;
	c.answers = s.na;
	rc = 0;
done:
	c.damaged = ec.damaged;
	if (counts != NULL)
		*counts = c;
	sq_free(&s);
	return rc;
}
