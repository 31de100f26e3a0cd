/* interview.c - stage "interview": the backstory as a multi-turn life-story
 * interview. Question i is asked with the whole transcript so far, so each
 * answer is conditioned on the earlier ones (deep-binding protocol). */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/rng.h"
#include "generators/life.h"
#include "generators/text.h"
#include "output/writer.h"
#include "personas/coherence.h"

static int
count(const struct pf_config *cfg)
{
	return gen_cfg(cfg)->nquestions;
}

static int
deps(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	int n = 0;

	if (u->count[GEN_NARRATIVE] > 0)
		d[n++] = (struct stage_dep){ GEN_NARRATIVE, 0 };
	if (idx > 0)
		d[n++] = (struct stage_dep){ GEN_INTERVIEW, idx - 1 };
	return n;
}

/* [{number, question, answer}] of the turns before idx. */
static cJSON *
transcript(const struct stage_ctx *sc)
{
	cJSON *t = cJSON_CreateArray(), *turn;
	const cJSON *r;
	uint32_t i;

	for (i = 0; t != NULL && i < sc->idx; i++) {
		r = unit_reply(sc->u, GEN_INTERVIEW, i);
		turn = cJSON_CreateObject();
		cJSON_AddNumberToObject(turn, "number", i + 1);
		cJSON_AddStringToObject(turn, "question",
					gen_cfg(sc->cfg)->questions[i].text);
		cJSON_AddStringToObject(turn, "answer",
					json_get_str(r, "answer", ""));
		cJSON_AddItemToArray(t, turn);
	}
	return t;
}

/* The interview's own details of a persona's life (rules ivd.KEY of
 * interview.grammar, into {iv.KEY}): grandparents, a childhood friend,
 * what a parent did, the street and neighbours of today, a first boss.
 * Only the interview names them, so each is drawn with a seed of the run
 * and the persona's index alone: every answer of one persona renders
 * the same value, and no other stage depends on them. They are drawn
 * once per persona when its unit opens (gen_interview_details), so the
 * ivd rules see the persona, its life and world, the run and the
 * details drawn before, but no question or transcript. */
static const char *const iv_keys[] = {
	"gma", "gpa", "aunt", "uncle", "pal", "parjob", "kids", "diner",
	"park", "street", "nbr", "boss", "mentor", "church", "team",
	"bigyear", "moveway", "pal2", "cousin", "niece", "nephew", "doc",
	"barber", "carrier", "mate", "buddy", "fam2", "manager", "dogname",
};
#define IV_VALUE_MAX 512

/* Numbers the answers say that follow from the life details: {iv.KEY}
 * is life[from] - life[minus] + add, where a NULL key reads LIFE_YEAR
 * (from) or 0 (minus); left out when a life detail is missing (no
 * child, no job). "year10" is the year the persona turned ten. */
static const struct {
	const char *key, *from, *minus;
	int add;
} iv_numbers[] = {
	{ .key = "year10", .from = "birth_year", .add = 10 },
	{ .key = "year16", .from = "birth_year", .add = 16 },
	{ .key = "age_moved", .from = "moved_year", .minus = "birth_year" },
	{ .key = "years_here", .minus = "moved_year" },
	{ .key = "age_job", .from = "job_year", .minus = "birth_year" },
	{ .key = "years_job", .minus = "job_year" },
	{ .key = "age_school", .from = "school_year", .minus = "birth_year" },
	{ .key = "years_married", .minus = "married_year" },
	{ .key = "age_married", .from = "married_year",
	  .minus = "birth_year" },
	{ .key = "child_year", .minus = "child_age" },
};

static int
life_number(const cJSON *life, const char *key, int dflt, int *out)
{
	const cJSON *n;

	if (key == NULL) {
		*out = dflt;
		return 0;
	}
	n = cJSON_GetObjectItemCaseSensitive(life, key);
	if (!cJSON_IsNumber(n))
		return -1;
	*out = n->valueint;
	return 0;
}

