/* dates.c - dates and dates of birth in free text (see dates.h). */
#include "auditors/dates.h"

#include <string.h>

#include "auditors/textscan.h"

#define CUE_WINDOW 24
#define NAME_WINDOW 80

static const char *const months[] = {
	"january", "february", "march", "april", "may", "june", "july",
	"august", "september", "october", "november", "december", NULL
};

static const char *const birth_cues[] = {
	"born", "dob", "d.o.b.", "date of birth", "birth date", "birthdate",
	"birthday", NULL
};

/* Capitalized words that start sentences or label fields, never names. */
static const char *const not_names[] = {
	"The", "This", "That", "These", "On", "In", "At", "Date", "Birth",
	"Name", "Patient", "Applicant", "Born", "Her", "His", "Our", "Their",
	"My", "When", "After", "Before", "Mr", "Mrs", "Ms", "Dr", "Dear",
	"Client", "Customer", "Employee", "Student", NULL
};

/* Read 1..max digits at s[*j] into *v; 0 if none. */
static int
num(const char *s, size_t n, size_t *j, int max, int *v)
{
	int k = 0;

	*v = 0;
	while (k < max && *j < n && ts_digit((unsigned char)s[*j])) {
		*v = *v * 10 + (s[(*j)++] - '0');
		k++;
	}
	return k > 0 && !(*j < n && ts_digit((unsigned char)s[*j])) ? k : 0;
}

/* A month name at s[*j] (full or three letters, optional '.'): its
 * number 1-12, or 0. */
static int
month_at(const char *s, size_t n, size_t *j)
{
	int m;

	if (*j >= n)
		return 0;
	for (m = 0; months[m] != NULL; m++) {
		size_t len;

		/* both forms below start with the month's first two letters
		 * (three or more bytes): most words are ruled out before the
		 * name is compared */
		if (ts_tolower((unsigned char)s[*j]) != months[m][0] ||
		    *j + 1 >= n ||
		    ts_tolower((unsigned char)s[*j + 1]) != months[m][1])
			continue;
		len = strlen(months[m]);
		if (ts_word_at(s, n, *j, months[m])) {
			*j += len;
			return m + 1;
		}
		if (len > 3 && *j + 3 <= n &&
		    ts_tolower((unsigned char)s[*j]) == months[m][0] &&
		    ts_tolower((unsigned char)s[*j + 1]) == months[m][1] &&
		    ts_tolower((unsigned char)s[*j + 2]) == months[m][2] &&
		    (*j + 3 == n || !ts_alpha((unsigned char)s[*j + 3]))) {
			*j += 3;
			if (*j < n && s[*j] == '.')
				(*j)++;
			return m + 1;
		}
	}
	return 0;
}

static int
year_ok(int y)
{
	return y >= 1900 && y <= 2099;
}

/* The date must not run on into a word or a longer number. */
static int
ends_ok(const char *s, size_t n, size_t j)
{
	return j == n || !(ts_alnum((unsigned char)s[j]) ||
			   ((s[j] == '/' || s[j] == '-') && j + 1 < n &&
			    ts_digit((unsigned char)s[j + 1])));
}

/* Numeric forms: M/D/YYYY, D/M/YYYY, YYYY-MM-DD; "D Month YYYY". */
static int
numeric_date(const char *s, size_t n, size_t i, size_t *end)
{
	size_t j = i;
	int a, b, c, k = num(s, n, &j, 4, &a);

	if (k == 4 && j + 1 < n && s[j] == '-') {
		j++;
		if (num(s, n, &j, 2, &b) != 2 || j >= n || s[j] != '-')
			return 0;
		j++;
		if (num(s, n, &j, 2, &c) != 2 || !year_ok(a) || b < 1 ||
		    b > 12 || c < 1 || c > 31)
			return 0;
	} else if (k >= 1 && k <= 2 && j < n && s[j] == '/') {
		j++;
		if (num(s, n, &j, 2, &b) == 0 || j >= n || s[j] != '/')
			return 0;
		j++;
		if (num(s, n, &j, 4, &c) != 4 || !year_ok(c) || a < 1 ||
		    b < 1 || a > 31 || b > 31 || (a > 12 && b > 12))
			return 0;
	} else if (k >= 1 && k <= 2 && j + 1 < n && s[j] == ' ') {
		j++;
		if (a < 1 || a > 31 || month_at(s, n, &j) == 0 || j >= n ||
		    s[j] != ' ')
			return 0;
		j++;
		if (num(s, n, &j, 4, &c) != 4 || !year_ok(c))
			return 0;
	} else {
		return 0;
	}
	*end = j;
	return ends_ok(s, n, j);
}

/* "Month D, YYYY" (the comma optional). */
static int
month_first(const char *s, size_t n, size_t i, size_t *end)
{
	size_t j = i;
	int d, y;

	if (month_at(s, n, &j) == 0 || j >= n || s[j] != ' ')
		return 0;
	j++;
	if (num(s, n, &j, 2, &d) == 0 || d < 1 || d > 31)
		return 0;
	if (j < n && s[j] == ',')
		j++;
	if (j >= n || s[j] != ' ')
		return 0;
	j++;
	if (num(s, n, &j, 4, &y) != 4 || !year_ok(y))
		return 0;
	*end = j;
	return ends_ok(s, n, j);
}

int
date_match(const char *s, size_t n, size_t i, size_t *end)
{
	if (ts_digit((unsigned char)s[i]))
		return numeric_date(s, n, i, end);
	return month_first(s, n, i, end);
}

/* Is the capitalized word at s[j] (ending before `lim`) a name word?
 * Sets *wend past it. */
static int
name_word(const char *s, size_t lim, size_t j, size_t *wend)
{
	size_t k = j + 1;
	int k2;

	if (j >= lim || !ts_upper((unsigned char)s[j]) ||
	    (j > 0 && ts_alnum((unsigned char)s[j - 1])))
		return 0;
	while (k < lim && (ts_lower((unsigned char)s[k]) ||
			   (s[k] == '\'' && k + 1 < lim &&
			    ts_alpha((unsigned char)s[k + 1])) ||
			   (k > j + 1 && s[k - 1] == '\'' &&
			    ts_upper((unsigned char)s[k]))))
		k++;
	if (k - j < 2 || (k < lim && ts_alnum((unsigned char)s[k])))
		return 0;
	for (k2 = 0; not_names[k2] != NULL; k2++)
		if (strlen(not_names[k2]) == k - j &&
		    memcmp(s + j, not_names[k2], k - j) == 0)
			return 0;
	*wend = k;
	return 1;
}

/* Two name words separated by one space in [lo, lim)? */
static int
name_before(const char *s, size_t lo, size_t lim)
{
	size_t j, e1, e2;

	for (j = lo; j < lim; j++)
		if (name_word(s, lim, j, &e1) && e1 + 1 < lim &&
		    s[e1] == ' ' && name_word(s, lim, e1 + 1, &e2))
			return 1;
	return 0;
}

int
date_is_birth(const char *s, size_t start)
{
	size_t lo = start > CUE_WINDOW ? start - CUE_WINDOW : 0, p, k;

	for (p = lo; p < start; p++) {
		if ((p > 0 && ts_alpha((unsigned char)s[p - 1])) ||
		    !ts_alpha((unsigned char)s[p]))
			continue;
		for (k = 0; birth_cues[k] != NULL; k++) {
			if (!ts_word_at(s, start, p, birth_cues[k]))
				continue;
			if (name_before(s, p > NAME_WINDOW ? p - NAME_WINDOW
					: 0, p))
				return 1;
		}
	}
	return 0;
}
