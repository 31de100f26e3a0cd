/* error.h - one description of a bad-input error, shared by every module.
 *
 * Config, template, schema, LLM reply and dataset errors all end up as one
 * line on stderr that names where the problem is: a file with line and
 * column, a JSON path inside a file, or a work item id.
 */
#ifndef PF_ERROR_H
#define PF_ERROR_H

#include <stdio.h>

struct pf_error {
	char file[512];  /* file the error is in, "" if none */
	int line;        /* 1-based, 0 if unknown */
	int col;         /* 1-based, 0 if unknown */
	char where[256]; /* JSON path ("$.stages.qa.per_persona") or item id */
	char msg[512];   /* what is wrong, as a sentence fragment */
};

/* Clear all fields. */
void pf_error_clear(struct pf_error *e);

/* Fill msg (printf-style); the other fields are left as they are.
 * Accepts NULL. Always returns -1 so callers can `return pf_error_set(...)`. */
int pf_error_set(struct pf_error *e, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Format as "file:line:col: where: msg" (omitting empty parts) into out. */
void pf_error_format(const struct pf_error *e, char *out, size_t n);

/* Print the formatted error to stderr with the "personaforge: " prefix. */
void pf_error_print(const struct pf_error *e);

#endif
