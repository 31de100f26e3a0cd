/* jscan.h - find the members of a JSON object without parsing it.
 *
 * A structural scan: strings are skipped (escapes honoured), nesting is
 * counted, nothing is decoded or built. It is for texts that were checked
 * already (a batch line after its check pass) or that only need a member
 * located (is there a top-level "model"?), where a parse tree would cost
 * more than the whole lookup. Keys are compared byte for byte as written:
 * a key spelled with escapes is not found, and the caller falls back to
 * json_parse() when that matters.
 */
#ifndef PF_JSCAN_H
#define PF_JSCAN_H

#include <stddef.h>

/* A run of bytes inside the scanned text; p == NULL when absent. */
struct jspan {
	const char *p;
	size_t n;
};

/* Scan the object text p[0..n) (whitespace around it allowed) and set
 * out[i] to the value of the first top-level member named keys[i] (the
 * value's bytes, quotes included for a string), or to {NULL, 0}. Returns
 * 0, or -1 when the text is not an object or its structure breaks off
 * (out is then unreliable). */
int jscan_object(const char *p, size_t n, const char *const *keys,
		 size_t nkeys, struct jspan *out);

/* The first element of the array span arr. Returns 0, or -1 when arr is
 * not an array or is empty. */
int jscan_first(const struct jspan *arr, struct jspan *out);

/* 1 if the span is a JSON string with no escape in it (its bytes between
 * the quotes are then its value), else 0. */
int jscan_plain_string(const struct jspan *v);

/* Nesting jscan_valid() accepts (cJSON's limit). */
#define JSCAN_MAX_DEPTH 1000

/* 1 if p[0..n) is exactly one JSON text as RFC 8259 has it (whitespace
 * around it allowed; \u escapes must pair surrogates; numbers at most 63
 * characters, as cJSON reads them), else 0. No tree, no allocation. */
int jscan_valid(const char *p, size_t n);

/* Decode the JSON string span v (quotes included, from a valid text) into
 * a new NUL-terminated malloc'd string; *len gets its length. NULL when
 * out of memory, or when it holds \u0000 (a C string cannot carry it). */
char *jscan_string(const struct jspan *v, size_t *len);

#endif
