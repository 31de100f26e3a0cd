/* test_admission.c - admission control with an injected clock: buckets,
 * header parsing, AIMD, Retry-After, breaker, classification, budgets. */
#include <math.h>
#include <stdio.h>
#include <string.h>
#include <curl/curl.h>

#include "llm/admission.h"
#include "tests/unit/check_tap.h"

#define N(a) ((int)(sizeof(a) / sizeof((a)[0])))

START_TEST(bucket_refills)
{
	struct adm_bucket b;

	memset(&b, 0, sizeof(b));
	adm_bucket_set(&b, 60, 5, 0);          /* 1 per second, burst 5 */
	ck_assert_uint_eq(adm_bucket_wait(&b, 5, 0), 0);
	adm_bucket_take(&b, 5, 0);
	ck_assert_uint_eq(adm_bucket_wait(&b, 1, 0), 1000);
	ck_assert_uint_eq(adm_bucket_wait(&b, 1, 500), 500);
	ck_assert_uint_eq(adm_bucket_wait(&b, 1, 1000), 0);
	ck_assert_uint_eq(adm_bucket_wait(&b, 5, 100000), 0);
	ck_assert(fabs(b.level - 5) < 1e-9);   /* capped at the burst */
	/* bigger than the burst: waits for a full bucket, then goes negative */
	ck_assert_uint_eq(adm_bucket_wait(&b, 50, 100000), 0);
	adm_bucket_take(&b, 50, 100000);
	ck_assert_uint_eq(adm_bucket_wait(&b, 1, 100000), 46000);
	/* rate 0 is unlimited */
	adm_bucket_set(&b, 0, 0, 0);
	ck_assert_uint_eq(adm_bucket_wait(&b, 1e9, 0), 0);
}
END_TEST

static const struct {
	const char *s;
	int rc;
	uint64_t ms;
} dur_cases[] = {
	{ "1s", 0, 1000 }, { "6m0s", 0, 360000 }, { "120ms", 0, 120 },
	{ "2.5s", 0, 2500 }, { "1h2m", 0, 3720000 }, { "0s", 0, 0 },
	{ "17", 0, 17000 }, { "0.5", 0, 500 }, { "1m30.5s", 0, 90500 },
	{ "33ms", 0, 33 }, { " 2s", 0, 2000 }, { "", -1, 0 },
	{ "abc", -1, 0 }, { "5x", -1, 0 }, { "-1s", -1, 0 }, { "s", -1, 0 },
};

START_TEST(duration_table)
{
	uint64_t ms = 12345;
	int rc = adm_duration_parse(dur_cases[_i].s, &ms);

	ck_assert_int_eq(rc, dur_cases[_i].rc);
	if (rc == 0)
		ck_assert_uint_eq(ms, dur_cases[_i].ms);
}
END_TEST

static void
hset(struct adm_hdrs *h, enum adm_hdr k, const char *v)
{
	snprintf(h->v[k], sizeof(h->v[k]), "%s", v);
}

static const struct {
	const char *ra, *ra_ms;
	int64_t wall_delta;    /* wall clock = date - wall_delta */
	int64_t want;
} ra_cases[] = {
	{ "2", "", 0, 2000 },
	{ "0", "", 0, 0 },
	{ "2", "150", 0, 150 },
	{ "", "1500.2", 0, 1501 },
	{ "Sun, 06 Nov 1994 08:49:37 GMT", "", 5, 5000 },
	{ "Sun, 06 Nov 1994 08:49:37 GMT", "", -30, 0 },
	{ "Sunday, 06-Nov-94 08:49:37 GMT", "", 2, 2000 },
	{ "soon", "", 0, -1 },
	{ "", "", 0, -1 },
	/* waits are capped: no server parks a run for a day */
	{ "100000", "", 0, ADM_WAIT_CAP_MS },
	{ "1e30", "", 0, ADM_WAIT_CAP_MS },
	{ "", "1e300", 0, ADM_WAIT_CAP_MS },
	{ "Sun, 06 Nov 1994 08:49:37 GMT", "", 86400, ADM_WAIT_CAP_MS },
};

START_TEST(retry_after_forms)
{
	struct adm_hdrs h;
	time_t date = curl_getdate("Sun, 06 Nov 1994 08:49:37 GMT", NULL);

	memset(&h, 0, sizeof(h));
	hset(&h, ADM_H_RETRY_AFTER, ra_cases[_i].ra);
	hset(&h, ADM_H_RETRY_AFTER_MS, ra_cases[_i].ra_ms);
	ck_assert_int_eq(adm_retry_after_ms(&h, (int64_t)date -
					    ra_cases[_i].wall_delta),
			 ra_cases[_i].want);
}
END_TEST

