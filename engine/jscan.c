/* jscan.c - structural scan of a JSON object (see jscan.h). */
#include "engine/jscan.h"

#include <string.h>

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
			   *p == '\r'))
		p++;
	return p;
}

/* p is at a '"': the byte after the closing quote, NULL if none. */
static const char *
skip_string(const char *p, const char *end)
{
	for (p++; p < end; p++) {
		if (*p == '"')
			return p + 1;
		if (*p == '\\')
			p++;
	}
	return NULL;
}

/* The end of the value at p (a string, an object, an array or a scalar);
 * NULL if it breaks off. */
static const char *
skip_value(const char *p, const char *end)
{
	int depth = 0;

	while (p < end) {
		if (*p == '"') {
			if ((p = skip_string(p, end)) == NULL)
				return NULL;
			if (depth == 0)
				return p;
			continue;
		}
		if (*p == '{' || *p == '[') {
			depth++;
		} else if (*p == '}' || *p == ']') {
			if (depth == 0)
				return p;      /* a scalar's end, or nothing */
			if (--depth == 0)
				return p + 1;
		} else if (depth == 0 && (*p == ',' || *p == ' ' ||
					  *p == '\t' || *p == '\n' ||
					  *p == '\r')) {
			return p;
		}
		p++;
	}
	return depth == 0 ? p : NULL;
}

/* Record the member named by key text k[0..kn) if it is wanted and new. */
static void
member_take(const char *k, size_t kn, const char *v, const char *ve,
	    const char *const *keys, size_t nkeys, struct jspan *out)
{
	size_t i;

	for (i = 0; i < nkeys; i++)
		if (out[i].p == NULL && strlen(keys[i]) == kn &&
		    memcmp(keys[i], k, kn) == 0) {
			out[i].p = v;
			out[i].n = (size_t)(ve - v);
		}
}

int
jscan_object(const char *p, size_t n, const char *const *keys,
	     size_t nkeys, struct jspan *out)
{
	const char *end = p + n, *k, *ke, *v;

	memset(out, 0, nkeys * sizeof(*out));
	p = skip_ws(p, end);
	if (p == end || *p++ != '{')
		return -1;
	p = skip_ws(p, end);
	if (p < end && *p == '}')
		return 0;
	for (;;) {
		if (p == end || *p != '"')
			return -1;
		k = p + 1;
		if ((p = skip_string(p, end)) == NULL)
			return -1;
		ke = p - 1;
		p = skip_ws(p, end);
		if (p == end || *p++ != ':')
			return -1;
		v = skip_ws(p, end);
		if ((p = skip_value(v, end)) == NULL || p == v)
			return -1;
		member_take(k, (size_t)(ke - k), v, p, keys, nkeys, out);
		p = skip_ws(p, end);
		if (p < end && *p == '}')
			return 0;
		if (p == end || *p++ != ',')
			return -1;
		p = skip_ws(p, end);
	}
}

int
jscan_plain_string(const struct jspan *v)
{
	return v->p != NULL && v->n >= 2 && v->p[0] == '"' &&
	       v->p[v->n - 1] == '"' && memchr(v->p, '\\', v->n) == NULL;
}
