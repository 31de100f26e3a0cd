/* test_engine.c - unit tests for engine/ basics: buf, json, hash, rng,
 * status precedence. Table-driven where there is a table. */
#include <stdio.h>
#include <string.h>

#include "base/buf.h"
#include "base/hash.h"
#include "base/json.h"
#include "base/rng.h"
#include "base/status.h"
#include "tests/unit/check_tap.h"

START_TEST(buf_respects_max)
{
	struct buf b;

	buf_init(&b, 8);
	ck_assert_int_eq(buf_puts(&b, "abcd"), 0);
	ck_assert_int_eq(buf_puts(&b, "efgh"), 0);
	ck_assert_int_eq(buf_putc(&b, 'i'), -1);
	ck_assert_uint_eq(b.len, 8);
	ck_assert_str_eq(b.data, "abcdefgh");
	ck_assert_int_eq(buf_printf(&b, "%d", 1), -1);
	buf_free(&b);
	buf_free(NULL);
}
END_TEST

static const struct {
	const char *in, *hex;
} sha_cases[] = {
	{ "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
	  "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
};

START_TEST(sha256_vectors)
{
	char hex[65];

	hash_hex(sha_cases[_i].in, strlen(sha_cases[_i].in), hex);
	ck_assert_str_eq(hex, sha_cases[_i].hex);
}
END_TEST

START_TEST(sha256_million_a)
{
	struct sha256 c;
	char hex[65], chunk[1000];
	int i;

	memset(chunk, 'a', sizeof(chunk));
	sha256_init(&c);
	for (i = 0; i < 1000; i++)
		sha256_update(&c, chunk, sizeof(chunk));
	sha256_hex(&c, hex);
	ck_assert_str_eq(hex, "cdc76e5c9914fb9281a1c7e284d73e67"
			 "f1809a48a497200e046d39ccc7112cd0");
}
END_TEST

static const struct {
	const char *text;
	int ok, line, col;
} json_cases[] = {
	{ "{\"a\": 1}", 1, 0, 0 },
	{ "  [1, 2]\n  ", 1, 0, 0 },
	{ "{\"a\": 1,\n \"b\": }", 0, 2, 7 },
	{ "{\"a\": 1} x", 0, 1, 10 },
	{ "", 0, 1, 1 },
	{ "{\n\n  \"k\" 3}", 0, 3, 7 },
};

START_TEST(json_parse_positions)
{
	struct json_error err;
	cJSON *root = NULL;
	int rc;

	memset(&err, 0, sizeof(err));
	rc = json_parse(json_cases[_i].text, strlen(json_cases[_i].text),
			&root, &err);
	if (json_cases[_i].ok) {
		ck_assert_int_eq(rc, 0);
		ck_assert_ptr_nonnull(root);
	} else {
		ck_assert_int_eq(rc, -1);
		ck_assert_ptr_null(root);
		ck_assert_int_eq(err.line, json_cases[_i].line);
		ck_assert_int_eq(err.col, json_cases[_i].col);
	}
	cJSON_Delete(root);
}
END_TEST

/* A NUL byte is refused where it is: cJSON would end the string there
 * (fuzzing found a batch custom_id cut short that way). */
START_TEST(json_parse_refuses_nul)
{
	static const char text[] = "{\"id\": \"ab\0c\"}";
	struct json_error err;
	cJSON *root = NULL;

	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(json_parse(text, sizeof(text) - 1, &root, &err), -1);
	ck_assert_ptr_null(root);
	ck_assert_int_eq(err.col, 11);
	ck_assert_str_eq(err.msg, "a NUL byte (not allowed in JSON)");
}
END_TEST

START_TEST(json_quote_roundtrip)
{
	static const char raw[] = "a\"b\\c\n\t\x01\xc3\xa9\xff end";
	struct buf b;
	cJSON *v = NULL;

	buf_init(&b, 1024);
	ck_assert_int_eq(json_quote(&b, raw, sizeof(raw) - 1), 0);
	ck_assert_int_eq(json_parse(b.data, b.len, &v, NULL), 0);
	ck_assert(cJSON_IsString(v));
	ck_assert_str_eq(v->valuestring,
			 "a\"b\\c\n\t\x01\xc3\xa9\xef\xbf\xbd end");
	cJSON_Delete(v);
	buf_free(&b);
}
END_TEST

/* json_quote's exact bytes, and json_escape's (the same without the
 * quotes); max: the buffer's limit, -1 when it is too small. */
static const struct {
	const char *raw, *quoted;
	size_t max;
} quotes[] = {
	{ "", "\"\"", 64 },
	{ "plain text", "\"plain text\"", 64 },
	{ "a\"b\\c", "\"a\\\"b\\\\c\"", 64 },
	{ "\n\r\t\b\f", "\"\\n\\r\\t\\u0008\\u000c\"", 64 },
	{ "\x01\x1f\x7f", "\"\\u0001\\u001f\x7f\"", 64 },
	{ "\xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80", "\"\xc3\xa9\xe2\x82\xac"
	  "\xf0\x9f\x98\x80\"", 64 },
	{ "\xff\xc3", "\"\xef\xbf\xbd\xef\xbf\xbd\"", 64 },
	{ "\xed\xa0\x80x", "\"\xef\xbf\xbd\xef\xbf\xbd\xef\xbf\xbdx\"", 64 },
	{ "abcd", "\"abcd\"", 6 },
	{ "abcd", NULL, 5 },
	{ "a\nb", NULL, 5 },
};

START_TEST(json_quote_bytes)
{
	size_t n = strlen(quotes[_i].raw), q;
	const char *want = quotes[_i].quoted;
	struct buf b;

	buf_init(&b, quotes[_i].max);
	ck_assert_int_eq(json_quote(&b, quotes[_i].raw, n), want ? 0 : -1);
	if (want != NULL)
		ck_assert_str_eq(b.data, want);
	buf_reset(&b);
	b.max = quotes[_i].max - 2;
	ck_assert_int_eq(json_escape(&b, quotes[_i].raw, n), want ? 0 : -1);
	if (want != NULL) {
		q = strlen(want);
		ck_assert_uint_eq(b.len, q - 2);
		ck_assert(memcmp(b.data, want + 1, q - 2) == 0);
	}
	buf_free(&b);
}
END_TEST

/* json_print(v) is cJSON_PrintUnformatted(v); frees v. */
static void
same_print(cJSON *v)
{
	char *want = cJSON_PrintUnformatted(v), *got = json_print(v);

	ck_assert_str_eq(got, want);
	cJSON_free(want);
	free(got);
	cJSON_Delete(v);
}

/* json_print gives cJSON_PrintUnformatted's bytes: escapes, numbers
 * (ints, fractions, huge, NaN), empty and nested containers, a NULL
 * string and key, raw text. */
START_TEST(json_print_matches_cjson)
{
	static const char *const docs[] = {
		"{\"a\":[1,-2,0.5,1e300,-0.0,3.14159265358979,2147483647,"
		"4294967296],\"b\":{},\"c\":[],\"d\":[{},[[]]],"
		"\"e\":null,\"f\":true,\"g\":false}",
		"[\"q\\\"b\\\\s\\/\\b\\f\\n\\r\\t\\u0001\\u001f\\u007f"
		"\u00e9\\ud83d\\ude00\"]",
		"\"plain\"", "12", "0.1", "[-1e-7,123456789012345678]",
	};
	cJSON *v, *o;
	size_t i;

	for (i = 0; i < sizeof(docs) / sizeof(docs[0]); i++) {
		v = cJSON_Parse(docs[i]);
		ck_assert_ptr_nonnull(v);
		same_print(v);
	}
	o = cJSON_CreateObject();
	cJSON_AddItemToObject(o, "nan", cJSON_CreateNumber(0.0 / 0.0));
	cJSON_AddItemToObject(o, "raw", cJSON_CreateRaw("[1, 2]"));
	cJSON_AddItemToObject(o, "s", cJSON_CreateStringReference(NULL));
	cJSON_AddItemToArray(cJSON_AddArrayToObject(o, "k"),
			     cJSON_CreateString("\x01\b"));
	same_print(o);
	ck_assert_ptr_null(json_print(NULL));
}
END_TEST

START_TEST(rng_derive_is_stable)
{
	struct rng a, b;
	uint64_t s1 = rng_derive(42, "persona", 7, 0);
	int i;

	ck_assert_uint_eq(s1, rng_derive(42, "persona", 7, 0));
	ck_assert_uint_ne(s1, rng_derive(42, "persona", 8, 0));
	ck_assert_uint_ne(s1, rng_derive(43, "persona", 7, 0));
	ck_assert_uint_ne(s1, rng_derive(42, "item", 7, 0));
	rng_seed(&a, s1);
	rng_seed(&b, s1);
	for (i = 0; i < 100; i++)
		ck_assert_uint_eq(rng_next(&a), rng_next(&b));
}
END_TEST

START_TEST(rng_below_range_and_spread)
{
	struct rng r;
	unsigned counts[10] = { 0 };
	int i;

	rng_seed(&r, 1);
	for (i = 0; i < 100000; i++) {
		uint32_t v = rng_below(&r, 10);
		ck_assert_uint_lt(v, 10);
		counts[v]++;
	}
	for (i = 0; i < 10; i++)
		ck_assert(counts[i] > 9500 && counts[i] < 10500);
	ck_assert_uint_eq(rng_below(&r, 0), 0);
}
END_TEST

static const struct {
	int a, b, want;
} merge_cases[] = {
	{ 0, 3, 3 }, { 3, 4, 4 }, { 4, 5, 5 }, { 130, 5, 130 },
	{ 7, 6, 7 }, { 5, 7, 7 }, { 4, 3, 4 }, { 0, 0, 0 }, { 6, 130, 130 },
};

START_TEST(status_precedence)
{
	ck_assert_int_eq(status_merge(merge_cases[_i].a, merge_cases[_i].b),
			 merge_cases[_i].want);
	ck_assert_int_eq(status_merge(merge_cases[_i].b, merge_cases[_i].a),
			 merge_cases[_i].want);
}
END_TEST

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

static Suite *
suite(void)
{
	Suite *s = suite_create("engine");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, buf_respects_max);
	tcase_add_loop_test(tc, sha256_vectors, 0, N(sha_cases));
	tcase_add_test(tc, sha256_million_a);
	tcase_add_loop_test(tc, json_parse_positions, 0, N(json_cases));
	tcase_add_test(tc, json_parse_refuses_nul);
	tcase_add_test(tc, json_quote_roundtrip);
	tcase_add_loop_test(tc, json_quote_bytes, 0,
			    (int)(sizeof(quotes) / sizeof(quotes[0])));
	tcase_add_test(tc, json_print_matches_cjson);
	tcase_add_test(tc, rng_derive_is_stable);
	tcase_add_test(tc, rng_below_range_and_spread);
	tcase_add_loop_test(tc, status_precedence, 0, N(merge_cases));
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
