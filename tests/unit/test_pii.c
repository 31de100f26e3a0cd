/* test_pii.c - unit tests for the PII scanner and the auditor registry.
 *
 * The case table gives each text and the findings expected in it (kind,
 * synthetic, severity, byte span); it covers every detection and
 * classification rule, near misses that must stay silent, invalid UTF-8
 * and control bytes, buffer edges and adjacent findings. A fuzz test scans
 * random buffers allocated to their exact size, so ASan catches any
 * overread, and a throughput figure is printed as a TAP comment. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditors/auditor.h"
#include "auditors/cards.h"
#include "auditors/pii.h"
#include "base/rng.h"
#include "tests/unit/check_tap.h"

#define MAXF 8
#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct want {
	enum pii_kind kind;
	int synthetic;
	enum audit_severity sev;
	size_t off, len;
};

static const struct {
	const char *text;
	int nf;
	struct want f[4];
} cases[] = {
	{ "Contact jane.doe@example.com today", 1, { { PII_EMAIL, 1, AUDIT_INFO, 8, 20 } } },
	{ "mail bob@mail.example.org.", 1, { { PII_EMAIL, 1, AUDIT_INFO, 5, 20 } } },
	{ "x@foo.test", 1, { { PII_EMAIL, 1, AUDIT_INFO, 0, 10 } } },
	{ "ops@host.invalid or a.b@b.localhost", 2, { { PII_EMAIL, 1, AUDIT_INFO, 0, 16 }, { PII_EMAIL, 1, AUDIT_INFO, 20, 15 } } },
	{ "u+tag@corp.example, n@example.net", 2, { { PII_EMAIL, 1, AUDIT_INFO, 0, 18 }, { PII_EMAIL, 1, AUDIT_INFO, 20, 13 } } },
	{ "USER@EXAMPLE.COM", 1, { { PII_EMAIL, 1, AUDIT_INFO, 0, 16 } } },
	{ "write to j.smith@gmail.com now", 1, { { PII_EMAIL, 0, AUDIT_MEDIUM, 9, 17 } } },
	{ "me@example.co.uk", 1, { { PII_EMAIL, 0, AUDIT_MEDIUM, 0, 16 } } },
	{ "user@notexample.com", 1, { { PII_EMAIL, 0, AUDIT_MEDIUM, 0, 19 } } },
	{ "x@test.com", 1, { { PII_EMAIL, 0, AUDIT_MEDIUM, 0, 10 } } },
	{ "@handle a@b foo@bar.c1 x@-bad.com y@ok. .@x.com z@@w.com", 0, { { 0 } } },
	{ "(212) 555-0142", 1, { { PII_PHONE, 1, AUDIT_INFO, 0, 14 } } },
	{ "call 212-555-0199.", 1, { { PII_PHONE, 1, AUDIT_INFO, 5, 12 } } },
	{ "212.555.0100", 1, { { PII_PHONE, 1, AUDIT_INFO, 0, 12 } } },
	{ "dial +1 212 555 0142 now", 1, { { PII_PHONE, 1, AUDIT_INFO, 5, 15 } } },
	{ "+1 (212) 555-0150", 1, { { PII_PHONE, 1, AUDIT_INFO, 0, 17 } } },
	{ "1-800-555-0123", 1, { { PII_PHONE, 1, AUDIT_INFO, 0, 14 } } },
	{ "Call 415-867-5309", 1, { { PII_PHONE, 0, AUDIT_MEDIUM, 5, 12 } } },
	{ "(415) 555-1234", 1, { { PII_PHONE, 0, AUDIT_MEDIUM, 0, 14 } } },
	{ "phone: 4158675309", 1, { { PII_PHONE, 0, AUDIT_MEDIUM, 7, 10 } } },
	{ "+14158675309", 1, { { PII_PHONE, 0, AUDIT_MEDIUM, 0, 12 } } },
	{ "tel 14158675309", 1, { { PII_PHONE, 0, AUDIT_MEDIUM, 4, 11 } } },
	{ "(415)867-5309", 1, { { PII_PHONE, 0, AUDIT_MEDIUM, 0, 13 } } },
	{ "order 4158675309 shipped", 0, { { 0 } } },
	{ "123-456-7890 212-555-01425 212-555.0142 (112) 555-0142", 0, { { 0 } } },
	{ "my hotel 4158675309", 0, { { 0 } } },
	{ "SSN 123-45-6789", 1, { { PII_SSN, 0, AUDIT_HIGH, 4, 11 } } },
	{ "123 45 6789", 1, { { PII_SSN, 0, AUDIT_HIGH, 0, 11 } } },
	{ "000-12-3456 666-12-3456 912-34-5678", 3, { { PII_SSN, 1, AUDIT_INFO, 0, 11 }, { PII_SSN, 1, AUDIT_INFO, 12, 11 }, { PII_SSN, 1, AUDIT_INFO, 24, 11 } } },
	{ "123-00-4567 123-45-0000", 2, { { PII_SSN, 1, AUDIT_INFO, 0, 11 }, { PII_SSN, 1, AUDIT_INFO, 12, 11 } } },
	{ "ssn: 123456789", 1, { { PII_SSN, 0, AUDIT_HIGH, 5, 9 } } },
	{ "Social Security number 078051120", 1, { { PII_SSN, 0, AUDIT_HIGH, 23, 9 } } },
	{ "id 123456789 and 123-45-6789-1 and 123-45 6789", 0, { { 0 } } },
	{ "4111 1111 1111 1111", 1, { { PII_CARD, 1, AUDIT_INFO, 0, 19 } } },
	{ "pay 4242-4242-4242-4242 ok", 1, { { PII_CARD, 1, AUDIT_INFO, 4, 19 } } },
	{ "amex 3782 822463 10005", 1, { { PII_CARD, 1, AUDIT_INFO, 5, 17 } } },
	{ "card 4539017494109883", 1, { { PII_CARD, 0, AUDIT_HIGH, 5, 16 } } },
	{ "5412 1818 0859 2132", 1, { { PII_CARD, 0, AUDIT_HIGH, 0, 19 } } },
	{ "371473383087194 and 4614261868586", 2, { { PII_CARD, 0, AUDIT_HIGH, 0, 15 }, { PII_CARD, 0, AUDIT_HIGH, 20, 13 } } },
	{ "19 digits 4539703347605734217", 1, { { PII_CARD, 0, AUDIT_HIGH, 10, 19 } } },
	{ "4111111111111112 1234567812345670 41111111111111111111", 0, { { 0 } } },
	{ "4111 1111-1111 1111 and 4111.1111.1111.1111", 0, { { 0 } } },
	{ "On 2024-10-14 at 12:30:45 it cost $1,299.99 (USD).", 0, { { 0 } } },
	{ "ISBN 978-0-306-40615-7 or 9780306406157; v1.2.3, 10.4.2.1", 0, { { 0 } } },
	{ "hosts 192.168.100.200 and 10.212.555.0142", 1, { { PII_IP, 1, AUDIT_INFO, 6, 15 } } },
	{ "SSN 912-70-1234 and 987-65-4321", 2, { { PII_SSN, 0, AUDIT_HIGH, 4, 11 }, { PII_SSN, 1, AUDIT_INFO, 20, 11 } } },
	{ "ATIN 900-93-0001, IRSN 955-01-2345, 955-11-2345", 3, { { PII_SSN, 0, AUDIT_HIGH, 5, 11 }, { PII_SSN, 0, AUDIT_HIGH, 23, 11 }, { PII_SSN, 1, AUDIT_INFO, 36, 11 } } },
	{ "IBAN DE89 3704 0044 0532 0130 00.", 1, { { PII_IBAN, 0, AUDIT_HIGH, 5, 27 } } },
	{ "GB29NWBK60161331926819 DE89 3704 0044 0532 0130 01", 1, { { PII_IBAN, 0, AUDIT_HIGH, 0, 22 } } },
	{ "from 8.8.8.8, 2001:db8::1 and fe80::1", 3, { { PII_IP, 0, AUDIT_LOW, 5, 7 }, { PII_IP, 1, AUDIT_INFO, 14, 11 }, { PII_IP, 1, AUDIT_INFO, 30, 7 } } },
	{ "v 8.8.8.8, version 1.2.3.4, 1.3.6.1.4.1 std::map a::b 12:30:45", 0, { { 0 } } },
	{ "ssh root@52.94.236.248 ::1", 2, { { PII_IP, 0, AUDIT_LOW, 9, 13 }, { PII_IP, 1, AUDIT_INFO, 23, 3 } } },
	{ "+44 20 7123 4567, +4915123456789.", 2, { { PII_PHONE, 0, AUDIT_MEDIUM, 0, 16 }, { PII_PHONE, 0, AUDIT_MEDIUM, 18, 14 } } },
	{ "at 742 Evergreen Terrace, 1600 Pennsylvania Avenue NW.", 2, { { PII_ADDRESS, 0, AUDIT_MEDIUM, 3, 21 }, { PII_ADDRESS, 0, AUDIT_MEDIUM, 26, 27 } } },
	{ "Main Street, 90210, 5 miles", 0, { { 0 } } },
	{ "Ana Silva was born on March 14, 1987.", 1, { { PII_DOB, 0, AUDIT_MEDIUM, 22, 14 } } },
	{ "Ana Silva (DOB 3/14/1987) arrived on 12 June 2019", 1, { { PII_DOB, 0, AUDIT_MEDIUM, 15, 9 } } },
	{ "Founded on 1987-03-14; born in 1987.", 0, { { 0 } } },
	{ "Order #4158675309, Invoice 2125550142, 50% of 212-555-0142%", 0, { { 0 } } },
	{ "ref 212-555-0142-7 and x212-555-0142 and 2125550142@x", 0, { { 0 } } },
	{ "\xff\xfejane@gmail.com\x01\x02 212-555-0142\xc3", 2, { { PII_EMAIL, 0, AUDIT_MEDIUM, 2, 14 }, { PII_PHONE, 1, AUDIT_INFO, 19, 12 } } },
	{ "\033\a4242424242424242\177", 1, { { PII_CARD, 1, AUDIT_INFO, 2, 16 } } },
	{ "a@example.com b@gmail.com", 2, { { PII_EMAIL, 1, AUDIT_INFO, 0, 13 }, { PII_EMAIL, 0, AUDIT_MEDIUM, 14, 11 } } },
	{ "212-555-0142, 212-555-0143", 2, { { PII_PHONE, 1, AUDIT_INFO, 0, 12 }, { PII_PHONE, 1, AUDIT_INFO, 14, 12 } } },
	{ "(212) 555-0142 4111111111111111 123-45-6789 x@y.test", 4, { { PII_PHONE, 1, AUDIT_INFO, 0, 14 }, { PII_CARD, 1, AUDIT_INFO, 15, 16 }, { PII_SSN, 0, AUDIT_HIGH, 32, 11 }, { PII_EMAIL, 1, AUDIT_INFO, 44, 8 } } },
	{ "212-555-0142.smith@gmail.com", 2, { { PII_PHONE, 1, AUDIT_INFO, 0, 12 }, { PII_EMAIL, 0, AUDIT_MEDIUM, 13, 15 } } },
	{ "", 0, { { 0 } } },
};

/* Findings collected by a scan. */
struct got {
	struct pii_finding f[MAXF];
	size_t n;
	size_t stop_after;  /* stop the scan after this many; 0 = never */
};

