/* jplan.c - a fresh journal's plans not written yet (see jplan.h).
 *
 * Plans live in per-unit arrays, units in a list in plan order; an
 * open-addressing table (linear probing, deletion by backward shift)
 * finds a plan by item id.
 */
#include "engine/jplan.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"

struct plan {
	struct jplan_item pub;      /* pub.id and pub.stage are copies */
	int taken;
};

struct unit {
	struct plan *p;
	int n, cap;
	int left;                   /* plans not taken */
	int unwritten;              /* plans neither taken nor written */
	int pending;                /* plans written and not taken */
	struct unit *prev, *next;
};

struct slot {
	struct unit *u;             /* NULL: empty */
	int k;
	uint64_t h;
};

struct jplan {
	struct slot *slot;
	size_t cap, n;              /* cap a power of two, n <= cap / 2 */
	struct unit *head, *tail;   /* live units, in plan order */
	struct unit *cur;           /* the unit being planned */
	struct unit *dead;          /* taken whole; its strings may still be
				     * the caller's: freed at the next change */
	int64_t next;               /* the next row id */
};

#define SLOTS_MIN 1024

int
jplan_new(int64_t first_rowid, struct jplan **out)
{
	struct jplan *t = calloc(1, sizeof(*t));

	*out = NULL;
	if (t == NULL)
		return -1;
	t->slot = calloc(SLOTS_MIN, sizeof(*t->slot));
	if (t->slot == NULL) {
		free(t);
		return -1;
	}
	t->cap = SLOTS_MIN;
	t->next = first_rowid;
	*out = t;
	return 0;
}

static void
unit_free(struct jplan *t, struct unit *u)
{
	int k;

	if (u->prev != NULL)
		u->prev->next = u->next;
	else if (t->head == u)
		t->head = u->next;
	if (u->next != NULL)
		u->next->prev = u->prev;
	else if (t->tail == u)
		t->tail = u->prev;
	for (k = 0; k < u->n; k++) {
		free((char *)u->p[k].pub.id);
		free((char *)u->p[k].pub.stage);
	}
	free(u->p);
	free(u);
}

/* Free the unit the last take emptied. */
static void
reap(struct jplan *t)
{
	if (t->dead != NULL)
		unit_free(t, t->dead);
	t->dead = NULL;
}

void
jplan_free(struct jplan *t)
{
	if (t == NULL)
		return;
	reap(t);
	while (t->head != NULL)
		unit_free(t, t->head);
	free(t->slot);
	free(t);
}

/* The slot holding id (hash h), or the empty slot where it would go. */
static size_t
find(const struct jplan *t, const char *id, uint64_t h)
{
	size_t m = t->cap - 1, i = (size_t)h & m;
	const struct slot *s;

	for (;; i = (i + 1) & m) {
		s = &t->slot[i];
		if (s->u == NULL || (s->h == h &&
		    strcmp(s->u->p[s->k].pub.id, id) == 0))
			return i;
	}
}

/* Room for one more entry at half load; -1 when out of memory. */
static int
grow(struct jplan *t)
{
	struct slot *old = t->slot, *s;
	size_t i, ncap = t->cap * 2;

	if (t->n + 1 <= t->cap / 2)
		return 0;
	t->slot = calloc(ncap, sizeof(*t->slot));
	if (t->slot == NULL) {
		t->slot = old;
		return -1;
	}
	t->cap = ncap;
	for (i = 0; i < ncap / 2; i++) {
		s = &old[i];
		if (s->u != NULL)
			t->slot[find(t, s->u->p[s->k].pub.id, s->h)] = *s;
	}
	free(old);
	return 0;
}

/* Empty slot i, moving later entries of its probe run back. */
static void
slot_del(struct jplan *t, size_t i)
{
	size_t m = t->cap - 1, j = i, home;

	for (;;) {
		t->slot[i].u = NULL;
		for (;;) {
			j = (j + 1) & m;
			if (t->slot[j].u == NULL)
				return;
			home = (size_t)t->slot[j].h & m;
			/* stays unless its home lies cyclically outside
			 * (i, j] */
			if (i <= j ? (i < home && home <= j)
				   : (i < home || home <= j))
				continue;
			break;
		}
		t->slot[i] = t->slot[j];
		i = j;
	}
}

