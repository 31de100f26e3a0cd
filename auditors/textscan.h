/* textscan.h - byte classes and cue words shared by the PII matchers;
 * the byte classes also serve the other ASCII text scanners (saferules,
 * generators/prefview).
 *
 * Text is any bytes: no locale, no UTF-8 decoding (bytes >= 0x80 are
 * never letters or digits here), and nothing is read outside
 * [s, s + n). Nothing allocates or fails.
 */
#ifndef PF_TEXTSCAN_H
#define PF_TEXTSCAN_H

#include <stddef.h>

static inline int
ts_digit(unsigned char c)
{
	return c >= '0' && c <= '9';
}

static inline int
ts_upper(unsigned char c)
{
	return c >= 'A' && c <= 'Z';
}

static inline int
ts_lower(unsigned char c)
{
	return c >= 'a' && c <= 'z';
}

static inline int
ts_alpha(unsigned char c)
{
	return ts_upper(c) || ts_lower(c);
}

static inline int
ts_alnum(unsigned char c)
{
	return ts_digit(c) || ts_alpha(c);
}

static inline int
ts_hex(unsigned char c)
{
	return ts_digit(c) || ((c | 0x20) >= 'a' && (c | 0x20) <= 'f');
}

static inline unsigned char
ts_tolower(unsigned char c)
{
	return ts_upper(c) ? (unsigned char)(c | 0x20) : c;
}

/* Does one of `cues` (lower-case, NULL-terminated) start a word in the
 * `window` bytes before `start`, ending at or before it? A cue ending in a
 * letter must not run on into another letter ("tel" is not "telling"). */
int ts_cue_before(const char *s, size_t start, size_t window,
		  const char *const *cues);

/* Does the word w (lower-case) stand at s[i, n): same letters, any case,
 * and no letter right after it? */
int ts_word_at(const char *s, size_t n, size_t i, const char *w);

#endif
