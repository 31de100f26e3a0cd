/* suggest.c - the closest allowed word (see suggest.h). */
#include "base/suggest.h"

#include <stdio.h>
#include <string.h>

static int
min3(int a, int b, int c)
{
	int m = a < b ? a : b;

	return m < c ? m : c;
}

/* Optimal string alignment distance over three rows of the table. */
int
suggest_distance(const char *a, const char *b)
{
	int row[3][SUGGEST_MAX_LEN + 1];
	size_t la = strlen(a), lb = strlen(b), i, j;
	int *pp, *p, *c, cost;

	if (la > SUGGEST_MAX_LEN || lb > SUGGEST_MAX_LEN)
		return SUGGEST_MAX_LEN + 1;
	for (j = 0; j <= lb; j++)
		row[0][j] = (int)j;
	for (i = 1; i <= la; i++) {
		pp = row[(i + 1) % 3];     /* row i - 2 */
		p = row[(i + 2) % 3];      /* row i - 1 */
		c = row[i % 3];
		c[0] = (int)i;
		for (j = 1; j <= lb; j++) {
			cost = a[i - 1] != b[j - 1];
			c[j] = min3(p[j] + 1, c[j - 1] + 1, p[j - 1] + cost);
			if (i > 1 && j > 1 && a[i - 1] == b[j - 2] &&
			    a[i - 2] == b[j - 1] && pp[j - 2] + 1 < c[j])
				c[j] = pp[j - 2] + 1;
		}
	}
	return row[la % 3][lb];
}

const char *
suggest_closest(const char *w, const char *const *words)
{
	int best = -1, d, limit = (int)(strlen(w) / 3);
	const char *pick = NULL;
	size_t i;

	if (limit < 1)
		limit = 1;
	for (i = 0; words[i] != NULL; i++) {
		d = suggest_distance(w, words[i]);
		if (d <= limit && (best < 0 || d < best)) {
			best = d;
			pick = words[i];
		}
	}
	return pick;
}

void
suggest_list(const char *const *words, char *out, size_t n)
{
	size_t i, len = 0;
	int k;

	if (n == 0)
		return;
	out[0] = '\0';
	for (i = 0; words[i] != NULL && len < n; i++) {
		k = snprintf(out + len, n - len, "%s%s", i == 0 ? "" : ", ",
			     words[i]);
		if (k < 0)
			return;
		len += (size_t)k;
	}
}
