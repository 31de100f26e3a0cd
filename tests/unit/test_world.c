/* test_world.c - the persona world (generators/world.h), its fact
 * timeline (facts.h), its sessions (session.h) and their offline text
 * (doctext.h): for a table of settings over the personas of a few
 * communities, contact counts stay in range, relation words agree with
 * sex, names are unique within a community, shared contacts are the same
 * person in every member's world, the filler share is the setting,
 * every planted fact is stated the way it says, the timeline holds
 * together, canaries follow their prefix, and everything is a pure
 * function of its inputs. */
#include <math.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "generators/doctext.h"
#include "generators/session.h"
#include "personas/coherence.h"
#include "personas/sampler.h"
#include "tests/unit/check_tap.h"

#define NPERSONAS 40

static struct persona_tables *tables;
static struct grammar *grammar;

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
	snprintf(dir, sizeof(dir), "%.4000s/templates/offline/document.grammar",
		 top != NULL ? top : check_tap_srcpath("."));
	if (grammar_load(dir, &grammar, &err) != 0) {
		pf_error_format(&err, msg, sizeof(msg));
		ck_abort_msg("load %s: %s", dir, msg);
	}
}

static void
teardown(void)
{
	persona_tables_free(tables);
	grammar_free(grammar);
}

static const struct wcase {
	int cmin, cmax, size, ndocs;
	double shared, noise;
	const char *prefix;
} cases[] = {
	{ 5, 15, 10, 10, 0.2, 0.3, "PFCANARY-" },
	{ 5, 5, 10, 20, 0.0, 0.0, "PFCANARY-" },
	{ 8, 16, 4, 20, 1.0, 0.5, "LEAK-" },
	{ 1, 3, 1, 10, 0.5, 0.7, "X-CANARY-" },
	{ 5, 15, 10, 3, 0.2, 0.3, "PFCANARY-" },
};

static char conv[] = "conversation", uai[] = "user_ai", buy[] = "purchase";
static char *const types[] = { conv, uai, buy };

static void
plan(const struct wcase *c, uint64_t i, struct persona *p, struct world *w,
     struct fact_plan *fp, struct session_plan *sp)
{
	struct world_config wc;
	const struct session_config sc = { c->ndocs, c->noise, 1, types, 3 };

	world_config_default(&wc);
	wc.contacts_min = c->cmin;
	wc.contacts_max = c->cmax;
	wc.community_size = c->size;
	wc.shared_contacts = c->shared;
	wc.canary_prefix = c->prefix;
	wc.personas = NPERSONAS;
	persona_sample(tables, 42, i, p);
	world_build(w, tables, 42, p, &wc);
	session_plan(sp, fp, p, w, 42, &sc);
}

/* Contacts: count, relation words, unique names, the canary. */
static void
check_contacts(const struct wcase *c, const struct persona *p,
	       const struct world *w)
{
	const char *sex;
	int k, j;

	ck_assert_int_ge(w->ncontacts, c->cmin);
	ck_assert_int_le(w->ncontacts, c->cmax);
	ck_assert_int_eq(w->community, (int64_t)(p->index / (uint64_t)c->size));
	ck_assert_int_eq(strncmp(w->canary, c->prefix, strlen(c->prefix)), 0);
	ck_assert_uint_eq(strlen(w->canary), strlen(c->prefix) + 36);
	for (k = 0; k < w->ncontacts; k++) {
		sex = coherence_relation_sex(w->c[k].word);
		ck_assert_msg(sex == NULL || strcmp(sex, w->c[k].sex) == 0,
			      "%s %s is %s", p->id, w->c[k].word, w->c[k].sex);
		ck_assert_str_ne(w->c[k].name, p->name);
		for (j = 0; j < k; j++)
			ck_assert_str_ne(w->c[k].name, w->c[j].name);
		if (strcmp(p->marital_status, "widowed") == 0)
			ck_assert_str_ne(w->c[k].relationship, "partner");
	}
}

/* Sessions: the filler share, every fact stated in its session's text
 * the way it says, dates in order, ids unique. */
static void
check_sessions(const struct wcase *c, const struct persona *p,
	       const struct world *w, const struct fact_plan *fp,
	       const struct session_plan *sp)
{
	int k, j, filler = 0;

	ck_assert_int_eq(sp->n, c->ndocs);
	for (k = 0; k < sp->n; k++) {
		const struct doctext_input in = { p, w, &sp->s[k], fp, 42, k,
			grammar };
		struct pf_error err;
		cJSON *r = doctext_compose(&in, &err);
		const char *text = json_get_str(r, "content", "");

		ck_assert_msg(r != NULL, "%s d%d: %s", p->id, k, err.msg);
		filler += sp->s[k].noise;
		ck_assert_int_eq(strlen(sp->s[k].segment_id), 12);
		for (j = 0; j < sp->s[k].nfacts; j++)
			ck_assert_msg(facts_session_states(text,
				&fp->f[sp->s[k].fact[j]]), "%s d%d: %s", p->id,
				k, text);
		for (j = 0; j < k; j++) {
			ck_assert_str_ne(sp->s[k].segment_id,
					 sp->s[j].segment_id);
			ck_assert_str_ne(sp->s[k].session_id,
					 sp->s[j].session_id);
			ck_assert_int_le(sp->s[j].day, sp->s[k].day);
		}
		cJSON_Delete(r);
	}
	ck_assert_int_eq(filler, (int)lround(c->noise * c->ndocs));
}

/* The timeline: updates name an earlier preference of the same key that
 * ends the day they start; every fact has a session. */
