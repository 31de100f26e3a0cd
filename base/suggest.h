/* suggest.h - "did you mean": the closest of a list of allowed words.
 *
 * For error messages about enumerated values (config keys, document types,
 * views, formats): the allowed word nearest to what was written, by edit
 * distance (insertions, deletions, substitutions and transpositions of
 * adjacent bytes), when it is near enough to be a typo. Pure functions, no
 * allocation; owned by base/.
 */
#ifndef PF_SUGGEST_H
#define PF_SUGGEST_H

#include <stddef.h>

/* Words longer than this are never matched. */
#define SUGGEST_MAX_LEN 64

/* Edit distance between a and b; SUGGEST_MAX_LEN + 1 when either is
 * longer than SUGGEST_MAX_LEN. */
int suggest_distance(const char *a, const char *b);

/* The word of the NULL-terminated `words` closest to `w` when it is at
 * most max(1, strlen(w) / 3) edits away (the first one on a tie), else
 * NULL. */
const char *suggest_closest(const char *w, const char *const *words);

/* Write the allowed words as "a, b, c" into out (truncated to n bytes,
 * always terminated). */
void suggest_list(const char *const *words, char *out, size_t n);

#endif
