/* ipaddr.c - IPv4 and IPv6 addresses in free text (see ipaddr.h). */
#include "auditors/ipaddr.h"

#include <stdint.h>
#include <string.h>

#include "auditors/textscan.h"

#define VERSION_WINDOW 16

/* Words that make a dotted quad a version or a numbered part, not an
 * address. */
static const char *const version_cues[] = {
	"v", "ver", "version", "release", "released", "build", "chapter",
	"section", "oid", "rfc", NULL
};

/* Read up to 3 digits at s[*j] as a part 0-255. */
static int
v4_part(const char *s, size_t n, size_t *j, unsigned *out)
{
	size_t k = 0;
	unsigned v = 0;

	while (k < 3 && *j + k < n && ts_digit((unsigned char)s[*j + k]))
		v = v * 10 + (unsigned)(s[*j + k++] - '0');
	if (k == 0 || v > 255 ||
	    (*j + k < n && ts_digit((unsigned char)s[*j + k])))
		return 0;
	*j += k;
	*out = v;
	return 1;
}

/* Parse a dotted quad at s[i] into a[4]; *end past it. */
static int
v4_parse(const char *s, size_t n, size_t i, unsigned a[4], size_t *end)
{
	size_t j = i;
	int k;

	for (k = 0; k < 4; k++) {
		if (k > 0) {
			if (j >= n || s[j] != '.')
				return 0;
			j++;
		}
		if (!v4_part(s, n, &j, &a[k]))
			return 0;
	}
	*end = j;
	return 1;
}

/* Does the quad at [i, end) read as a package version: a Debian
 * revision or build suffix after it ("3.6.11.1-2", "1.0~rc1"), an epoch
 * before it ("1:3.0.1.2"), or a version comparison before it
 * (">= 1.2.2.3", "<< 1.0.24.2")? */
static int
package_version(const char *s, size_t n, size_t i, size_t end)
{
	size_t k = i;
	unsigned char c;

	if (end + 1 < n && (s[end] == '-' || s[end] == '+' || s[end] == '~') &&
	    ts_alnum((unsigned char)s[end + 1]))
		return 1;
	if (i >= 2 && s[i - 1] == ':' && ts_digit((unsigned char)s[i - 2]))
		return 1;
	while (k > 0 && i - k < 3 && s[k - 1] == ' ')
		k--;
	c = k > 0 ? (unsigned char)s[k - 1] : ' ';
	return c == '<' || c == '>' || c == '=';
}

enum ip_match
ip_match_v4(const char *s, size_t n, size_t i, size_t *end)
{
	unsigned a[4];
	unsigned char c;

	if (!v4_parse(s, n, i, a, end))
		return IP_NONE;
	if (*end < n) {
		c = (unsigned char)s[*end];
		if (ts_alnum(c) || c == '_' || c == '@')
			return IP_NONE;
		/* A fifth part: an OID or a longer version, not an address. */
		if (c == '.' && *end + 1 < n &&
		    ts_digit((unsigned char)s[*end + 1]))
			return IP_NONE;
	}
	if (ts_cue_before(s, i, VERSION_WINDOW, version_cues) ||
	    package_version(s, n, i, *end))
		return IP_VERSION;
	return IP_ADDRESS;
}

/* Parse the IPv6 text [p, p + len) into g[8]. Returns 1 if it is one. */
static int
v6_parse(const char *p, size_t len, uint16_t g[8])
{
	uint16_t head[8], tail[8];
	size_t i = 0, nh = 0, nt = 0;
	int gap = 0;

	while (i < len) {
		unsigned v = 0, k = 0;

		if (p[i] == ':') {
			if (i + 1 >= len || p[i + 1] != ':' || gap)
				return 0;
			gap = 1;
			i += 2;
			continue;
		}
		while (k < 4 && i < len && ts_hex((unsigned char)p[i])) {
			unsigned char c = ts_tolower((unsigned char)p[i++]);

			v = v * 16 + (unsigned)(ts_digit(c) ? c - '0'
						 : c - 'a' + 10);
			k++;
		}
		if (k == 0 || nh + nt == 8)
			return 0;
		if (gap)
			tail[nt++] = (uint16_t)v;
		else
			head[nh++] = (uint16_t)v;
		if (i < len) {
			if (p[i] != ':')
				return 0;
			if (i + 1 < len && p[i + 1] == ':')
				continue;
			if (++i == len)
				return 0;   /* a trailing single ':' */
		}
	}
	if (gap ? nh + nt > 7 : nh != 8)
		return 0;
	memset(g, 0, 8 * sizeof(*g));
	memcpy(g, head, nh * sizeof(*g));
	memcpy(g + 8 - nt, tail, nt * sizeof(*g));
	return 1;
}

