/* preferences.c - stage "preference": FSPO-style preference pairs.
 *
 * Pair idx of a persona asks a question probing one of its traits (the
 * pair's (trait, type), prefview.h: no two pairs of a persona share
 * both) and has two answers written under the two opposite views of one
 * axis (concise/verbose, negative/positive, novice/expert,
 * formal/casual, persona_l/persona_w: written for one of the persona's
 * contacts or for the persona), drawn from the item seed with which one
 * is response_a.
 * An answer must realise its view and carry no label: a verbose answer
 * with fewer than 1.5x the words of its concise twin, or a "[concise]"
 * label, is sent back with the reason. The judge stage (judge.c) writes
 * the pair's row. */
#include "generators/stages.h"
#include "generators/config.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

#include "base/json.h"
#include "base/rng.h"
#include "generators/pairs.h"
#include "generators/prefview.h"
#include "generators/text.h"
#include "personas/coherence.h"

void
pref_pair_of(const struct stage_ctx *sc, uint32_t pair, struct pref_pair *pp)
{
	const struct gen_config *c = gen_cfg(sc->cfg);
	const struct world *w = gen_world(sc->u);
	const struct pref_views *vp[16];
	struct rng r;
	int n = pref_view_pairs_of(c, vp), k;

	memset(pp, 0, sizeof(*pp));
	rng_seed(&r, rng_derive(sc->cfg->seed, "pref-views",
				(uint64_t)sc->u->index, pair));
	k = (int)rng_below(&r, (uint32_t)n);
	/* Without contacts there is no one else to write for. */
	if (vp[k]->axis == AXIS_PERSONA && w->ncontacts == 0 && n > 1)
		k = (k + 1) % n;
	pp->views = vp[k];
	pp->high_first = (int)rng_below(&r, 2);
	pp->view_a = pp->high_first ? pp->views->high : pp->views->low;
	pp->view_b = pp->high_first ? pp->views->low : pp->views->high;
	if (pp->views->axis == AXIS_PERSONA && w->ncontacts > 0)
		pp->other = &w->c[rng_below(&r, (uint32_t)w->ncontacts)];
	pref_trait_of(sc->cfg->seed, sc->u->index, (int)pair, &pp->trait,
		      &pp->type);
	pref_trait_value(gen_persona(sc->u), pp->trait, pp->trait_value,
			 sizeof(pp->trait_value));
}

int
pref_pair_fit(const struct stage_ctx *sc, const struct pref_pair *pp,
	      const char *text)
{
	const struct persona *p = gen_persona(sc->u);
	const struct world_contact *o = pp->other;

	return pref_fit(text, p->first_name, p->city, p->occupation, p->age) -
	       (o ? pref_fit(text, o->first, o->city, o->job, o->age) : 0);
}

cJSON *
pref_trait_json(const struct pref_pair *pp)
{
	cJSON *o = cJSON_CreateObject();

	if (o == NULL)
		return NULL;
	cJSON_AddStringToObject(o, "selected_trait",
				pref_trait_names[pp->trait]);
	cJSON_AddStringToObject(o, "trait_varied", pp->trait_value);
	cJSON_AddStringToObject(o, "type", pref_type_names[pp->type]);
	return o;
}

static int
pref_count(const struct pf_config *cfg)
{
	return gen_cfg(cfg)->pairs;
}

static int
pref_deps(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	(void)idx;
	if (u->count[GEN_NARRATIVE] > 0) {
		d[0] = (struct stage_dep){ GEN_NARRATIVE, 0 };
		return 1;
	}
	return 0;
}

/* What the prompt asks of an answer under view v. */
static const char *
instruction(const char *v)
{
	static const struct {
		const char *view, *text;
	} t[] = {
		{ "concise", "short and to the point: two or three sentences, "
		  "at most 60 words" },
		{ "verbose", "thorough: cover the reasons, the steps and the "
		  "caveats, at least 150 words" },
		{ "detailed", "detailed: explain the reasons and the steps, "
		  "at least 150 words" },
		{ "positive", "warm and encouraging: stress what is good and "
		  "worth doing" },
		{ "negative", "frank about risks: stress the downsides and "
		  "what to be careful about" },
		{ "enthusiastic", "enthusiastic and upbeat" },
		{ "cautious", "cautious: point out what could go wrong" },
		{ "novice", "for a beginner: plain words, no jargon, one step "
		  "at a time" },
		{ "expert", "for an expert: precise terms, numbers and "
		  "trade-offs" },
		{ "formal", "formal and polite, in complete sentences" },
		{ "casual", "casual and relaxed, as a friend would talk" },
		{ "persona_w", "written for this person: fitted to their own "
		  "life (where they live, their age, their work, their "
		  "household), naming what applies to them" },
	};
	size_t i;

	for (i = 0; i < sizeof(t) / sizeof(t[0]); i++)
		if (strcmp(t[i].view, v) == 0)
			return t[i].text;
	return v;
}