static void
check_facts(const struct fact_plan *fp)
{
	const struct fact *f, *old;
	int k, later = 0, updates = 0;

	for (k = 0; k < fp->n; k++) {
		f = &fp->f[k];
		ck_assert_int_ge(f->doc, 0);
		ck_assert(f->clue[0] != '\0' ||
			  strcmp(f->statement, "explicit") == 0);
		if (strcmp(f->period, "initial") != 0)
			later++;
		if (f->supersedes < 0)
			continue;
		updates++;
		ck_assert_int_lt(f->supersedes, k);
		old = &fp->f[f->supersedes];
		ck_assert_str_eq(old->key, f->key);
		ck_assert_str_ne(old->value, f->value);
		ck_assert_int_eq(old->valid_to, f->valid_from);
		ck_assert_int_lt(old->valid_from, f->valid_from);
		ck_assert(f->reason[0] != '\0');
	}
	ck_assert_int_ge(updates * 2, later > 1 ? later - 1 : 0);
}

START_TEST(worlds_hold_together)
{
	const struct wcase *c = &cases[_i];
	struct session_plan sp, sp2;
	struct fact_plan fp, fp2;
	struct world w, w2;
	struct persona p;
	uint64_t i;

	for (i = 0; i < NPERSONAS; i++) {
		plan(c, i, &p, &w, &fp, &sp);
		check_contacts(c, &p, &w);
		check_facts(&fp);
		check_sessions(c, &p, &w, &fp, &sp);
		plan(c, i, &p, &w2, &fp2, &sp2);
		ck_assert(memcmp(&w, &w2, sizeof(w)) == 0);
		ck_assert(memcmp(&sp, &sp2, sizeof(sp)) == 0);
	}
}
END_TEST

/* A world does not depend on the worlds built before it on the thread
 * (world.c continues the community it built last): in index order, in
 * reverse order (each from the community's start) and in a jumping order
 * every world is the same bytes; a persona of the caller's own at an
 * index gets the world built from it, and the next world is still the
 * sampled one's. */
START_TEST(worlds_in_any_order)
{
	static const uint64_t jumps[] = { 3, 4, 9, 0, 1, 2, 25, 17, 18, 5, 6 };
	const struct wcase *c = &cases[_i];
	static struct world ref[NPERSONAS];
	struct session_plan sp;
	struct fact_plan fp;
	struct persona p, own;
	struct world w, w2;
	uint64_t i;

	for (i = NPERSONAS; i-- > 0;)
		plan(c, i, &p, &ref[i], &fp, &sp);
	for (i = 0; i < NPERSONAS; i++) {
		plan(c, i, &p, &w, &fp, &sp);
		ck_assert(memcmp(&w, &ref[i], sizeof(w)) == 0);
	}
	for (i = 0; i < sizeof(jumps) / sizeof(jumps[0]); i++) {
		plan(c, jumps[i], &p, &w, &fp, &sp);
		ck_assert(memcmp(&w, &ref[jumps[i]], sizeof(w)) == 0);
	}
	/* the caller's own persona 2: another first name, another world */
	plan(c, 1, &p, &w, &fp, &sp);
	persona_sample(tables, 42, 2, &own);
	own.first_name = own.first_name[0] == 'Z' ? "Alex" : "Zed";
	world_build(&w, tables, 42, &own, &(struct world_config){
		.contacts_min = c->cmin, .contacts_max = c->cmax,
		.community_size = c->size, .shared_contacts = c->shared,
		.canary_prefix = c->prefix, .personas = NPERSONAS });
	plan(c, 2, &p, &w2, &fp, &sp);
	ck_assert(memcmp(&w2, &ref[2], sizeof(w2)) == 0);
	ck_assert(c->size < 3 || memcmp(&w, &ref[2], sizeof(w)) != 0);
	plan(c, 3, &p, &w, &fp, &sp);
	ck_assert(memcmp(&w, &ref[3], sizeof(w)) == 0);
}
END_TEST

/* Names are unique within a community, and a shared contact is the same
 * person (name, age, job) in every member's world. */
START_TEST(communities_share_and_stay_unique)
{
	const struct wcase *c = &cases[2];   /* everyone from the pool */
	struct session_plan sp;
	struct fact_plan fp;
	static struct world w[NPERSONAS];
	struct persona p[NPERSONAS];
	int a, b, k, l, shared = 0;

	for (a = 0; a < NPERSONAS; a++)
		plan(c, (uint64_t)a, &p[a], &w[a], &fp, &sp);
	for (a = 0; a < NPERSONAS; a++)
		for (b = a + 1; b < NPERSONAS &&
			    w[b].community == w[a].community; b++)
			for (k = 0; k < w[a].ncontacts; k++)
				for (l = 0; l < w[b].ncontacts; l++) {
					const struct world_contact *x = &w[a].c[k],
						*y = &w[b].c[l];
					int same = x->shared_id[0] != '\0' &&
						strcmp(x->shared_id,
						       y->shared_id) == 0;

					shared += same;
					ck_assert(same ?
						  strcmp(x->name, y->name) == 0 &&
						  x->age == y->age :
						  strcmp(x->name, y->name) != 0);
				}
	ck_assert_int_gt(shared, 0);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("world");
	TCase *tc = tcase_create("core");

	tcase_add_unchecked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 60);
	tcase_add_loop_test(tc, worlds_hold_together, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_loop_test(tc, worlds_in_any_order, 0,
			    (int)(sizeof(cases) / sizeof(cases[0])));
	tcase_add_test(tc, communities_share_and_stay_unique);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
