/* sanitize.c - UTF-8 + XML 1.0 Char filter (see sanitize.h).
 *
 * A hand-rolled decoder rather than xmlGetUTF8Char: it follows the
 * well-formed byte sequence table of Unicode (chapter 3, table 3-7), so
 * overlong forms and encoded surrogates are rejected at the first bad byte
 * and a cut sequence costs one U+FFFD, and the ASCII fast path keeps the
 * exporters' throughput.
 */
#include "output/sanitize.h"

static const char replacement[] = "\xef\xbf\xbd";  /* U+FFFD */

/* Decode the sequence at p (n > 0 bytes left). Sets *len to the bytes it
 * takes and returns the code point, or -1 for an invalid sequence, *len
 * then covering its maximal invalid subpart (at least 1 byte). */
static long
decode(const unsigned char *p, size_t n, size_t *len)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t need, i;
	long cp;

	*len = 1;
	if (p[0] < 0x80)
		return p[0];
	if (p[0] >= 0xc2 && p[0] <= 0xdf) {
		need = 1;
		cp = p[0] & 0x1f;
	} else if (p[0] >= 0xe0 && p[0] <= 0xef) {
		need = 2;
		cp = p[0] & 0x0f;
		lo = p[0] == 0xe0 ? 0xa0 : 0x80;   /* no overlong forms */
		hi = p[0] == 0xed ? 0x9f : 0xbf;   /* no surrogates */
	} else if (p[0] >= 0xf0 && p[0] <= 0xf4) {
		need = 3;
		cp = p[0] & 0x07;
		lo = p[0] == 0xf0 ? 0x90 : 0x80;
		hi = p[0] == 0xf4 ? 0x8f : 0xbf;   /* nothing past U+10FFFF */
	} else {
		return -1;
	}
	for (i = 1; i <= need; i++) {
		if (i >= n || p[i] < lo || p[i] > hi) {
			*len = i;
			return -1;
		}
		cp = (cp << 6) | (p[i] & 0x3f);
		lo = 0x80;
		hi = 0xbf;
	}
	*len = need + 1;
	return cp;
}

/* XML 1.0 production [2] Char. */
static int
is_xml_char(long c)
{
	return c == 0x9 || c == 0xa || c == 0xd ||
	       (c >= 0x20 && c <= 0xd7ff) || (c >= 0xe000 && c <= 0xfffd) ||
	       (c >= 0x10000 && c <= 0x10ffff);
}

size_t
sanitize_xml_clean_len(const char *s, size_t n)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t i = 0, k;
	long c;

	while (i < n) {
		if (p[i] >= 0x20 && p[i] < 0x80) {
			i++;
			continue;
		}
		c = decode(p + i, n - i, &k);
		if (c < 0 || !is_xml_char(c))
			break;
		i += k;
	}
	return i;
}

int
sanitize_xml_append(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, k;

	for (;;) {
		k = sanitize_xml_clean_len(s + i, n - i);
		if (k > 0 && buf_append(b, s + i, k) != 0)
			return -1;
		i += k;
		if (i >= n)
			return 0;
		decode((const unsigned char *)s + i, n - i, &k);
		if (buf_append(b, replacement, sizeof(replacement) - 1) != 0)
			return -1;
		i += k;
	}
}

const char *
sanitize_xml_cstr(struct buf *scratch, const char *s, size_t n)
{
	if (sanitize_xml_clean_len(s, n) == n && s[n] == '\0')
		return s;
	buf_reset(scratch);
	if (sanitize_xml_append(scratch, s, n) != 0 ||
	    buf_append(scratch, "", 0) != 0)
		return NULL;
	return scratch->data;
}