static int
persona_numbers(const cJSON *life, cJSON *iv, struct pf_error *err)
{
	size_t i;
	int a, b;

	for (i = 0; i < sizeof(iv_numbers) / sizeof(iv_numbers[0]); i++) {
		if (life_number(life, iv_numbers[i].from, LIFE_YEAR, &a) != 0
		    || life_number(life, iv_numbers[i].minus, 0, &b) != 0)
			continue;
		if (json_put(iv, iv_numbers[i].key, cJSON_CreateNumber(
			     a - b + iv_numbers[i].add)) == NULL)
			return pf_error_set(err, "out of memory");
	}
	return 0;
}

/* The life details that hold a relative's or friend's name: an
 * interview name must not repeat one of them, or "my aunt Connie" would
 * make the persona's brother Connie a woman to the critic (coherence
 * rule earlier_answer). */
static const char *const life_names[] = {
	"sibling_name", "friend_name", "partner_name", "late_name",
	"ex_name", "child_name", "coworker_name", "neighbor_name",
};
#define IV_REDRAWS 8   /* draws of one detail before keeping a clash */

#define LIFE_NAMES (sizeof(life_names) / sizeof(life_names[0]))

/* 1 when the first word of name is the first word of one of the life
 * names in `names` (looked up once per persona: each lookup walks the
 * life object's keys, and a persona draws ~30 details). */
static int
clashes(const char *const names[LIFE_NAMES], const char *name)
{
	size_t i, n = strcspn(name, " ");

	for (i = 0; n > 0 && i < LIFE_NAMES; i++)
		if (strncmp(names[i], name, n) == 0 &&
		    (names[i][n] == '\0' || names[i][n] == ' '))
			return 1;
	return 0;
}

/* What one persona's details are drawn from: the run seed, the
 * persona's index, the interview grammar, the render context and the
 * life names a detail must not clash with. */
struct details {
	uint64_t run_seed;
	int64_t index;
	const struct grammar *g;
	const struct grammar_keys *keys;  /* or NULL */
	const cJSON *v;
	const char *names[LIFE_NAMES];
};

/* Detail i (rule ivd.KEY) into b: drawn with a seed of the run, the
 * persona's index and i, and drawn again (draw k salts the seed) while
 * its first word is a life relative's name, at most IV_REDRAWS times. */
static int
persona_detail(const struct details *d, size_t i, struct buf *b,
	       struct pf_error *err)
{
	char rule[32];
	uint64_t seed;
	int k;

	snprintf(rule, sizeof(rule), "ivd.%s", iv_keys[i]);
	for (k = 0; k < IV_REDRAWS; k++) {
		seed = rng_derive(d->run_seed, "interview-life",
				  (uint64_t)d->index, i);
		if (k > 0)
			seed = rng_derive(seed, "clash", (uint64_t)k, 0);
		buf_reset(b);
		if (grammar_render_keys(d->g, d->keys, rule, d->v, seed, 0, b,
					err) != 0)
			return -1;
		if (!clashes(d->names, b->data ? b->data : ""))
			break;
	}
	return 0;
}

/* Fill iv (already in d->v as "iv": a detail may name an earlier one)
 * with the numbers and the details. Returns 0, or -1 with err set. */
static int
persona_details(struct details *d, const cJSON *life, cJSON *iv,
		struct pf_error *err)
{
	struct buf b;
	size_t i;
	int rc = 0;

	for (i = 0; i < LIFE_NAMES; i++)
		d->names[i] = json_get_str(life, life_names[i], "");
	if (persona_numbers(life, iv, err) != 0)
		return -1;
	buf_init(&b, IV_VALUE_MAX);
	for (i = 0; rc == 0 && i < sizeof(iv_keys) / sizeof(iv_keys[0]);
	     i++) {
		rc = persona_detail(d, i, &b, err);
		if (rc == 0 && json_put(iv, iv_keys[i], cJSON_CreateString(
					b.data ? b.data : "")) == NULL)
			rc = pf_error_set(err, "out of memory");
	}
	buf_free(&b);
	return rc;
}

