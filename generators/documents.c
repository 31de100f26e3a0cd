/* documents.c - stage "document": synthetic private documents (chats with
 * contacts, user-AI chats, purchase history, emails, notes, calendar
 * entries) that each state some of the persona's planted facts
 * (PersonaBench style). A reply that does not state every planted value
 * verbatim is sent back for another try, so every fact row points at a
 * document that really states it. */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>

#include "base/json.h"
#include "generators/facts.h"
#include "output/writer.h"

static int
count(const struct pf_config *cfg)
{
	return gen_cfg(cfg)->documents;
}

static int
deps(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	(void)idx;
	if (u->count[GEN_NARRATIVE] > 0) {
		d[0] = (struct stage_dep){ GEN_NARRATIVE, 0 };
		return 1;
	}
	return 0;
}

static const char *
doc_type(const struct stage_ctx *sc)
{
	const struct gen_config *g = gen_cfg(sc->cfg);

	return g->doc_types[sc->idx % (uint32_t)g->ndoc_types];
}

static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	const struct fact_plan *fp = gen_facts(sc->u);
	cJSON *d = cJSON_AddObjectToObject(v, "document"), *fa, *f;
	char flag[80];
	int i;

	if (d == NULL)
		return pf_error_set(err, "out of memory");
	cJSON_AddStringToObject(d, "type", doc_type(sc));
	cJSON_AddNumberToObject(d, "number", sc->idx + 1);
	snprintf(flag, sizeof(flag), "is_%s", doc_type(sc));
	cJSON_AddTrueToObject(d, flag);
	fa = cJSON_AddArrayToObject(d, "facts");
	for (i = 0; fa != NULL && i < fp->n; i++) {
		if (fp->f[i].doc != (int)sc->idx)
			continue;
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "key", fp->f[i].key);
		cJSON_AddStringToObject(f, "label", fp->f[i].label);
		cJSON_AddStringToObject(f, "value", fp->f[i].value);
		cJSON_AddStringToObject(f, "sentence", fp->f[i].sentence);
		cJSON_AddItemToArray(fa, f);
	}
	return 0;
}

static int
write_rows(struct stage_ctx *sc, const char *title, const char *content)
{
	const struct fact_plan *fp = gen_facts(sc->u);
	char doc_id[48], fact_id[48];
	int i;

	gen_row_id(doc_id, sizeof(doc_id), sc->u, 'd', (int)sc->idx + 1);
	if (writer_document(sc->w, sc->u->index, doc_id, (int)sc->idx,
			    sc->item_id, doc_type(sc), title, content,
			    sc->rerun) != 0)
		return -1;
	for (i = 0; i < fp->n; i++) {
		if (fp->f[i].doc != (int)sc->idx)
			continue;
		gen_row_id(fact_id, sizeof(fact_id), sc->u, 'f', i + 1);
		if (writer_fact(sc->w, sc->u->index, fact_id, i,
				fp->f[i].key, fp->f[i].value, fp->f[i].qtype,
				doc_id, fp->f[i].relation, fp->f[i].sex,
				sc->rerun) != 0)
			return -1;
	}
	return 0;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const struct fact_plan *fp = gen_facts(sc->u);
	const char *title = json_get_str(reply, "title", NULL);
	const char *content = json_get_str(reply, "content", NULL);
	int i;

	if (title == NULL || content == NULL || content[0] == '\0')
		return pf_error_set(err, "missing title or content"), 1;
	for (i = 0; i < fp->n; i++)
		if (fp->f[i].doc == (int)sc->idx &&
		    !facts_text_states(content, fp->f[i].value))
			return pf_error_set(err, "the document does not state "
					    "the planted fact '%s' (\"%s\")",
					    fp->f[i].key, fp->f[i].value), 1;
	if (sc->w == NULL)
		return 0;
	if (gen_incoherent(sc->u, title, NULL, 0, err) ||
	    gen_incoherent(sc->u, content, NULL, 0, err))
		return 1;
	return write_rows(sc, title, content);
}

static int
forget(struct stage_ctx *sc)
{
	const struct fact_plan *fp = gen_facts(sc->u);
	char id[48];
	int i;

	for (i = 0; i < fp->n; i++) {
		if (fp->f[i].doc != (int)sc->idx)
			continue;
		gen_row_id(id, sizeof(id), sc->u, 'f', i + 1);
		writer_forget(sc->w, "fact", id);
	}
	gen_row_id(id, sizeof(id), sc->u, 'd', (int)sc->idx + 1);
	return writer_forget(sc->w, "document", id);
}

const struct stage stage_document = {
	.version = "1",
	.name = "document",
	.count = count,
	.deps = deps,
	.vars = vars,
	.accept = accept,
	.forget = forget,
};
