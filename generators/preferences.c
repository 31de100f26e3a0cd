/* preferences.c - stages "preference" and "judge": FSPO-style preference
 * pairs. The preference item writes a question the persona might ask and
 * two answers, each conditioned on a different view (concise vs detailed,
 * formal vs casual, ...). The judge item then picks, as the persona, the
 * answer it prefers, with a verbal certainty (1-100) and a rationale. The
 * two answers are shown in an order drawn from the item seed, against
 * position bias; the verdict is mapped back before the pair is stored. */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "base/rng.h"
#include "output/writer.h"

struct views {
	const char *a, *b;
	int swap;     /* judge shows b first */
};

static void
views_of(const struct stage_ctx *sc, struct views *v)
{
	const struct pf_config *c = sc->cfg;
	struct rng r;
	uint32_t i, j;

	rng_seed(&r, rng_derive(c->seed, "views", (uint64_t)sc->u->index,
				sc->idx));
	i = rng_below(&r, (uint32_t)gen_cfg(c)->nviews);
	j = (i + 1 + rng_below(&r, (uint32_t)gen_cfg(c)->nviews - 1)) %
	    (uint32_t)gen_cfg(c)->nviews;
	v->a = gen_cfg(c)->views[i];
	v->b = gen_cfg(c)->views[j];
	v->swap = (int)rng_below(&r, 2);
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

static int
pref_vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	struct views vw;
	cJSON *o = cJSON_AddObjectToObject(v, "pair");

	if (o == NULL)
		return pf_error_set(err, "out of memory");
	views_of(sc, &vw);
	cJSON_AddStringToObject(o, "view_a", vw.a);
	cJSON_AddStringToObject(o, "view_b", vw.b);
	cJSON_AddNumberToObject(o, "number", sc->idx + 1);
	return 0;
}

static int
pref_accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const char *q = json_get_str(reply, "question", "");
	const char *a = json_get_str(reply, "response_a", "");
	const char *b = json_get_str(reply, "response_b", "");

	if (q[0] == '\0' || a[0] == '\0' || b[0] == '\0')
		return pf_error_set(err, "empty question or response"), 1;
	if (strcmp(a, b) == 0)
		return pf_error_set(err, "the two responses are identical"), 1;
	if (sc->w == NULL)   /* replay: accepted when it was written */
		return 0;
	return gen_incoherent(sc->u, q, NULL, 0, err) ||
	       gen_incoherent(sc->u, a, NULL, 0, err) ||
	       gen_incoherent(sc->u, b, NULL, 0, err);
}

const struct stage stage_preference = {
	.version = "1",
	.name = "preference",
	.count = pref_count,
	.deps = pref_deps,
	.vars = pref_vars,
	.accept = pref_accept,
};

/* How much a persona's Big Five profile leans toward a view: the offline
 * backend's stand-in for a judge's taste. Unknown views lean 0. */
static int
lean(const struct persona *p, const char *view)
{
	static const struct {
		const char *view;
		enum persona_trait trait;
		int sign;
	} map[] = {
		{ "concise", PERSONA_CONSCIENTIOUSNESS, 1 },
		{ "detailed", PERSONA_OPENNESS, 1 },
		{ "formal", PERSONA_EXTRAVERSION, -1 },
		{ "casual", PERSONA_EXTRAVERSION, 1 },
		{ "enthusiastic", PERSONA_EXTRAVERSION, 1 },
		{ "cautious", PERSONA_NEUROTICISM, 1 },
	};
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		if (strcmp(view, map[i].view) == 0)
			return map[i].sign * (p->big5[map[i].trait].score - 50);
	return 0;
}

static int
judge_deps(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	(void)u;
	d[0] = (struct stage_dep){ GEN_PREFERENCE, idx };
	return 1;
}

static int
judge_vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	const cJSON *p = unit_reply(sc->u, GEN_PREFERENCE, sc->idx);
	struct views vw;
	cJSON *o = cJSON_AddObjectToObject(v, "judge");
	int la, lb, first_a;

	if (o == NULL || p == NULL)
		return pf_error_set(err, "preference reply missing");
	views_of(sc, &vw);
	first_a = !vw.swap;
	cJSON_AddStringToObject(o, "question", json_get_str(p, "question", ""));
	cJSON_AddStringToObject(o, "answer_1", json_get_str(p, first_a ?
				"response_a" : "response_b", ""));
	cJSON_AddStringToObject(o, "answer_2", json_get_str(p, first_a ?
				"response_b" : "response_a", ""));
	la = lean(gen_persona(sc->u), vw.a);
	lb = lean(gen_persona(sc->u), vw.b);
	cJSON_AddStringToObject(o, "offline_choice",
				(la >= lb) == first_a ? "1" : "2");
	cJSON_AddNumberToObject(o, "offline_certainty",
				50 + (abs(la - lb) > 49 ? 49 : abs(la - lb)));
	return 0;
}

static int
judge_write(struct stage_ctx *sc, const cJSON *p, int chose_a,
	    const cJSON *reply)
{
	struct views vw;
	struct writer_pair wp;
	char pair_id[48], pref_id[64];

	views_of(sc, &vw);
	gen_row_id(pair_id, sizeof(pair_id), sc->u, 'r', (int)sc->idx + 1);
	stage_item_id(pref_id, sizeof(pref_id), sc->u, GEN_PREFERENCE,
		      sc->idx);
	memset(&wp, 0, sizeof(wp));
	wp.pair_id = pair_id;
	wp.item_id = pref_id;
	wp.judge_item_id = sc->item_id;
	wp.idx = (int)sc->idx;
	wp.question = json_get_str(p, "question", "");
	wp.chosen = json_get_str(p, chose_a ? "response_a" : "response_b", "");
	wp.rejected = json_get_str(p, chose_a ? "response_b" : "response_a",
				   "");
	wp.view_chosen = chose_a ? vw.a : vw.b;
	wp.view_rejected = chose_a ? vw.b : vw.a;
	wp.verdict = chose_a ? "A" : "B";
	wp.certainty = (int)json_get_num(reply, "certainty", 0);
	wp.rationale = json_get_str(reply, "rationale", "");
	wp.judge_model = sc->model ? sc->model : "";
	return writer_pair(sc->w, sc->u->index, &wp, sc->rerun);
}

static int
judge_accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const cJSON *p = unit_reply(sc->u, GEN_PREFERENCE, sc->idx);
	const char *pick = json_get_str(reply, "preferred", "");
	struct views vw;
	int first;

	if (p == NULL)
		return pf_error_set(err, "preference reply missing"), -1;
	if (strcmp(pick, "1") != 0 && strcmp(pick, "2") != 0)
		return pf_error_set(err, "'preferred' must be \"1\" or "
				    "\"2\""), 1;
	if (sc->w == NULL)
		return 0;
	views_of(sc, &vw);
	first = strcmp(pick, "1") == 0;
	/* Position 1 shows response_a unless the order was swapped. */
	return judge_write(sc, p, first != vw.swap, reply);
}

static int
judge_forget(struct stage_ctx *sc)
{
	char id[48];

	gen_row_id(id, sizeof(id), sc->u, 'r', (int)sc->idx + 1);
	return writer_forget(sc->w, "preference_pair", id);
}

const struct stage stage_judge = {
	.version = "1",
	.name = "judge",
	.count = pref_count,
	.deps = judge_deps,
	.vars = judge_vars,
	.accept = judge_accept,
	.forget = judge_forget,
};
