/* qa.c - stage "qa": grounded question-answer pairs in PersonaBench's
 * four types (generators/qaplan.h). QA item i asks about the i mod S-th
 * of the persona's S subjects, in one of the subject's paraphrases; its
 * evidence is, per answer item, the session that planted it and every
 * other document of the persona that states it. An answer that does not
 * contain every item is retried. */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"
#include "generators/facts.h"
#include "generators/qaplan.h"
#include "output/writer.h"

#define ALT_MAX 8               /* alternative sessions cited per item */
#define EVIDENCE_MAX 8192       /* evidence_items JSON text */
static int
count(const struct pf_config *cfg)
{
	if (gen_cfg(cfg)->documents == 0)
		return 0;
	return gen_cfg(cfg)->qa;
}


/* qaplan_fit's view of the persona's documents. */
static const char *
doc_text(void *ud, int i)
{
	const struct stage_ctx *sc = ud;

	if (i < 0 || i >= sc->u->count[GEN_DOCUMENT])
		return "";
	return json_get_str(unit_reply(sc->u, GEN_DOCUMENT, (uint32_t)i),
			    "content", "");
}

/* QA item sc->idx's subject (a copy) into *out; -1 when the persona
 * has no subject (no facts). */
static int
subject_of(const struct stage_ctx *sc, struct qa_subject *out)
{
	struct qa_plan *qp = malloc(sizeof(*qp));
	int rc = -1;

	if (qp == NULL)
		return -1;
	qaplan_build(qp, gen_facts(sc->u), gen_world(sc->u),
		     gen_persona(sc->u), sc->cfg->seed);
	if (qp->n > 0) {
		*out = qp->s[sc->idx % (uint32_t)qp->n];
		qaplan_fit(out, gen_facts(sc->u), doc_text, (void *)sc);
		rc = 0;
	}
	free(qp);
	return rc;
}

/* The evidence of item it: its main session, then up to ALT_MAX others
 * whose text supports it; fills docs (indexes) and returns how many. */
static int
item_docs(const struct stage_ctx *sc, const struct qa_item *it,
	  int docs[ALT_MAX + 1])
{
	int i, n = 0, nd = sc->u->count[GEN_DOCUMENT];

	if (nd > STAGE_MAX_DEPS)
		nd = STAGE_MAX_DEPS;
	if (it->doc >= 0 && it->doc < nd)
		docs[n++] = it->doc;
	for (i = 0; i < nd && n <= ALT_MAX; i++)
		if (i != it->doc &&
		    qaplan_doc_supports(it, doc_text((void *)sc, i), 0))
			docs[n++] = i;
	return n;
}

/* The evidence as JSON: [{"item": ..., "docs": [doc ids]}] (the caller
 * frees it with cJSON_Delete), and the flat list of every cited document
 * into ids / *nids (each once, in first-cited order). */
static cJSON *
evidence(const struct stage_ctx *sc, const struct qa_subject *s,
	 char ids[][48], int *nids)
{
	cJSON *a = cJSON_CreateArray(), *o, *d;
	int docs[ALT_MAX + 1], i, j, k, n;
	char id[48];

	*nids = 0;
	for (i = 0; a != NULL && i < s->nitems; i++) {
		o = cJSON_CreateObject();
		cJSON_AddItemToArray(a, o);
		cJSON_AddStringToObject(o, "item", s->it[i].item);
		d = cJSON_AddArrayToObject(o, "docs");
		n = item_docs(sc, &s->it[i], docs);
		for (j = 0; d != NULL && j < n; j++) {
			gen_row_id(id, sizeof(id), sc->u, 'd', docs[j] + 1);
			cJSON_AddItemToArray(d, cJSON_CreateString(id));
			for (k = 0; k < *nids && strcmp(ids[k], id) != 0; k++)
				;
			if (k == *nids && *nids < STAGE_MAX_DEPS)
				snprintf(ids[(*nids)++], 48, "%s", id);
		}
	}
	return a;
}

/* The evidence is part of the request, so the item's hash changes (and
 * the pair is written again) whenever another document starts or stops
 * stating an item. */