static int
collect(void *ud, const struct pii_finding *f)
{
	struct got *g = ud;

	if (g->n < MAXF)
		g->f[g->n] = *f;
	g->n++;
	return g->stop_after != 0 && g->n >= g->stop_after;
}

/* Scan a copy of text that is allocated to exactly n bytes. */
static size_t
scan_exact(const char *text, size_t n, struct got *g)
{
	char *copy = malloc(n > 0 ? n : 1);
	size_t count;

	ck_assert_ptr_nonnull(copy);
	memcpy(copy, text, n);
	count = pii_scan(copy, n, collect, g);
	free(copy);
	return count;
}

/* Digits of [p, p + n), NUL-terminated, into out (cap bytes). */
static void
digits_of(const char *p, size_t n, char *out, size_t cap)
{
	size_t i, k = 0;

	for (i = 0; i < n && k + 1 < cap; i++)
		if (p[i] >= '0' && p[i] <= '9')
			out[k++] = p[i];
	out[k] = '\0';
}

/* A real finding's mask must not reveal its value. */
static void
check_masked(const char *text, const struct pii_finding *f)
{
	char span[256], digits[64];
	size_t len = f->len < sizeof(span) - 1 ? f->len : sizeof(span) - 1;

	ck_assert_uint_lt(strlen(f->masked), sizeof(f->masked));
	ck_assert_ptr_nonnull(f->reason);
	if (f->synthetic)
		return;
	memcpy(span, text + f->offset, len);
	span[len] = '\0';
	ck_assert_ptr_nonnull(strchr(f->masked, '*'));
	ck_assert_ptr_null(strstr(f->masked, span));
	if (f->kind != PII_EMAIL) {
		digits_of(span, len, digits, sizeof(digits));
		ck_assert_ptr_null(strstr(f->masked, digits));
	}
}