int
gen_interview_details(const struct pf_config *cfg, int64_t index,
		      struct gen_unit *gu, struct pf_error *err)
{
	struct details d = { .run_seed = cfg->seed, .index = index };
	cJSON *v = cJSON_CreateObject(), *run, *iv = NULL;
	struct grammar_keys *keys = NULL;
	int rc = -1;

	if (v == NULL || gu->persona_json == NULL || gu->life == NULL ||
	    gu->world_json == NULL)
		goto oom;
	if (!cJSON_AddItemReferenceToObject(v, "persona", gu->persona_json) ||
	    !cJSON_AddItemReferenceToObject(v, "life", gu->life) ||
	    !cJSON_AddItemReferenceToObject(v, "world", gu->world_json) ||
	    (run = cJSON_AddObjectToObject(v, "run")) == NULL ||
	    !cJSON_AddStringToObject(run, "name", cfg->name) ||
	    (iv = cJSON_AddObjectToObject(v, "iv")) == NULL)
		goto oom;
	d.v = v;
	/* ~30 renders read the persona's objects (NULL: they walk them) */
	d.keys = keys = gen_text_keys_draft(gu);
	if ((d.g = gen_grammar(cfg, "interview", err)) == NULL ||
	    persona_details(&d, gu->life, iv, err) != 0)
		goto out;
	/* the details outlive the context, which only referenced the rest */
	cJSON_DetachItemViaPointer(v, iv);
	gu->iv = iv;
	if (keys != NULL)  /* NULL returned: the first text makes one */
		gen_text_keys_keep(gu, keys);
	keys = NULL;
	rc = 0;
	goto out;
oom:
	pf_error_set(err, "out of memory");
out:
	grammar_keys_free(keys);
	cJSON_Delete(v);
	return rc;
}

/* Offline: the answer from templates/offline/interview.grammar (rule
 * answer.KEY, or answer.default for a question the grammar does not
 * know) into offline.answer, cut to the question's word budget, with the
 * persona's details (gen_interview_details, drawn when the unit opened)
 * as `iv`. */
static int
offline_answer(struct stage_ctx *sc, const struct interview_question *q,
	       cJSON *v, struct pf_error *err)
{
	const struct gen_unit *gu = sc->u->data;
	const struct grammar *g;
	char rule[96];

	if (!sc->offline)
		return 0;
	if (gu->iv == NULL)
		return pf_error_set(err, "%s: the persona's interview details "
				    "were not drawn", sc->item_id);
	if ((g = gen_grammar(sc->cfg, "interview", err)) == NULL)
		return -1;
	if (!cJSON_AddItemReferenceToObject(v, "iv", gu->iv))
		return pf_error_set(err, "out of memory");
	snprintf(rule, sizeof(rule), "answer.%s", q->key);
	return gen_text_words(sc, "interview", grammar_has(g, rule) ? rule :
			      "answer.default", sc->seed, v, "answer",
			      q->word_budget, err);
}

static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	const struct interview_question *q =
		&gen_cfg(sc->cfg)->questions[sc->idx];
	cJSON *qo = cJSON_AddObjectToObject(v, "question");
	char flag[80];

	if (qo == NULL)
		return pf_error_set(err, "out of memory");
	cJSON_AddStringToObject(qo, "key", q->key);
	cJSON_AddStringToObject(qo, "text", q->text);
	cJSON_AddNumberToObject(qo, "number", sc->idx + 1);
	cJSON_AddNumberToObject(qo, "total", gen_cfg(sc->cfg)->nquestions);
	cJSON_AddNumberToObject(qo, "word_budget", q->word_budget);
	/* A flag per question key lets templates branch with sections. */
	snprintf(flag, sizeof(flag), "is_%s", q->key);
	cJSON_AddTrueToObject(qo, flag);
	cJSON_AddItemToObject(v, "transcript", transcript(sc));
	if (sc->idx == 0)
		cJSON_AddTrueToObject(v, "first_question");
	return offline_answer(sc, q, v, err);
}

