/* rowscan.c - the in-stream auditors over a dataset on all cores (see
 * rowscan.h). */
#include "output/rowscan.h"

#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "output/cursor.h"

#define MAX_FIELDS 16   /* audited text columns of the widest table */
#define MAX_KEPT (FINDINGS_MAX_ROW + FINDINGS_MAX_AUDITORS)
#define MAX_SCORES 256  /* scores of one row (a few per criterion) */

/* A score of a score_row hook, its strings copied into mem. */
struct kept_score {
	const struct audit_instance *in;
	struct audit_score s;
	char *mem;
};

/* One row copied out of the cursor (whose strings live only until its
 * next row), with what the scan found. */
struct slot {
	struct audit_row row;
	const char *names[MAX_FIELDS];
	const char *texts[MAX_FIELDS];
	char *mem;                  /* id and texts; kept across batches */
	size_t cap;
	int quarantined;
	int oom;                    /* a finding could not be kept */
	struct row_finding *f;      /* its findings; kept across batches */
	size_t nf, fcap;
	struct kept_score *sc;      /* its scores (findings_set_scorer) */
	size_t nsc, sccap;
};

struct batch {
	struct slot slot[ROWSCAN_BATCH];
	cJSON *persona[ROWSCAN_BATCH];  /* copies, one per run of rows */
	size_t n, npersona;
};

/* The slot a thread is scanning, for its collector's scorer. */
struct cursor_slot {
	struct slot *s;
};

#define NBATCHES 3   /* scanned, being handed over, being read */

/* What the pool's threads share: the batch being scanned, the one
 * scanned before (handed over meanwhile) and the one read meanwhile
 * (both by index 0 of the run: only it touches the dataset), and one
 * collector each. */
struct scan {
	struct batch *all;          /* NBATCHES of them */
	struct batch *b;            /* being scanned */
	struct batch *done;         /* NULL: nothing to hand over */
	struct batch *next;         /* NULL: nothing more to read */
	struct audit_cursor *cur;
	const struct rowscan_ops *ops;
	struct pf_error *err;
	int64_t *rows;              /* rows read */
	int handed;                 /* hand_over's result for done */
	int got;                    /* the cursor's last answer: 1 more
				     * rows, 0 the end, -1 an error */
	struct findings *fc[POOL_MAX_THREADS];
	struct cursor_slot at[POOL_MAX_THREADS];
};

/* Copy src's strings into s->mem. Returns 0, or -1 when memory runs
 * out or the row has more fields than a slot holds. */
static int
copy_texts(struct slot *s, const struct audit_row *src)
{
	size_t need = strlen(src->id) + 1, i, k;
	char *p;

	if (src->nfields > MAX_FIELDS)
		return -1;
	for (i = 0; i < src->nfields; i++)
		need += src->texts[i] != NULL ? strlen(src->texts[i]) + 1 : 0;
	if (need > s->cap) {
		if ((p = realloc(s->mem, need)) == NULL)
			return -1;
		s->mem = p;
		s->cap = need;
	}
	p = s->mem;
	for (i = 0; i < src->nfields; i++) {
		s->names[i] = src->names[i];
		s->texts[i] = NULL;
		if (src->texts[i] == NULL)
			continue;
		k = strlen(src->texts[i]) + 1;
		memcpy(p, src->texts[i], k);
		s->texts[i] = p;
		p += k;
	}
	memcpy(p, src->id, strlen(src->id) + 1);
	s->row.id = p;
	return 0;
}

/* Append src as the batch's next slot, its persona shared with the slot
 * before when it is the same one. Returns 0, or -1 (memory). */
static int
add_row(struct batch *b, const struct audit_row *src)
{
	struct slot *s = &b->slot[b->n];
	const struct slot *prev = b->n > 0 ? &b->slot[b->n - 1] : NULL;
	cJSON *p = NULL;

	if (copy_texts(s, src) != 0)
		return -1;
	if (src->persona != NULL && prev != NULL && prev->row.persona &&
	    prev->row.persona_id == src->persona_id) {
		p = (cJSON *)prev->row.persona;
	} else if (src->persona != NULL) {
		if ((p = cJSON_Duplicate(src->persona, 1)) == NULL)
			return -1;
		b->persona[b->npersona++] = p;
	}
	s->row.table = src->table;
	s->row.persona_id = src->persona_id;
	s->row.nfields = src->nfields;
	s->row.names = s->names;
	s->row.texts = s->texts;
	s->row.persona = p;
	s->row.query_field = src->query_field;
	b->n++;
	return 0;
}

