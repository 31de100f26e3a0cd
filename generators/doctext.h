/* doctext.h - the offline text of a session: what the offline backend
 * answers for a document (templates/offline/document.mustache shows it).
 *
 * A session becomes a reply {"title", "content", "entries"} shaped like
 * its type: a conversation is turns between the persona and the target
 * contact ({role: first name, act, content}: a greeting and a question
 * about the contact's life and its answer, the persona's news (the
 * planted fact or filler) and a reaction about that news, after an
 * update the question what changed and the reason, now and then a plan
 * agreed or countered, a goodbye; the contact speaks in a voice of
 * their relationship and age), a user-AI chat is {role: "user" |
 * "assistant", act, content} turns (a request about the user's fact
 * and an answer to that request), a purchase history is
 * items {title, description, brand, categories: [3 levels]} and content
 * that reads like an order history; other types are one paragraph.
 * Each planted fact is stated the way the fact says (its value word for
 * word, or its clue phrase and not the value); filler states no fact.
 * (The document stage appends the persona's canary.) Every phrase is a
 * rule of templates/offline/document.grammar (templates/grammar.h)
 * expanded with seeds from the session's own stream, so the text is a
 * pure function of the inputs.
 */
#ifndef PF_DOCTEXT_H
#define PF_DOCTEXT_H

#include <cjson/cJSON.h>
#include <stdint.h>

#include "generators/facts.h"
#include "generators/session.h"
#include "generators/world.h"
#include "personas/persona.h"
#include "base/error.h"
#include "templates/grammar.h"

struct doctext_input {
	const struct persona *p;
	const struct world *w;
	const struct session *s;
	const struct fact_plan *fp;   /* s->fact[] index into it */
	uint64_t seed;
	int idx;                      /* the session's document index */
	const struct grammar *g;      /* templates/offline/document.grammar */
};

/* The session's reply as a new JSON object (the caller frees it with
 * cJSON_Delete), or NULL with err filled when memory runs out or a rule
 * of the grammar fails to render (file:line:col of a missing rule or
 * variable, or a rule that renders nothing). */
cJSON *doctext_compose(const struct doctext_input *in,
		       struct pf_error *err);

#endif
