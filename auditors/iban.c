/* iban.c - IBAN country lengths and the mod 97 check (see iban.h). */
#include "auditors/iban.h"

#include <string.h>

/* Country code and IBAN length, in code order. Source in iban.h. */
static const struct {
	char cc[3];
	unsigned char len;
} countries[] = {
	{ "AD", 24 }, { "AE", 23 }, { "AL", 28 }, { "AT", 20 }, { "AZ", 28 },
	{ "BA", 20 }, { "BE", 16 }, { "BG", 22 }, { "BH", 22 }, { "BI", 27 },
	{ "BR", 29 }, { "BY", 28 }, { "CH", 21 }, { "CR", 22 }, { "CY", 28 },
	{ "CZ", 24 }, { "DE", 22 }, { "DJ", 27 }, { "DK", 18 }, { "DO", 28 },
	{ "EE", 20 }, { "EG", 29 }, { "ES", 24 }, { "FI", 18 }, { "FK", 18 },
	{ "FO", 18 }, { "FR", 27 }, { "GB", 22 }, { "GE", 22 }, { "GI", 23 },
	{ "GL", 18 }, { "GR", 27 }, { "GT", 28 }, { "HN", 28 }, { "HR", 21 },
	{ "HU", 28 }, { "IE", 22 }, { "IL", 23 }, { "IQ", 23 }, { "IS", 26 },
	{ "IT", 27 }, { "JO", 30 }, { "KW", 30 }, { "KZ", 20 }, { "LB", 28 },
	{ "LC", 32 }, { "LI", 21 }, { "LT", 20 }, { "LU", 20 }, { "LV", 21 },
	{ "LY", 25 }, { "MC", 27 }, { "MD", 24 }, { "ME", 22 }, { "MK", 19 },
	{ "MN", 20 }, { "MR", 27 }, { "MT", 31 }, { "MU", 30 }, { "NI", 28 },
	{ "NL", 18 }, { "NO", 15 }, { "OM", 23 }, { "PK", 24 }, { "PL", 28 },
	{ "PS", 29 }, { "PT", 25 }, { "QA", 29 }, { "RO", 24 }, { "RS", 22 },
	{ "RU", 33 }, { "SA", 24 }, { "SC", 31 }, { "SD", 18 }, { "SE", 24 },
	{ "SI", 19 }, { "SK", 24 }, { "SM", 27 }, { "SO", 23 }, { "ST", 25 },
	{ "SV", 28 }, { "TL", 23 }, { "TN", 24 }, { "TR", 26 }, { "UA", 29 },
	{ "VA", 22 }, { "VG", 24 }, { "XK", 20 }, { "YE", 30 },
};

size_t
iban_length(const char *cc)
{
	size_t i;

	for (i = 0; i < sizeof(countries) / sizeof(countries[0]); i++)
		if (countries[i].cc[0] == cc[0] && countries[i].cc[1] == cc[1])
			return countries[i].len;
	return 0;
}

/* Fold one character into the running remainder: a digit as itself, a
 * letter as its two-digit value (A = 10 ... Z = 35). -1 for anything
 * else. */
static int
fold(unsigned rem, char c)
{
	if (c >= '0' && c <= '9')
		return (int)((rem * 10 + (unsigned)(c - '0')) % 97);
	if (c >= 'A' && c <= 'Z')
		return (int)((rem * 100 + (unsigned)(c - 'A' + 10)) % 97);
	return -1;
}

int
iban_valid(const char *p, size_t n)
{
	unsigned rem = 0;
	size_t i;
	int r;

	if (n < 5 || iban_length(p) != n || p[2] < '0' || p[2] > '9' ||
	    p[3] < '0' || p[3] > '9')
		return 0;
	/* The check runs over the BBAN, then the country and check digits. */
	for (i = 0; i < n; i++) {
		r = fold(rem, p[(i + 4) % n]);
		if (r < 0)
			return 0;
		rem = (unsigned)r;
	}
	return rem == 1;
}
