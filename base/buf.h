/* buf.h - growable byte buffer with a hard maximum.
 *
 * Every buffer that grows with input (HTTP bodies, rendered templates, JSON
 * text) is a struct buf: it always holds a NUL after its data, never grows
 * past `max` bytes, and on a failed append frees nothing and changes nothing,
 * so the caller decides whether to keep what it has.
 */
#ifndef PF_BUF_H
#define PF_BUF_H

#include <stddef.h>
#include <stdarg.h>

struct buf {
	char *data;   /* NUL-terminated when len > 0 or after any append */
	size_t len;   /* bytes used, excluding the NUL */
	size_t cap;   /* bytes allocated */
	size_t max;   /* hard limit on len; appends beyond it fail */
};

#define BUF_MAX_DEFAULT ((size_t)64 << 20) /* 64 MiB */

/* Initialise an empty buffer that may hold up to `max` bytes. No allocation. */
void buf_init(struct buf *b, size_t max);

/* Release the memory. Accepts NULL and an already-freed buffer. */
void buf_free(struct buf *b);

/* Empty the buffer, keeping its memory. */
void buf_reset(struct buf *b);

/* Make room for `n` more bytes now, so appends up to them do not
 * reallocate (a buffer that fills by small appends to a size known
 * roughly in advance). Returns 0, or -1 as buf_append. */
int buf_reserve(struct buf *b, size_t n);

/* Append `n` bytes. Returns 0, or -1 if the result would pass `max` or memory
 * ran out; on failure the buffer is unchanged. */
int buf_append(struct buf *b, const void *p, size_t n);

/* Append a NUL-terminated string; as buf_append. */
int buf_puts(struct buf *b, const char *s);

/* Append one byte; as buf_append. */
int buf_putc(struct buf *b, char c);

/* Append printf-formatted text; as buf_append. */
int buf_printf(struct buf *b, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
int buf_vprintf(struct buf *b, const char *fmt, va_list ap);

/* Hand the data to the caller (who frees it with free()) and reset the
 * buffer to empty. Returns an empty string, not NULL, for an empty buffer;
 * NULL only if memory ran out. */
char *buf_detach(struct buf *b);

#endif
