/* rowscan.c - the in-stream auditors over a dataset on all cores (see
 * rowscan.h). */
#include "output/rowscan.h"

#include <stdlib.h>
#include <string.h>

#include "base/pool.h"
#include "output/cursor.h"

#define MAX_FIELDS 16   /* audited text columns of the widest table */
#define MAX_KEPT (FINDINGS_MAX_ROW + FINDINGS_MAX_AUDITORS)

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
};

struct batch {
	struct slot slot[ROWSCAN_BATCH];
	cJSON *persona[ROWSCAN_BATCH];  /* copies, one per run of rows */
	size_t n, npersona;
};

/* What the pool's threads share: the batch and one collector each. */
struct scan {
	struct batch *b;
	struct findings *fc[POOL_MAX_THREADS];
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

/* pool_fn: scan slot i of the batch with thread t's collector. */
static void
scan_one(void *ud, size_t i, unsigned t)
{
	struct scan *x = ud;
	struct slot *s = &x->b->slot[i];

	s->nf = 0;
	s->oom = 0;
	s->quarantined = findings_scan(x->fc[t], &s->row);
	(void)findings_each(x->fc[t], keep, s);
}

/* Hand the scanned batch to fn and empty it. Returns 0 or -1. */
static int
hand_over(struct batch *b, rowscan_fn fn, void *ud, struct pf_error *err)
{
	const struct slot *s;
	size_t i;
	int rc = 0;

	for (i = 0; i < b->n && rc == 0; i++) {
		s = &b->slot[i];
		if (s->oom)
			rc = pf_error_set(err, "out of memory");
		else if (fn(ud, &s->row, s->quarantined, s->f, s->nf) != 0)
			rc = -1;
	}
	for (i = 0; i < b->npersona; i++)
		cJSON_Delete(b->persona[i]);
	b->n = b->npersona = 0;
	return rc;
}

/* Read, scan and hand over batch after batch. Returns 0 or -1. */
static int
run(struct audit_cursor *cur, struct pool *pool, struct scan *x,
    rowscan_fn fn, void *ud, int64_t *rows, struct pf_error *err)
{
	struct batch *b = x->b;
	struct audit_row row;
	int got = 1, rc = 0;

	while (rc == 0 && got == 1) {
		while (b->n < ROWSCAN_BATCH &&
		       (got = cur->next(cur, &row, err)) == 1)
			if (add_row(b, &row) != 0) {
				got = -1;
				pf_error_set(err, "out of memory");
				break;
			}
		*rows += (int64_t)b->n;
		pool_run(pool, b->n, scan_one, x);
		rc = hand_over(b, fn, ud, err);
		if (got < 0)
			rc = -1;
	}
	return rc;
}

static void
batch_free(struct batch *b)
{
	size_t i;

	if (b == NULL)
		return;
	for (i = 0; i < ROWSCAN_BATCH; i++) {
		free(b->slot[i].mem);
		free(b->slot[i].f);
	}
	for (i = 0; i < b->npersona; i++)
		cJSON_Delete(b->persona[i]);
	free(b);
}

int
rowscan_run(struct dataset *ds, const struct audit_instance *v, size_t n,
	    unsigned threads, rowscan_fn fn, void *ud, int64_t *rows,
	    struct pf_error *err)
{
	struct scan x = { .b = calloc(1, sizeof(*x.b)) };
	struct audit_cursor *cur = NULL;
	struct pool *pool = NULL;
	unsigned i;
	int rc = -1;

	*rows = 0;
	if (x.b == NULL || pool_new(threads, &pool) != 0) {
		pf_error_set(err, "out of memory");
		goto out;
	}
	for (i = 0; i < pool_threads(pool); i++)
		if (findings_new(v, n, &x.fc[i], err) != 0)
			goto out;
	if (dataset_cursor_open(ds, &cur, err) != 0)
		goto out;
	rc = run(cur, pool, &x, fn, ud, rows, err);
out:
	dataset_cursor_close(cur);
	pool_free(pool);
	for (i = 0; i < POOL_MAX_THREADS; i++)
		findings_free(x.fc[i]);
	batch_free(x.b);
	return rc;
}
