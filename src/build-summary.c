/* build-summary.c - the end-of-build summary (see build-summary.h). */
#include "src/build-summary.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "base/log.h"
#include "base/pool.h"
#include "base/status.h"
#include "engine/progress.h"
#include "output/ahead.h"
#include "output/dataset.h"

int
build_tally(struct journal *j, const struct sched_opts *o,
	    struct build_tally *out, struct pf_error *err)
{
	const struct stage_table *tab = o->table;
	const char *names[STAGE_MAX];
	int64_t units = o->end > o->first ? o->end - o->first : 0;
	int k;

	memset(out, 0, sizeof(*out));
	for (k = 0; k < tab->n; k++)
		names[k] = tab->stages[k]->name;
	if (journal_outcomes(j, o->first, o->end, names, tab->n,
			     out->st) != 0 ||
	    (out->units_complete = journal_units_complete(j, o->first, o->end,
		stage_table_items(tab, o->cfg))) < 0)
		return pf_error_set(err, "cannot read the journal: %s",
				    journal_errmsg(j));
	out->units = units;
	for (k = 0; k < tab->n; k++) {
		const struct journal_outcome *s = &out->st[k];
		int64_t ended = s->done + s->failed + s->blocked;

		out->expect[k] = (int64_t)tab->stages[k]->count(o->cfg) * units;
		out->done += s->done;
		out->failed += s->failed;
		out->blocked += s->blocked;
		if (out->expect[k] > ended)
			out->unfinished += out->expect[k] - ended;
	}
	return 0;
}

struct build_tally_ahead {
	struct pool *pool;
	struct dataset *rd;          /* the read connection */
	struct journal *j;           /* the journal on it */
	const struct sched_opts *o;
	struct build_tally t;
	int rc;
};

/* pool_fn: the tally, on a worker (or on the caller's thread when the
 * pool has only it). */
static void
tally_ahead(void *ud, size_t i, unsigned t)
{
	struct build_tally_ahead *a = ud;
	struct pf_error e;

	(void)i;
	(void)t;
	pf_error_clear(&e);
	a->rc = build_tally(a->j, a->o, &a->t, &e);
}

struct build_tally_ahead *
build_tally_ahead_start(const char *path, const struct sched_opts *o)
{
	struct build_tally_ahead *a = calloc(1, sizeof(*a));
	struct pf_error e;

	pf_error_clear(&e);
	if (a == NULL)
		return NULL;
	a->o = o;
	a->rc = -1;
	if (pool_new(2, &a->pool) != 0 ||
	    dataset_open(path, DATASET_READ, &a->rd, &e) != 0 ||
	    dataset_exec(a->rd, AHEAD_MMAP_PRAGMA, &e) != 0 ||
	    journal_open(a->rd->db, &a->j, &e) != 0) {
		journal_close(a->j);
		dataset_close(a->rd);
		pool_free(a->pool);
		free(a);
		return NULL;
	}
	pool_start(a->pool, 1, tally_ahead, a);
	return a;
}

int
build_tally_ahead_end(struct build_tally_ahead *a, struct build_tally *out)
{
	int rc;

	if (a == NULL)
		return -1;
	pool_wait(a->pool);
	rc = a->rc;
	if (rc == 0)
		*out = a->t;
	pool_free(a->pool);
	journal_close(a->j);
	dataset_close(a->rd);
	free(a);
	return rc;
}

/* The traffic line, with the items as the journal holds them. */
static void
print_line(FILE *out, const char *db, const struct build_tally *t,
	   const struct sched_result *res)
{
	struct progress_sample ps;
	int64_t sent = res->items - res->reused;

	memset(&ps, 0, sizeof(ps));
	ps.done = (uint64_t)t->done;
	ps.total = (uint64_t)res->total;
	ps.failed = (uint64_t)(t->failed + t->blocked);
	ps.reused = (uint64_t)res->reused;
	ps.sent = sent > 0 ? (uint64_t)sent : 0;
	ps.st = res->run.st;
	progress_line(out, "build", db, &ps, res->run.seconds);
}

/* Why items that had a journal row were sent again, when any were:
 * "re-sent 12 items: 10 template changed, 2 earlier failure". */
static void
print_resent(FILE *out, const char *db, const struct sched_result *res)
{
	int64_t n = 0;
	int k, first = 1;

	for (k = 0; k < RESEND_N; k++)
		n += res->resent[k];
	if (n == 0)
		return;
	fprintf(out, "personaforge: %s: re-sent %" PRId64 " items:", db, n);
	for (k = 0; k < RESEND_N; k++) {
		if (res->resent[k] == 0)
			continue;
		fprintf(out, "%s %" PRId64 " %s", first ? "" : ",",
			res->resent[k], sched_resend_names[k]);
		first = 0;
	}
	fputc('\n', out);
}

void
build_tally_print(FILE *out, const char *db, const struct sched_opts *o,
		  const struct build_tally *t,
		  const struct sched_result *res)
{
	double secs = res->run.seconds;
	int k;

	print_line(out, db, t, res);
	print_resent(out, db, res);
	fprintf(out, "personaforge: %s: %" PRId64 " of %" PRId64 " personas "
		"complete (%.0f/s), %" PRId64 " replies repaired\n", db,
		t->units_complete, t->units,
		secs > 0 ? (double)t->units_complete / secs : 0, res->retries);
	fprintf(out, "  %-22s %8s %8s %8s %8s %10s\n", "items by stage",
		"done", "reused", "failed", "blocked", "unfinished");
	for (k = 0; k < o->table->n; k++) {
		const struct journal_outcome *s = &t->st[k];
		int64_t reused = res->stage_reused[k] < s->done ?
				 res->stage_reused[k] : s->done;
		int64_t left = t->expect[k] - s->done - s->failed - s->blocked;

		if (t->expect[k] == 0 && s->done + s->failed + s->blocked == 0)
			continue;
		fprintf(out, "  %-22s %8" PRId64 " %8" PRId64 " %8" PRId64
			" %8" PRId64 " %10" PRId64 "\n",
			o->table->stages[k]->name, s->done - reused, reused,
			s->failed, s->blocked, left > 0 ? left : 0);
	}
	fflush(out);
}

int
build_tally_code(const struct build_tally *t)
{
	if (t->failed + t->blocked == 0)
		return PF_EXIT_OK;
	log_error("%" PRId64 " items failed and %" PRId64 " were blocked by "
		  "them; 'personaforge stats --failed' lists them with their "
		  "errors, and the same command retries them", t->failed,
		  t->blocked);
	return PF_EXIT_PARTIAL;
}
