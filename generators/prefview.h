/* prefview.h - what a preference pair is about and how an answer is
 * read: the FSPO-style question traits, the view axes, the persona's
 * stated preferences, and the text checks the preference and judge
 * stages share.
 *
 * Traits: each pair's question probes one trait of the persona
 * (selected_trait) and has one type; the pair's (trait, type) comes from
 * a per-persona permutation of all PREF_NTRAITS x PREF_NTYPES
 * combinations, so no combination repeats within a persona.
 *
 * Axes: the two answers of a pair are written under the two opposite
 * views of one axis (concise/verbose, positive/negative, novice/expert,
 * formal/casual, persona_l/persona_w; "detailed" is a verbose view,
 * "enthusiastic" and "cautious" the tone views of older configs). On the
 * persona axis persona_w is written for the persona (its own place, age,
 * work) and persona_l for someone else (one of its contacts, with their
 * own); every persona prefers the answer written for it.
 *
 * Stated preferences: per axis the persona prefers one pole or has no
 * preference, by a fixed rule on its attributes (pref_stated); the judge
 * prompt states them, and the offline judge decides from the answers
 * against them (pref_measure), never from a hidden score.
 */
#ifndef PF_GEN_PREFVIEW_H
#define PF_GEN_PREFVIEW_H

#include <stddef.h>
#include <stdint.h>

#include "personas/persona.h"

enum pref_axis { AXIS_LENGTH, AXIS_TONE, AXIS_EXPERTISE, AXIS_REGISTER,
	AXIS_PERSONA, AXIS_N };

/* One opposing pair of views. */
struct pref_views {
	const char *low, *high;    /* "concise" / "verbose" */
	enum pref_axis axis;
};

extern const struct pref_views pref_view_pairs[];
extern const size_t pref_nview_pairs;
extern const char *const pref_axis_names[AXIS_N];   /* "length", ... */

/* Every view name a config may list, NULL-terminated. */
extern const char *const pref_view_names[];

/* The axis of view v and whether it is the axis's high pole ("verbose",
 * "positive", "expert", "casual"); -1 for an unknown view. */
int pref_view_axis(const char *v, int *high);

#define PREF_NTRAITS 8
#define PREF_NTYPES 5
#define PREF_COMBOS (PREF_NTRAITS * PREF_NTYPES)

extern const char *const pref_trait_names[PREF_NTRAITS];
extern const char *const pref_type_names[PREF_NTYPES];

/* The (trait, type) of pair idx of persona `persona` (idx <
 * PREF_COMBOS): a seeded permutation, so pairs of one persona never
 * share both. */
void pref_trait_of(uint64_t seed, int64_t persona, int idx, int *trait,
		   int *type);

/* The persona's value of trait t as a short phrase ("high openness",
 * "67 years old", "School counselor", "household: with partner") into
 * out[n]. */
void pref_trait_value(const struct persona *p, int t, char *out, size_t n);

/* Stated preference per axis: -1 the low pole, +1 the high pole, 0 none. */
void pref_stated(const struct persona *p, int out[AXIS_N]);

/* A sentence stating pref `s` on axis a ("You like short, to-the-point
 * answers."). */
const char *pref_stated_text(enum pref_axis a, int s);

/* The FSPO user description of the persona: who it is and its stated
 * preferences, in the third person, into out[n]. */
void pref_user_desc(const struct persona *p, char *out, size_t n);

/* How far text leans to the high pole of axis a: its word count for
 * length, else (high-pole marker words - low-pole marker words). */
int pref_measure(enum pref_axis a, const char *text);

/* How many of one person's details text mentions (first name, city,
 * job, age as a number; ASCII case ignored; NULL or empty details do not
 * count): the persona axis's measure is this for the persona minus this
 * for the other person. */
int pref_fit(const char *text, const char *first, const char *city,
	     const char *job, int age);

/* Words in text (runs of non-blanks). */
int pref_words(const char *text);

/* 1 if text carries a view label: any view name in [brackets] or
 * (parentheses), or followed by ':' at the start of the text. */
int pref_has_label(const char *text);

/* 1 if a and b share a run of n consecutive words (case and punctuation
 * ignored). */
int pref_shares_run(const char *a, const char *b, int n);

/* 1 if the rationale names an answer by position: "A", "B", "first",
 * "second" as words ("Answer A", "the first one"). */
int pref_names_position(const char *rationale);

/* Natural-log entropy of the counts of the verdicts x, y and tie. */
double pref_bpde(int x, int y, int tie);

#endif