static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	struct qa_subject s;
	const struct fact *f;
	char q[512], a[512], ids[STAGE_MAX_DEPS][48];
	const cJSON *doc;
	cJSON *fo, *ev;
	int n;

	if (subject_of(sc, &s) != 0)
		return pf_error_set(err, "no facts planned for QA");
	f = &gen_facts(sc->u)->f[s.fact];
	doc = unit_reply(sc->u, GEN_DOCUMENT, (uint32_t)f->doc);
	qaplan_question(&s, sc->cfg->seed, sc->u->index, (int)sc->idx, q,
			sizeof(q));
	qaplan_answer(&s, a, sizeof(a));
	fo = cJSON_AddObjectToObject(v, "fact");
	if (fo == NULL)
		return pf_error_set(err, "out of memory");
	cJSON_AddStringToObject(fo, "key", f->key);
	cJSON_AddStringToObject(fo, "label", f->label);
	cJSON_AddStringToObject(fo, "value", a);
	cJSON_AddStringToObject(fo, "question", q);
	cJSON_AddStringToObject(fo, "type", s.qtype);
	cJSON_AddStringToObject(fo, "difficulty", qaplan_difficulty(&s));
	ev = evidence(sc, &s, ids, &n);
	if (ev != NULL)
		cJSON_AddItemToObject(fo, "evidence", ev);
	if (doc != NULL)
		cJSON_AddItemReferenceToObject(v, "document", (cJSON *)doc);
	return 0;
}

/* A JSON array of strings l[0..n) as text, or "null" when !list; the
 * caller frees it with cJSON_free. */
static char *
json_list(const char *const *l, int n, int list)
{
	cJSON *a = list ? cJSON_CreateArray() : cJSON_CreateNull();
	char *t;
	int i;

	for (i = 0; list && a != NULL && i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(l[i]));
	t = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return t;
}

static int
write_rows(struct stage_ctx *sc, const struct qa_subject *s, const char *q,
	   const char *a)
{
	char ids[STAGE_MAX_DEPS][48], qa_id[48], fact_id[48];
	const char *ev[STAGE_MAX_DEPS], *items[QA_MAX_ITEMS];
	struct writer_qa_extra x;
	char *list, *old, *evj;
	cJSON *e;
	int i, n, rc = -1;

	e = evidence(sc, s, ids, &n);
	for (i = 0; i < n; i++)
		ev[i] = ids[i];
	for (i = 0; i < s->nitems; i++)
		items[i] = s->it[i].item;
	list = json_list(items, s->nitems,
			 strcmp(s->answer_type, "list") == 0);
	old = json_list(s->old, s->nold, s->nold > 0);
	evj = cJSON_PrintUnformatted(e);
	cJSON_Delete(e);
	gen_row_id(qa_id, sizeof(qa_id), sc->u, 'q', (int)sc->idx + 1);
	gen_row_id(fact_id, sizeof(fact_id), sc->u, 'f', s->fact + 1);
	x = (struct writer_qa_extra){ .answer_type = s->answer_type,
		.answer_list = list, .outdated_value = old,
		.evidence_items = evj };
	if (list != NULL && old != NULL && evj != NULL &&
	    strlen(evj) < EVIDENCE_MAX)
		rc = writer_qa(sc->w, sc->u->index, qa_id, (int)sc->idx,
			       sc->item_id, fact_id, s->qtype,
			       qaplan_difficulty(s), q, a, ev, n, &x,
			       sc->rerun);
	cJSON_free(list);
	cJSON_free(old);
	cJSON_free(evj);
	return rc;
}

/* Whether answer a gives subject s's answer: the option's letter first
 * for Subjective, else every item word for word. */
static int
answer_ok(const struct qa_subject *s, const char *a)
{
	int i;

	if (strcmp(s->qtype, "Subjective") == 0) {
		a += strspn(a, " \t\n\"'(");
		return *a == 'A' + s->correct;
	}
	for (i = 0; i < s->nitems && (i == 0 ||
	     strcmp(s->answer_type, "list") == 0); i++)
		if (!facts_text_states(a, s->it[i].item))
			return 0;
	return 1;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const char *q = json_get_str(reply, "question", NULL);
	const char *a = json_get_str(reply, "answer", NULL);
	struct qa_subject s;
	char want[512];

	if (subject_of(sc, &s) != 0)
		return pf_error_set(err, "no facts planned for QA"), -1;
	if (q == NULL || a == NULL || q[0] == '\0')
		return pf_error_set(err, "missing question or answer"), 1;
	if (!answer_ok(&s, a)) {
		qaplan_answer(&s, want, sizeof(want));
		return pf_error_set(err, "the answer does not give \"%s\"",
				    want), 1;
	}
	if (sc->w == NULL)
		return 0;
	if (gen_incoherent(sc->u, q, NULL, 0, err) ||
	    gen_incoherent(sc->u, a, NULL, 0, err))
		return 1;
	return write_rows(sc, &s, q, a);
}

static int
forget(struct stage_ctx *sc)
{
	char id[48];

	gen_row_id(id, sizeof(id), sc->u, 'q', (int)sc->idx + 1);
	return writer_forget(sc->w, "qa", id);
}

const struct stage stage_qa = {
	.version = "2",
	.name = "qa",
	.count = count,
	.deps = gen_deps_documents,   /* evidence is computed over all */
	.vars = vars,
	.accept = accept,
	.forget = forget,
};
