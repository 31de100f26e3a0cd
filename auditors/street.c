/* street.c - street addresses in free text (see street.h). */
#include "auditors/street.h"

#include <string.h>

#include "auditors/textscan.h"

#define MAX_WORDS 5
#define MAX_WORD 20

/* Street types as written (capitalized), USPS Publication 28 suffixes
 * and their common abbreviations, plus the British "Close", "Crescent"
 * and "Row". */
static const char *const types[] = {
	"Street", "St", "Avenue", "Ave", "Av", "Road", "Rd", "Boulevard",
	"Blvd", "Lane", "Ln", "Drive", "Dr", "Court", "Ct", "Way", "Place",
	"Pl", "Terrace", "Ter", "Parkway", "Pkwy", "Circle", "Cir", "Highway",
	"Hwy", "Square", "Sq", "Loop", "Trail", "Trl", "Alley", "Row",
	"Crescent", "Close", "Plaza", "Expressway", "Freeway", "Pike",
	NULL
};

static const char *const directions[] = {
	"N", "S", "E", "W", "NE", "NW", "SE", "SW", NULL
};

/* Is [p, p + len) one of the NULL-terminated words? */
static int
one_of(const char *p, size_t len, const char *const *list)
{
	for (; *list != NULL; list++)
		if (strlen(*list) == len && memcmp(p, *list, len) == 0)
			return 1;
	return 0;
}

/* Length of the word at s[j]: a capitalized word (letters and inner
 * apostrophes), an initial or direction in capitals, or an ordinal like
 * "4th"; 0 if none. */
static size_t
word_len(const char *s, size_t n, size_t j)
{
	size_t k = j;

	if (k < n && ts_digit((unsigned char)s[k])) {
		while (k < n && k - j < 3 && ts_digit((unsigned char)s[k]))
			k++;
		if (k + 2 > n || !ts_lower((unsigned char)s[k]) ||
		    !ts_lower((unsigned char)s[k + 1]))
			return 0;
		return one_of(s + k, 2, (const char *const[]){ "st", "nd",
			      "rd", "th", NULL }) ? k + 2 - j : 0;
	}
	if (k >= n || !ts_upper((unsigned char)s[k]))
		return 0;
	k++;
	while (k < n && k - j < MAX_WORD &&
	       (ts_alpha((unsigned char)s[k]) ||
		(s[k] == '\'' && k + 1 < n && ts_alpha((unsigned char)s[k + 1]))))
		k++;
	return k - j;
}

/* The house number at s[i]: 1-6 digits, an optional capital letter, then
 * one space. Returns the offset of the first word, or 0. */
static size_t
house_number(const char *s, size_t n, size_t i)
{
	size_t j = i;

	while (j < n && j - i < 6 && ts_digit((unsigned char)s[j]))
		j++;
	if (j < n && ts_upper((unsigned char)s[j]))
		j++;
	if (j + 1 >= n || s[j] != ' ')
		return 0;
	return j + 1;
}

/* "Copyright 2016 Iain Lane": a year and a name, not an address. */
static const char *const copyright_cues[] = { "copyright", NULL };

int
street_match(const char *s, size_t n, size_t i, size_t *end)
{
	size_t j = house_number(s, n, i), len, best = 0;
	int words;

	if (j == 0 || ts_cue_before(s, i, 32, copyright_cues))
		return 0;
	for (words = 0; words <= MAX_WORDS; words++) {
		len = word_len(s, n, j);
		if (len == 0 || (j + len < n &&
				 ts_alnum((unsigned char)s[j + len])))
			break;
		if (words > 0 && one_of(s + j, len, types))
			best = j + len;
		if (j + len + 1 >= n || s[j + len] != ' ')
			break;
		j += len + 1;
	}
	if (best == 0)
		return 0;
	/* An optional direction after the type. */
	j = best + 1;
	if (best < n && s[best] == ' ' && (len = word_len(s, n, j)) > 0 &&
	    one_of(s + j, len, directions) &&
	    (j + len == n || !ts_alnum((unsigned char)s[j + len])))
		best = j + len;
	*end = best;
	return 1;
}
