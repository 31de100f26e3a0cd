/* textdiv.h - how varied a set of texts is: tokens, distinct-n and
 * self-BLEU-4, over texts already cut into tokens.
 *
 * Tokens are lower-cased words (runs of ASCII letters, digits,
 * apostrophes and bytes >= 0x80) and single punctuation characters
 * (every other non-space byte), each kept as a 64-bit hash.
 *
 * distinct-n: distinct n-grams over all n-grams of the texts (n-grams do
 * not cross texts; a text shorter than n adds none).
 *
 * self-BLEU-4 (Zhu et al. 2018, Texygen): among the texts with at least
 * 4 tokens, each is the hypothesis and every other one a reference; sentence
 * BLEU with uniform weights over 1..4-grams, clipped counts against the
 * most frequent reference count, brevity penalty against the reference
 * length closest to the hypothesis (ties: the shorter), and NLTK's
 * smoothing method1 (a precision with no match counts 0.1 matches); the
 * mean over hypotheses. Higher is more repetitive.
 *
 * Pure functions; memory is the caller's plus what a call frees before
 * returning.
 */
#ifndef PF_TEXTDIV_H
#define PF_TEXTDIV_H

#include <stddef.h>
#include <stdint.h>

#define TEXTDIV_MAX_TOKENS 1024   /* tokens of one text that count */

/* One text's tokens. */
struct textdiv_text {
	const uint64_t *tok;
	size_t n;
};

/* Cut text into at most max tokens into out; returns how many. NULL
 * text gives 0. */
size_t textdiv_tokens(const char *text, uint64_t *out, size_t max);

/* distinct-n (n 1..4) of the ntexts texts into *value and the n-grams
 * it rests on into *total (0: undefined). Returns 0, or -1 when memory
 * runs out. */
int textdiv_distinct(const struct textdiv_text *t, size_t ntexts, int n,
		     double *value, int64_t *total);

/* self-BLEU-4 of the texts into *value and the hypotheses it averages
 * into *nhyp (0 when fewer than two texts have 4 tokens: undefined).
 * Returns 0, or -1 when memory runs out. */
int textdiv_self_bleu(const struct textdiv_text *t, size_t ntexts,
		      double *value, int64_t *nhyp);

#endif
