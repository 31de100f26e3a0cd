/* lines.h - read a text file line by line with a bound on line length.
 *
 * For inputs of any size (JSONL to audit): memory is one read buffer
 * that grows only while a line is longer than it, never past the bound.
 * A line longer than the bound is not kept: it is read through and
 * reported with its number and length, and reading goes on with the next
 * line. Lines end at '\n'; a '\r' before it is dropped; the last line
 * may lack its '\n'. Nothing is read before the first call.
 */
#ifndef PF_LINES_H
#define PF_LINES_H

#include <stddef.h>

#include "base/error.h"

struct lines;

enum lines_result {
	LINES_END = 0,     /* no more lines */
	LINES_LINE = 1,    /* a line */
	LINES_LONG = 2,    /* a line over the bound, skipped */
	LINES_ERROR = -1   /* a read error (err filled) */
};

/* One line as lines_next returns it. */
struct line {
	char *text;        /* NUL-terminated, writable, valid until the next
			    * call; NULL for LINES_LONG */
	size_t len;        /* its length (LINES_LONG: the whole line's) */
	long lineno;       /* 1-based */
};

/* Open `path` ("-": standard input) for lines of at most `max` bytes.
 * Returns 0 with *out owned by the caller (lines_close), or -1 with err
 * filled (err->file = path). */
int lines_open(const char *path, size_t max, struct lines **out,
	       struct pf_error *err);

/* The next line into *ln. */
enum lines_result lines_next(struct lines *l, struct line *ln,
			     struct pf_error *err);

/* Close (standard input is left open) and free; accepts NULL. */
void lines_close(struct lines *l);

#endif