/* What the prompt asks of an answer under view v of pair pp, into
 * out[n]: persona_l names the someone else it is written for. */
static const char *
instruction_of(const struct pref_pair *pp, const char *v, char *out,
	       size_t n)
{
	const struct world_contact *o = pp->other;

	if (strcmp(v, "persona_l") != 0)
		return instruction(v);
	if (o == NULL)
		return "written for a different person, not this one";
	snprintf(out, n, "written for a different person, not this one: for "
		 "%s, %d, %s in %s, fitted to their life and naming what "
		 "applies to them", o->name, o->age, o->job ? o->job :
		 "without a job", o->city ? o->city : "another town");
	return out;
}

/* resp.for: whom an answer on the persona axis is written for (the
 * persona, or pp->other for persona_l). */
static int
add_reader(const struct stage_ctx *sc, const struct pref_pair *pp,
	   const char *view, cJSON *resp)
{
	const struct persona *p = gen_persona(sc->u);
	const struct world_contact *o = pp->other;
	int other = strcmp(view, "persona_l") == 0 && o != NULL;
	int job = other ? strcmp(o->job, "retired") != 0 &&
		  strcmp(o->job, "student") != 0 : coherence_has_job(p);
	cJSON *f = cJSON_AddObjectToObject(resp, "for");

	if (f == NULL)
		return -1;
	cJSON_AddStringToObject(f, "first_name", other ? o->first :
				p->first_name);
	cJSON_AddStringToObject(f, "city", other ? (o->city ? o->city : "")
				: p->city);
	cJSON_AddNumberToObject(f, "age", other ? o->age : p->age);
	if (job)     /* a job to plan around, not "retired" or "student" */
		cJSON_AddStringToObject(f, "job", other ? o->job :
					p->occupation);
	if (other)   /* the persona's own hobbies are in life.* */
		cJSON_AddStringToObject(f, "likes", o->likes);
	return 0;
}

/* resp.pal: one of the persona's friends, cousins, colleagues or
 * neighbours (the relations a person has several of, so naming one never
 * contradicts life.*), drawn per answer from the item seed; none when
 * the persona has no such contact. */
static int
add_pal(const struct stage_ctx *sc, int answer, cJSON *resp)
{
	static const char *const rel[] = { "friend", "cousin", "colleague",
		"neighbour" };
	const struct world *w = gen_world(sc->u);
	const struct world_contact *c[64];
	struct rng r;
	cJSON *f;
	int n = 0, i;
	size_t k;

	for (i = 0; i < w->ncontacts && n < 64; i++)
		for (k = 0; k < sizeof(rel) / sizeof(rel[0]); k++)
			if (strcmp(w->c[i].relationship, rel[k]) == 0)
				c[n++] = &w->c[i];
	if (n == 0)
		return 0;
	rng_seed(&r, rng_derive(sc->seed, "pal", (uint64_t)answer, 0));
	i = (int)rng_below(&r, (uint32_t)n);
	if ((f = cJSON_AddObjectToObject(resp, "pal")) == NULL)
		return -1;
	cJSON_AddStringToObject(f, "first", c[i]->first);
	cJSON_AddStringToObject(f, "word", c[i]->word);
	cJSON_AddStringToObject(f, "city", c[i]->city);
	cJSON_AddStringToObject(f, "likes", c[i]->likes);
	if (strcmp(c[i]->job, "retired") != 0 &&
	    strcmp(c[i]->job, "student") != 0)
		cJSON_AddStringToObject(f, "job", c[i]->job);
	return 0;
}

/* Topics per trait in preference.grammar (t_open .. t_house: the
 * occupation trait has five, each with a job and a jobless form). */
static const uint32_t ntopics[PREF_NTRAITS] = { 8, 8, 8, 8, 8, 8, 5, 8 };

/* The offline texts: a topic for the trait (pair.topic, so that the
 * question and both answers speak to the same one), the question, then
 * each answer under its view ("resp.view" and "resp.is_<view>"). */
static int
offline_texts(struct stage_ctx *sc, const struct pref_pair *pp, cJSON *v,
	      struct pf_error *err)
{
	const char *view[2] = { pp->view_a, pp->view_b };
	const char *key[2] = { "response_a", "response_b" };
	char flag[64];
	cJSON *resp, *t;
	struct rng r;
	int i;

