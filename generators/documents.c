/* documents.c - stage "document": a persona's private documents, one per
 * session of its session plan (generators/session.h): conversations with
 * its contacts, user-AI chats, purchase histories (and emails, notes,
 * calendar entries), PersonaBench style. A fact session states its
 * facts explicitly (the value word for word) or implicitly (the fact's
 * clue phrase); a reply that does not is sent back for another try, so
 * every fact row points at a document that really states it. Filler
 * sessions state no fact. Every document ends with the persona's canary.
 * Offline, the reply is the session's composed text (generators/
 * doctext.h), shown by templates/offline/document.mustache. */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "generators/doctext.h"
#include "generators/facts.h"
#include "generators/text.h"
#include "output/writer.h"

#define CONTENT_MAX ((size_t)1 << 16)   /* reply content + canary */

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

static const struct session *
session_of(const struct stage_ctx *sc)
{
	return &gen_sessions(sc->u)->s[sc->idx];
}

static const struct fact *
planted(const struct stage_ctx *sc, int k)
{
	return &gen_facts(sc->u)->f[session_of(sc)->fact[k]];
}

/* The session's facts as the prompt shows them. */
static void
add_facts(const struct stage_ctx *sc, cJSON *d)
{
	cJSON *fa = cJSON_AddArrayToObject(d, "facts"), *f;
	const struct fact *x;
	int i;

	for (i = 0; fa != NULL && i < session_of(sc)->nfacts; i++) {
		x = planted(sc, i);
		f = cJSON_CreateObject();
		cJSON_AddStringToObject(f, "key", x->key);
		cJSON_AddStringToObject(f, "label", x->label);
		cJSON_AddStringToObject(f, "value", x->value);
		cJSON_AddStringToObject(f, "sentence", x->sentence);
		cJSON_AddStringToObject(f, "statement", x->statement);
		cJSON_AddStringToObject(f, "clue", x->clue);
		cJSON_AddStringToObject(f, "reason", x->reason);
		if (strcmp(x->statement, "implicit") == 0)
			cJSON_AddTrueToObject(f, "implicit");
		cJSON_AddItemToArray(fa, f);
	}
}

/* The offline reply in document.draft: title, content and entries (as
 * JSON text), which templates/offline/document.mustache shows. */
static int
add_draft(const struct stage_ctx *sc, cJSON *d, struct pf_error *err)
{
	struct doctext_input in = { gen_persona(sc->u), gen_world(sc->u),
		session_of(sc), gen_facts(sc->u), sc->cfg->seed, (int)sc->idx,
		NULL };
	cJSON *reply, *o;
	char *entries = NULL;
	int rc = -1;

	if (!sc->offline)
		return 0;
	if ((in.g = gen_grammar(sc->cfg, "document", err)) == NULL)
		return -1;
	if ((reply = doctext_compose(&in, err)) == NULL)
		return -1;
	if (reply != NULL)
		entries = cJSON_PrintUnformatted(json_get(reply, "entries"));
	o = cJSON_AddObjectToObject(d, "draft");
	if (entries != NULL && o != NULL &&
	    cJSON_AddStringToObject(o, "title",
				    json_get_str(reply, "title", "")) &&
	    cJSON_AddStringToObject(o, "content",
				    json_get_str(reply, "content", "")) &&
	    cJSON_AddStringToObject(o, "entries", entries))
		rc = 0;
	cJSON_free(entries);
	cJSON_Delete(reply);
	return rc;
}

static int
vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	const struct session *s = session_of(sc);
	const struct world *w = gen_world(sc->u);
	cJSON *d = cJSON_AddObjectToObject(v, "document");
	char flag[80], ts[20];

	if (d == NULL)
		return pf_error_set(err, "out of memory");
	cJSON_AddStringToObject(d, "type", s->type);
	cJSON_AddNumberToObject(d, "number", sc->idx + 1);
	snprintf(flag, sizeof(flag), "is_%s", s->type);
	cJSON_AddTrueToObject(d, flag);
	session_timestamp(s, ts);
	cJSON_AddStringToObject(d, "timestamp", ts);
	if (s->noise)
		cJSON_AddTrueToObject(d, "noise");
	if (s->contact >= 0) {
		cJSON_AddStringToObject(d, "contact", w->c[s->contact].name);
		cJSON_AddStringToObject(d, "contact_relation",
					w->c[s->contact].word);
		cJSON_AddStringToObject(d, "contact_description",
					w->c[s->contact].description);
	}
	add_facts(sc, d);
	return add_draft(sc, d, err);
}

/* The participants of session s as a JSON array text. */
static char *
participants(const struct stage_ctx *sc, const struct session *s)
{
	cJSON *a = cJSON_CreateArray();
	char *text;

	cJSON_AddItemToArray(a, cJSON_CreateString(gen_persona(sc->u)->name));
	if (s->contact >= 0)
		cJSON_AddItemToArray(a, cJSON_CreateString(
			gen_world(sc->u)->c[s->contact].name));
	else if (strcmp(s->type, "user_ai") == 0)
		cJSON_AddItemToArray(a, cJSON_CreateString("assistant"));
	text = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return text;
}

