/* test_mcq.c - PersonaMem's multiple-choice items (generators/
 * mcqplan.h): for a table of settings over the personas of a few
 * communities, every item has four distinct options, each stating the
 * values of the user it fits, the correct one the persona's and each
 * distractor another user's (never a current value of the persona),
 * within 20% of the correct option's length; the supporting session
 * plants the fact; the correct letter is the item number mod 4; all
 * seven types occur, each letter is correct in 20-30% of the items, the
 * correct option is the strictly longest in at most 30%; and the plan is
 * a pure function of its inputs. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "generators/mcqplan.h"
#include "personas/sampler.h"
#include "tests/unit/check_tap.h"

static struct persona_tables *tables;

static void
setup(void)
{
	const char *top = getenv("PERSONAFORGE_DATADIR");
	char dir[4096], msg[1400];
	struct pf_error err;

	snprintf(dir, sizeof(dir), "%.4000s/personas/data",
		 top != NULL ? top : check_tap_srcpath("."));
	if (persona_tables_load(dir, &tables, &err) != 0) {
		pf_error_format(&err, msg, sizeof(msg));
		ck_abort_msg("load %s: %s", dir, msg);
	}
}

static void
teardown(void)
{
	persona_tables_free(tables);
}

/* personas: the run's size (a run of 3 draws peers past it). */
static const struct mcase {
	int size, ndocs, personas, count;
	double noise;
	int all_types;          /* every type must occur */
} cases[] = {
	{ .size = 10, .ndocs = 14, .personas = 40, .count = 7, .noise = 0.3,
	  .all_types = 1 },
	{ .size = 10, .ndocs = 20, .personas = 30, .count = 12, .noise = 0,
	  .all_types = 1 },
	{ .size = 2, .ndocs = 10, .personas = 3, .count = 7, .noise = 0.3 },
};

static char conv[] = "conversation", uai[] = "user_ai", note[] = "note";
static char *const types[] = { conv, uai, note };

struct run {
	struct persona p;
	struct world w;
	struct fact_plan fp;
	struct session_plan sp;
	struct mcq_peers *peers;
};

static void
plan_persona(const struct mcase *c, uint64_t i, struct run *r)
{
	struct world_config wc;
	const struct session_config sc = { c->ndocs, c->noise, 1, types, 3 };

	world_config_default(&wc);
	wc.community_size = c->size;
	wc.personas = (uint64_t)c->personas;
	persona_sample(tables, 42, i, &r->p);
	world_build(&r->w, tables, 42, &r->p, &wc);
	session_plan(&r->sp, &r->fp, &r->p, &r->w, 42, &sc);
	r->peers = mcq_peers_build(tables, 42, &r->p, &wc, &sc, c->personas);
	ck_assert_ptr_nonnull(r->peers);
	ck_assert_int_eq(r->peers->n, MCQ_PEERS);
}

/* Whether the persona holds v as a current value of key. */
static int
holds(const struct fact_plan *fp, const char *key, const char *v)
{
	int i;

	for (i = 0; i < fp->n; i++)
		if (fp->f[i].valid_to < 0 && strcmp(fp->f[i].key, key) == 0 &&
		    strcasecmp(fp->f[i].value, v) == 0)
			return 1;
	return 0;
}

/* One item's options, users and supporting session. */
static void
check_item(const struct run *r, const struct mcq_item *it, int letter)
{
	const struct fact *f = &r->fp.f[it->fact];
	const char *type = mcq_type_names[it->type];
	int k, j, d;

	ck_assert_int_eq(it->correct, letter);
	ck_assert_str_eq(it->from[it->correct], r->p.id);
	ck_assert_int_lt(f->valid_to, 0);
	for (k = 0; k < MCQ_OPTIONS; k++) {
		ck_assert_msg(mcq_option_ok(it, k, it->options[k]),
			      "%s %s (%c) \"%s\"", r->p.id, type, 'a' + k,
			      it->options[k]);
		ck_assert_msg(mcq_length_ok(it->options[k],
					    it->options[it->correct]),
			      "%s %s (%c) length", r->p.id, type, 'a' + k);
		for (j = 0; j < k; j++) {
			ck_assert_str_ne(it->options[j], it->options[k]);
			ck_assert_str_ne(it->from[j], it->from[k]);
		}
		if (k == it->correct)
			continue;
		ck_assert_str_ne(it->from[k], r->p.id);
		if (strcmp(type, mcq_type_names[3]) == 0)
			continue;   /* a reason is no value of the key */
		/* the value a distractor ends on is no current value of
		 * the persona (else it would be right too) */
		for (j = MCQ_NEEDLES - 1; it->needles[k][j][0] == '\0'; j--)
			;
		ck_assert_msg(!holds(&r->fp, f->key, it->needles[k][j]),
			      "%s %s (%c) states the persona's \"%s\"",
			      r->p.id, type, 'a' + k, it->needles[k][j]);
	}
	for (d = it->fact; strcmp(type, mcq_type_names[2]) == 0 &&
	     r->fp.f[d].supersedes >= 0;)
		d = r->fp.f[d].supersedes;
	ck_assert_int_eq(it->doc, r->fp.f[d].doc);
	ck_assert_int_ge(it->doc, 0);
	ck_assert_int_lt(it->doc, r->sp.n);
}

START_TEST(items_hold_together)
{
	const struct mcase *c = &cases[_i];
	int seen[MCQ_NTYPES] = { 0 }, letters[MCQ_OPTIONS] = { 0 };
	int n = 0, longest = 0, i, k, j, all;
	struct mcq_item *it = malloc(sizeof(*it)), *again = malloc(
		sizeof(*again));
	struct run *r = malloc(sizeof(*r));
	uint64_t pi;

	ck_assert_ptr_nonnull(it);
	ck_assert_ptr_nonnull(again);
	ck_assert_ptr_nonnull(r);
	for (pi = 0; pi < (uint64_t)c->personas; pi++) {
		plan_persona(c, pi, r);
		for (i = 0; i < c->count; i++) {
			if (mcq_plan(it, &r->fp, &r->w, r->peers, r->p.id,
				     pi, 42, i, c->count) != 0)
				continue;
			check_item(r, it, (int)((pi * (uint64_t)c->count +
						 (uint64_t)i) % 4));
			ck_assert_int_eq(mcq_plan(again, &r->fp, &r->w,
				r->peers, r->p.id, pi, 42, i, c->count), 0);
			ck_assert_int_eq(memcmp(it, again, sizeof(*it)), 0);
			seen[it->type]++;
			letters[it->correct]++;
			for (all = 1, k = 0; k < MCQ_OPTIONS; k++)
				all &= k == it->correct ||
				       strlen(it->options[it->correct]) >
				       strlen(it->options[k]);
			longest += all;
			n++;
		}
		free(r->peers);
	}
	ck_assert_int_ge(n, c->personas * c->count * 9 / 10);
	for (j = 0; c->all_types && j < MCQ_NTYPES; j++)
		ck_assert_msg(seen[j] > 0, "no %s item", mcq_type_names[j]);
	for (j = 0; j < MCQ_OPTIONS && n >= 100; j++)
		ck_assert_msg(letters[j] * 10 >= n * 2 && letters[j] * 10 <=
			      n * 3, "(%c) correct in %d of %d", 'a' + j,
			      letters[j], n);
	ck_assert_msg(longest * 10 <= n * 3, "the correct option is the "
		      "longest in %d of %d", longest, n);
	free(it);
	free(again);
	free(r);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("mcq");
	TCase *tc = tcase_create("plan");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, items_hold_together, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
