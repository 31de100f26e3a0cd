/* jstrict.c - strict reading of a hand-written JSON file (see jstrict.h).
 *
 * One pass over the text, recursive descent bounded by the depth limit,
 * keeping the JSON path of the value under the cursor. The keys of the
 * open objects are kept in one stack; an object's keys are sorted when it
 * closes, so a repeated key is found in O(k log k). Text that is not JSON
 * ends the pass quietly: json_parse() then says where.
 */
#include "base/jstrict.h"

#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

#define MALFORMED 1           /* not JSON: leave it to json_parse() */

struct key {
	const char *k;            /* the key's bytes as written */
	size_t n;
	size_t off;               /* offset of its opening quote */
};

struct scan {
	const char *s, *p, *end;
	int depth, max;
	struct pf_error *err;
	char path[200];
	size_t plen;
	struct key *keys;
	size_t nkeys, cap;
};

static int value(struct scan *sc);

/* Report msg (printf) at byte offset off and the current path. */
static int __attribute__((format(printf, 3, 4)))
found(struct scan *sc, size_t off, const char *fmt, ...)
{
	va_list ap;
	size_t i;

	if (sc->err == NULL)
		return -1;
	sc->err->line = sc->err->col = 1;
	for (i = 0; i < off; i++) {
		if (sc->s[i] == '\n') {
			sc->err->line++;
			sc->err->col = 1;
		} else {
			sc->err->col++;
		}
	}
	snprintf(sc->err->where, sizeof(sc->err->where), "$%s", sc->path);
	va_start(ap, fmt);
	vsnprintf(sc->err->msg, sizeof(sc->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static size_t
off_of(const struct scan *sc, const char *p)
{
	return (size_t)(p - sc->s);
}

static void
skip_ws(struct scan *sc)
{
	while (sc->p < sc->end && (*sc->p == ' ' || *sc->p == '\t' ||
				   *sc->p == '\n' || *sc->p == '\r'))
		sc->p++;
}

/* Append a path step; returns the old length to restore. */
static size_t
path_push(struct scan *sc, const char *fmt, const char *k, size_t n, int i)
{
	size_t old = sc->plen;
	int w;

	if (k != NULL)
		w = snprintf(sc->path + old, sizeof(sc->path) - old, fmt,
			     (int)(n > 64 ? 64 : n), k);
	else
		w = snprintf(sc->path + old, sizeof(sc->path) - old, fmt, i);
	if (w > 0)
		sc->plen = old + (size_t)w < sizeof(sc->path) ? old + (size_t)w
			   : sizeof(sc->path) - 1;
	return old;
}

static void
path_pop(struct scan *sc, size_t old)
{
	sc->plen = old;
	sc->path[old] = '\0';
}

/* A string at the cursor (on its quote); NUL bytes and \u0000 fail. */
static int
string(struct scan *sc)
{
	sc->p++;
	while (sc->p < sc->end && *sc->p != '"') {
		if (*sc->p == '\0')
			return found(sc, off_of(sc, sc->p), "a NUL byte is "
				     "not allowed in a config file");
		if (*sc->p == '\\' && sc->end - sc->p >= 6 &&
		    memcmp(sc->p, "\\u0000", 6) == 0)
			return found(sc, off_of(sc, sc->p), "\\u0000 (NUL) is "
				     "not allowed in a config string");
		sc->p += *sc->p == '\\' ? 2 : 1;
	}
	if (sc->p >= sc->end)
		return MALFORMED;
	sc->p++;
	return 0;
}

static int
number(struct scan *sc)
{
	const char *b = sc->p;
	char num[64];
	size_t n;

	while (sc->p < sc->end && strchr("+-0123456789.eE", *sc->p) != NULL &&
	       *sc->p != '\0')
		sc->p++;
	n = (size_t)(sc->p - b);
	if (n == 0 || n >= sizeof(num))
		return n == 0 ? MALFORMED : 0;
	memcpy(num, b, n);
	num[n] = '\0';
	if (isinf(strtod(num, NULL)))
		return found(sc, off_of(sc, b), "the number %s is out of "
			     "range (beyond a double)", num);
	return 0;
}

static int
cmp_key(const void *a, const void *b)
{
	const struct key *x = a, *y = b;
	size_t n = x->n < y->n ? x->n : y->n;
	int c = memcmp(x->k, y->k, n);

	if (c != 0)
		return c;
	if (x->n != y->n)
		return x->n < y->n ? -1 : 1;
	return x->off < y->off ? -1 : x->off > y->off;
}

/* The keys of the object that closes, keys[from..]: none twice. */
static int
distinct_keys(struct scan *sc, size_t from)
{
	struct key *k, *dup = NULL;
	size_t n = sc->nkeys - from, i;

	/* an empty object, maybe before any key was stored (keys NULL:
	 * keys + 0 and qsort(NULL, 0) are undefined; fuzzing found it) */
	if (n == 0)
		return 0;
	k = sc->keys + from;
	qsort(k, n, sizeof(*k), cmp_key);
	for (i = 1; i < n; i++)
		if (k[i].n == k[i - 1].n && memcmp(k[i].k, k[i - 1].k,
						   k[i].n) == 0 &&
		    (dup == NULL || k[i].off < dup->off))
			dup = &k[i];
	sc->nkeys = from;
	if (dup == NULL)
		return 0;
	path_push(sc, ".%.*s", dup->k, dup->n, 0);
	return found(sc, dup->off, "duplicate key '%.*s'",
		     (int)(dup->n > 64 ? 64 : dup->n), dup->k);
}

static int
add_key(struct scan *sc, const char *k, size_t n, size_t off)
{
	struct key *nk;

	if (sc->nkeys == sc->cap) {
		sc->cap = sc->cap ? sc->cap * 2 : 64;
		nk = realloc(sc->keys, sc->cap * sizeof(*nk));
		if (nk == NULL)
			return found(sc, off, "out of memory");
		sc->keys = nk;
	}
	sc->keys[sc->nkeys++] = (struct key){ k, n, off };
	return 0;
}

/* One "key": value member of an object. */
static int
member(struct scan *sc)
{
	const char *k = sc->p;
	size_t old, n;
	int rc;

	if (sc->p >= sc->end || *sc->p != '"')
		return MALFORMED;
	if ((rc = string(sc)) != 0)
		return rc;
	n = (size_t)(sc->p - k) - 2;
	if (add_key(sc, k + 1, n, off_of(sc, k)) != 0)
		return -1;
	skip_ws(sc);
	if (sc->p >= sc->end || *sc->p != ':')
		return MALFORMED;
	sc->p++;
	old = path_push(sc, ".%.*s", k + 1, n, 0);
	rc = value(sc);
	if (rc == 0)
		path_pop(sc, old);
	return rc;
}

/* An object or array at the cursor; `close` is its closing bracket. */
static int
container(struct scan *sc, char close)
{
	size_t from = sc->nkeys, old;
	int rc, i = 0;

	if (++sc->depth > sc->max)
		return found(sc, off_of(sc, sc->p), "nesting deeper than %d "
			     "levels", sc->max);
	sc->p++;
	skip_ws(sc);
	while (sc->p < sc->end && *sc->p != close) {
		if (close == '}') {
			rc = member(sc);
		} else {
			old = path_push(sc, "[%d]", NULL, 0, i++);
			if ((rc = value(sc)) == 0)
				path_pop(sc, old);
		}
		if (rc != 0)
			return rc;
		skip_ws(sc);
		if (sc->p < sc->end && *sc->p == ',') {
			sc->p++;
			skip_ws(sc);
		} else if (sc->p >= sc->end || *sc->p != close) {
			return MALFORMED;
		}
	}
	if (sc->p >= sc->end)
		return MALFORMED;
	sc->p++;
	sc->depth--;
	return close == '}' ? distinct_keys(sc, from) : 0;
}

static int
value(struct scan *sc)
{
	const char *start;

	skip_ws(sc);
	if (sc->p >= sc->end)
		return MALFORMED;
	switch (*sc->p) {
	case '{': return container(sc, '}');
	case '[': return container(sc, ']');
	case '"': return string(sc);
	case '\0':
		return found(sc, off_of(sc, sc->p), "a NUL byte is not "
			     "allowed in a config file");
	default:
		if (*sc->p == '-' || (*sc->p >= '0' && *sc->p <= '9'))
			return number(sc);
		start = sc->p;
		while (sc->p < sc->end && *sc->p >= 'a' && *sc->p <= 'z')
			sc->p++;
		/* no letter: not a literal (a control byte before the first
		 * value passed as an empty one, and cJSON, which takes it as
		 * white space, read a file whose keys went unchecked;
		 * fuzzing found it) */
		return sc->p > start ? 0 : MALFORMED;
	}
}

int
jstrict_check(const char *p, size_t n, int max_depth, struct pf_error *err)
{
	struct scan sc = { .s = p, .p = p, .end = p + n, .max = max_depth,
			   .err = err };
	int rc = value(&sc);
	cJSON *lenient = NULL;

	/* Not JSON here, but cJSON may take it (a control character as
	 * white space, "+1"), and the rest of the file would go unchecked:
	 * fuzzing found a repeated key after a 0x0E. Refuse it here. */
	if (rc == MALFORMED && json_parse(p, n, &lenient, NULL) == 0) {
		cJSON_Delete(lenient);
		rc = found(&sc, off_of(&sc, sc.p), "not JSON: byte 0x%02X is "
			   "not allowed here", sc.p < sc.end ?
			   (unsigned char)*sc.p : 0);
	}
	if (rc == 0) {
		skip_ws(&sc);
		if (sc.p < sc.end && *sc.p == '\0')
			rc = found(&sc, off_of(&sc, sc.p), "a NUL byte is not "
				   "allowed in a config file");
	}
	free(sc.keys);
	return rc < 0 ? -1 : 0;
}

int
jstrict_parse_file(const char *path, size_t max_bytes, int max_depth,
		   cJSON **out, struct pf_error *err)
{
	struct json_error je;
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", path);
	if (file_read_all(path, max_bytes, &text, &len) != 0) {
		if (errno == EFBIG)
			return pf_error_set(err, "larger than %zu bytes (the "
					    "limit for this file)", max_bytes);
		return pf_error_set(err, "%s", strerror(errno));
	}
	if (jstrict_check(text, len, max_depth, err) != 0) {
		free(text);
		return -1;
	}
	rc = json_parse(text, len, out, &je);
	free(text);
	if (rc != 0 && err != NULL) {
		err->line = je.line;
		err->col = je.col;
		snprintf(err->msg, sizeof(err->msg), "%s", je.msg);
	}
	return rc;
}
