/* cqahist.c - question and answer histories (see cqahist.h). */
#include "generators/cqahist.h"

#include <stdlib.h>
#include <string.h>

#include "base/rng.h"
#include "generators/cqafile.h"

static int
cmp_ts(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;

	return (x > y) - (x < y);
}

/* n strictly increasing timestamps in the span. */
static void
draw_times(struct rng *r, int64_t *ts, int n)
{
	int i;

	for (i = 0; i < n; i++)
		ts[i] = CQA_EPOCH + (int64_t)(rng_uniform(r) * (double)CQA_SPAN);
	qsort(ts, (size_t)n, sizeof(*ts), cmp_ts);
	for (i = 1; i < n; i++)
		if (ts[i] <= ts[i - 1])
			ts[i] = ts[i - 1] + 1;
}

/* One post in one of the home communities, with distinct tags. */
static void
draw_post(struct rng *r, const struct cqa_history *h, int64_t ts,
	  struct cqa_post *p)
{
	uint32_t first = rng_below(r, COMMUNITY_TAGS);
	int i;

	p->comm = h->home[rng_below(r, (uint32_t)h->nhome)];
	p->ntags = 1 + (int)rng_below(r, CQA_POST_TAGS);
	/* Consecutive tags from a random start: distinct by construction. */
	for (i = 0; i < p->ntags; i++)
		p->tags[i] = p->comm->tags[(first + (uint32_t)i) %
					   COMMUNITY_TAGS];
	p->ts = ts;
}

/* The home communities (at most CQA_HOME) into home, *n of them. */
static void
draw_home(struct rng *r, const struct cqa_space *sp,
	  const struct community *home[CQA_HOME], int *n)
{
	int i, k, dup;

	*n = 0;
	for (i = 0; i < CQA_HOME * 4 && *n < CQA_HOME && *n < sp->ncomm;
	     i++) {
		const struct community *c = sp->comm[rng_below(r,
					      (uint32_t)sp->ncomm)];

		for (dup = 0, k = 0; k < *n; k++)
			dup |= home[k] == c;
		if (!dup)
			home[(*n)++] = c;
	}
}

/* cqa_history_active() of persona's history, from the history's first
 * draws (its home communities) alone: its posts take far longer. */
static int
home_in(uint64_t seed, int64_t persona, const struct cqa_space *sp,
	const struct community *c)
{
	const struct community *home[CQA_HOME];
	struct rng r;
	int i, n;

	if (sp->ncomm <= 0)
		return 0;
	rng_seed(&r, rng_derive(seed, "cqa-history", (uint64_t)persona, 0));
	draw_home(&r, sp, home, &n);
	for (i = 0; i < n; i++)
		if (home[i] == c)
			return 1;
	return 0;
}

void
cqa_history_make(uint64_t seed, int64_t persona, const struct cqa_space *sp,
		 struct cqa_history *h)
{
	int64_t ts[CQA_POSTS_MAX];
	struct rng r;
	int i;

	memset(h, 0, sizeof(*h));
	h->persona = persona;
	if (sp->ncomm <= 0)
		return;
	rng_seed(&r, rng_derive(seed, "cqa-history", (uint64_t)persona, 0));
	draw_home(&r, sp, h->home, &h->nhome);
	h->nasked = sp->nasked < CQA_POSTS_MAX ? sp->nasked : CQA_POSTS_MAX;
	h->nanswered = sp->nanswered < CQA_POSTS_MAX ? sp->nanswered
						     : CQA_POSTS_MAX;
	draw_times(&r, ts, h->nasked);
	for (i = 0; i < h->nasked; i++)
		draw_post(&r, h, ts[i], &h->asked[i]);
	draw_times(&r, ts, h->nanswered);
	for (i = 0; i < h->nanswered; i++) {
		draw_post(&r, h, ts[i], &h->answered[i]);
		/* A file's answerers answered the file's kind of question. */
		if (sp->file != NULL)
			cqa_questions_post(sp->file, h->answered[i].comm,
					   rng_next(&r), &h->answered[i]);
	}
}

int
cqa_history_active(const struct cqa_history *h, const struct community *c)
{
	int i;

	for (i = 0; i < h->nhome; i++)
		if (h->home[i] == c)
			return 1;
	return 0;
}

/* A set of tag names, bounded by the posts it is built from. */
struct tagset {
	const char *tag[CQA_POSTS_MAX * CQA_TAGS_MAX];
	int count[CQA_POSTS_MAX * CQA_TAGS_MAX];
	int n;
};

static void
tagset_add(struct tagset *s, const char *t)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->tag[i], t) == 0) {
			s->count[i]++;
			return;
		}
	s->tag[s->n] = t;
	s->count[s->n++] = 1;
}

static int
tagset_has(const struct tagset *s, const char *t)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (strcmp(s->tag[i], t) == 0)
			return 1;
	return 0;
}

/* Tags of posts[0..n), or of those before `before` when it is > 0. */
static void
tagset_of(struct tagset *s, const struct cqa_post *p, int n, int64_t before)
{
	int i, k;

	s->n = 0;
	for (i = 0; i < n; i++) {
		if (before > 0 && p[i].ts >= before)
			continue;
		for (k = 0; k < p[i].ntags; k++)
			tagset_add(s, p[i].tags[k]);
	}
}

int
cqa_top_tags(const struct cqa_history *h, int j, const char *out[CQA_TOP])
{
	struct tagset s;
	int used[CQA_POSTS_MAX * CQA_TAGS_MAX] = { 0 };
	int i, k, best, n = 0;

	if (j > h->nasked)
		j = h->nasked;
	tagset_of(&s, h->asked, j, 0);
	/* Selection by count; the set keeps first-use order, so the first
	 * of equal counts wins the tie. */
	for (k = 0; k < CQA_TOP && k < s.n; k++) {
		best = -1;
		for (i = 0; i < s.n; i++)
			if (!used[i] && (best < 0 || s.count[i] >
					 s.count[best]))
				best = i;
		used[best] = 1;
		out[n++] = s.tag[best];
	}
	return n;
}

double
cqa_tag_overlap(const struct cqa_history *q, int j,
		const struct cqa_history *a)
{
	struct tagset tq, ta;
	int i, both = 0;

	if (j >= q->nasked)
		j = q->nasked - 1;
	if (j < 0)
		return 0.0;
	tagset_of(&tq, q->asked, j + 1, 0);
	tagset_of(&ta, a->answered, a->nanswered, q->asked[j].ts);
	for (i = 0; i < tq.n; i++)
		both += tagset_has(&ta, tq.tag[i]);
	return (double)both / (double)(tq.n + 1);
}

int64_t
cqa_answerer(uint64_t seed, const struct cqa_history *h, int j, int t,
	     int64_t population, const struct cqa_space *sp,
	     struct cqa_history *a)
{
	struct rng r;
	int64_t pick = -1;
	int i;

	if (population < 2 || j < 0 || j >= h->nasked)
		return -1;
	rng_seed(&r, rng_derive(seed, "cqa-answerer", (uint64_t)h->persona,
				(uint64_t)(j * 16 + t)));
	for (i = 0; i < 32; i++) {
		pick = (int64_t)(rng_next(&r) % (uint64_t)(population - 1));
		if (pick >= h->persona)
			pick++;          /* never the asker */
		if (home_in(seed, pick, sp, h->asked[j].comm))
			break;
	}
	cqa_history_make(seed, pick, sp, a);
	return pick;
}
