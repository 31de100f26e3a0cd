/* facts.h - the facts planted in a persona's private documents.
 *
 * Each persona gets F = documents x facts_per_document facts drawn from a
 * fixed catalogue (home city, employer, pet, diet, favourite cuisine, a
 * sibling's name, ...), each with a value taken from the persona's
 * attributes or drawn from word lists with the persona's own seed. Fact j
 * is planted in document j mod D, and QA item i asks about fact i mod F,
 * so every QA pair points at the document that states its answer.
 * The plan is a pure function of (run seed, persona), like the persona.
 */
#ifndef PF_FACTS_H
#define PF_FACTS_H

#include <stdint.h>

#include "personas/coherence.h"
#include "personas/persona.h"

#define FACTS_MAX 32

struct fact {
	const char *key;        /* catalogue key, e.g. "pet" */
	const char *label;      /* "my pet" */
	const char *qtype;      /* PersonaBench question type */
	const char *difficulty; /* "easy" or "hard" */
	const char *question;   /* first-person question, e.g. "What pet do I have?" */
	char value[96];         /* the planted value, stated verbatim */
	char sentence[224];     /* a first-person sentence stating it */
	const char *relation;   /* "sister" for a relative, else NULL */
	const char *sex;        /* "female"/"male" of a relative, else NULL */
	int doc;                /* index of the document that plants it */
};

struct fact_plan {
	int n;
	struct fact f[FACTS_MAX];
};

/* Plan the facts of persona p for a run: `nfacts` facts (clamped to the
 * entries that apply to p, since a persona without a job has no
 * occupation or employer fact, and to FACTS_MAX) spread over `ndocs`
 * documents; out->n says how many were planned. */
void facts_plan(struct fact_plan *out, const struct persona *p,
		uint64_t run_seed, int nfacts, int ndocs);

/* The plan's facts as the coherence rules see them: out[0..plan->n),
 * borrowing the plan's strings. */
void facts_coherence(const struct fact_plan *plan,
		     struct coherence_fact *out);

/* Case-insensitive substring test, for "does this text state the value". */
int facts_text_states(const char *text, const char *value);

/* Number of entries in the catalogue. */
int facts_catalogue_size(void);

#endif