	if (!sc->offline)
		return 0;
	rng_seed(&r, rng_derive(sc->seed, "topic", 1, 0));
	cJSON_AddNumberToObject(cJSON_GetObjectItemCaseSensitive(v, "pair"),
				"topic", rng_below(&r, ntopics[pp->trait]));
	if (gen_text(sc, "preference", "topic", rng_derive(sc->seed, "topic",
		     0, 0), v, "topic", err) != 0)
		return -1;
	/* The topic is a phrase inside sentences, not a sentence. */
	t = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItemCaseSensitive(
		v, "offline"), "topic");
	if (cJSON_IsString(t) && t->valuestring[0] != '\0')
		t->valuestring[0] = (char)tolower((unsigned char)
						  t->valuestring[0]);
	if (gen_text(sc, "preference", "question", rng_derive(sc->seed, "q",
		     0, 0), v, "question", err) != 0)
		return -1;
	for (i = 0; i < 2; i++) {
		cJSON_DeleteItemFromObject(v, "resp");
		if ((resp = cJSON_AddObjectToObject(v, "resp")) == NULL)
			return pf_error_set(err, "out of memory");
		snprintf(flag, sizeof(flag), "is_%s", view[i]);
		cJSON_AddBoolToObject(resp, flag, 1);
		if ((pp->views->axis == AXIS_PERSONA &&
		     add_reader(sc, pp, view[i], resp) != 0) ||
		    add_pal(sc, i, resp) != 0)
			return pf_error_set(err, "out of memory");
		if (gen_text(sc, "preference", "response", rng_derive(sc->seed,
			     "response", (uint64_t)i, 0), v, key[i], err) != 0)
			return -1;
	}
	return 0;
}

static int
pref_vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	struct pref_pair pp;
	cJSON *o = cJSON_AddObjectToObject(v, "pair");
	char flag[64], ta[256], tb[256];

	if (o == NULL)
		return pf_error_set(err, "out of memory");
	pref_pair_of(sc, sc->idx, &pp);
	cJSON_AddStringToObject(o, "view_a", pp.view_a);
	cJSON_AddStringToObject(o, "view_b", pp.view_b);
	cJSON_AddStringToObject(o, "view_a_text", instruction_of(&pp,
				pp.view_a, ta, sizeof(ta)));
	cJSON_AddStringToObject(o, "view_b_text", instruction_of(&pp,
				pp.view_b, tb, sizeof(tb)));
	cJSON_AddStringToObject(o, "axis", pref_axis_names[pp.views->axis]);
	cJSON_AddItemToObject(o, "trait", pref_trait_json(&pp));
	snprintf(flag, sizeof(flag), "is_%s", pref_trait_names[pp.trait]);
	cJSON_AddBoolToObject(o, flag, 1);
	snprintf(flag, sizeof(flag), "is_%s", pref_type_names[pp.type]);
	cJSON_AddBoolToObject(o, flag, 1);
	cJSON_AddNumberToObject(o, "number", sc->idx + 1);
	return offline_texts(sc, &pp, v, err);
}

/* 1 (err set) unless both answers realise their views. */
static int
unrealised(const struct pref_pair *pp, const char *a, const char *b,
	   struct pf_error *err)
{
	const char *hi = pp->high_first ? a : b, *lo = pp->high_first ? b : a;
	int wh = pref_words(hi), wl = pref_words(lo);

	if (pref_has_label(a) || pref_has_label(b))
		return pf_error_set(err, "an answer carries its view as a "
				    "label (\"[%s]\" or \"%s:\"); write the "
				    "answer only", pp->view_a, pp->view_a), 1;
	if (pp->views->axis == AXIS_LENGTH && 2 * wh < 3 * wl)
		return pf_error_set(err, "the %s answer has %d words, fewer "
				    "than 1.5 times the %d of the %s one",
				    pp->views->high, wh, wl, pp->views->low),
		       1;
	return 0;
}

static int
pref_accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const char *q = json_get_str(reply, "question", "");
	const char *a = json_get_str(reply, "response_a", "");
	const char *b = json_get_str(reply, "response_b", "");
	struct pref_pair pp;

	if (q[0] == '\0' || a[0] == '\0' || b[0] == '\0')
		return pf_error_set(err, "empty question or response"), 1;
	if (strcmp(a, b) == 0)
		return pf_error_set(err, "the two responses are identical"), 1;
	pref_pair_of(sc, sc->idx, &pp);
	if (unrealised(&pp, a, b, err))
		return 1;
	if (sc->w == NULL)   /* replay: accepted when it was written */
		return 0;
	/* A persona_l answer is written for someone else: held to that
	 * person's facts, not the persona's, so the critic skips it. */
	return gen_incoherent(sc->u, q, NULL, 0, err) ||
	       (strcmp(pp.view_a, "persona_l") != 0 &&
		gen_incoherent(sc->u, a, NULL, 0, err)) ||
	       (strcmp(pp.view_b, "persona_l") != 0 &&
		gen_incoherent(sc->u, b, NULL, 0, err));
}

const struct stage stage_preference = {
	.version = "2",
	.name = "preference",
	.count = pref_count,
	.deps = pref_deps,
	.vars = pref_vars,
	.accept = pref_accept,
};
