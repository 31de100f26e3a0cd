/* test_jplan.c - a fresh journal's kept plans (engine/jplan.h) against a
 * model of the rows they stand for: units of items planned, then ended
 * in a random order. After every step each unit with an item not ended
 * has a pending row, every item gets one row id in plan order, and the
 * table finds each item however many grow and delete around it. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "engine/jplan.h"
#include "tests/unit/check_tap.h"

/* Cases: units, items a unit, items left open at once (a window). */
static const struct {
	int units, per, window;
} cases[] = {
	{ .units = 1, .per = 1, .window = 1 },
	{ .units = 3, .per = 6, .window = 18 },
	{ .units = 5000, .per = 6, .window = 4096 },
	{ .units = 200, .per = 40, .window = 300 },
};

enum { ROW_NONE, ROW_PENDING, ROW_ENDED };

struct model {
	int n, per;
	unsigned char *row;         /* per item */
	int *open;                  /* items planned, not ended */
	int nopen;
	unsigned rng;
};

static int
rnd(struct model *m, int n)
{
	m->rng = m->rng * 1103515245u + 12345u;
	return (int)((m->rng >> 8) % (unsigned)n);
}

static void
id_of(int item, char *out, size_t n)
{
	snprintf(out, n, "p%06d/s/%d", item / 1000, item % 1000);
}

/* The model's row of the item a jplan_item names, pending. */
static void
pend(struct model *m, const struct jplan_item *p)
{
	ck_assert_int_eq(m->row[p->rowid - 1], ROW_NONE);
	m->row[p->rowid - 1] = ROW_PENDING;
}

static void
plan_unit(struct jplan *t, struct model *m, int u)
{
	const struct jplan_item *s;
	int64_t rowid;
	int k, kept, item;
	char id[32];

	for (k = 0; k < m->per; k++) {
		item = u * m->per + k;
		id_of(item, id, sizeof(id));
		jplan_add(t, id, "s", u, k, &rowid, &kept);
		ck_assert_int_eq(kept, 1);
		ck_assert_int_eq(rowid, item + 1);
		m->open[m->nopen++] = item;
	}
	s = jplan_unit_end(t);
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->rowid, (u + 1) * m->per);
	pend(m, s);
}

/* End a random open item as the journal would write it. */
static void
end_one(struct jplan *t, struct model *m)
{
	const struct jplan_item *next;
	struct jplan_item it;
	int i = rnd(m, m->nopen), item = m->open[i];
	char id[32];

	id_of(item, id, sizeof(id));
	ck_assert_int_eq(jplan_take(t, id, &it, &next), 1);
	ck_assert_str_eq(it.id, id);
	ck_assert_int_eq(it.rowid, item + 1);
	ck_assert_int_eq(it.written, m->row[item] == ROW_PENDING);
	m->row[item] = ROW_ENDED;
	if (next != NULL)
		pend(m, next);
	m->open[i] = m->open[--m->nopen];
	ck_assert_int_eq(jplan_take(t, id, &it, &next), 0);
}

/* Every unit with an open item has a pending row. */
static void
check_units(const struct model *m, int planned)
{
	int u, k, open, pending;

	for (u = 0; u < planned; u++) {
		open = pending = 0;
		for (k = 0; k < m->per; k++) {
			open += m->row[u * m->per + k] != ROW_ENDED;
			pending += m->row[u * m->per + k] == ROW_PENDING;
		}
		ck_assert_msg(open == 0 || pending > 0, "unit %d: %d open, "
			      "none pending", u, open);
	}
}

START_TEST(kept_plans_stand_for_their_units)
{
	struct jplan *t;
	struct model m = { .per = cases[_i].per, .rng = 7u + (unsigned)_i };
	int u = 0;

	m.n = cases[_i].units * m.per;
	m.row = calloc((size_t)m.n, 1);
	m.open = calloc((size_t)m.n, sizeof(int));
	ck_assert_int_eq(jplan_new(1, &t), 0);
	while (u < cases[_i].units || m.nopen > 0) {
		if (u < cases[_i].units &&
		    m.nopen + m.per <= cases[_i].window)
			plan_unit(t, &m, u++);
		else
			end_one(t, &m);
		if (m.n < 1000 || rnd(&m, 500) == 0)
			check_units(&m, u);
	}
	check_units(&m, u);
	for (u = 0; u < m.n; u++)
		ck_assert_int_eq(m.row[u], ROW_ENDED);
	jplan_free(t);
	free(m.row);
	free(m.open);
}
END_TEST

/* jplan_each_unwritten callback: append the item's id to the buffer. */
static int
collect(void *ud, const struct jplan_item *p)
{
	ck_assert_int_eq(p->written, 1);
	strcat(ud, p->id);
	return 0;
}

/* Plans written at a stop come back written; an id planned twice is not
 * kept the second time but still takes the next row id. */
START_TEST(stop_writes_the_rest)
{
	const struct jplan_item *next;
	struct jplan_item it;
	struct jplan *t;
	char got[16] = "";
	int64_t rowid;
	int kept;

	ck_assert_int_eq(jplan_new(10, &t), 0);
	jplan_add(t, "a", "s", 0, 0, &rowid, &kept);
	ck_assert_int_eq(rowid, 10);
	jplan_add(t, "b", "s", 0, 1, &rowid, &kept);
	jplan_add(t, "a", "s", 0, 2, &rowid, &kept);
	ck_assert_int_eq(kept, 0);
	ck_assert_int_eq(rowid, 12);
	ck_assert_str_eq(jplan_unit_end(t)->id, "b");
	ck_assert_ptr_null(jplan_unit_end(t));
	jplan_add(t, "c", "s", 1, 0, &rowid, &kept);
	jplan_add(t, "d", "s", 1, 1, &rowid, &kept);
	ck_assert_str_eq(jplan_unit_end(t)->id, "d");
	ck_assert_int_eq(jplan_each_unwritten(t, collect, got), 0);
	ck_assert_str_eq(got, "ac");
	ck_assert_int_eq(jplan_take(t, "a", &it, &next), 1);
	ck_assert_int_eq(it.written, 1);
	ck_assert_ptr_null(next);
	ck_assert_int_eq(jplan_take(t, "b", &it, &next), 1);
	ck_assert_ptr_null(next);
	jplan_free(t);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("jplan");
	TCase *tc = tcase_create("core");

	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, kept_plans_stand_for_their_units, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, stop_writes_the_rest);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
