/* textscan.c - cue words for the PII matchers (see textscan.h). */
#include "auditors/textscan.h"

#include <string.h>

int
ts_word_at(const char *s, size_t n, size_t i, const char *w)
{
	size_t len = strlen(w), j;

	if (i + len > n)
		return 0;
	for (j = 0; j < len; j++)
		if (ts_tolower((unsigned char)s[i + j]) != (unsigned char)w[j])
			return 0;
	return !ts_alpha((unsigned char)w[len - 1]) || i + len == n ||
	       !ts_alpha((unsigned char)s[i + len]);
}

int
ts_cue_before(const char *s, size_t start, size_t window,
	      const char *const *cues)
{
	size_t lo = start > window ? start - window : 0, p, k;

	for (p = lo; p < start; p++) {
		if (p > 0 && ts_alpha((unsigned char)s[p - 1]))
			continue;
		if (!ts_alpha((unsigned char)s[p]))
			continue;
		for (k = 0; cues[k] != NULL; k++)
			if (ts_word_at(s, start, p, cues[k]))
				return 1;
	}
	return 0;
}
