/* mcq.c - stage "mcq": PersonaMem's multiple-choice items over the
 * persona's timeline (generators/mcqplan.h plans them; doc/schema.md,
 * table mcq, defines the seven types).
 *
 * A stage rather than rows derived after the build: the question and the
 * options are text an LLM can write better than our frames (PersonaMem's
 * own are LLM-written), so the prompt hands a model the drafted item and
 * its supporting session, and the offline backend shows the draft
 * (templates/offline/mcq.mustache). Which letter is correct, which user
 * each option fits and what each must state stay ours: a reply is
 * accepted only when every option states its user's values word for
 * word and each distractor is within MCQ_LEN_PERCENT of the correct
 * option's length; else it is sent back. The distance to the supporting
 * session is counted over the persona's documents: the question comes
 * after the last one. */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "generators/mcqplan.h"
#include "output/personamem.h"
#include "output/writer.h"

static int
count(const struct pf_config *cfg)
{
	if (gen_cfg(cfg)->documents == 0)
		return 0;
	return gen_cfg(cfg)->mcq;
}


/* Item sc->idx as planned into *it; -1 with err filled when it cannot
 * be built. */
static int
plan(const struct stage_ctx *sc, struct mcq_item *it, struct pf_error *err)
{
	const struct mcq_peers *ps = gen_mcq_peers(sc->u);
	const struct persona *p = gen_persona(sc->u);

	if (ps == NULL || mcq_plan(it, gen_facts(sc->u), gen_world(sc->u), ps,
				   p->id, p->index, sc->cfg->seed,
				   (int)sc->idx, sc->u->count[GEN_MCQ]) != 0)
		return pf_error_set(err, "no multiple-choice item of any type "
				    "can be built for %s (no fact, or too "
				    "few other users with values of fitting "
				    "length)", p->id);
	return 0;
}

static const char *
doc_text(const struct stage_ctx *sc, int i)
{
	return json_get_str(unit_reply(sc->u, GEN_DOCUMENT, (uint32_t)i),
			    "content", "");
}

static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	static const char *const letters[] = { "a", "b", "c", "d" };
	struct mcq_item *it = malloc(sizeof(*it));
	cJSON *m;
	char cor[4];
	int k, rc = -1;

	if (it == NULL)
		return pf_error_set(err, "out of memory");
	if (plan(sc, it, err) != 0)
		goto done;
	if ((m = cJSON_AddObjectToObject(v, "mcq")) == NULL) {
		pf_error_set(err, "out of memory");
		goto done;
	}
	snprintf(cor, sizeof(cor), "(%c)", 'a' + it->correct);
	cJSON_AddStringToObject(m, "type", mcq_type_names[it->type]);
	cJSON_AddStringToObject(m, "question", it->question);
	cJSON_AddStringToObject(m, "correct", cor);
	cJSON_AddStringToObject(m, "correct_option",
				it->options[it->correct]);
	for (k = 0; k < MCQ_OPTIONS; k++)
		cJSON_AddStringToObject(m, letters[k], it->options[k]);
	cJSON_AddStringToObject(m, "session", doc_text(sc, it->doc));
	rc = 0;
done:
	free(it);
	return rc;
}

/* The reply's four options into o[], checked against the plan: -1
 * with err filled when one is missing, states the wrong values, is out
 * of length or repeats another. */
static int
options_ok(const struct mcq_item *it, const cJSON *reply, const char *o[4],
	   struct pf_error *err)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(reply, "options");
	int k, j;

	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) != MCQ_OPTIONS)
		return pf_error_set(err, "the reply needs four options");
	for (k = 0; k < MCQ_OPTIONS; k++)
		if ((o[k] = cJSON_GetStringValue(cJSON_GetArrayItem(a, k))) ==
		    NULL || o[k][0] == '\0')
			return pf_error_set(err, "option %c is not text",
					    'a' + k);
	for (k = 0; k < MCQ_OPTIONS; k++) {
		if (!mcq_option_ok(it, k, o[k]))
			return pf_error_set(err, "option %c must state \"%s\" "
					    "word for word", 'a' + k,
					    it->needles[k][0]);
		if (!mcq_length_ok(o[k], o[it->correct]))
			return pf_error_set(err, "option %c is not within "
					    "%d%% of the correct option's "
					    "length", 'a' + k,
					    MCQ_LEN_PERCENT);
		for (j = 0; j < k; j++)
			if (strcmp(o[j], o[k]) == 0)
				return pf_error_set(err, "options %c and %c "
						    "are the same", 'a' + j,
						    'a' + k);
	}
	return 0;
}