/* Fact k of the session with its place in the timeline. */
static int
write_fact(struct stage_ctx *sc, int k, const char *doc_id)
{
	const struct fact_plan *fp = gen_facts(sc->u);
	const struct fact *f = planted(sc, k);
	char id[48], sup[48] = "", from[11], to[11] = "", ids[64];
	struct writer_timeline tl;

	gen_row_id(id, sizeof(id), sc->u, 'f', (int)(f - fp->f) + 1);
	if (f->supersedes >= 0)
		gen_row_id(sup, sizeof(sup), sc->u, 'f', f->supersedes + 1);
	facts_day_iso(f->valid_from, from);
	if (f->valid_to >= 0)
		facts_day_iso(f->valid_to, to);
	snprintf(ids, sizeof(ids), "[\"%s\"]", doc_id);
	tl = (struct writer_timeline){ f->statement, f->clue, from, to, sup,
		f->reason, f->period, ids };
	return writer_fact(sc->w, sc->u->index, id, (int)(f - fp->f), f->key,
			   f->value, f->qtype, doc_id, f->relation, f->sex,
			   &tl, sc->rerun);
}

static int
write_rows(struct stage_ctx *sc, const char *title, const char *content,
	   const char *entries)
{
	const struct session *s = session_of(sc);
	const struct world *w = gen_world(sc->u);
	char doc_id[48], ts[20], *who = participants(sc, s);
	struct writer_session ws;
	int i, rc;

	if (who == NULL)
		return -1;
	gen_row_id(doc_id, sizeof(doc_id), sc->u, 'd', (int)sc->idx + 1);
	session_timestamp(s, ts);
	ws = (struct writer_session){ s->session_id, s->segment_id, ts, who,
		s->contact >= 0 ? w->c[s->contact].id : "", entries,
		s->noise };
	rc = writer_document(sc->w, sc->u->index, doc_id, (int)sc->idx,
			     sc->item_id, s->type, title, content, &ws,
			     sc->rerun);
	cJSON_free(who);
	for (i = 0; rc == 0 && i < s->nfacts; i++)
		rc = write_fact(sc, i, doc_id);
	return rc;
}

/* 1 with err set unless content states each planted fact the way the
 * fact says. */
static int
unstated(const struct stage_ctx *sc, const char *content,
	 struct pf_error *err)
{
	const struct fact *f;
	int i;

	for (i = 0; i < session_of(sc)->nfacts; i++) {
		f = planted(sc, i);
		if (!facts_session_states(content, f))
			return pf_error_set(err, "the document does not state "
					    "the planted fact '%s' (%s: \"%s\")",
					    f->key, f->statement,
					    strcmp(f->statement, "implicit") ?
					    f->value : f->clue), 1;
	}
	return 0;
}

/* The reply's entries as JSON text ("[]" when it gave none). */
static char *
entries_of(const cJSON *reply)
{
	const cJSON *e = json_get(reply, "entries");
	char *t;

	if (cJSON_IsArray(e))
		return cJSON_PrintUnformatted(e);
	if ((t = cJSON_malloc(3)) != NULL)
		memcpy(t, "[]", 3);
	return t;
}

static int
accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	const char *title = json_get_str(reply, "title", NULL);
	const char *content = json_get_str(reply, "content", NULL);
	const char *canary = gen_world(sc->u)->canary;
	char *entries;
	struct buf b;
	int rc;

	if (title == NULL || content == NULL || content[0] == '\0')
		return pf_error_set(err, "missing title or content"), 1;
	if (unstated(sc, content, err))
		return 1;
	if (sc->w == NULL)
		return 0;
	if (gen_incoherent(sc->u, title, NULL, 0, err) ||
	    gen_incoherent(sc->u, content, NULL, 0, err))
		return 1;
	buf_init(&b, CONTENT_MAX);
	entries = entries_of(reply);
	rc = buf_printf(&b, "%s\n\nref: %s", content, canary) != 0 ||
	     entries == NULL ? pf_error_set(err, "document too long") :
	     write_rows(sc, title, b.data, entries);
	cJSON_free(entries);
	buf_free(&b);
	return rc;
}

static int
forget(struct stage_ctx *sc)
{
	const struct fact_plan *fp = gen_facts(sc->u);
	char id[48];
	int i;

	for (i = 0; i < session_of(sc)->nfacts; i++) {
		gen_row_id(id, sizeof(id), sc->u, 'f',
			   (int)(planted(sc, i) - fp->f) + 1);
		writer_forget(sc->w, "fact", id);
	}
	gen_row_id(id, sizeof(id), sc->u, 'd', (int)sc->idx + 1);
	return writer_forget(sc->w, "document", id);
}

const struct stage stage_document = {
	.version = "2",
	.name = "document",
	.count = count,
	.deps = deps,
	.vars = vars,
	.accept = accept,
	.forget = forget,
};
