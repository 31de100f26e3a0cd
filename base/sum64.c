/* sum64.c - the row checksum (see sum64.h). */
#include "base/sum64.h"

#include <string.h>

#include "base/hash.h"

#define K 0x9e3779b97f4a7c15ULL  /* odd: multiplying by it is a bijection */

enum { TAG_INT = 1, TAG_TEXT = 2, TAG_NULL = 3 };

static void
word(struct sum64 *s, uint64_t w)
{
	s->h = (s->h ^ w) * K;
}

void
sum64_init(struct sum64 *s)
{
	s->h = 0x243f6a8885a308d3ULL;
}

void
sum64_int(struct sum64 *s, int64_t v)
{
	word(s, TAG_INT);
	word(s, (uint64_t)v);
}

void
sum64_null(struct sum64 *s)
{
	word(s, TAG_NULL);
}

/* Bytes are read little-endian whatever the host, so a file's sums hold
 * on any machine. */
static uint64_t
load(const unsigned char *p, size_t n)
{
	uint64_t w = 0;
	size_t i;

	for (i = 0; i < n; i++)
		w |= (uint64_t)p[i] << (8 * i);
	return w;
}

void
sum64_text(struct sum64 *s, const void *p, size_t n)
{
	const unsigned char *b = p;

	word(s, TAG_TEXT);
	word(s, (uint64_t)n);
	for (; n >= 8; b += 8, n -= 8)
		word(s, load(b, 8));
	if (n > 0)
		word(s, load(b, n));
}

int64_t
sum64_final(const struct sum64 *s)
{
	/* splitmix64's finaliser: a bijection that spreads every bit */
	return (int64_t)hash_mix64(s->h);
}