START_TEST(scan_cases)
{
	const char *text = cases[_i].text;
	struct got g = { .n = 0 };
	size_t k, count;

	count = scan_exact(text, strlen(text), &g);
	ck_assert_msg(count == (size_t)cases[_i].nf,
		      "case %d \"%s\": %zu findings, want %d", _i, text,
		      count, cases[_i].nf);
	for (k = 0; k < count; k++) {
		const struct want *w = &cases[_i].f[k];
		const struct pii_finding *f = &g.f[k];

		ck_assert_msg(f->kind == w->kind && f->synthetic == w->synthetic
			      && f->severity == w->sev && f->offset == w->off
			      && f->len == w->len,
			      "case %d finding %zu: got %s syn=%d %s @%zu+%zu",
			      _i, k, pii_kind_name(f->kind), f->synthetic,
			      audit_severity_name(f->severity), f->offset,
			      f->len);
		check_masked(text, f);
	}
}
END_TEST

static const struct {
	const char *text, *masked;
} mask_cases[] = {
	{ "j.smith@gmail.com", "j***@gmail.com" },
	{ "q@corp.io", "***@corp.io" },
	{ "jane.doe@example.com", "jane.doe@example.com" },
	{ "SSN 123-45-6789", "***-**-6789" },
	{ "000-12-3456", "000-12-3456" },
	{ "415.867.5309", "***-***-5309" },
	{ "(212) 555-0142", "212-555-0142" },
	{ "5412 1818 0859 2132", "************2132" },
	{ "4242-4242-4242-4242", "4242424242424242" },
	{ "52.94.236.248", "**.**.***.248" },
	{ "10.0.0.5", "10.0.0.5" },
	{ "DE89 3704 0044 0532 0130 00", "**** **** **** **** **30 00" },
	{ "+44 20 7123 4567", "+** ** **** 4567" },
	{ "7 Elm Street", "* *** ***eet" },
	{ "371473383087194", "***********7194" },
	{ "abcdefghijabcdefghijabcdefghijabcdefghij@"
	  "sub.domain.example.com", "abcdefghijabcdefghijabcdefg...@"
	  "sub.domain.example.com" },
	{ "someone@a.very.long.sub.domain.name.that.goes.on.and.on"
	  ".for.ever.example-corp.com",
	  "s***@...main.name.that.goes.on.and.on.for.ever.example-corp.com" },
};

