/* pii.h - find personal data in free text: emails, North American phone
 * numbers, US SSNs and payment card numbers.
 *
 * The scanner is a single pass over bytes with no allocation, no locale and
 * no regex; text may be any bytes (invalid UTF-8, NULs, control bytes) and
 * is never read outside [text, text + n). Each finding says whether it is
 * synthetic (a reserved or planted value: example domains, 555-01xx phones,
 * never-issued SSNs, published test cards) or real-looking, and carries a
 * masked rendering that never shows a real value in full.
 *
 * Detection heuristics (what counts, and what deliberately does not):
 * - A number must stand alone: it may not touch a letter, digit, '_' or
 *   '@', nor be preceded by '$', '#' or '%', nor continue a numeric token
 *   through '.', '-', '/', ':' or ',' followed (or preceded) by a digit.
 *   This drops prices, order and invoice ids, dates, times, versions, IPs
 *   and ISBN parts.
 * - Phone: NANP only (area and exchange start with 2-9). Shapes
 *   (212) 555-0142, 212-555-0142, 212.555.0142, 212 555 0142 (one
 *   separator used throughout), with optional leading "1" or "+1". A bare
 *   10-digit run counts only after "+1" or with a cue word (phone, tel,
 *   call, mobile, cell, fax, text, sms, contact, whatsapp) in the 32 bytes
 *   before it, so order numbers are not flagged.
 * - SSN: AAA-GG-SSSS or AAA GG SSSS; a bare 9-digit run only with an
 *   "SSN", "SS#" or "social security" cue in the 32 bytes before it.
 * - Card: 13-19 digits, bare or in groups joined by one space or one dash
 *   throughout (first group 4 digits, others 3-6), first digit 2-6 (the
 *   card-issuing industries), and Luhn-valid.
 * - Email: local part of [A-Za-z0-9._%+-] (1-64 bytes), '@', a domain of
 *   two or more labels whose last label is 2+ letters.
 */
#ifndef PF_PII_H
#define PF_PII_H

#include <stddef.h>

#include "auditors/auditor.h"

enum pii_kind { PII_EMAIL, PII_PHONE, PII_SSN, PII_CARD };

struct pii_finding {
	enum pii_kind kind;
	int synthetic;                /* 1: reserved/planted value */
	enum audit_severity severity;
	size_t offset, len;           /* byte span in the text */
	char masked[64];              /* NUL-terminated ASCII; real values
				       * masked ("j***@gmail.com",
				       * "***-**-6789", "************4242"),
				       * synthetic ones shown in full (long
				       * emails shortened with "...") */
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

/* "email", "phone", "ssn", "card"; "unknown" out of range. */
const char *pii_kind_name(enum pii_kind k);

/* 1 if the digit string (digits only, NUL-terminated) is one of the
 * published test card numbers the scanner treats as synthetic, else 0. */
int pii_card_is_test(const char *digits);

/* 1 if the NUL-terminated digit string passes the Luhn check, else 0
 * (also 0 for an empty string or any non-digit). */
int pii_luhn_valid(const char *digits);

#endif
