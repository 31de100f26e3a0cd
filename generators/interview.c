/* interview.c - stage "interview": the backstory as a multi-turn life-story
 * interview. Question i is asked with the whole transcript so far, so each
 * answer is conditioned on the earlier ones (deep-binding protocol). */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>
#include <stdlib.h>

#include "base/json.h"
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

	if (getenv("PERSONAFORGE_TEST_CONTRADICT") == NULL || k % 10 != 0 ||
	    ((struct gen_unit *)sc->u->data)->critic[sc->idx].rejected > 0)
		return a;
	if (coherence_has_job(p))
		snprintf(buf, n, "%s I am retired now.", a);
	else
		snprintf(buf, n, "%s I work as a %s.", a, p->occupation);
	return buf;
}

/* The critic: 1 with err set (the engine asks again with that reason,
 * up to generation.max_attempts) when the answer contradicts the
 * persona's attributes or facts by a coherence rule, else 0. The answers
 * it sees were all accepted by it, so holding each to the attributes also
 * holds it to the earlier ones. */
static int
critique(struct stage_ctx *sc, const char *a, struct pf_error *err)
{
	struct gen_critic *c = &((struct gen_unit *)sc->u->data)->
			       critic[sc->idx];

	if (gen_incoherent(sc->u, a, c->reason, sizeof(c->reason), err) == 0)
		return 0;
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
	.forget = forget,
};