/* Send one request and answer it with class c / net n, sent at `sent`. */
static void
roundtrip(struct adm_ep *e, enum adm_class c, enum adm_net n,
	  const struct adm_hdrs *h, uint64_t sent, uint64_t now)
{
	struct adm_ticket t;
	struct adm_answer a = { .c = c, .net = n, .h = h };

	adm_ep_sent(e, 0, 0, sent, &t);
	adm_ep_answer(e, &t, &a, now);
}

START_TEST(aimd_bounds)
{
	struct adm_ep e;
	struct adm_ticket t[8];
	struct adm_answer ok = { .c = ADM_C_OK }, w = { .c = ADM_C_WAIT };
	int i;

	adm_ep_init(&e, 0, 0, 0, 8, 2, 0);
	ck_assert(e.limit == 8);
	roundtrip(&e, ADM_C_WAIT, ADM_NET_OK, NULL, 10, 20);
	ck_assert(e.limit == 6);
	/* an answer to a request sent before that cut does not cut again */
	roundtrip(&e, ADM_C_WAIT, ADM_NET_OK, NULL, 5, 30);
	ck_assert(e.limit == 6);
	roundtrip(&e, ADM_C_WAIT, ADM_NET_OK, NULL, 40, 50);
	ck_assert(e.limit == 4);
	roundtrip(&e, ADM_C_RETRY, ADM_NET_TIMEOUT, NULL, 60, 70);
	ck_assert(e.limit == 2);
	roundtrip(&e, ADM_C_RETRY, ADM_NET_TIMEOUT, NULL, 80, 90);
	ck_assert(e.limit == 2);            /* never below the floor */
	(void)w;
	/* additive increase while the limit binds, never past the cap */
	for (i = 0; i < 100; i++) {
		int k, n = (int)e.limit;

		for (k = 0; k < n; k++)
			adm_ep_sent(&e, 0, 0, 100, &t[k]);
		for (k = 0; k < n; k++)
			adm_ep_answer(&e, &t[k], &ok, 101);
		if (i == 3)
			ck_assert(e.limit == 3);  /* +1 per 8 successes */
	}
	ck_assert(e.limit == 8);
	/* with few in flight the limit is not what binds: no growth */
	roundtrip(&e, ADM_C_WAIT, ADM_NET_OK, NULL, 200, 210);
	for (i = 0; i < 100; i++)
		roundtrip(&e, ADM_C_OK, ADM_NET_OK, NULL, 220, 230);
	ck_assert(e.limit == 6);
	ck_assert_uint_eq(e.inflight, 0);
}
END_TEST

START_TEST(concurrency_gate)
{
	struct adm_ep e;
	struct adm_ticket t[3];

	adm_ep_init(&e, 0, 0, 0, 2, 1, 0);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 0), 0);
	adm_ep_sent(&e, 0, 0, 0, &t[0]);
	adm_ep_sent(&e, 0, 0, 0, &t[1]);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 0), UINT64_MAX);
}
END_TEST

START_TEST(retry_after_pauses)
{
	struct adm_ep e;
	struct adm_hdrs h;

	memset(&h, 0, sizeof(h));
	hset(&h, ADM_H_RETRY_AFTER, "3");
	adm_ep_init(&e, 0, 0, 0, 4, 1, 0);
	roundtrip(&e, ADM_C_WAIT, ADM_NET_OK, &h, 100, 1000);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 1000), 3000);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 3999), 1);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 4000), 0);
}
END_TEST

