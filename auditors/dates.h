/* dates.h - calendar dates in free text, and whether one is a person's
 * date of birth.
 *
 * Dates: M/D/YYYY and D/M/YYYY (one or two digits each), YYYY-MM-DD,
 * "March 14, 1987" and "14 March 1987" (full month names or three-letter
 * abbreviations with an optional '.'), years 1900-2099. A date is a date
 * of birth when a birth cue ("born", "DOB", "date of birth", "birth
 * date", "birthdate", "birthday") ends in the 24 bytes before it and a
 * name (two capitalized words, neither a common sentence word such as
 * "The" or "Patient") stands in the 80 bytes before the cue. A date with
 * no such cue and name, or a year alone, is no date of birth. Nothing here
 * allocates or fails.
 */
#ifndef PF_DATES_H
#define PF_DATES_H

#include <stddef.h>

/* A date starting at s[i] (a digit or a capital letter whose left
 * neighbour the caller has checked)? 1 with *end set, else 0. */
int date_match(const char *s, size_t n, size_t i, size_t *end);

/* 1 if the date starting at s[start] is a date of birth next to a name
 * (the cue and name rules above), else 0. */
int date_is_birth(const char *s, size_t start);

#endif
