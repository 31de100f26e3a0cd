/* json.c - checked JSON parsing and helpers (see json.h). */
#include "base/json.h"

#include <errno.h>
#include <math.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Line and column of byte offset `off` in `text`. */
static void
locate(const char *text, size_t off, int *line, int *col)
{
	size_t i;

	*line = 1;
	*col = 1;
	for (i = 0; i < off; i++) {
		if (text[i] == '\n') {
			(*line)++;
			*col = 1;
		} else {
			(*col)++;
		}
	}
}

static void
set_err(struct json_error *err, const char *text, size_t off,
	const char *msg)
{
	if (err == NULL)
		return;
	locate(text, off, &err->line, &err->col);
	snprintf(err->msg, sizeof(err->msg), "%s", msg);
}

/* cJSON puts the error one byte past an object key that does not start
 * with a quote (a trailing comma, an unquoted key): point at the byte. */
static size_t
fix_key_offset(const char *text, size_t off)
{
	size_t k;

	if (off == 0 || text[off - 1] == '"')
		return off;
	k = off - 1;
	while (k > 0 && (text[k - 1] == ' ' || text[k - 1] == '\t' ||
			 text[k - 1] == '\n' || text[k - 1] == '\r'))
		k--;
	if (k > 0 && (text[k - 1] == '{' || text[k - 1] == ','))
		return off - 1;
	return off;
}

int
json_parse(const char *text, size_t len, cJSON **out, struct json_error *err)
{
	const char *end = NULL;
	size_t off;
	cJSON *root;

	*out = NULL;
	/* Never valid JSON, and cJSON would cut a string short at it (a
	 * batch custom_id, found by fuzzing): refused where it is. */
	if (len > 0 && (end = memchr(text, '\0', len)) != NULL) {
		set_err(err, text, (size_t)(end - text), "a NUL byte (not "
			"allowed in JSON)");
		return -1;
	}
	root = cJSON_ParseWithLengthOpts(text, len, &end, 0);
	if (root == NULL) {
		off = end != NULL && end >= text ? (size_t)(end - text) : 0;
		if (off > len)
			off = len;
		off = fix_key_offset(text, off);
		set_err(err, text, off, len == 0 ? "empty input"
				: "syntax error");
		return -1;
	}
	off = (size_t)(end - text);
	while (off < len && (text[off] == ' ' || text[off] == '\t' ||
			     text[off] == '\n' || text[off] == '\r'))
		off++;
	if (off < len) {
		cJSON_Delete(root);
		set_err(err, text, off, "unexpected text after the JSON value");
		return -1;
	}
	*out = root;
	return 0;
}

int
file_read_all(const char *path, size_t max, char **out, size_t *len)
{
	struct buf b;
	char chunk[65536];
	size_t n;
	FILE *f;

	*out = NULL;
	*len = 0;
	f = fopen(path, "rb");
	if (f == NULL)
		return -1;
	buf_init(&b, max);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0) {
		if (buf_append(&b, chunk, n) != 0) {
			buf_free(&b);
			fclose(f);
			errno = EFBIG;
			return -1;
		}
	}
	if (ferror(f)) {
		buf_free(&b);
		fclose(f);
		errno = EIO;
		return -1;
	}
	fclose(f);
	*len = b.len;
	*out = buf_detach(&b);
	return *out ? 0 : -1;
}

int
json_parse_file(const char *path, size_t max, cJSON **out,
		struct json_error *err)
{
	char *text;
	size_t len;
	int rc;

	*out = NULL;
	if (file_read_all(path, max, &text, &len) != 0) {
		if (err != NULL) {
			err->line = err->col = 0;
			snprintf(err->msg, sizeof(err->msg), "%s",
				 strerror(errno));
		}
		return -1;
	}
	rc = json_parse(text, len, out, err);
	free(text);
	return rc;
}

cJSON *
json_get(const cJSON *obj, const char *key)
{
	if (!cJSON_IsObject(obj))
		return NULL;
	return cJSON_GetObjectItemCaseSensitive(obj, key);
}

