/* cqaword.c - the asker's words as an answer repeats them (see
 * cqaword.h). */
#include "generators/cqaword.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

/* First match wins, so the two-word entries come before "I". */
static const char *const swap[][2] = {
	{ "I am", "you are" }, { "I was", "you were" },
	{ "I", "you" }, { "me", "you" }, { "my", "your" },
	{ "My", "Your" }, { "our", "your" }, { "myself", "yourself" },
	{ "mine", "yours" }, { "I'm", "you're" }, { "I've", "you've" },
	{ "I'd", "you'd" },
};

static int
word_char(char c)
{
	return isalpha((unsigned char)c) || c == '\'';
}

/* The entry of swap[] that s starts with as whole words (w: the length
 * of s's first word), its length in *len; NULL for none. */
static const char *
match(const char *s, size_t w, size_t *len)
{
	size_t k;

	for (k = 0; k < sizeof(swap) / sizeof(swap[0]); k++) {
		*len = strlen(swap[k][0]);
		if (*len >= w && strncmp(s, swap[k][0], *len) == 0 &&
		    !word_char(s[*len]))
			return swap[k][1];
	}
	return NULL;
}

void
cqa_word_second_person(const char *s, char *out, size_t n)
{
	size_t o = 0, w, len = 0;
	const char *rep;
	int k;

	out[0] = '\0';
	while (*s != '\0' && o + 1 < n) {
		for (w = 0; word_char(s[w]); w++)
			;
		rep = w > 0 ? match(s, w, &len) : NULL;
		if (rep != NULL)
			w = len;
		else
			w = w > 0 ? w : 1;
		k = rep != NULL ? snprintf(out + o, n - o, "%s", rep)
				: snprintf(out + o, n - o, "%.*s", (int)w, s);
		o += k > 0 ? (size_t)k : 0;
		if (o >= n)
			o = n - 1;
		s += w;
	}
}
