/* coherence.h - the rules that keep a persona's life in one piece.
 *
 * A persona's attributes, its planted facts and every text written about
 * it must not contradict each other: a retiree has no employer, a
 * 22-year-old holds no doctorate, "my brother" is not called Keiko. The
 * rules are one const table, coherence_rules[], each with an id and the
 * reason it exists; coherence_check() runs all of them over one input
 * (attributes, facts and, optionally, one text). Generators use it to
 * keep their offline output clean, the interview critic uses it as its
 * offline verdict, and tests run it over whole builds.
 *
 * Nothing here allocates; strings are borrowed from the caller.
 */
#ifndef PF_COHERENCE_H
#define PF_COHERENCE_H

#include <stddef.h>

#include "personas/persona.h"

/* One planted fact as the rules see it. relation and sex are set for
 * facts about a relative ("brother", "male"), NULL otherwise. */
struct coherence_fact {
	const char *key;       /* catalogue key: "employer", "sibling", ... */
	const char *value;     /* the stated value */
	const char *relation;  /* relation word of a relative, or NULL */
	const char *sex;       /* "female" or "male" of a relative, or NULL */
};

/* The claims an interview answer makes that a later answer must not
 * contradict (rule earlier_answer): its hometown, birth year, employer
 * and since when, job, move and year, and the sex of each relative it
 * names. Read by coherence_claims_read(); opaque to callers. */
#define COHERENCE_CLAIMS 24        /* claims read from one text */
#define COHERENCE_CLAIM_VALUE 64   /* bytes of one claimed value */

struct coherence_claim {
	int kind;
	char key[COHERENCE_CLAIM_VALUE];    /* a relative's name */
	char value[COHERENCE_CLAIM_VALUE];  /* place, year, employer, job,
					     * or sex */
};

struct coherence_claims {
	int n;
	struct coherence_claim c[COHERENCE_CLAIMS];
};

struct coherence_input {
	const struct persona *p;            /* attributes (required) */
	const struct coherence_fact *facts; /* may be NULL when nfacts is 0 */
	int nfacts;
	const char *text;                   /* a text about p, or NULL */
	/* Earlier answers of the same interview (rule earlier_answer);
	 * may be NULL when nearlier is 0. */
	const char *const *earlier;
	int nearlier;
	/* The claims of earlier[i] read ahead (coherence_claims_read), so
	 * that a caller checking many answers against the same earlier
	 * ones reads each once; NULL, or a NULL entry: read here. */
	const struct coherence_claims *const *earlier_claims;
	/* text lower-cased (ASCII, as strcasestr in the C locale), or NULL:
	 * coherence_check fills it so that each rule's phrase search is one
	 * plain strstr instead of a case-folding one; callers leave it NULL
	 * and the rules then fold case themselves. */
	const char *lower;
};

/* A rule: check() returns 1 and writes a short detail into why[n] when
 * the input violates it, else 0. */
struct coherence_rule {
	const char *id;      /* stable snake_case name */
	const char *reason;  /* why the rule exists, one sentence */
	int (*check)(const struct coherence_input *in, char *why, size_t n);
};

extern const struct coherence_rule coherence_rules[];
extern const size_t coherence_nrules;

/* Run every rule over in. Returns the number of rules violated (0 =
 * coherent). When counts is not NULL, counts[i] is incremented for each
 * violated rule i (an array of coherence_nrules ints). When why is not
 * NULL, it receives "rule_id: detail" of the first violation ("" when
 * none). Never fails. */
int coherence_check(const struct coherence_input *in, int *counts,
		    char *why, size_t n);

/* Read the claims of text (NULL: none) into out. Never fails: claims
 * past COHERENCE_CLAIMS are dropped, values cut to
 * COHERENCE_CLAIM_VALUE - 1 bytes. */
void coherence_claims_read(const char *text, struct coherence_claims *out);

/* 1 when p holds a job (employment status "employed"), else 0: only
 * they may have an employer or say "I work as". */
int coherence_has_job(const struct persona *p);

/* 1 unless p's citizenship says it is not a citizen ("Not a U.S.
 * citizen"): only citizens vote in the elections the interview asks
 * about. An unset or "not recorded" citizenship counts as citizen. */
int coherence_can_vote(const struct persona *p);

/* 0 when p's health rules out hard exercise (a physical disability,
 * chronic back pain, heart disease, a recent surgery), else 1: only
 * they take up trail running or rock climbing. */
int coherence_can_exercise(const struct persona *p);

/* The sex ("female" or "male") a relation word implies ("sister" ->
 * "female"), or NULL for a word the table does not know. */
const char *coherence_relation_sex(const char *relation);

/* A phrase for the household value that reads inside a sentence ("with
 * partner and children" -> "living with a partner and children"); the
 * value itself when it is not in the table. Never NULL for non-NULL h. */
const char *coherence_household_phrase(const char *household);

#endif