/* Test hook (tests/integration/critic-earlier.sh): with
 * PERSONAFORGE_TEST_CONTRADICT=earlier, in every other persona (even
 * index) answer 1 + index / 2 mod (questions - 1) gets a sentence
 * contradicting an earlier answer (the first one states hometown,
 * birth year and sibling): another hometown, a birth year three years
 * off, or the sibling with the other sex's relation word, in turn. */
static const char *
contradict_earlier(struct stage_ctx *sc, const char *a, char *buf, size_t n)
{
	const cJSON *life = ((struct gen_unit *)sc->u->data)->life;
	int64_t i = sc->u->index;
	int nq = gen_cfg(sc->cfg)->nquestions;
	const char *home = json_get_str(life, "hometown", ""), *w;

	if (i % 2 != 0 || nq < 2 || sc->idx != 1 + (i / 2) % (nq - 1))
		return a;
	switch ((i / 2) % 3) {
	case 0:
		snprintf(buf, n, "%s I grew up in %s.", a,
			 strncmp(home, "Fairbanks", 9) ? "Fairbanks, Alaska"
			 : "Key West, Florida");
		break;
	case 1:
		snprintf(buf, n, "%s I was born in %d.", a,
			 (int)json_get_num(life, "birth_year", 0) + 3);
		break;
	default:
		w = strcmp(json_get_str(life, "sibling_sex", ""), "female")
		    ? "sister" : "brother";
		snprintf(buf, n, "%s My %s %s still calls.", a, w,
			 json_get_str(life, "sibling_name", ""));
	}
	return buf;
}

/* Test hook (tests/integration/critic.sh): with the environment variable
 * PERSONAFORGE_TEST_CONTRADICT set, the first answer to every tenth
 * question (persona index x questions + question index divisible by 10)
 * gets a sentence contradicting the persona appended, as a careless model
 * might write, so a test can measure how many the critic catches. */
static const char *
contradict(struct stage_ctx *sc, const char *a, char *buf, size_t n)
{
	const struct persona *p = gen_persona(sc->u);
	int64_t k = sc->u->index * gen_cfg(sc->cfg)->nquestions + sc->idx;
	const char *mode = getenv("PERSONAFORGE_TEST_CONTRADICT");

	if (mode == NULL ||
	    ((struct gen_unit *)sc->u->data)->critic[sc->idx].rejected > 0)
		return a;
	if (strcmp(mode, "earlier") == 0)
		return contradict_earlier(sc, a, buf, n);
	if (k % 10 != 0)
		return a;
	if (coherence_has_job(p))
		snprintf(buf, n, "%s I am retired now.", a);
	else
		snprintf(buf, n, "%s I work as a %s.", a, p->occupation);
	return buf;
}

/* The critic's verdict on one answer: pure, so pre_accept works it out
 * on the scheduler's pool. */
struct verdict {
	const char *answer;            /* the answer judged (in the reply) */
	int incoherent;                /* 1: reason and msg say why */
	char reason[sizeof(((struct gen_critic *)0)->reason)];
	char msg[sizeof(((struct pf_error *)0)->msg)];
};

/* Judge answer a of item sc->idx: does it contradict the persona's
 * attributes or facts by a coherence rule, or an earlier answer of this
 * interview (rule earlier_answer)? */
