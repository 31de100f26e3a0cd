/* cards.h - payment card numbers: the Luhn check, the networks' issuer
 * ranges and the processors' published test numbers.
 *
 * The two tables are data files compiled in at build time
 * (auditors/data/card-issuers.tsv and auditors/data/test-cards.tsv, by
 * auditors/data/tsv2c.awk); each file names its sources and the date they
 * were read. A digit string is a card number when it passes Luhn and
 * falls in an issuer range with one of that range's lengths; it is a
 * synthetic one when the test list holds it. Nothing here allocates or
 * fails.
 */
#ifndef PF_CARDS_H
#define PF_CARDS_H

#include <stddef.h>

struct card_test {
	const char *number;    /* digits only */
	const char *brand;
};

struct card_issuer {
	const char *lo, *hi;   /* inclusive prefixes of equal length */
	unsigned lengths;      /* bit n set: n-digit numbers are issued */
	const char *network;
};

extern const struct card_test card_tests[];
extern const size_t card_ntests;
extern const struct card_issuer card_issuers[];
extern const size_t card_nissuers;

/* 1 if the NUL-terminated digit string passes the Luhn check, else 0
 * (also 0 for an empty string or any non-digit). */
int card_luhn_valid(const char *digits);

/* The issuer range the digit string (digits only, NUL-terminated) falls
 * in with an issued length, or NULL. */
const struct card_issuer *card_issuer_find(const char *digits);

/* 1 if the digit string is one of the published test numbers, else 0. */
int card_is_test(const char *digits);

#endif