START_TEST(masks)
{
	struct got g = { .n = 0 };

	ck_assert_uint_eq(scan_exact(mask_cases[_i].text,
				     strlen(mask_cases[_i].text), &g), 1);
	ck_assert_str_eq(g.f[0].masked, mask_cases[_i].masked);
}
END_TEST

/* The test cards the brief names: Luhn-valid, listed, found as synthetic. */
static const char *const named_test_cards[] = {
	"4111111111111111", "4242424242424242", "4012888888881881",
	"5555555555554444", "5105105105105100", "378282246310005",
	"371449635398431", "6011111111111117", "6011000990139424",
	"3530111333300000", "30569309025904", "4000056655665556",
	"2223003122003222",
};

/* Every number of auditors/data/test-cards.tsv is Luhn-valid and found
 * as a synthetic card; every issuer range is well formed. */
START_TEST(test_card_table)
{
	const char *c = card_tests[_i].number;
	struct got g = { .n = 0 };

	ck_assert_msg(card_luhn_valid(c), "%s fails Luhn", c);
	ck_assert_uint_eq(scan_exact(c, strlen(c), &g), 1);
	ck_assert_int_eq(g.f[0].kind, PII_CARD);
	ck_assert_int_eq(g.f[0].severity, AUDIT_INFO);
}
END_TEST