/* The tokens from the supporting session to the question (after the
 * last document). */
static int64_t
tokens_from(const struct stage_ctx *sc, int doc)
{
	int64_t n = 0;
	int i;

	for (i = doc; i < sc->u->count[GEN_DOCUMENT]; i++)
		n += (int64_t)personamem_tokens(doc_text(sc, i));
	return n;
}

/* A JSON array of four strings as text (the caller cJSON_free()s it). */
static char *
four(const char *const s[4])
{
	cJSON *a = cJSON_CreateStringArray(s, MCQ_OPTIONS);
	char *t = a != NULL ? cJSON_PrintUnformatted(a) : NULL;

	cJSON_Delete(a);
	return t;
}

static int
write_row(struct stage_ctx *sc, const struct mcq_item *it, const char *q,
	  const char *const o[4])
{
	const char *from[MCQ_OPTIONS];
	char id[48], fact_id[48], doc_id[48], cor[4];
	char *opts = four(o), *users;
	int k, rc = -1;

	for (k = 0; k < MCQ_OPTIONS; k++)
		from[k] = it->from[k];
	users = four(from);
	gen_row_id(id, sizeof(id), sc->u, 'm', (int)sc->idx + 1);
	gen_row_id(fact_id, sizeof(fact_id), sc->u, 'f', it->fact + 1);
	gen_row_id(doc_id, sizeof(doc_id), sc->u, 'd', it->doc + 1);
	snprintf(cor, sizeof(cor), "(%c)", 'a' + it->correct);
	if (opts != NULL && users != NULL)
		rc = writer_mcq(sc->w, (int64_t)sc->u->index,
			&(struct writer_mcq){ .mcq_id = id,
			.item_id = sc->item_id, .idx = (int)sc->idx,
			.question_type = mcq_type_names[it->type],
			.topic = gen_facts(sc->u)->f[it->fact].key,
			.fact_id = fact_id, .doc_id = doc_id, .question = q,
			.options = opts, .correct_answer = cor,
			.option_users = users,
			.distance_blocks = sc->u->count[GEN_DOCUMENT] - it->doc,
			.distance_tokens = tokens_from(sc, it->doc) },
			sc->rerun);
	cJSON_free(opts);
	cJSON_free(users);
	return rc;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const char *q = json_get_str(reply, "question", NULL), *o[4];
	struct mcq_item *it = malloc(sizeof(*it));
	int rc = -1;

	if (it == NULL)
		return pf_error_set(err, "out of memory"), -1;
	if (plan(sc, it, err) != 0)
		goto done;
	rc = 1;
	if (q == NULL || q[0] == '\0') {
		pf_error_set(err, "missing question");
		goto done;
	}
	if (options_ok(it, reply, o, err) != 0 ||
	    (sc->w != NULL && gen_incoherent(sc->u, q, NULL, 0, err)))
		goto done;
	rc = sc->w == NULL ? 0 : write_row(sc, it, q, o);
done:
	free(it);
	return rc;
}

static int
forget(struct stage_ctx *sc)
{
	char id[48];

	gen_row_id(id, sizeof(id), sc->u, 'm', (int)sc->idx + 1);
	return writer_forget(sc->w, "mcq", id);
}

const struct stage stage_mcq = {
	.version = "1",
	.name = "mcq",
	.count = count,
	.deps = gen_deps_documents,   /* distances count over them all */
	.vars = vars,
	.accept = accept,
	.forget = forget,
};
