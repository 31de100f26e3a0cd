/* cards.c - the Luhn check and the lookups in the card tables (see
 * cards.h; the tables themselves are generated from auditors/data/). */
#include "auditors/cards.h"

#include <string.h>

int
card_luhn_valid(const char *d)
{
	size_t len = strlen(d), i;
	unsigned sum = 0;

	if (len == 0)
		return 0;
	for (i = 0; i < len; i++) {
		unsigned v = (unsigned char)d[len - 1 - i] - '0';

		if (v > 9)
			return 0;
		if (i % 2 == 1)
			v = v * 2 > 9 ? v * 2 - 9 : v * 2;
		sum += v;
	}
	return sum % 10 == 0;
}

const struct card_issuer *
card_issuer_find(const char *digits)
{
	size_t len = strlen(digits), i, k;

	if (len >= 32)
		return NULL;
	for (i = 0; i < card_nissuers; i++) {
		const struct card_issuer *c = &card_issuers[i];

		k = strlen(c->lo);
		if (k > len || !(c->lengths & (1u << len)))
			continue;
		/* Equal-length digit strings compare as numbers. */
		if (strncmp(digits, c->lo, k) >= 0 &&
		    strncmp(digits, c->hi, k) <= 0)
			return c;
	}
	return NULL;
}

int
card_is_test(const char *digits)
{
	size_t i;

	for (i = 0; i < card_ntests; i++)
		if (strcmp(digits, card_tests[i].number) == 0)
			return 1;
	return 0;
}
