/* lines.c - bounded line reader (see lines.h). */
#include "base/lines.h"

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define LINES_CHUNK (1u << 20)   /* first buffer size and read size */

struct lines {
	int fd, own;
	char *buf;
	size_t cap;        /* bytes of buf */
	size_t start, end; /* unread data is buf[start, end) */
	size_t scan;       /* buf[start, scan) holds no '\n' */
	size_t max;
	long lineno;
	int eof;
};

int
lines_open(const char *path, size_t max, struct lines **out,
	   struct pf_error *err)
{
	struct lines *l;

	*out = NULL;
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", path);
	l = calloc(1, sizeof(*l));
	if (l == NULL)
		return pf_error_set(err, "out of memory");
	l->cap = LINES_CHUNK < max + 2 ? LINES_CHUNK : max + 2;
	l->buf = malloc(l->cap);
	l->max = max;
	l->fd = strcmp(path, "-") == 0 ? 0 :
		open(path, O_RDONLY | O_CLOEXEC);
	l->own = l->fd != 0;
	if (l->buf == NULL || l->fd < 0) {
		pf_error_set(err, "cannot open: %s", l->buf == NULL ?
			     "out of memory" : strerror(errno));
		l->own = 0;
		lines_close(l);
		return -1;
	}
	*out = l;
	return 0;
}

void
lines_close(struct lines *l)
{
	if (l == NULL)
		return;
	if (l->own)
		close(l->fd);
	free(l->buf);
	free(l);
}

/* Make room after end: move the unread data to the front, then grow the
 * buffer (up to max + 2: a whole line, its '\n' and a NUL). Returns 0, or
 * -1 when the unread data already fills the largest buffer. */
static int
make_room(struct lines *l)
{
	size_t want;
	char *p;

	if (l->start > 0) {
		memmove(l->buf, l->buf + l->start, l->end - l->start);
		l->end -= l->start;
		l->scan -= l->start;
		l->start = 0;
	}
	if (l->end + 1 < l->cap)
		return 0;
	if (l->cap >= l->max + 2)
		return -1;
	want = l->cap * 2 < l->max + 2 ? l->cap * 2 : l->max + 2;
	p = realloc(l->buf, want);
	if (p == NULL)
		return -1;
	l->buf = p;
	l->cap = want;
	return 0;
}

/* Read more after end (keeping one byte for a NUL). Returns the bytes
 * read (0 at the end of input), or -1 with err filled. */
static ssize_t
fill(struct lines *l, struct pf_error *err)
{
	ssize_t n;

	do
		n = read(l->fd, l->buf + l->end, l->cap - 1 - l->end);
	while (n < 0 && errno == EINTR);
	if (n < 0)
		return pf_error_set(err, "read error: %s", strerror(errno));
	if (n == 0)
		l->eof = 1;
	l->end += (size_t)n;
	return n;
}

/* Hand out buf[start, stop) as a line and move past `next`. */
static enum lines_result
take(struct lines *l, struct line *ln, size_t stop, size_t next)
{
	size_t len = stop - l->start;

	ln->text = l->buf + l->start;
	if (len > 0 && ln->text[len - 1] == '\r')
		len--;
	ln->text[len] = '\0';
	ln->len = len;
	ln->lineno = ++l->lineno;
	l->start = l->scan = next;
	return LINES_LINE;
}

/* The line at start is over the bound: read through its '\n'. */
static enum lines_result
skip_long(struct lines *l, struct line *ln, struct pf_error *err)
{
	size_t total = 0;
	char *nl;

	for (;;) {
		nl = memchr(l->buf + l->start, '\n', l->end - l->start);
		if (nl != NULL) {
			total += (size_t)(nl - (l->buf + l->start));
			l->start = l->scan = (size_t)(nl - l->buf) + 1;
			break;
		}
		total += l->end - l->start;
		l->start = l->end = l->scan = 0;
		if (l->eof)
			break;
		if (fill(l, err) < 0)
			return LINES_ERROR;
	}
	ln->text = NULL;
	ln->len = total;
	ln->lineno = ++l->lineno;
	return LINES_LONG;
}

enum lines_result
lines_next(struct lines *l, struct line *ln, struct pf_error *err)
{
	char *nl;

	for (;;) {
		nl = memchr(l->buf + l->scan, '\n', l->end - l->scan);
		if (nl != NULL && (size_t)(nl - (l->buf + l->start)) > l->max)
			return skip_long(l, ln, err);
		if (nl != NULL)
			return take(l, ln, (size_t)(nl - l->buf),
				    (size_t)(nl - l->buf) + 1);
		l->scan = l->end;
		if (l->end - l->start > l->max)
			return skip_long(l, ln, err);
		if (l->eof)
			return l->start == l->end ? LINES_END
			       : take(l, ln, l->end, l->end);
		if (make_room(l) != 0)
			return skip_long(l, ln, err);
		if (fill(l, err) < 0)
			return LINES_ERROR;
	}
}
