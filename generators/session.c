/* session.c - the session planner (see session.h). */
#include "generators/session.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/rng.h"

/* A 12-digit segment id not yet used by sessions [0, n). */
static void
segment(struct session_plan *out, int n, struct rng *r)
{
	char *id = out->s[n].segment_id;
	int i, again;

	do {
		snprintf(id, 13, "%012llu", (unsigned long long)
			 (100000000000ull + rng_next(r) % 900000000000ull));
		for (again = 0, i = 0; i < n; i++)
			again |= strcmp(out->s[i].segment_id, id) == 0;
	} while (again);
}

static int
by_time(const void *a, const void *b)
{
	const struct session *x = a, *y = b;

	if (x->day != y->day)
		return x->day < y->day ? -1 : 1;
	return (x->minute > y->minute) - (x->minute < y->minute);
}

/* Whether contact name is what one of the session's facts is about. */
static int
about(const struct fact_plan *fp, const struct session *s,
      const char *name)
{
	int k;

	for (k = 0; k < s->nfacts; k++)
		if (strcmp(fp->f[s->fact[k]].value, name) == 0)
			return 1;
	return 0;
}

/* A session's contact: any but one its facts are about. */
static int
target(const struct world *w, const struct fact_plan *fp,
       const struct session *s, struct rng *r)
{
	int c, tries;

	if (w->ncontacts == 0)
		return -1;
	for (tries = 0; tries < 8; tries++) {
		c = (int)rng_below(r, (uint32_t)w->ncontacts);
		if (!about(fp, s, w->c[c].name))
			break;
	}
	return c;
}

/* Whether a search query can state fact f: only its value typed into a
 * search box (a pet or a relative's name would not be searched). */
static int
searchable(const struct fact *f)
{
	return strcmp(f->statement, "explicit") == 0 &&
	       strcmp(f->key, "pet") != 0 && f->relation == NULL;
}

/* Search sessions take searchable facts: each search session whose
 * first fact is not searchable swaps its facts with the first later
 * session of another type whose first fact is (the days follow the
 * facts, so the timeline is kept). */
static void
searches_first(struct session_plan *out, const struct fact_plan *fp)
{
	struct session *a, *b = NULL, t;
	int i, j;

	for (i = 0; i < out->n; i++) {
		a = &out->s[i];
		if (strcmp(a->type, "search") != 0 || a->nfacts == 0 ||
		    searchable(&fp->f[a->fact[0]]))
			continue;
		for (j = i + 1; j < out->n; j++) {
			b = &out->s[j];
			if (strcmp(b->type, "search") != 0 && b->nfacts > 0 &&
			    searchable(&fp->f[b->fact[0]]))
				break;
		}
		if (j == out->n)
			continue;
		t = *a;
		memcpy(a->fact, b->fact, sizeof(a->fact));
		a->nfacts = b->nfacts;
		memcpy(b->fact, t.fact, sizeof(b->fact));
		b->nfacts = t.nfacts;
	}
}

/* Sessions numbered in time order, with ids; facts learn their doc. */
static void
finish(struct session_plan *out, struct fact_plan *fp,
       const struct session_config *c, struct rng *r)
{
	int i, k, t, count[16] = { 0 };

	qsort(out->s, (size_t)out->n, sizeof(out->s[0]), by_time);
	for (i = 0; i < out->n; i++) {
		for (t = 0; t < c->ntypes && t < 16 &&
			    strcmp(c->types[t], out->s[i].type) != 0; t++)
			;
		snprintf(out->s[i].session_id, sizeof(out->s[i].session_id),
			 "%s---session---%d", out->s[i].type,
			 t < 16 ? ++count[t] : i + 1);
		segment(out, i, r);
		for (k = 0; k < out->s[i].nfacts; k++)
			fp->f[out->s[i].fact[k]].doc = i;
	}
}

void
session_plan(struct session_plan *out, struct fact_plan *fp,
	     const struct persona *p, const struct world *w,
	     uint64_t run_seed, const struct session_config *c)
{
	int nd = c->ndocs > SESSION_MAX ? SESSION_MAX : c->ndocs;
	int per = c->per_session < 1 ? 1 : c->per_session > SESSION_FACTS ?
		  SESSION_FACTS : c->per_session;
	int nfill = (int)lround(c->noise_ratio * nd), i, lo, hi;
	struct session *s;
	struct rng r;

	rng_seed(&r, rng_derive(run_seed, "sessions", p->index, 0));
	facts_plan(fp, p, w, run_seed, (nd - nfill) * per);
	lo = fp->n > 0 ? fp->f[0].valid_from : FACTS_EPOCH_DAY - 365;
	hi = fp->n > 0 ? fp->f[fp->n - 1].valid_from : FACTS_EPOCH_DAY;
	memset(out, 0, sizeof(*out));
	for (i = 0; i < nd; i++) {
		s = &out->s[out->n++];
		s->type = c->types[i % c->ntypes];
		while (s->nfacts < per && i * per + s->nfacts < fp->n) {
			s->fact[s->nfacts] = i * per + s->nfacts;
			s->nfacts++;
		}
	}
	searches_first(out, fp);
	for (i = 0; i < nd; i++) {
		s = &out->s[i];
		s->noise = s->nfacts == 0;
		s->day = s->noise ? lo + (int)rng_below(&r, (uint32_t)(hi -
								      lo + 1))
			 : fp->f[s->fact[0]].valid_from;
		s->minute = 7 * 60 + (int)rng_below(&r, 16 * 60);
		s->contact = strcmp(s->type, "conversation") == 0 ||
			     strcmp(s->type, "email") == 0 ||
			     strcmp(s->type, "calendar") == 0 ?
			     target(w, fp, s, &r) : -1;
	}
	finish(out, fp, c, &r);
}

void
session_timestamp(const struct session *s, char out[20])
{
	time_t t = (time_t)s->day * 86400 + (time_t)(s->minute % 1440) * 60;
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, 20, "%Y-%m-%dT%H:%M:%S", &tm);
}