START_TEST(issuer_ranges)
{
	size_t i;

	for (i = 0; i < card_nissuers; i++) {
		ck_assert_uint_eq(strlen(card_issuers[i].lo),
				  strlen(card_issuers[i].hi));
		ck_assert_int_le(strcmp(card_issuers[i].lo,
					card_issuers[i].hi), 0);
		ck_assert_uint_ne(card_issuers[i].lengths, 0);
	}
	ck_assert_ptr_nonnull(card_issuer_find("4539017494109883"));
	ck_assert_ptr_nonnull(card_issuer_find("2221000000000009"));
	ck_assert_ptr_null(card_issuer_find("2721000000000000"));
	ck_assert_ptr_null(card_issuer_find("9111111111111111"));
	ck_assert_ptr_null(card_issuer_find("411111111111111"));  /* 15 */
}
END_TEST

START_TEST(test_cards_are_synthetic)
{
	const char *c = named_test_cards[_i];
	struct got g = { .n = 0 };

	ck_assert(card_luhn_valid(c));
	ck_assert(card_is_test(c));
	ck_assert_uint_eq(scan_exact(c, strlen(c), &g), 1);
	ck_assert_int_eq(g.f[0].kind, PII_CARD);
	ck_assert_int_eq(g.f[0].synthetic, 1);
	ck_assert_int_eq(g.f[0].severity, AUDIT_INFO);
}
END_TEST

START_TEST(luhn)
{
	ck_assert(card_luhn_valid("79927398713"));
	ck_assert(!card_luhn_valid("79927398710"));
	ck_assert(!card_luhn_valid(""));
	ck_assert(!card_luhn_valid("4111x11111111111"));
	ck_assert(!card_is_test("4111111111111112"));
}
END_TEST

START_TEST(embedded_nul_and_bytes)
{
	static const char text[] = "caf\xc3\xa9\0 4242424242424242\0"
				   "\xed\xa0\x80 x@example.com\xf0\x9f";
	struct got g = { .n = 0 };

	ck_assert_uint_eq(scan_exact(text, sizeof(text) - 1, &g), 2);
	ck_assert_int_eq(g.f[0].kind, PII_CARD);
	ck_assert_uint_eq(g.f[0].offset, 7);
	ck_assert_int_eq(g.f[1].kind, PII_EMAIL);
	ck_assert_uint_eq(g.f[1].offset, 28);
	/* A cut buffer sees only what is inside it. */
	g.n = 0;
	ck_assert_uint_eq(scan_exact(text, 20, &g), 0);
	ck_assert_uint_eq(pii_scan(NULL, 0, collect, &g), 0);
}
END_TEST

START_TEST(callback_stops_scan)
{
	static const char text[] = "a@example.com b@example.com c@example.com";
	struct got g = { .n = 0, .stop_after = 2 };

	ck_assert_uint_eq(pii_scan(text, strlen(text), collect, &g), 2);
	ck_assert_uint_eq(pii_scan(text, strlen(text), NULL, NULL), 3);
}
END_TEST

static const struct {
	const char *name;
	enum audit_severity sev;
} sev_cases[] = {
	{ "info", AUDIT_INFO }, { "low", AUDIT_LOW },
	{ "medium", AUDIT_MEDIUM }, { "high", AUDIT_HIGH },
	{ "critical", AUDIT_CRITICAL },
};

START_TEST(severity_round_trip)
{
	enum audit_severity s = AUDIT_CRITICAL;

	ck_assert_str_eq(audit_severity_name(sev_cases[_i].sev),
			 sev_cases[_i].name);
	ck_assert_int_eq(audit_severity_parse(sev_cases[_i].name, &s), 0);
	ck_assert_int_eq(s, sev_cases[_i].sev);
}
END_TEST