/* findings_each's fn: keep one finding in the slot. */
static int
keep(void *ud, const struct row_finding *f)
{
	struct slot *s = ud;
	struct row_finding *g;
	size_t cap;

	if (s->nf == s->fcap) {
		cap = s->fcap ? 2 * s->fcap : 8;
		if (cap > MAX_KEPT || (g = realloc(s->f, cap * sizeof(*g)))
		    == NULL)
			return s->oom = -1;
		s->f = g;
		s->fcap = cap;
	}
	s->f[s->nf++] = *f;
	return 0;
}

/* Copy string v into *p (advanced); NULL stays NULL. */
static const char *
put(char **p, const char *v)
{
	char *d = *p;

	if (v == NULL)
		return NULL;
	memcpy(d, v, strlen(v) + 1);
	*p += strlen(v) + 1;
	return d;
}

/* findings_score_fn of a thread's collector: keep the score, with
 * copies of its strings (they live only during the call), in the slot
 * being scanned. */
static void
keep_score(void *ud, const struct audit_instance *in,
	   const struct audit_score *v)
{
	struct slot *s = ((struct cursor_slot *)ud)->s;
	const char *str[] = { v->table, v->row_id, v->field, v->domain,
			      v->criterion, v->items };
	struct kept_score *k;
	size_t need = 0, cap, i;
	char *p;

	for (i = 0; i < sizeof(str) / sizeof(str[0]); i++)
		need += str[i] != NULL ? strlen(str[i]) + 1 : 0;
	if (s->nsc == s->sccap) {
		cap = s->sccap ? 2 * s->sccap : 8;
		if (cap > MAX_SCORES ||
		    (k = realloc(s->sc, cap * sizeof(*k))) == NULL) {
			s->oom = -1;
			return;
		}
		memset(k + s->sccap, 0, (cap - s->sccap) * sizeof(*k));
		s->sc = k;
		s->sccap = cap;
	}
	k = &s->sc[s->nsc];
	if ((p = realloc(k->mem, need + 1)) == NULL) {
		s->oom = -1;
		return;
	}
	k->mem = p;
	k->in = in;
	k->s = *v;
	k->s.table = put(&p, v->table);
	k->s.row_id = put(&p, v->row_id);
	k->s.field = put(&p, v->field);
	k->s.domain = put(&p, v->domain);
	k->s.criterion = put(&p, v->criterion);
	k->s.items = put(&p, v->items);
	s->nsc++;
}

/* pool_fn: scan slot i of the batch with thread t's collector. */
static void
scan_one(void *ud, size_t i, unsigned t)
{
	struct scan *x = ud;
	struct slot *s = &x->b->slot[i];

	s->nf = 0;
	s->nsc = 0;
	s->oom = 0;
	x->at[t].s = s;
	s->quarantined = findings_scan(x->fc[t], &s->row);
	(void)findings_each(x->fc[t], keep, s);
}

/* Hand the scanned batch to fn and empty it. Returns 0 or -1. */
static int
hand_over(struct batch *b, const struct rowscan_ops *ops,
	  struct pf_error *err)
{
	const struct slot *s;
	size_t i, k;
	int rc = 0;

	for (i = 0; i < b->n && rc == 0; i++) {
		s = &b->slot[i];
		if (s->oom)
			rc = pf_error_set(err, "out of memory");
		else if (s->quarantined < 0)
			rc = pf_error_set(err, "cannot score row %s",
					  s->row.id);
		for (k = 0; rc == 0 && ops->score != NULL && k < s->nsc; k++)
			ops->score(ops->ud, s->sc[k].in, &s->sc[k].s);
		if (rc == 0 && ops->row(ops->ud, &s->row, s->quarantined,
					s->f, s->nf) != 0)
			rc = -1;
	}
	for (i = 0; i < b->npersona; i++)
		cJSON_Delete(b->persona[i]);
	b->n = b->npersona = 0;
	return rc;
}

