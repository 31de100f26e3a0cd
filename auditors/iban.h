/* iban.h - International Bank Account Numbers: country lengths and the
 * ISO 7064 mod 97-10 check.
 *
 * The country table holds the countries of the SWIFT IBAN registry with
 * their IBAN lengths (source: SWIFT, "IBAN Registry", table IBAN
 * structure, as listed by the IbanNet project's SupportedCountries.md,
 * read 2026-12-06; transcribed, unverified). Nothing here allocates or
 * fails.
 */
#ifndef PF_IBAN_H
#define PF_IBAN_H

#include <stddef.h>

/* The IBAN length of the two-letter country code cc (upper case), or 0
 * when cc has no IBAN. */
size_t iban_length(const char *cc);

/* 1 if the n characters at p (upper-case letters and digits only, no
 * spaces) form an IBAN: a known country, its length, two check digits
 * and a remainder of 1 under mod 97; else 0. */
int iban_valid(const char *p, size_t n);

#endif