const char *
json_get_str(const cJSON *obj, const char *key, const char *def)
{
	cJSON *v = json_get(obj, key);

	return cJSON_IsString(v) ? v->valuestring : def;
}

double
json_get_num(const cJSON *obj, const char *key, double def)
{
	cJSON *v = json_get(obj, key);

	return cJSON_IsNumber(v) ? v->valuedouble : def;
}

cJSON *
json_put(cJSON *obj, const char *key, cJSON *item)
{
	if (item == NULL)
		return NULL;
	if (!cJSON_AddItemToObjectCS(obj, key, item)) {
		cJSON_Delete(item);
		return NULL;
	}
	return item;
}

cJSON *
json_put_ref(cJSON *obj, const char *key, const char *v)
{
	return json_put(obj, key, cJSON_CreateStringReference(v));
}

/* Length of the valid UTF-8 sequence at p (1-4), or 0 if invalid. */
static size_t
utf8_len(const unsigned char *p, size_t n)
{
	size_t k, i;
	unsigned cp;

	if (p[0] < 0x80)
		return 1;
	if (p[0] >= 0xc2 && p[0] <= 0xdf)
		k = 2;
	else if (p[0] >= 0xe0 && p[0] <= 0xef)
		k = 3;
	else if (p[0] >= 0xf0 && p[0] <= 0xf4)
		k = 4;
	else
		return 0;
	if (n < k)
		return 0;
	cp = p[0] & (0x7f >> k);
	for (i = 1; i < k; i++) {
		if ((p[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (p[i] & 0x3f);
	}
	if ((k == 3 && cp < 0x800) || (k == 4 && (cp < 0x10000 ||
	    cp > 0x10ffff)) || (cp >= 0xd800 && cp <= 0xdfff))
		return 0;
	return k;
}

/* The second byte of the escape of ASCII byte c ('u' for \u00XX), or 0
 * when c is copied as it is. */
static char
escape_of(unsigned char c)
{
	switch (c) {
	case '"': return '"';
	case '\\': return '\\';
	case '\n': return 'n';
	case '\r': return 'r';
	case '\t': return 't';
	default: return c < 0x20 ? 'u' : 0;
	}
}

int
json_escape(struct buf *b, const char *s, size_t n)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, run, k;
	char esc[6] = { '\\', 0, '0', '0', 0, 0 };

	/* the text is at least n bytes: room for it at once, not by
	 * doubling through each run */
	if (buf_reserve(b, n) != 0)
		return -1;
	while (i < n) {
		run = i;
		while (run < n && p[run] >= 0x20 && p[run] < 0x80 &&
		       p[run] != '"' && p[run] != '\\')
			run++;
		if (run > i && buf_append(b, s + i, run - i) != 0)
			return -1;
		i = run;
		if (i >= n)
			break;
		if (p[i] >= 0x80) {
			k = utf8_len(p + i, n - i);
			if (k == 0 ? buf_append(b, "\xef\xbf\xbd", 3) != 0
				   : buf_append(b, s + i, k) != 0)
				return -1;
			i += k ? k : 1;
			continue;
		}
		esc[1] = escape_of(p[i]);
		esc[4] = hex[p[i] >> 4];
		esc[5] = hex[p[i] & 15];
		if (buf_append(b, esc, esc[1] == 'u' ? 6 : 2) != 0)
			return -1;
		i++;
	}
	return 0;
}

int
json_quote(struct buf *b, const char *s, size_t n)
{
	if (n > SIZE_MAX - 2 || buf_reserve(b, n + 2) != 0 ||
	    buf_putc(b, '"') != 0 || json_escape(b, s, n) != 0)
		return -1;
	return buf_putc(b, '"');
}

/* The string s as cJSON prints it (print_string_ptr): quoted, '"', '\\'
 * and the control bytes escaped (\b \f \n \r \t by name, the others as
 * \u00xx), every other byte as it is; NULL prints as "". */
static int
print_string(struct buf *b, const char *s)
{
	static const char hex[] = "0123456789abcdef";
	const unsigned char *p = (const unsigned char *)(s ? s : ""), *run;
	char esc[6] = { '\\', 0, '0', '0', 0, 0 }, *d;
	size_t n = 0;

	while (p[n] >= 0x20 && p[n] != '"' && p[n] != '\\')
		n++;
	if (p[n] == '\0') {    /* nothing to escape: one copy */
		if (n > SIZE_MAX - 2 || buf_reserve(b, n + 2) != 0)
			return -1;
		d = b->data + b->len;
		d[0] = '"';
		memcpy(d + 1, p, n);
		d[n + 1] = '"';
		d[n + 2] = '\0';
		b->len += n + 2;
		return 0;
	}
	if (buf_putc(b, '"') != 0)
		return -1;
	for (;;) {
		for (run = p; *p >= 0x20 && *p != '"' && *p != '\\'; p++)
			;
		if (p > run && buf_append(b, run, (size_t)(p - run)) != 0)
			return -1;
		if (*p == '\0')
			return buf_putc(b, '"');
		switch (*p) {
		case '\b': esc[1] = 'b'; break;
		case '\f': esc[1] = 'f'; break;
		case '\n': esc[1] = 'n'; break;
		case '\r': esc[1] = 'r'; break;
		case '\t': esc[1] = 't'; break;
		default: esc[1] = *p < 0x20 ? 'u' : (char)*p; break;
		}
		esc[4] = hex[*p >> 4];
		esc[5] = hex[*p & 15];
		if (buf_append(b, esc, esc[1] == 'u' ? 6 : 2) != 0)
			return -1;
		p++;
	}
}

/* A number as cJSON prints it ("%1.15g", or "%1.17g" when that does
 * not read back): an int's value as "%d", the same digits; anything
 * else (a fraction, a big or non-finite number, -0) by cJSON itself,
 * whose rounding rules this does not repeat. */
static int
print_number(struct buf *b, const cJSON *item)
{
	double d = item->valuedouble;
	char *t;
	int rc;

	if (d == (double)item->valueint && (d != 0 || !signbit(d)))
		return buf_printf(b, "%d", item->valueint);
	if ((t = cJSON_PrintUnformatted(item)) == NULL)
		return -1;
	rc = buf_puts(b, t);
	cJSON_free(t);
	return rc;
}

static int print_value(struct buf *b, const cJSON *item);

/* An array's or object's children between open and close, with their
 * keys when keyed. */
static int
print_children(struct buf *b, const cJSON *item, char open, char close,
	       int keyed)
{
	const cJSON *c;

	if (buf_putc(b, open) != 0)
		return -1;
	for (c = item->child; c != NULL; c = c->next)
		if ((keyed && (print_string(b, c->string) != 0 ||
			       buf_putc(b, ':') != 0)) ||
		    print_value(b, c) != 0 ||
		    (c->next != NULL && buf_putc(b, ',') != 0))
			return -1;
	return buf_putc(b, close);
}

static int
print_value(struct buf *b, const cJSON *item)
{
	switch (item->type & 0xff) {
	case cJSON_NULL: return buf_append(b, "null", 4);
	case cJSON_False: return buf_append(b, "false", 5);
	case cJSON_True: return buf_append(b, "true", 4);
	case cJSON_Number: return print_number(b, item);
	case cJSON_String: return print_string(b, item->valuestring);
	case cJSON_Raw:
		return item->valuestring ? buf_puts(b, item->valuestring) : -1;
	case cJSON_Array: return print_children(b, item, '[', ']', 0);
	case cJSON_Object: return print_children(b, item, '{', '}', 1);
	default: return -1;
	}
}

int
json_print_to(struct buf *b, const cJSON *item)
{
	size_t len = b->len;

	if (item != NULL && print_value(b, item) == 0)
		return 0;
	b->len = len;
	if (b->data != NULL)
		b->data[len] = '\0';
	return -1;
}

char *
json_print(const cJSON *item)
{
	struct buf b;
	char *s;

	buf_init(&b, BUF_MAX_DEFAULT);
	s = json_print_to(&b, item) == 0 ? buf_detach(&b) : NULL;
	buf_free(&b);
	return s;
}
