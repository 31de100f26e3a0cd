/* qa.c - stage "qa": grounded question-answer pairs. QA item i asks about
 * the i mod C-th of the persona's C current facts (those no later event
 * superseded); its evidence is the document the fact was planted in
 * (which may state it by its clue phrase only) and every other document
 * of the persona that states the fact's value. An answer that does not
 * contain the value is retried. */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>

#include "base/json.h"
#include "generators/facts.h"
#include "output/writer.h"

static int
count(const struct pf_config *cfg)
{
	if (gen_cfg(cfg)->documents == 0)
		return 0;
	return gen_cfg(cfg)->qa;
}

/* QA waits for every document: evidence is computed over all of them. */
static int
deps(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	int i, n = u->count[GEN_DOCUMENT];

	(void)idx;
	if (n > STAGE_MAX_DEPS)
		n = STAGE_MAX_DEPS;
	for (i = 0; i < n; i++)
		d[i] = (struct stage_dep){ GEN_DOCUMENT, (uint32_t)i };
	return n;
}

static const struct fact *
fact_of(const struct stage_ctx *sc)
{
	const struct fact_plan *fp = gen_facts(sc->u);
	int i, n = 0, k;

	for (i = 0; i < fp->n; i++)
		n += fp->f[i].valid_to < 0;
	if (n == 0)
		return NULL;
	k = (int)(sc->idx % (uint32_t)n);
	for (i = 0; i < fp->n; i++)
		if (fp->f[i].valid_to < 0 && k-- == 0)
			break;
	return &fp->f[i];
}

/* The persona's documents that state the fact's value: the evidence.
 * Fills ids (STAGE_MAX_DEPS x 48) and returns how many. */
static int
evidence(const struct stage_ctx *sc, const struct fact *f,
	 char ids[][48])
{
	const cJSON *doc;
	int i, n = 0;

	for (i = 0; i < sc->u->count[GEN_DOCUMENT] &&
		    i < STAGE_MAX_DEPS; i++) {
		doc = unit_reply(sc->u, GEN_DOCUMENT, (uint32_t)i);
		if (i != f->doc &&
		    !facts_text_states(json_get_str(doc, "content", ""),
				       f->value))
			continue;
		gen_row_id(ids[n++], 48, sc->u, 'd', i + 1);
	}
	return n;
}

/* The evidence is part of the request, so the item's hash changes (and
 * the pair is written again) whenever another document starts or stops
 * stating the value. */
static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	const struct fact *f = fact_of(sc);
	char ids[STAGE_MAX_DEPS][48];
	const cJSON *doc;
	cJSON *fo, *ev;
	int i, n;

	if (f == NULL)
		return pf_error_set(err, "no facts planned for QA");
	doc = unit_reply(sc->u, GEN_DOCUMENT, (uint32_t)f->doc);
	fo = cJSON_AddObjectToObject(v, "fact");
	if (fo == NULL)
		return pf_error_set(err, "out of memory");
	cJSON_AddStringToObject(fo, "key", f->key);
	cJSON_AddStringToObject(fo, "label", f->label);
	cJSON_AddStringToObject(fo, "value", f->value);
	cJSON_AddStringToObject(fo, "question", f->question);
	cJSON_AddStringToObject(fo, "type", f->qtype);
	ev = cJSON_AddArrayToObject(fo, "evidence");
	n = evidence(sc, f, ids);
	for (i = 0; ev != NULL && i < n; i++)
		cJSON_AddItemToArray(ev, cJSON_CreateString(ids[i]));
	if (doc != NULL)
		cJSON_AddItemReferenceToObject(v, "document", (cJSON *)doc);
	return 0;
}

static int
write_rows(struct stage_ctx *sc, const struct fact *f, const char *q,
	   const char *a)
{
	char ids[STAGE_MAX_DEPS][48], qa_id[48], fact_id[48];
	const char *ev[STAGE_MAX_DEPS];
	int i, n;

	n = evidence(sc, f, ids);
	for (i = 0; i < n; i++)
		ev[i] = ids[i];
	gen_row_id(qa_id, sizeof(qa_id), sc->u, 'q', (int)sc->idx + 1);
	gen_row_id(fact_id, sizeof(fact_id), sc->u, 'f',
		     (int)(f - gen_facts(sc->u)->f) + 1);
	return writer_qa(sc->w, sc->u->index, qa_id, (int)sc->idx,
			 sc->item_id, fact_id, f->qtype, f->difficulty, q, a,
			 ev, n, sc->rerun);
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const struct fact *f = fact_of(sc);
	const char *q = json_get_str(reply, "question", NULL);
	const char *a = json_get_str(reply, "answer", NULL);

	if (f == NULL)
		return pf_error_set(err, "no facts planned for QA"), -1;
	if (q == NULL || a == NULL || q[0] == '\0')
		return pf_error_set(err, "missing question or answer"), 1;
	if (!facts_text_states(a, f->value))
		return pf_error_set(err, "the answer does not contain the "
				    "fact's value \"%s\"", f->value), 1;
	if (sc->w == NULL)
		return 0;
	if (gen_incoherent(sc->u, q, NULL, 0, err) ||
	    gen_incoherent(sc->u, a, NULL, 0, err))
		return 1;
	return write_rows(sc, f, q, a);
}

static int
forget(struct stage_ctx *sc)
{
	char id[48];

	gen_row_id(id, sizeof(id), sc->u, 'q', (int)sc->idx + 1);
	return writer_forget(sc->w, "qa", id);
}

const struct stage stage_qa = {
	.version = "1",
	.name = "qa",
	.count = count,
	.deps = deps,
	.vars = vars,
	.accept = accept,
	.forget = forget,
};