/* A new unit at the list's tail; NULL when out of memory. */
static struct unit *
unit_new(struct jplan *t)
{
	struct unit *u = calloc(1, sizeof(*u));

	if (u == NULL)
		return NULL;
	u->prev = t->tail;
	if (t->tail != NULL)
		t->tail->next = u;
	else
		t->head = u;
	t->tail = u;
	return u;
}

/* Append a plan with copies of id and stage; NULL when out of memory. */
static struct plan *
unit_push(struct unit *u, const char *id, const char *stage)
{
	struct plan *p;
	int ncap;

	if (u->n == u->cap) {
		ncap = u->cap ? u->cap * 2 : 8;
		p = realloc(u->p, (size_t)ncap * sizeof(*p));
		if (p == NULL)
			return NULL;
		u->p = p;
		u->cap = ncap;
	}
	p = &u->p[u->n];
	memset(p, 0, sizeof(*p));
	p->pub.id = strdup(id);
	p->pub.stage = strdup(stage);
	if (p->pub.id == NULL || p->pub.stage == NULL) {
		free((char *)p->pub.id);
		free((char *)p->pub.stage);
		return NULL;
	}
	u->n++;
	return p;
}

void
jplan_add(struct jplan *t, const char *id, const char *stage,
	  int64_t persona, int64_t idx, int64_t *rowid, int *kept)
{
	uint64_t h = hash_fnv1a(id);
	struct plan *p;
	size_t i;

	reap(t);
	*rowid = t->next++;
	*kept = 0;
	if (t->n >= JPLAN_MAX_ITEMS || grow(t) != 0)
		return;
	i = find(t, id, h);
	if (t->slot[i].u != NULL)
		return;
	if (t->cur == NULL && (t->cur = unit_new(t)) == NULL)
		return;
	if ((p = unit_push(t->cur, id, stage)) == NULL)
		return;
	p->pub.persona = persona;
	p->pub.idx = idx;
	p->pub.rowid = *rowid;
	t->slot[i] = (struct slot){ .u = t->cur, .k = t->cur->n - 1, .h = h };
	t->n++;
	t->cur->left++;
	t->cur->unwritten++;
	*kept = 1;
}

/* Mark plan k of u written; returns it. */
static const struct jplan_item *
mark(struct unit *u, int k)
{
	u->p[k].pub.written = 1;
	u->unwritten--;
	u->pending++;
	return &u->p[k].pub;
}

/* The last plan of u neither taken nor written, or -1. */
static int
last_open(const struct unit *u)
{
	int k;

	for (k = u->n - 1; k >= 0; k--)
		if (!u->p[k].taken && !u->p[k].pub.written)
			return k;
	return -1;
}

const struct jplan_item *
jplan_unit_end(struct jplan *t)
{
	struct unit *u = t->cur;
	int k;

	reap(t);
	t->cur = NULL;
	if (u == NULL)
		return NULL;
	if (u->left == 0) {
		unit_free(t, u);
		return NULL;
	}
	k = last_open(u);
	return k >= 0 && u->pending == 0 ? mark(u, k) : NULL;
}

int
jplan_take(struct jplan *t, const char *id, struct jplan_item *it,
	   const struct jplan_item **next)
{
	size_t i = find(t, id, hash_fnv1a(id));
	struct unit *u = t->slot[i].u;
	struct plan *p;
	int k;

	reap(t);
	*next = NULL;
	if (u == NULL)
		return 0;
	p = &u->p[t->slot[i].k];
	slot_del(t, i);
	t->n--;
	p->taken = 1;
	*it = p->pub;
	u->left--;
	if (p->pub.written)
		u->pending--;
	else
		u->unwritten--;
	if (u == t->cur)
		return 1;
	if (u->pending == 0 && (k = last_open(u)) >= 0)
		*next = mark(u, k);
	if (u->left == 0)
		t->dead = u;
	return 1;
}

int
jplan_each_unwritten(struct jplan *t,
		     int (*fn)(void *ud, const struct jplan_item *it),
		     void *ud)
{
	struct unit *u;
	int k, rc;

	reap(t);
	for (u = t->head; u != NULL; u = u->next)
		for (k = 0; k < u->n; k++)
			if (!u->p[k].taken && !u->p[k].pub.written &&
			    (rc = fn(ud, mark(u, k))) != 0)
				return rc;
	return 0;
}
