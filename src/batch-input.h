/* batch-input.h - the `batch` input file: an OpenAI Batch API JSONL file
 * read line by line, each line checked and located.
 *
 * A line is an object with a non-empty "custom_id" string (at most
 * BATCH_CID_MAX bytes), a "body" object naming a model (unless --model
 * gives one), and optionally "method": "POST" and a "url" ending in
 * /chat/completions. Two checks apply the same rules: a scan without a
 * parse tree (batch_line_check_fast, most lines) and the parser
 * (batch_line_parse, which decides every line the scan cannot and prints
 * what is wrong). tests/fuzz/fuzz_batch.c holds them to agreeing.
 */
#ifndef PF_SRC_BATCH_INPUT_H
#define PF_SRC_BATCH_INPUT_H

#include <stdio.h>
#include <sys/types.h>
#include <cjson/cJSON.h>

#include "base/jscan.h"

#define BATCH_CID_MAX 512                    /* bytes of a custom_id */
#define LINE_MAX_BYTES ((size_t)16 << 20)    /* bytes of one line */

/* Streaming line reader with line numbers and offsets. The caller opens
 * f and closes it, and frees line. */
struct batch_input {
	FILE *f;
	const char *path;          /* for messages */
	const char *model;         /* --model, or NULL: each body names one */
	char *line;
	size_t cap;
	long lineno;               /* of the line last read */
	off_t off;                 /* offset of the line last read */
	off_t next_off;
};

/* A line's parse: root owns the tree; cid and body point into it. */
struct batch_line {
	cJSON *root;
	const char *cid;
	cJSON *body;
};

/* What the passes need of a line, located by a scan (base/jscan.h). */
struct batch_scan {
	struct jspan cid;          /* the custom_id's bytes, no quotes */
	struct jspan body;         /* the body object */
	struct jspan method, url;
	struct jspan in[3];        /* body's model, max_completion_tokens,
				      max_tokens */
};

/* Next non-blank line into *text and *len (newline stripped; the text is
 * in->line, valid until the next call). Returns 1, 0 at the end, -1 on a
 * read error or a line over LINE_MAX_BYTES (printed). */
int batch_input_next(struct batch_input *in, char **text, size_t *len);

/* Go back to offset off, which starts line lineno + 1. Returns 0 or -1. */
int batch_input_seek(struct batch_input *in, off_t off, long lineno);

/* Print "personaforge batch: PATH:LINE: " and the message on stderr;
 * returns -1. */
int batch_line_error(const struct batch_input *in, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Parse and check one line into *p (p->root owned by the caller, freed
 * with cJSON_Delete). Returns 0, or -1 with what is wrong printed with the
 * line number (p->root NULL then). */
int batch_line_parse(const struct batch_input *in, const char *text,
		     size_t len, struct batch_line *p);

/* Scan a line (checked already, or by batch_line_check_fast). Returns 0,
 * or -1 when a scan alone cannot tell (an escaped custom_id, keys written
 * with escapes, a body that is no object): the parser decides then. */
int batch_line_scan(const char *text, size_t len, struct batch_scan *ls);

/* Pass 1's check without a parse tree: a valid JSON line whose members
 * pass every rule of batch_line_parse. Returns 0 with cid set, or -1 when
 * batch_line_parse must decide (and print what is wrong). Prints
 * nothing. */
int batch_line_check_fast(const struct batch_input *in, const char *text,
			  size_t len, char cid[BATCH_CID_MAX + 1]);

#endif
