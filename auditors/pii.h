/* pii.h - find personal data in free text: emails, phone numbers (North
 * American and international E.164), US SSNs and IRS numbers, payment
 * card numbers, IBANs, IPv4 and IPv6 addresses, street addresses and
 * dates of birth next to a name.
 *
 * The scanner is a single pass over bytes with no allocation, no locale and
 * no regex; text may be any bytes (invalid UTF-8, NULs, control bytes) and
 * is never read outside [text, text + n). Each finding says whether it is
 * synthetic (a reserved value: example domains, 555-01xx phones,
 * never-issued SSNs, published test cards, private, loopback, link-local
 * and documentation IP ranges) or real-looking, and carries a masked
 * rendering that never shows a real value in full.
 *
 * Detection heuristics (what counts, and what deliberately does not):
 * - A number must stand alone: it may not touch a letter, digit, '_' or
 *   '@', nor be preceded by '$', '#' or '%', nor continue a numeric token
 *   through '.', '-', '/', ':' or ',' followed (or preceded) by a digit.
 *   This drops prices, order and invoice ids, times and ISBN parts.
 * - Phone: NANP (area and exchange start with 2-9). Shapes
 *   (212) 555-0142, 212-555-0142, 212.555.0142, 212 555 0142 (one
 *   separator used throughout), with optional leading "1" or "+1". A bare
 *   10-digit run counts only after "+1" or with a cue word (phone, tel,
 *   call, mobile, cell, fax, text, sms, contact, whatsapp) in the 32 bytes
 *   before it, so order numbers are not flagged. Elsewhere E.164: '+', a
 *   country code starting 2-9, digit groups joined by single spaces or
 *   dashes, 8-15 digits in all.
 * - SSN: AAA-GG-SSSS or AAA GG SSSS; a bare 9-digit run only with an
 *   "SSN", "SS#" or "social security" cue in the 32 bytes before it.
 *   Area 9xx with a group the IRS issues (ITIN, ATIN, IRSN) is real.
 * - Card: 12-19 digits, bare or in groups joined by one space or one dash
 *   throughout (first group 4 digits, others 3-6), Luhn-valid, and in an
 *   issuer range with an issued length or a published test number
 *   (auditors/cards.h).
 * - IBAN: country code, check digits and BBAN, compact or in groups of
 *   four, of the country's length and passing mod 97 (auditors/iban.h).
 * - IP: auditors/ipaddr.h (versions and OIDs are not addresses).
 * - Street address: auditors/street.h; date of birth: auditors/dates.h.
 * - Email: local part of [A-Za-z0-9._%+-] (1-64 bytes), '@', a domain of
 *   two or more labels whose last label is 2+ letters, or "localhost".
 */
#ifndef PF_PII_H
#define PF_PII_H

#include <stddef.h>

#include "auditors/auditor.h"

enum pii_kind {
	PII_EMAIL, PII_PHONE, PII_SSN, PII_CARD, PII_IBAN, PII_IP,
	PII_ADDRESS, PII_DOB
};

struct pii_finding {
	enum pii_kind kind;
	int synthetic;                /* 1: reserved/planted value */
	enum audit_severity severity;
	size_t offset, len;           /* byte span in the text */
	char masked[64];              /* NUL-terminated ASCII; real values
				       * masked ("j***@gmail.com",
				       * "***-**-6789", "************4242",
				       * "**.**.***.248"), synthetic ones
				       * shown in full (long ones shortened
				       * with "...") */
	const char *reason;           /* static string */
};

/* Receives one finding, valid only during the call. Return nonzero to stop
 * the scan. */
typedef int (*pii_finding_fn)(void *ud, const struct pii_finding *f);

/* Scan n bytes and call fn (which may be NULL, to count only) for each
 * finding in text order; findings never overlap. Returns the number of
 * findings reported, including the one whose callback stopped the scan.
 * Cannot fail; text may be NULL when n is 0. */
size_t pii_scan(const char *text, size_t n, pii_finding_fn fn, void *ud);

/* "email", "phone", "ssn", "card", "iban", "ip", "address", "dob";
 * "unknown" out of range. */
const char *pii_kind_name(enum pii_kind k);

#endif