static int
is_v6_char(unsigned char c)
{
	return ts_hex(c) || c == ':';
}

enum ip_match
ip_match_v6(const char *s, size_t n, size_t lo, size_t colon, size_t *start,
	    size_t *end)
{
	uint16_t g[8];
	size_t b = colon, e = colon;
	unsigned char c;

	while (b > lo && colon - b < 4 && ts_hex((unsigned char)s[b - 1]))
		b--;
	if (b > 0) {
		c = (unsigned char)s[b - 1];
		if (ts_alnum(c) || c == '_' || c == ':' || c == '.')
			return IP_NONE;
	}
	while (e < n && e - b < 39 && is_v6_char((unsigned char)s[e]))
		e++;
	if (e < n && (ts_alnum((unsigned char)s[e]) || s[e] == '_' ||
		      s[e] == ':'))
		return IP_NONE;
	/* Short runs like "a::b" are more often code than addresses: five
	 * characters at least, or "::1". */
	if (!v6_parse(s + b, e - b, g) ||
	    (e - b < 5 && !(e - b == 3 && memcmp(s + b, "::1", 3) == 0)))
		return IP_NONE;
	*start = b;
	*end = e;
	return IP_ADDRESS;
}

static const char *
v4_reserved(const unsigned a[4])
{
	if (a[0] == 10 || (a[0] == 172 && (a[1] & 0xf0) == 16) ||
	    (a[0] == 192 && a[1] == 168))
		return "private IPv4 address";
	if (a[0] == 127)
		return "loopback IPv4 address";
	if (a[0] == 169 && a[1] == 254)
		return "link-local IPv4 address";
	if ((a[0] == 192 && a[1] == 0 && a[2] == 2) ||
	    (a[0] == 198 && a[1] == 51 && a[2] == 100) ||
	    (a[0] == 203 && a[1] == 0 && a[2] == 113))
		return "documentation IPv4 address (RFC 5737)";
	if (a[0] == 0 || (a[0] == 100 && (a[1] & 0xc0) == 64) ||
	    (a[0] == 198 && (a[1] & 0xfe) == 18) || a[0] >= 224)
		return "special-purpose IPv4 address that names no host";
	return NULL;
}

static const char *
v6_reserved(const uint16_t g[8])
{
	static const uint16_t zero[7];

	if (memcmp(g, zero, sizeof(zero)) == 0 && g[7] <= 1)
		return g[7] ? "loopback IPv6 address"
			    : "unspecified IPv6 address";
	if ((g[0] & 0xfe00) == 0xfc00)
		return "private (unique local) IPv6 address";
	if ((g[0] & 0xffc0) == 0xfe80)
		return "link-local IPv6 address";
	if ((g[0] == 0x2001 && g[1] == 0x0db8) || (g[0] & 0xfff0) == 0x3ff0)
		return "documentation IPv6 address (RFC 3849, RFC 9637)";
	if ((g[0] & 0xff00) == 0xff00)
		return "multicast IPv6 address";
	return NULL;
}

const char *
ip_reserved(const char *p, size_t len)
{
	unsigned a[4];
	uint16_t g[8];
	size_t end;

	if (memchr(p, ':', len) == NULL)
		return v4_parse(p, len, 0, a, &end) ? v4_reserved(a) : NULL;
	return v6_parse(p, len, g) ? v6_reserved(g) : NULL;
}
