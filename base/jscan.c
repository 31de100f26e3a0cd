/* jscan.c - structural scan of a JSON object (see jscan.h). */
#include "base/jscan.h"

#include <stdlib.h>
#include <string.h>

static const char *
skip_ws(const char *p, const char *end)
{
	while (p < end && (*p == ' ' || *p == '\t' || *p == '\n' ||
			   *p == '\r'))
		p++;
	return p;
}

/* p is at a '"': the byte after the closing quote, NULL if none. A quote
 * ends the string unless an odd run of backslashes stands before it. */
static const char *
skip_string(const char *p, const char *end)
{
	const char *q, *b;

	for (p++; p < end; p = q + 1) {
		q = memchr(p, '"', (size_t)(end - p));
		if (q == NULL)
			return NULL;
		for (b = q; b > p && b[-1] == '\\'; b--)
			;
		if ((q - b) % 2 == 0)
			return q + 1;
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
		if (out[i].p == NULL && keys[i][0] == k[0] &&
		    strncmp(keys[i], k, kn) == 0 && keys[i][kn] == '\0') {
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
jscan_first(const struct jspan *arr, struct jspan *out)
{
	const char *end = arr->p + arr->n, *p = arr->p, *v;

	out->p = NULL;
	out->n = 0;
	if (p == NULL || p == end || *p != '[')
		return -1;
	v = skip_ws(p + 1, end);
	if ((p = skip_value(v, end)) == NULL || p == v)
		return -1;
	out->p = v;
	out->n = (size_t)(p - v);
	return 0;
}

int
jscan_plain_string(const struct jspan *v)
{
	return v->p != NULL && v->n >= 2 && v->p[0] == '"' &&
	       v->p[v->n - 1] == '"' && memchr(v->p, '\\', v->n) == NULL;
}

/* ---- strict validation and string decoding ---- */

static int
hex4(const char *p, const char *end, unsigned *v)
{
	int i;

	*v = 0;
	if (end - p < 4)
		return -1;
	for (i = 0; i < 4; i++) {
		char c = p[i];

		*v <<= 4;
		if (c >= '0' && c <= '9')
			*v |= (unsigned)(c - '0');
		else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
			*v |= (unsigned)((c | 0x20) - 'a' + 10);
		else
			return -1;
	}
	return 0;
}

/* p is just past a backslash and a 'u': read the code point of one
 * \uXXXX (or of a surrogate pair) into *cp; the end, or NULL if bad. */
static const char *
escape_u(const char *p, const char *end, unsigned *cp)
{
	unsigned lo;

	if (hex4(p, end, cp) != 0 || (*cp >= 0xdc00 && *cp <= 0xdfff))
		return NULL;
	p += 4;
	if (*cp < 0xd800 || *cp > 0xdbff)
		return p;
	if (end - p < 6 || p[0] != '\\' || p[1] != 'u' ||
	    hex4(p + 2, end, &lo) != 0 || lo < 0xdc00 || lo > 0xdfff)
		return NULL;
	*cp = 0x10000 + ((*cp - 0xd800) << 10) + (lo - 0xdc00);
	return p + 6;
}

/* p is at a '"': the end of a valid string, NULL if invalid. */
static const char *
valid_string(const char *p, const char *end)
{
	unsigned cp;

	for (p++; p < end; p++) {
		while (p < end && (unsigned char)*p >= 0x20 && *p != '"' &&
		       *p != '\\')
			p++;
		if (p == end || (unsigned char)*p < 0x20)
			return NULL;
		if (*p == '"')
			return p + 1;
		if (++p == end)
			return NULL;
		if (*p == 'u') {
			if ((p = escape_u(p + 1, end, &cp)) == NULL)
				return NULL;
			p--;
		} else if (strchr("\"\\/bfnrt", *p) == NULL || *p == '\0') {
			return NULL;
		}
	}
	return NULL;
}

static const char *
digits(const char *p, const char *end)
{
	const char *s = p;

	while (p < end && *p >= '0' && *p <= '9')
		p++;
	return p > s ? p : NULL;
}

/* A number at p; its end, NULL if invalid (or longer than cJSON reads). */
static const char *
valid_number(const char *p, const char *end)
{
	const char *s = p;

	if (p < end && *p == '-')
		p++;
	if (p < end && *p == '0')
		p++;
	else if ((p = digits(p, end)) == NULL)
		return NULL;
	if (p < end && *p == '.' && (p = digits(p + 1, end)) == NULL)
		return NULL;
	if (p < end && (*p == 'e' || *p == 'E')) {
		p++;
		if (p < end && (*p == '+' || *p == '-'))
			p++;
		if ((p = digits(p, end)) == NULL)
			return NULL;
	}
	return p - s <= 63 ? p : NULL;
}

/* A scalar (string, number, true, false, null) at p; its end or NULL. */
static const char *
valid_scalar(const char *p, const char *end)
{
	static const char *const lit[] = { "true", "false", "null" };
	size_t i, n;

	if (*p == '"')
		return valid_string(p, end);
	if (*p == '-' || (*p >= '0' && *p <= '9'))
		return valid_number(p, end);
	for (i = 0; i < 3; i++) {
		n = strlen(lit[i]);
		if ((size_t)(end - p) >= n && memcmp(p, lit[i], n) == 0)
			return p + n;
	}
	return NULL;
}

/* p is where an object member starts: past its key and colon, or NULL. */
static const char *
valid_key(const char *p, const char *end)
{
	if (p == end || *p != '"' || (p = valid_string(p, end)) == NULL)
		return NULL;
	p = skip_ws(p, end);
	if (p == end || *p != ':')
		return NULL;
	return skip_ws(p + 1, end);
}

int
jscan_valid(const char *p, size_t n)
{
	const char *end = p + n;
	char open[JSCAN_MAX_DEPTH];  /* the closer each open level needs */
	int depth = 0, have = 0;     /* have: a value just ended */

	p = skip_ws(p, end);
	while (p != NULL) {
		if (have) {
			p = skip_ws(p, end);
			if (depth == 0)
				return p == end;
			if (p < end && *p == open[depth - 1]) {
				depth--;
				p++;
			} else if (p < end && *p == ',') {
				p = skip_ws(p + 1, end);
				have = 0;
				if (open[depth - 1] == '}')
					p = valid_key(p, end);
			} else {
				return 0;
			}
		} else if (p < end && (*p == '{' || *p == '[')) {
			if (depth == JSCAN_MAX_DEPTH)
				return 0;
			open[depth++] = *p == '{' ? '}' : ']';
			p = skip_ws(p + 1, end);
			if (p < end && *p == open[depth - 1]) {
				depth--;
				p++;
				have = 1;
			} else if (open[depth - 1] == '}') {
				p = valid_key(p, end);
			}
		} else {
			p = p < end ? valid_scalar(p, end) : NULL;
			have = 1;
		}
	}
	return 0;
}

/* Append code point cp as UTF-8 at o; the end. */
static char *
put_utf8(char *o, unsigned cp)
{
	if (cp < 0x80) {
		*o++ = (char)cp;
	} else if (cp < 0x800) {
		*o++ = (char)(0xc0 | cp >> 6);
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else if (cp < 0x10000) {
		*o++ = (char)(0xe0 | cp >> 12);
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	} else {
		*o++ = (char)(0xf0 | cp >> 18);
		*o++ = (char)(0x80 | (cp >> 12 & 0x3f));
		*o++ = (char)(0x80 | (cp >> 6 & 0x3f));
		*o++ = (char)(0x80 | (cp & 0x3f));
	}
	return o;
}

/* The byte a one-letter escape stands for. */
static char
unescape(char c)
{
	switch (c) {
	case 'b': return '\b';
	case 'f': return '\f';
	case 'n': return '\n';
	case 'r': return '\r';
	case 't': return '\t';
	default: return c;
	}
}

char *
jscan_string(const struct jspan *v, size_t *len)
{
	const char *p, *end;
	char *out, *o;
	unsigned cp;

	if (v->p == NULL || v->n < 2 || v->p[0] != '"' ||
	    (out = malloc(v->n)) == NULL)
		return NULL;
	end = v->p + v->n - 1;
	for (p = v->p + 1, o = out; p < end; p++) {
		if (*p != '\\') {
			*o++ = *p;
		} else if (p + 1 < end && p[1] == 'u') {
			p = escape_u(p + 2, end, &cp);
			if (p == NULL || cp == 0)
				break;
			o = put_utf8(o, cp);
			p--;
		} else if (++p < end) {
			*o++ = unescape(*p);
		}
	}
	if (p != end) {
		free(out);
		return NULL;
	}
	*o = '\0';
	*len = (size_t)(o - out);
	return out;
}
