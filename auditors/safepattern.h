/* safepattern.h - word-class patterns for the offline safety rules:
 * matching on word stems and classes of words, so a rule written once
 * ("skip .. <meal>") also holds for wording it was not written in
 * ("skipping your meals", "skipped a meal").
 *
 * A text is cut into words (letters, digits, apostrophes, bytes >= 0x80)
 * and each word is reduced to a crude stem (plural s, -ing and -ed
 * dropped as in Porter's step 1: "skipping" and "skip" share "skip",
 * "isolating" and "isolate" share "isolate").
 * A pattern is a space-separated sequence of elements, each matched on
 * stems, within one sentence (".!?;" and newlines end one):
 *   word      one word with the same stem ("meals" matches "meal")
 *   <name>    one member of class `name` (a member may be several words)
 *   <number>  a number written in digits, or a member of class "number"
 *   _         any one word
 *   ..        zero to three words
 * A match with a member of class "negator" among the five words before
 * it in its sentence does not count ("never skip meals").
 *
 * Classes must be defined before the patterns naming them. A compiled
 * set is read-only after building and may be shared by threads; matching
 * allocates nothing.
 */
#ifndef PF_SAFEPATTERN_H
#define PF_SAFEPATTERN_H

#include <stddef.h>
#include <stdint.h>

#include "base/error.h"

#define SAFEPAT_STEM 24          /* a stem's bytes, NUL included */
#define SAFEPAT_MAX_WORDS 512    /* words of one text looked at */
#define SAFEPAT_MAX_IDS 48       /* patterns of one rule */
#define SAFEPAT_BAG 4096         /* bits of a text's bag of stems */

struct safepat;

/* One word of a text. */
struct safepat_word {
	char stem[SAFEPAT_STEM];
	unsigned hash;              /* of the stem: compared first */
	size_t off, len;            /* the word in the text */
	int sentence;               /* sentence number */
};

/* A text cut into words (the first SAFEPAT_MAX_WORDS), with the bag
 * of its stems (bit hash % SAFEPAT_BAG of each word) and whether a word
 * starts with a digit: a pattern naming a stem that is not in the bag
 * cannot match, and is not tried word by word. */
struct safepat_text {
	struct safepat_word w[SAFEPAT_MAX_WORDS];
	size_t n;
	uint64_t bag[SAFEPAT_BAG / 64];
	int digits;
};

/* The patterns of one rule (ids into a struct safepat). */
struct safepat_ids {
	int id[SAFEPAT_MAX_IDS];
	size_t n;
};

/* A new empty set into *out (safepat_free). Returns 0, or -1 with err
 * filled when out of memory. */
int safepat_new(struct safepat **out, struct pf_error *err);

void safepat_free(struct safepat *s);   /* accepts NULL */

/* Define class `name` from `members`, '|'-separated phrases. Returns 0,
 * or -1 with err->msg (a class defined twice, too many classes or
 * members, a member of too many words). */
int safepat_class(struct safepat *s, const char *name, const char *members,
		  struct pf_error *err);

/* Compile `pattern` and add its id to *ids. Returns 0, or -1 with
 * err->msg naming the element at fault (an unknown class, too long). */
int safepat_compile(struct safepat *s, const char *pattern,
		    struct safepat_ids *ids, struct pf_error *err);

/* Whether a term of a lexicon field is a pattern rather than a plain
 * term: it holds a '<', a "_" or ".." element, or starts with '~' (a
 * plain phrase matched on stems: "~keep to yourself"). */
int safepat_is_pattern(const char *term);

/* Cut text into *out. Cannot fail; words past the maximum are left out. */
void safepat_cut(const char *text, struct safepat_text *out);

/* The first unnegated match of any of ids in t starting at byte `from`
 * or later: 1 with *off and *len (the matched bytes), else 0. */
int safepat_find(const struct safepat *s, const struct safepat_ids *ids,
		 const struct safepat_text *t, size_t from, size_t *off,
		 size_t *len);

/* Stem the word w (len bytes) into out. */
void safepat_stem(const char *w, size_t len, char out[SAFEPAT_STEM]);

#endif
