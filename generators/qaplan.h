/* qaplan.h - what a persona's QA asks (PersonaBench's four types), the
 * answer, its evidence and its difficulty.
 *
 * A subject is one question about the persona's current facts
 * (generators/facts.h): a Basic information attribute (a string; height
 * a number of centimetres), a Preference (the list of the key's current
 * items, 1 to 5; the items a later event replaced are its outdated
 * values), a Social question (a relative's name, a contact's relationship
 * to the persona, a contact's job, or the job of "my sister", which links
 * the session naming her to the one stating her job) or a Subjective
 * choice between the persona's personality adjective and its antonym.
 *
 * Every subject has 1..QA_MAX_ITEMS evidence items: the answer item (the
 * key of PersonaBench's segment_id map), the text a supporting session
 * holds (`needle`, and `also` when a second string must be there too,
 * e.g. the contact's name next to a job) and the session that planted it
 * (the main one). Other sessions that hold the same text are found later
 * from the documents (qaplan_doc_supports). Difficulty: "hard" when the
 * items' main sessions are two or more, except Basic information and
 * Subjective, which are always "easy".
 *
 * Questions are first person, drawn per QA item from at least five
 * paraphrases per subject kind; nothing here allocates, and the plan is
 * a pure function of (run seed, persona, fact plan, world).
 */
#ifndef PF_QAPLAN_H
#define PF_QAPLAN_H

#include <stddef.h>
#include <stdint.h>

#include "generators/facts.h"
#include "generators/world.h"
#include "personas/persona.h"

#define QA_MAX_ITEMS 5
#define QAPLAN_MAX (FACTS_MAX + 16)   /* a contact fact gives two */

struct qa_item {
	char item[96];        /* the answer item ("tennis", "178") */
	char needle[96];      /* what a supporting session states */
	char also[96];        /* and this too, or "" */
	const char *clue;     /* the planted fact's clue phrase, or "" */
	int doc;              /* the main session: the one planting it */
};

struct qa_subject {
	const char *kind;        /* paraphrase set: "home_city", "relation" */
	const char *qtype;       /* "Basic information", ... */
	const char *answer_type; /* "string", "number" or "list" */
	int fact;                /* index of the fact asked about */
	const char *name;        /* {name}: a contact's full name, or "" */
	const char *rel;         /* {rel}: a relation word, or "" */
	const char *opt[2];      /* Subjective options A and B */
	int correct;             /* Subjective: 0 for A, 1 for B */
	int nitems;
	struct qa_item it[QA_MAX_ITEMS];
	int nold;
	const char *old[QA_MAX_ITEMS];   /* outdated values */
};

struct qa_plan {
	int n;
	struct qa_subject s[QAPLAN_MAX];
};

/* Plan persona p's QA subjects from its fact plan (sessions planned:
 * every fact has its doc) and world, in an order drawn from run_seed.
 * Never fails; out->n may be 0 (no facts). Strings point into fp, w and
 * static tables. */
void qaplan_build(struct qa_plan *out, const struct fact_plan *fp,
		  const struct world *w, const struct persona *p,
		  uint64_t run_seed);

/* Fit s to the words its sessions really use: a relative's session may
 * say "my sibling" rather than "my sister", and then the relation asked
 * and answered is the fact's label ("sibling"). text(ud, doc) gives a
 * session's text. */
void qaplan_fit(struct qa_subject *s, const struct fact_plan *fp,
		const char *(*text)(void *ud, int doc), void *ud);

/* QA item idx's question about s: one paraphrase drawn from
 * (run_seed, persona, idx), placeholders filled, into out[n]. */
void qaplan_question(const struct qa_subject *s, uint64_t run_seed,
		     int64_t persona, int idx, char *out, size_t n);

/* The canonical answer: the item ("B" for Subjective), or a list's items
 * joined by ", ", into out[n]. */
void qaplan_answer(const struct qa_subject *s, char *out, size_t n);

/* "easy" or "hard" (see above). */
const char *qaplan_difficulty(const struct qa_subject *s);

/* Whether session text supports item it: it holds the needle (or, in
 * the main session, the clue) as whole words, and `also` if set. */
int qaplan_doc_supports(const struct qa_item *it, const char *text,
			int main_doc);

/* Paraphrases of subject kind `kind` (0 when unknown), for tests. */
int qaplan_paraphrases(const char *kind);

#endif