START_TEST(learn_from_headers)
{
	struct adm_ep e;
	struct adm_hdrs h;
	struct adm_ticket t;
	struct adm_answer a = { .c = ADM_C_OK, .h = &h };
	int i;

	memset(&h, 0, sizeof(h));
	hset(&h, ADM_H_LIMIT_REQ, "1800");
	hset(&h, ADM_H_REMAIN_REQ, "59");
	hset(&h, ADM_H_RESET_REQ, "33ms");
	adm_ep_init(&e, 0, 0, 0, 64, 1, 0);
	adm_ep_sent(&e, 0, 0, 0, &t);
	for (i = 0; i < 9; i++) {          /* nine more sent after it */
		struct adm_ticket u;
		adm_ep_sent(&e, 0, 0, 0, &u);
	}
	adm_ep_answer(&e, &t, &a, 0);
	ck_assert(e.b[ADM_REQ].learned);
	ck_assert(fabs(e.b[ADM_REQ].rate * 60000 - 1800 * 0.98) < 1e-6);
	ck_assert(fabs(e.b[ADM_REQ].cap - 60) < 0.5);
	ck_assert(fabs(e.b[ADM_REQ].level - 50) < 1e-6);
	/* remaining 0: nothing may go until the bucket refills one token */
	hset(&h, ADM_H_REMAIN_REQ, "0");
	adm_ep_sent(&e, 0, 0, 100, &t);
	adm_ep_answer(&e, &t, &a, 100);
	ck_assert_uint_gt(adm_ep_wait(&e, 0, 0, 100), 30);
	ck_assert_uint_lt(adm_ep_wait(&e, 0, 0, 100), 40);
	/* a configured rpm is not overridden by headers */
	adm_ep_init(&e, 600, 0, 0, 64, 1, 0);
	roundtrip(&e, ADM_C_OK, ADM_NET_OK, &h, 0, 0);
	ck_assert(!e.b[ADM_REQ].learned);
	ck_assert(fabs(e.b[ADM_REQ].rate * 60000 - 600) < 1e-6);
}
END_TEST

START_TEST(breaker_cycle)
{
	struct adm_ep e;
	struct adm_ticket t;
	int i;

	adm_ep_init(&e, 0, 0, 0, 4, 1, 0);
	for (i = 0; i < ADM_BREAKER_TRIP; i++)
		roundtrip(&e, ADM_C_RETRY, ADM_NET_CONNECT, NULL, 10, 10);
	ck_assert_int_eq(e.breaker, ADM_OPEN);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 10), ADM_BREAKER_OPEN_MS);
	/* half-open: one probe, the second waits for its answer */
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 10 + ADM_BREAKER_OPEN_MS), 0);
	ck_assert_int_eq(e.breaker, ADM_HALF_OPEN);
	adm_ep_sent(&e, 0, 0, 2010, &t);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 2010), UINT64_MAX);
	adm_ep_answer(&e, &t, &(struct adm_answer){ .c = ADM_C_RETRY,
			.net = ADM_NET_CONNECT }, 2020);
	ck_assert_int_eq(e.breaker, ADM_OPEN);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 2020), 2 * ADM_BREAKER_OPEN_MS);
	ck_assert_uint_eq(adm_ep_wait(&e, 0, 0, 7000), 0);
	roundtrip(&e, ADM_C_OK, ADM_NET_OK, NULL, 7000, 7010);
	ck_assert_int_eq(e.breaker, ADM_CLOSED);
	ck_assert_uint_eq(e.fails, 0);
}
END_TEST

static const struct {
	enum adm_net net;
	long status;
	const char *type, *code;
	int body_ok;
	enum adm_class want;
} cls_cases[] = {
	{ ADM_NET_OK, 200, "", "", 1, ADM_C_OK },
	{ ADM_NET_OK, 200, "", "", 0, ADM_C_RETRY },     /* bad body */
	{ ADM_NET_OK, 429, "requests", "rate_limit_exceeded", 0, ADM_C_WAIT },
	{ ADM_NET_OK, 429, "", "", 0, ADM_C_WAIT },
	{ ADM_NET_OK, 429, "insufficient_quota", "insufficient_quota", 0,
	  ADM_C_STOP_QUOTA },
	{ ADM_NET_OK, 429, "", "insufficient_quota", 0, ADM_C_STOP_QUOTA },
	{ ADM_NET_OK, 402, "", "", 0, ADM_C_STOP_QUOTA },
	{ ADM_NET_OK, 401, "invalid_request_error", "invalid_api_key", 0,
	  ADM_C_STOP_AUTH },
	{ ADM_NET_OK, 403, "", "", 0, ADM_C_STOP_AUTH },
	{ ADM_NET_OK, 400, "invalid_request_error", "invalid_api_key", 0,
	  ADM_C_STOP_AUTH },
	{ ADM_NET_OK, 500, "server_error", "", 0, ADM_C_RETRY },
	{ ADM_NET_OK, 503, "", "", 0, ADM_C_RETRY },
	{ ADM_NET_OK, 408, "", "", 0, ADM_C_RETRY },
	{ ADM_NET_OK, 400, "invalid_request_error", "", 0, ADM_C_FAIL },
	{ ADM_NET_OK, 404, "", "model_not_found", 0, ADM_C_FAIL },
	{ ADM_NET_CONNECT, 0, "", "", 0, ADM_C_RETRY },
	{ ADM_NET_TIMEOUT, 0, "", "", 0, ADM_C_RETRY },
	{ ADM_NET_RESET, 0, "", "", 0, ADM_C_RETRY },
	{ ADM_NET_TOO_BIG, 200, "", "", 0, ADM_C_RETRY },
};

