/* street.h - street addresses in free text: a house number, a street
 * name and a street type ("742 Evergreen Terrace", "1600 Pennsylvania
 * Avenue NW", "604 E 4th St").
 *
 * The shape: a number of 1-6 digits with an optional letter ("221B"), one
 * space, then 1-5 name words and a street type from a fixed list (each
 * word capitalized: "Elm", "O'Neil"; or an ordinal "4th", a direction
 * "N", an initial "P"), each followed by one space, and an optional
 * direction after the type ("NW"). The span ends after the type or that
 * direction (a '.' after "St" is left out). When several types follow
 * one another ("Park Avenue Place") the last one within the five words
 * ends the span. A street name alone, a ZIP code, a number followed by
 * lower-case words, or a year and a name after "Copyright" in the 32
 * bytes before, is no address. Nothing here allocates or fails.
 */
#ifndef PF_STREET_H
#define PF_STREET_H

#include <stddef.h>

/* A street address starting at s[i] (a digit whose left neighbour the
 * caller has checked)? 1 with *end set, else 0. */
int street_match(const char *s, size_t n, size_t i, size_t *end);

#endif