START_TEST(severity_parse_errors)
{
	enum audit_severity s = AUDIT_LOW;

	ck_assert_int_eq(audit_severity_parse("HIGH", &s), 0);
	ck_assert_int_eq(s, AUDIT_HIGH);
	ck_assert_int_eq(audit_severity_parse("severe", &s), -1);
	ck_assert_int_eq(audit_severity_parse("", &s), -1);
	ck_assert_int_eq(audit_severity_parse(NULL, &s), -1);
	ck_assert_int_eq(s, AUDIT_HIGH);
	ck_assert_str_eq(audit_severity_name((enum audit_severity)99),
			 "unknown");
	ck_assert_str_eq(pii_kind_name(PII_SSN), "ssn");
	ck_assert_str_eq(pii_kind_name((enum pii_kind)99), "unknown");
}
END_TEST

/* What the generic auditor callback received. */
struct relayed {
	int n;
	char kinds[64];
	size_t last_offset;
};

static void
on_report(void *ud, const struct audit_hit *h)
{
	struct relayed *r = ud;

	r->n++;
	strncat(r->kinds, h->kind, sizeof(r->kinds) - strlen(r->kinds) - 2);
	strcat(r->kinds, " ");
	r->last_offset = h->offset;
	ck_assert_ptr_nonnull(h->masked);
	ck_assert_ptr_nonnull(h->reason);
	ck_assert_int_le(h->severity, AUDIT_CRITICAL);
	ck_assert(h->synthetic == 0 || h->synthetic == 1);
	ck_assert_str_eq(h->table, "document");
	ck_assert_str_eq(h->row_id, "p000001-d1");
	ck_assert_str_eq(h->field, "content");
}

START_TEST(registry_and_adapter)
{
	static const char text[] = "x@gmail.com SSN 123-45-6789";
	static const char *const names[] = { "title", "content" };
	const char *texts[] = { NULL, text };
	const struct audit_row row = { "document", "p000001-d1", 1, 2, names,
				       texts, NULL, NULL };
	const struct auditor *a = auditor_find("pii");
	struct relayed r = { .n = 0 };

	ck_assert_uint_ge(auditor_count, 1);
	ck_assert_ptr_eq(a, &auditor_pii);
	ck_assert_ptr_eq(auditor_registry[0], &auditor_pii);
	ck_assert_ptr_null(auditor_find("nope"));
	ck_assert_ptr_null(auditor_find(NULL));
	ck_assert_str_eq(a->version, "2");
	ck_assert_int_eq(a->scan_row(NULL, &row, on_report, &r), 0);
	ck_assert_int_eq(r.n, 2);
	ck_assert_str_eq(r.kinds, "email ssn ");
	ck_assert_uint_eq(r.last_offset, 16);
	ck_assert_int_eq(a->scan_row(NULL, &row, NULL, NULL), 0);
	ck_assert_ptr_null(a->scan_dataset);
}
END_TEST

/* Bytes the fuzzer draws from: mostly the ones the scanner looks at. */
static const char fuzz_alphabet[] = "0123456789012345678901234567890123"
				    "   ---...()+@@aZ_,:/#$%\xff\xc3\x80";

/* Findings and near misses the fuzzer splices in, to reach deep paths. */
static const char *const fuzz_pieces[] = {
	"212-555-0142", "(415) 867-5309", "+1 212 555 0142", "+1", "4111 1111 ",
	"4242424242424242", "123-45-6789", "SSN ", "call ", "a.b@x.example",
	"@gmail.com", "x@", ".com", "1-800-", "(212)", "000-00-0000",
};

/* Fill b[0, n) with random bytes (mode 0), bytes from the alphabet (1) or
 * spliced pieces and alphabet bytes (2). */
