/* ipaddr.h - IPv4 and IPv6 addresses in free text, and which of them are
 * reserved (never a person's address).
 *
 * IPv4 is a dotted quad of decimal parts 0-255 standing alone: not
 * touching a letter, digit or '_', and not part of a longer dotted run
 * ("1.2.3.4.5", an OID). A quad with "v", "ver" or "version" (any case,
 * a word of its own) in the 16 bytes before it is a version string, not
 * an address; so is one after "release(d)", "build", "chapter",
 * "section", "oid" or "rfc", and a package version: with a revision or
 * build suffix ("3.6.11.1-2"), an epoch ("1:3.0.1.2") or after a
 * comparison (">= 1.2.2.3"). IPv6 is the RFC 4291 text form: eight groups of 1-4 hex
 * digits, or fewer with one "::"; no embedded IPv4 tail.
 *
 * Reserved ranges (RFC 6890 and the documentation RFCs 5737, 3849 and
 * 9637): private (10/8, 172.16/12, 192.168/16, fc00::/7), loopback
 * (127/8, ::1), link-local (169.254/16, fe80::/10), documentation
 * (192.0.2/24, 198.51.100/24, 203.0.113/24, 2001:db8::/32, 3fff::/20)
 * and the other special-purpose blocks that name no host (0/8,
 * 100.64/10, 198.18/15, 224/4 multicast, 240/4, ::, ff00::/8).
 * Nothing here allocates or fails.
 */
#ifndef PF_IPADDR_H
#define PF_IPADDR_H

#include <stddef.h>

enum ip_match {
	IP_NONE = 0,      /* no address here */
	IP_ADDRESS,       /* an address over [start, end) */
	IP_VERSION        /* a dotted quad that is a version: skip to end */
};

/* An IPv4 address starting at s[i] (a digit whose left neighbour the
 * caller has checked). Sets *end on IP_ADDRESS and IP_VERSION. */
enum ip_match ip_match_v4(const char *s, size_t n, size_t i, size_t *end);

/* An IPv6 address containing the ':' at s[colon] and starting no earlier
 * than lo. Sets *start and *end on IP_ADDRESS. */
enum ip_match ip_match_v6(const char *s, size_t n, size_t lo, size_t colon,
			  size_t *start, size_t *end);

/* Why the address [p, p + len) (as matched above) is reserved, or NULL
 * for a public address. */
const char *ip_reserved(const char *p, size_t len);

#endif
