/* sanitize.h - the one UTF-8 + XML 1.0 Char filter.
 *
 * libxml2's xmlTextWriter escapes < > & " but passes control characters
 * and invalid UTF-8 through raw, which makes the output not well-formed.
 * Every text value an exporter hands to the writer goes through here
 * first: invalid UTF-8 sequences (each maximal invalid subpart, as Unicode
 * recommends), overlong forms, surrogates, and code points that are not an
 * XML 1.0 Char (controls other than tab, LF and CR, U+FFFE, U+FFFF, NUL)
 * become U+FFFD. Everything else is copied byte for byte.
 */
#ifndef PF_SANITIZE_H
#define PF_SANITIZE_H

#include <stddef.h>

#include "base/buf.h"

/* Length of the longest prefix of s[0..n) that needs no change. Returns n
 * when the whole text is clean (the common case, checked without copying).
 */
size_t sanitize_xml_clean_len(const char *s, size_t n);

/* Append the sanitized form of s[0..n) to b. Returns 0, or -1 when b
 * reached its maximum; b then holds a prefix of the result and the caller
 * resets it. */
int sanitize_xml_append(struct buf *b, const char *s, size_t n);

/* The sanitized text of s[0..n) as a NUL-terminated string: s itself when
 * it is clean and s[n] is its terminator, else scratch's data after
 * resetting it. NULL when scratch is full. The result is borrowed: valid
 * until s or scratch changes. */
const char *sanitize_xml_cstr(struct buf *scratch, const char *s, size_t n);

#endif