static void
fuzz_fill(struct rng *r, char *b, size_t n, int mode)
{
	size_t i = 0;

	while (i < n) {
		const char *p = fuzz_pieces[rng_below(r, N(fuzz_pieces))];
		size_t k = strlen(p);

		if (mode == 2 && rng_below(r, 3) == 0 && k <= n - i) {
			memcpy(b + i, p, k);
			i += k;
		} else if (mode == 0) {
			b[i++] = (char)rng_below(r, 256);
		} else {
			b[i++] = fuzz_alphabet[rng_below(r,
					sizeof(fuzz_alphabet) - 1)];
		}
	}
}

struct order {
	size_t n, prev_end, count;
};

static int
check_order(void *ud, const struct pii_finding *f)
{
	struct order *o = ud;

	ck_assert_uint_ge(f->offset, o->prev_end);
	ck_assert_uint_gt(f->len, 0);
	ck_assert_uint_le(f->offset + f->len, o->n);
	ck_assert_uint_lt(strlen(f->masked), sizeof(f->masked));
	ck_assert_uint_le(f->kind, PII_DOB);
	ck_assert_ptr_nonnull(f->reason);
	o->prev_end = f->offset + f->len;
	o->count++;
	return 0;
}

START_TEST(fuzz_random_buffers)
{
	struct rng r;
	size_t total = 0;
	int iter;

	rng_seed(&r, 20241014);
	for (iter = 0; iter < 10000; iter++) {
		size_t n = rng_below(&r, 300);
		char *b = malloc(n > 0 ? n : 1);
		struct order o = { n, 0, 0 };

		ck_assert_ptr_nonnull(b);
		fuzz_fill(&r, b, n, iter % 3);
		ck_assert_uint_eq(pii_scan(b, n, check_order, &o), o.count);
		total += o.count;
		free(b);
	}
	printf("# fuzz: 10000 buffers, %zu findings\n", total);
	fflush(stdout);
}
END_TEST

/* Ordinary English with the odd number and address, as in backstories. */
static const char prose[] =
	"She grew up in a small town near the coast, where her father ran a "
	"hardware store and her mother taught piano to half the children on "
	"the street. In 2009 she moved to the city for college, studied "
	"biology, and spent three summers working at a marine research "
	"station. Friends describe her as curious, stubborn and generous; "
	"she keeps a garden, reads two novels a month and writes to "
	"maria.lopez@example.com about birds. Her favourite recipe needs "
	"4 eggs, 250 g of flour and 30 minutes in a hot oven.\n";

START_TEST(throughput)
{
	size_t plen = sizeof(prose) - 1, size = ((size_t)32 << 20) / plen * plen;
	size_t have = 0, found = 0;
	char *text = malloc(size);
	struct timespec t0, t1;
	double best = 0;
	int rep;

	ck_assert_ptr_nonnull(text);
	for (have = 0; have < size; have += plen)
		memcpy(text + have, prose, plen);
	for (rep = 0; rep < 3; rep++) {
		double secs;

		clock_gettime(CLOCK_MONOTONIC, &t0);
		found = pii_scan(text, size, NULL, NULL);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		secs = (t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9;
		if (secs > 0 && size / secs / 1e6 > best)
			best = size / secs / 1e6;
	}
	ck_assert_uint_eq(found, size / plen);
	printf("# pii_scan throughput: %.0f MB/s over %zu MiB of prose "
	       "(%zu findings)\n", best, size >> 20, found);
	fflush(stdout);
	free(text);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("pii");
	TCase *tc = tcase_create("scan");

	tcase_set_timeout(tc, 30);
	tcase_add_loop_test(tc, scan_cases, 0, N(cases));
	tcase_add_loop_test(tc, masks, 0, N(mask_cases));
	tcase_add_loop_test(tc, test_cards_are_synthetic, 0,
			    N(named_test_cards));
	tcase_add_loop_test(tc, test_card_table, 0, (int)card_ntests);
	tcase_add_test(tc, issuer_ranges);
	tcase_add_test(tc, luhn);
	tcase_add_test(tc, embedded_nul_and_bytes);
	tcase_add_test(tc, callback_stops_scan);
	tcase_add_loop_test(tc, severity_round_trip, 0, N(sev_cases));
	tcase_add_test(tc, severity_parse_errors);
	tcase_add_test(tc, registry_and_adapter);
	tcase_add_test(tc, fuzz_random_buffers);
	tcase_add_test(tc, throughput);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