static void
judge(struct stage_ctx *sc, const char *a, struct verdict *v)
{
	const char *earlier[GEN_MAX_LIST];
	struct pf_error e;
	uint32_t i;

	for (i = 0; i < sc->idx; i++)
		earlier[i] = json_get_str(unit_reply(sc->u, GEN_INTERVIEW, i),
					  "answer", "");
	pf_error_clear(&e);
	v->answer = a;
	v->reason[0] = '\0';
	v->incoherent = gen_incoherent_with(sc->u, a, earlier, (int)sc->idx,
					    v->reason, sizeof(v->reason),
					    &e) != 0;
	snprintf(v->msg, sizeof(v->msg), "%s", e.msg);
}

/* pre_accept: the verdict on the reply's answer, ahead on any thread;
 * NULL without an answer (accept rejects it) or memory. */
static void *
pre_accept(struct stage_ctx *sc, const cJSON *reply)
{
	const char *a = json_get_str(reply, "answer", NULL);
	struct verdict *v;

	if (a == NULL || a[0] == '\0' || (v = malloc(sizeof(*v))) == NULL)
		return NULL;
	judge(sc, a, v);
	return v;
}

static void
pre_free(void *pre)
{
	free(pre);
}

/* The critic: 1 with err set (the engine asks again with that reason,
 * up to generation.max_attempts) when the answer contradicts the
 * persona (judge), else 0. The verdict pre_accept gave on this very
 * answer (sc->pre) stands. */
static int
critique(struct stage_ctx *sc, const char *a, struct pf_error *err)
{
	struct gen_critic *c = &((struct gen_unit *)sc->u->data)->
			       critic[sc->idx];
	const struct verdict *v = sc->pre;
	struct verdict own;

	if (v == NULL || v->answer != a) {
		judge(sc, a, &own);
		v = &own;
	}
	if (!v->incoherent)
		return 0;
	snprintf(c->reason, sizeof(c->reason), "%s", v->reason);
	pf_error_set(err, "%s", v->msg);
	c->rejected++;
	return 1;
}

/* {"verdict", "reason", "attempts"} of the accepted answer, as JSON text
 * into out (NULL when memory runs out; the caller frees it). */
static char *
critic_json(const struct gen_critic *c)
{
	cJSON *o = cJSON_CreateObject();
	char *s = NULL;

	if (o != NULL &&
	    cJSON_AddStringToObject(o, "verdict", c->rejected > 0 ?
				    "revised" : "consistent") != NULL &&
	    cJSON_AddStringToObject(o, "reason", c->reason) != NULL &&
	    cJSON_AddNumberToObject(o, "attempts", c->rejected + 1) != NULL)
		s = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	return s;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const struct interview_question *q =
		&gen_cfg(sc->cfg)->questions[sc->idx];
	const char *a = json_get_str(reply, "answer", NULL);
	char tid[48], buf[8192], *critic;
	int rc;

	if (a == NULL || a[0] == '\0')
		return pf_error_set(err, "empty answer"), 1;
	if (sc->w == NULL)   /* replay: the row holds the critic's verdict */
		return 0;
	a = contradict(sc, a, buf, sizeof(buf));
	if (critique(sc, a, err) != 0)
		return 1;
	if ((critic = critic_json(&((struct gen_unit *)sc->u->data)->
				  critic[sc->idx])) == NULL)
		return pf_error_set(err, "out of memory");
	gen_row_id(tid, sizeof(tid), sc->u, 't', (int)sc->idx + 1);
	rc = writer_turn(sc->w, sc->u->index, tid, (int)sc->idx + 1,
			 sc->item_id, q->key, q->text, a, critic, sc->rerun);
	free(critic);
	return rc;
}

static int
forget(struct stage_ctx *sc)
{
	char tid[64];

	gen_row_id(tid, sizeof(tid), sc->u, 't', (int)sc->idx + 1);
	return writer_forget(sc->w, "backstory_turn", tid);
}

const struct stage stage_interview = {
	.version = "1",
	.name = "interview",
	.count = count,
	.deps = deps,
	.vars = vars,
	.accept = accept,
	.pre_accept = pre_accept,
	.pre_free = pre_free,
	.forget = forget,
};