START_TEST(classify_table)
{
	ck_assert_int_eq(adm_classify(cls_cases[_i].net, cls_cases[_i].status,
				      cls_cases[_i].type, cls_cases[_i].code,
				      cls_cases[_i].body_ok),
			 cls_cases[_i].want);
}
END_TEST

START_TEST(backoff_full_jitter)
{
	ck_assert_uint_eq(adm_backoff_ms(1, 500, 60000, 0), 0);
	ck_assert_uint_le(adm_backoff_ms(1, 500, 60000, 0.9999), 500);
	ck_assert_uint_ge(adm_backoff_ms(3, 500, 60000, 0.9999), 1999);
	ck_assert_uint_le(adm_backoff_ms(3, 500, 60000, 0.9999), 2000);
	ck_assert_uint_le(adm_backoff_ms(40, 500, 60000, 0.9999), 60000);
	ck_assert_uint_ge(adm_backoff_ms(40, 500, 60000, 0.9999), 59990);
}
END_TEST

START_TEST(budget_math)
{
	struct adm_budget b;

	memset(&b, 0, sizeof(b));
	ck_assert(adm_budget_fits(&b, 1e12, 1e9));   /* no caps */
	b.max_tokens = 1000;
	ck_assert(adm_budget_fits(&b, 600, 0));
	adm_budget_reserve(&b, 600, 0);
	ck_assert(!adm_budget_fits(&b, 500, 0));     /* 600 + 500 > 1000 */
	ck_assert(adm_budget_fits(&b, 400, 0));
	adm_budget_settle(&b, 600, 0, 300, 0);       /* used half of it */
	ck_assert(b.resv_tokens == 0 && b.spent_tokens == 300);
	ck_assert(adm_budget_fits(&b, 500, 0));
	ck_assert(!adm_budget_exhausted(&b));
	adm_budget_settle(&b, 0, 0, 700, 0);
	ck_assert(adm_budget_exhausted(&b));
	/* cost: $2 in / $8 out per million tokens */
	ck_assert(fabs(adm_cost(1e6, 1e6, 2, 8) - 10) < 1e-9);
	ck_assert(fabs(adm_cost(1000, 500, 2, 8) - 0.006) < 1e-12);
	memset(&b, 0, sizeof(b));
	b.max_cost = 0.01;
	ck_assert(adm_budget_fits(&b, 0, adm_cost(1000, 500, 2, 8)));
	adm_budget_reserve(&b, 1500, adm_cost(1000, 500, 2, 8));
	ck_assert(!adm_budget_fits(&b, 0, adm_cost(1000, 500, 2, 8)));
	ck_assert(adm_budget_fits(&b, 0, 0.004));
}
END_TEST

START_TEST(token_buckets_refund)
{
	struct adm_ep e;
	struct adm_ticket t;
	struct adm_answer a = { .c = ADM_C_OK, .in_used = 100,
				.out_used = 50 };

	/* 6000 output tokens/min: burst 100 */
	adm_ep_init(&e, 0, 0, 6000, 8, 1, 0);
	ck_assert_uint_eq(adm_ep_wait(&e, 100, 100, 0), 0);
	adm_ep_sent(&e, 100, 100, 0, &t);
	ck_assert_uint_eq(adm_ep_wait(&e, 100, 100, 0), 1000);
	adm_ep_answer(&e, &t, &a, 0);            /* 50 unused come back */
	ck_assert_uint_eq(adm_ep_wait(&e, 100, 100, 0), 500);
}
END_TEST

static Suite *
suite(void)
{
	Suite *s = suite_create("admission");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, bucket_refills);
	tcase_add_loop_test(tc, duration_table, 0, N(dur_cases));
	tcase_add_loop_test(tc, retry_after_forms, 0, N(ra_cases));
	tcase_add_test(tc, aimd_bounds);
	tcase_add_test(tc, concurrency_gate);
	tcase_add_test(tc, retry_after_pauses);
	tcase_add_test(tc, learn_from_headers);
	tcase_add_test(tc, breaker_cycle);
	tcase_add_loop_test(tc, classify_table, 0, N(cls_cases));
	tcase_add_test(tc, backoff_full_jitter);
	tcase_add_test(tc, budget_math);
	tcase_add_test(tc, token_buckets_refund);
	suite_add_tcase(s, tc);
	return s;
}

int
main(void)
{
	return check_tap_run(suite());
}
