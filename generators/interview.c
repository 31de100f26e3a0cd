/* interview.c - stage "interview": the backstory as a multi-turn life-story
 * interview. Question i is asked with the whole transcript so far, so each
 * answer is conditioned on the earlier ones (deep-binding protocol). */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>

#include "base/json.h"
#include "output/writer.h"

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
	/* A flag per question key lets templates branch with sections. */
	snprintf(flag, sizeof(flag), "is_%s", q->key);
	cJSON_AddTrueToObject(qo, flag);
	cJSON_AddItemToObject(v, "transcript", transcript(sc));
	if (sc->idx == 0)
		cJSON_AddTrueToObject(v, "first_question");
	return 0;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const struct interview_question *q =
		&gen_cfg(sc->cfg)->questions[sc->idx];
	const char *a = json_get_str(reply, "answer", NULL);
	char tid[48];

	if (a == NULL || a[0] == '\0')
		return pf_error_set(err, "empty answer"), 1;
	if (sc->w == NULL)
		return 0;
	gen_row_id(tid, sizeof(tid), sc->u, 't', (int)sc->idx + 1);
	return writer_turn(sc->w, sc->u->index, tid, (int)sc->idx + 1,
			   sc->item_id, q->key, q->text, a, sc->rerun);
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
	.forget = forget,
};
