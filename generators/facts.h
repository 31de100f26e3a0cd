/* facts.h - the facts planted in a persona's private documents, and their
 * timeline.
 *
 * Facts are drawn from a fixed catalogue (home city, employer, pet, diet,
 * favourite cuisine, a sibling's name, ...) whose values come from the
 * persona's world (generators/world.h): its profile, its preference lists
 * and its contacts, so every fact agrees with the attributes. Each fact
 * is an event of a PersonaMem-style timeline: it has a period ("initial",
 * "next week", "next month", "next year"), the day it became true
 * (valid_from) and, once a later event changed it, the day it stopped
 * (valid_to). Most later events (at least half whenever an earlier
 * preference exists) update an earlier preference: the new fact keeps the
 * old one's key, names it in `supersedes` and says why (`reason`); the
 * old fact keeps its value and gets valid_to.
 *
 * A session states its fact either explicitly (the value word for word)
 * or implicitly (the fact's clue phrase, e.g. "walked Biscuit around the
 * block" for a dog named Biscuit, and not the value); only facts with a
 * clue can be implicit, and about two in five of those are.
 * The plan is a pure function of (run seed, persona, world).
 */
#ifndef PF_FACTS_H
#define PF_FACTS_H

#include <stdint.h>

#include "generators/world.h"
#include "personas/coherence.h"
#include "personas/persona.h"

#define FACTS_MAX 64
#define FACTS_EPOCH_DAY 19723   /* 2024-01-01, days since 1970-01-01 */

struct fact {
	const char *key;        /* catalogue key, e.g. "pet" */
	const char *label;      /* "pet" */
	const char *qtype;      /* PersonaBench question type */
	const char *difficulty; /* "easy" or "hard" */
	const char *question;   /* first-person question, e.g. "What pet do I have?" */
	char value[96];         /* the planted value, stated verbatim */
	char sentence[224];     /* a first-person sentence stating it */
	char clue[160];         /* an implicit statement's phrase, or "" */
	const char *statement;  /* "explicit" or "implicit" */
	const char *relation;   /* "sister" for a relative, else NULL */
	const char *sex;        /* "female"/"male" of a relative, else NULL */
	const char *period;     /* "initial", "next week", ... */
	const char *reason;     /* why an update changed it, else "" */
	int valid_from;         /* day (since 1970-01-01) it became true */
	int valid_to;           /* day it stopped being true; -1 current */
	int supersedes;         /* index of the fact it updates, -1 none */
	int pref;               /* enum world_pref of a preference, else -1 */
	int doc;                /* index of the session that plants it */
};

struct fact_plan {
	int n;
	struct fact f[FACTS_MAX];
};

/* Plan up to `nfacts` facts (clamped to FACTS_MAX; fewer when the
 * catalogue runs out: out->n says how many) of persona p with world w.
 * Facts come in timeline order (valid_from never decreases); doc is left
 * -1 for the session planner (generators/session.h). */
void facts_plan(struct fact_plan *out, const struct persona *p,
		const struct world *w, uint64_t run_seed, int nfacts);

/* The plan's facts and the world's relatives as the coherence rules see
 * them: out[0..return value), at most FACTS_MAX + WORLD_MAX_CONTACTS,
 * borrowing the plan's and the world's strings. */
int facts_coherence(const struct fact_plan *plan, const struct world *w,
		    struct coherence_fact *out);

/* Whether text states fact f the way the fact says: its value (explicit)
 * or its clue phrase (implicit), case-insensitively. */
int facts_session_states(const char *text, const struct fact *f);

/* Case-insensitive substring test, for "does this text state the value". */
int facts_text_states(const char *text, const char *value);

/* "YYYY-MM-DD" of a day since 1970-01-01 into out[11]. */
void facts_day_iso(int day, char out[11]);

/* The Big Five trait (enum persona_trait) whose T-score lies farthest
 * from the mean: the one the "personality" fact states, as its world
 * adjective. */
int facts_main_trait(const struct persona *p);

/* Number of entries in the catalogue. */
int facts_catalogue_size(void);

#endif