/* Read rows into batch b until it is full or the cursor stops
 * (x->got). */
static void
fill(struct scan *x, struct batch *b)
{
	struct audit_row row;

	while (b->n < ROWSCAN_BATCH &&
	       (x->got = x->cur->next(x->cur, &row, x->err)) == 1)
		if (add_row(b, &row) != 0) {
			x->got = -1;
			pf_error_set(x->err, "out of memory");
			break;
		}
	*x->rows += (int64_t)b->n;
}

/* pool_fn of a run: index 0 hands the batch scanned before over (when
 * there is one) and then reads the next (when there is more), the
 * others scan the batch read before. */
static void
work(void *ud, size_t i, unsigned t)
{
	struct scan *x = ud;

	if (i > 0) {
		scan_one(x, i - 1, t);
		return;
	}
	x->handed = x->done != NULL ? hand_over(x->done, x->ops, x->err)
		    : 0;
	if (x->handed == 0 && x->next != NULL)
		fill(x, x->next);
}

/* The batch that is neither x->done nor x->b: free for reading. */
static struct batch *
spare(const struct scan *x)
{
	int k;

	for (k = 0; k < NBATCHES - 1; k++)
		if (&x->all[k] != x->done && &x->all[k] != x->b)
			break;
	return &x->all[k];
}

/* Read, scan and hand over batch after batch: while one batch is
 * scanned, the one before is handed over and then the next one read.
 * Returns 0 or -1. */
static int
run(struct pool *pool, struct scan *x)
{
	int rc;

	x->b = &x->all[0];
	fill(x, x->b);
	for (;;) {
		x->next = x->got == 1 ? spare(x) : NULL;
		pool_run(pool, 1 + x->b->n, work, x);
		if ((rc = x->handed) != 0)
			break;
		x->done = x->b;
		if ((x->b = x->next) == NULL) {
			rc = hand_over(x->done, x->ops, x->err);
			break;
		}
	}
	return x->got < 0 ? -1 : rc;
}

/* Free what batch b holds (not b itself: the batches are one
 * allocation, freed by rowscan_run). */
static void
batch_free(struct batch *b)
{
	size_t i, k;

	if (b == NULL)
		return;
	for (i = 0; i < ROWSCAN_BATCH; i++) {
		free(b->slot[i].mem);
		free(b->slot[i].f);
		for (k = 0; k < b->slot[i].sccap; k++)
			free(b->slot[i].sc[k].mem);
		free(b->slot[i].sc);
	}
	for (i = 0; i < b->npersona; i++)
		cJSON_Delete(b->persona[i]);
}

int
rowscan_run(struct dataset *ds, const struct audit_instance *v, size_t n,
	    unsigned threads, const struct rowscan_ops *ops, int64_t *rows,
	    struct pf_error *err)
{
	struct scan x = { .all = calloc(NBATCHES, sizeof(*x.all)),
			  .ops = ops, .err = err, .rows = rows };
	struct pool *pool = NULL;
	unsigned i;
	int rc = -1;

	*rows = 0;
	if (x.all == NULL || pool_new(threads, &pool) != 0) {
		pf_error_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < pool_threads(pool); i++) {
		if (findings_new(v, n, &x.fc[i], err) != 0)
			goto out;
		if (ops->score != NULL)
			findings_set_scorer(x.fc[i], keep_score, &x.at[i]);
	}
	/* Rows no auditor of v can find anything in are counted, not
	 * read: the safety rerun of a build reads the replies only. */
	if (dataset_cursor_open_for(ds, v, n, &x.cur, err) != 0)
		goto out;
	rc = run(pool, &x);
	*rows += dataset_cursor_passed(x.cur);
out:
	dataset_cursor_close(x.cur);
	pool_free(pool);
	for (i = 0; i < POOL_MAX_THREADS; i++)
		findings_free(x.fc[i]);
	for (i = 0; x.all != NULL && i < NBATCHES; i++)
		batch_free(&x.all[i]);
	free(x.all);
	return rc;
}
