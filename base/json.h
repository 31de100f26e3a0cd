/* json.h - the one checked entry point for JSON text, plus small helpers.
 *
 * Every JSON text that crosses a boundary (config files, schemas, HTTP
 * bodies, LLM replies, data files) is parsed by json_parse(): it is length
 * checked (no NUL needed), rejects trailing garbage, and on failure reports
 * the line and column of the error.
 */
#ifndef PF_JSON_H
#define PF_JSON_H

#include <stddef.h>
#include <cjson/cJSON.h>

#include "base/buf.h"

struct json_error {
	int line;       /* 1-based line of the error, 0 if unknown */
	int col;        /* 1-based column (bytes) */
	char msg[160];  /* what went wrong */
};

/* Parse `len` bytes of `text`. On success stores a tree the caller frees
 * with cJSON_Delete() in *out and returns 0. On failure returns -1, sets
 * *out to NULL and fills *err (which may be NULL). */
int json_parse(const char *text, size_t len, cJSON **out,
	       struct json_error *err);

/* Read and parse a whole file (at most `max` bytes). Returns 0, or -1 with
 * *err filled (line 0 for I/O errors, with errno's text in msg). */
int json_parse_file(const char *path, size_t max, cJSON **out,
		    struct json_error *err);

/* Case-sensitive object lookup; NULL if absent or `obj` is not an object. */
cJSON *json_get(const cJSON *obj, const char *key);

/* Typed lookups with a default when the key is absent or of another type. */
const char *json_get_str(const cJSON *obj, const char *key, const char *def);
double json_get_num(const cJSON *obj, const char *key, double def);

/* Add item under key to obj without copying the key: it must outlive
 * obj (a literal or a static table), and cJSON_Delete() never frees it.
 * Saves a copy per key where a tree is built per persona. Returns item,
 * or NULL when item is NULL or memory runs out (item is then freed). */
cJSON *json_put(cJSON *obj, const char *key, cJSON *item);

/* json_put() of the string v without copying it either: v must not
 * change and must outlive obj and every reference to it (a literal, a
 * loaded table, or a struct freed after obj). Returns the item or NULL
 * when memory runs out. */
cJSON *json_put_ref(cJSON *obj, const char *key, const char *v);

/* Append `s` (n bytes) to `b` as a quoted JSON string, escaping as RFC 8259
 * requires. Invalid UTF-8 bytes become U+FFFD so the result always parses.
 * Returns 0 or -1 when the buffer is full. */
int json_quote(struct buf *b, const char *s, size_t n);

/* json_quote() without the two quotes: the string's contents as JSON
 * writes them. Returns 0 or -1 when the buffer is full (b then holds a
 * part of them). */
int json_escape(struct buf *b, const char *s, size_t n);

/* Print `item` compactly into a new malloc'd string (NULL on failure):
 * the bytes cJSON_PrintUnformatted() gives, printed here without its
 * per-value buffer checks and re-measuring (a fraction is still printed
 * by cJSON). The caller frees it with free(). */
char *json_print(const cJSON *item);

/* json_print() appended to b. Returns 0, or -1 when b is full, memory
 * runs out or item is NULL or invalid (b is then as it was). */
int json_print_to(struct buf *b, const cJSON *item);

/* Read a whole file into a NUL-terminated malloc'd buffer of at most `max`
 * bytes. Returns 0, or -1 with errno set (EFBIG when too large). */
int file_read_all(const char *path, size_t max, char **out, size_t *len);

#endif
