/* mockllm.c - a stand-in OpenAI-compatible chat-completions server.
 *
 * The engine's tests and benchmarks run against this on loopback. It is one
 * single-threaded libuv loop speaking HTTP/1.1 with keep-alive and
 * Content-Length bodies (no chunked request bodies, no pipelining beyond
 * answering buffered requests in order). Replies are deterministic functions
 * of the request body: plain text, a small JSON object, or a JSON value
 * generated to satisfy the request's json_schema. Faults (errors, resets,
 * truncation, hangs, bad JSON, schema violations, rate limits) are chosen by
 * command-line flags or per request by the X-Mock-Fault header.
 *
 * Memory is bounded: each connection holds one input buffer capped at
 * headers + --max-body, replies are built in shared scratch buffers and
 * copied only when the socket cannot take them at once, and the per-id
 * attempt table is capped by --max-ids. tests/server/README.md is the
 * interface contract; keep it in step with this file.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <math.h>
#include <arpa/inet.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

#include <uv.h>
#include <cjson/cJSON.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/rng.h"

#define HDR_MAX       16384             /* request line + headers, bytes */
#define BODY_MAX_DEF  ((size_t)4 << 20) /* default --max-body */
#define OUT_MAX       ((size_t)16 << 20) /* one generated reply */
#define SLAB_SIZE     65536             /* shared read buffer */
#define KEEP_IN       65536             /* idle input buffer kept up to this */
#define SHORT_MAX     128               /* method, path, id, fault header */
#define NAMES_MAX     512               /* logged header names */
#define GEN_DEPTH     24                /* schema nesting before minimal */
#define IDS_MAX_DEF   ((size_t)1 << 20) /* default --max-ids */
#define DRAIN_MS      2000              /* wait for the peer after an error */

/* Fault kinds; fault_names[] gives their spelling in flags and headers. */
enum fault_kind {
	F_NONE, F_429, F_500, F_503, F_RESET, F_TRUNCATE, F_BADJSON, F_HANG,
	F_LENGTH, F_QUOTA, F_AUTH, F_SCHEMA, F_REFUSAL, F_COUNT
};

static const char *const fault_names[F_COUNT] = {
	"none", "429", "500", "503", "reset", "truncate", "badjson", "hang",
	"length", "quota", "auth", "schema", "refusal"
};

/* What to do with the connection once a reply has been written. */
enum close_mode { KEEP, CLOSE_NOW, CLOSE_DRAIN };

/* A parsed fault spec: from --fault/--latency or an X-Mock-Fault header. */
struct fault {
	int kind;          /* enum fault_kind */
	int set;           /* a kind was named, even "none" */
	long retry_after;  /* Retry-After seconds; -1 = default for the kind */
	int retry_none;    /* "noretry": send no Retry-After at all */
	int retry_date;    /* "date": Retry-After as an HTTP-date */
	int retry_ms;      /* "ms": also send retry-after-ms */
	unsigned times;    /* fail each id's first `times` attempts; 0 = all */
	int has_latency;   /* a latency range was given */
	unsigned lat_min;  /* ms */
	unsigned lat_max;  /* ms, >= lat_min */
};

struct opts {
	const char *host;
	int port;
	const char *port_file;
	const char *log_path;
	size_t max_body;      /* bytes; bigger bodies get 413 */
	size_t max_ids;       /* entries of the per-id table */
	struct fault fault;   /* server-wide fault and latency */
	double fault_rate;    /* fraction of chat requests faulted */
	long fault_first;     /* fault only the first N chat requests; -1 off */
	uint64_t fault_seed;
	double rpm, burst;    /* request bucket; rpm 0 = off */
	double tpm, tpm_burst; /* token bucket; tpm 0 = off */
	const char *key;      /* --require-key; NULL = no check */
	const char *script;   /* --script FILE; NULL = generated replies */
	int quiet;
	/* --judge: answer a pairwise judge prompt (one showing
	 * "[The Start of Answer A]") from its two answers alone;
	 * --judge-bias G also: prefer Answer A when the prompt's profile
	 * says "Gender: G" (a planted bias for the counterfactual probe) */
	int judge;
	const char *judge_bias;
	/* --length-bias G: schema strings 16 characters longer (within
	 * maxLength) when the prompt says "Gender: G" (judge prompts
	 * aside) */
	const char *length_bias;
};

#define SCRIPT_MAX 256                  /* lines of a --script file */
#define SCRIPT_BYTES ((size_t)1 << 20)  /* its size */

/* The --script replies: a plain-text request whose last message
 * contains marker[i] (the first such line) gets reply[i]. */
struct script {
	char *text;                  /* the file, cut into the strings */
	char *marker[SCRIPT_MAX], *reply[SCRIPT_MAX];
	size_t n;
};

/* One id's history (X-Request-Id, or the body hash). */
struct ident {
	uint64_t key;       /* 0 = empty slot */
	uint32_t attempts;  /* chat requests that reached fault selection */
	uint32_t ok;        /* clean 200 replies */
};

/* Open-addressing table of idents, at most half full, at most `max`. */
struct idtab {
	struct ident *v;
	size_t cap;          /* slots, a power of two */
	size_t n;            /* used slots */
	size_t max;          /* entries allowed */
	uint64_t dropped;    /* requests whose id could not be tracked */
	uint64_t succeeded;  /* ids with ok >= 1 */
	uint64_t dup;        /* ids with ok >= 2 */
	uint32_t max_attempts;
};

/* Token bucket; levels in requests or tokens, time in ms. */
struct bucket {
	double per_min;   /* refill per minute, 0 = off */
	double per_ms;
	double cap;
	double level;
	double last;
};

struct stats {
	uint64_t requests;          /* all but GET /stats and POST /reset */
	uint64_t chat;              /* POST /v1/chat/completions */
	uint64_t status[600];       /* replies by HTTP status */
	uint64_t faults[F_COUNT];   /* faults injected, by kind */
	uint64_t faults_total;
	uint64_t rate_limited;      /* 429 from --rpm-limit/--tpm-limit */
	uint64_t auth_rejected;     /* 401 from --require-key */
	uint64_t delayed;           /* replies held back by latency */
	uint64_t conns, conns_max, conns_total;
	uint64_t inflight, inflight_max;
	uint64_t bytes_in, bytes_out;
};

struct server {
	uv_loop_t *loop;
	uv_tcp_t listener;
	uv_signal_t sigint, sigterm;
	uv_timer_t flush;          /* flushes the log */
	struct opts o;
	struct stats st;
	struct idtab ids;
	struct bucket rq, tk;      /* requests and tokens per minute */
	struct rng rng;            /* fault rate and latency draws */
	struct script script;      /* --script */
	uint64_t seq;              /* request sequence, for ids */
	uint64_t fault_seen;       /* chat requests counted for --fault-first */
	double started;            /* ms */
	FILE *log;
	struct conn *conns;        /* open connections */
	int stopping;
	char slab[SLAB_SIZE];      /* every read lands here first */
	struct buf out;            /* scratch: the whole reply */
	struct buf body;           /* scratch: the reply body */
	struct buf hdrs;           /* scratch: extra header lines */
	struct buf gen;            /* scratch: generated content */
	struct buf tmp;            /* scratch: strings while generating */
};

/* The head of the request being received on a connection. */
struct req {
	size_t hdr_len;        /* bytes up to the blank line; 0 = incomplete */
	size_t body_len;       /* Content-Length */
	int http10;
	int keep_alive;
	int expect;            /* Expect: 100-continue */
	int te;                /* a Transfer-Encoding header was sent */
	int auth_ok;           /* Authorization matches --require-key */
	int has_fault;
	int has_id;
	char method[16];
	char path[SHORT_MAX];  /* without the query, sanitised for logs */
	char fault[SHORT_MAX]; /* X-Mock-Fault value */
	char id[SHORT_MAX];    /* X-Request-Id value, sanitised */
	char names[NAMES_MAX]; /* header names, lower case, comma-separated */
};

struct conn {
	uv_tcp_t tcp;
	uv_timer_t timer;          /* latency delay and drain timeout */
	uv_shutdown_t shut;
	struct server *srv;
	struct conn *prev, *next;
	struct buf in;             /* bytes received, not yet answered */
	struct req req;
	char *pend;                /* reply held back by a latency delay */
	size_t pend_len;
	int pend_mode;             /* enum close_mode */
	int pend_reset;            /* reset instead of replying */
	int busy;                  /* a request is being answered */
	int continued;             /* 100 Continue sent for this request */
	int draining;              /* shut down; discarding input until EOF */
	int closing;
	int handles;               /* open handles; freed when 0 */
};

/* A write that could not complete at once. */
struct wreq {
	uv_write_t req;
	struct conn *c;
	int final;                 /* the reply (not an interim 100) */
	int mode;                  /* enum close_mode */
	size_t len;
	char data[];
};

/* The reply being built for one request. */
struct reply {
	int status;            /* HTTP status; 0 = none is sent */
	int fault;             /* enum fault_kind injected */
	int mode;              /* enum close_mode */
	int reset;             /* close with RST instead of replying */
	int hang;              /* never reply */
	int truncate;          /* send half the body, then close */
	unsigned delay;        /* ms before the reply leaves */
	int chat;              /* counts as a chat request */
	int control;           /* /stats or /reset: not counted */
	char idlog[SHORT_MAX + 24]; /* request id for the log */
};

static void process_input(struct conn *c);
static void conn_close(struct conn *c, int reset);

/* ------------------------------------------------------------------ */
/* Small helpers                                                       */

static double
now_ms(void)
{
	return (double)uv_hrtime() / 1e6;
}

static uint64_t
fnv1a(const void *p, size_t n)
{
	const unsigned char *s = p;
	uint64_t h = 0xcbf29ce484222325ULL;
	size_t i;

	for (i = 0; i < n; i++)
		h = (h ^ s[i]) * 0x100000001b3ULL;
	return h;
}

/* Copy at most size-1 bytes of s[0..n) into dst, replacing bytes that are
 * not printable ASCII or are spaces, so the result is one log token. */
static void
copy_token(char *dst, size_t size, const char *s, size_t n)
{
	size_t i;

	if (n > size - 1)
		n = size - 1;
	for (i = 0; i < n; i++)
		dst[i] = s[i] > ' ' && s[i] < 127 ? s[i] : '?';
	dst[n] = '\0';
}

static char *
trim(char *s)
{
	char *e;

	while (*s == ' ' || *s == '\t')
		s++;
	e = s + strlen(s);
	while (e > s && (e[-1] == ' ' || e[-1] == '\t'))
		*--e = '\0';
	return s;
}

/* Parse a whole unsigned decimal number; -1 if s is not one. */
static long
parse_ulong(const char *s)
{
	char *end;
	unsigned long v;

	if (*s < '0' || *s > '9')
		return -1;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno != 0 || *end != '\0' || v > 1000000000UL)
		return -1;
	return (long)v;
}

/* ------------------------------------------------------------------ */
/* Fault specs                                                         */

static int
fault_lookup(const char *name)
{
	int i;

	if (strcmp(name, "ok") == 0)
		return F_NONE;
	for (i = 0; i < F_COUNT; i++)
		if (strcmp(name, fault_names[i]) == 0)
			return i;
	return -1;
}

/* "MIN-MAX" or "MS" into the latency fields. */
static int
parse_range(const char *s, struct fault *f)
{
	char a[32];
	const char *dash = strchr(s, '-');
	long lo, hi;

	if (dash == NULL) {
		lo = hi = parse_ulong(s);
	} else {
		if ((size_t)(dash - s) >= sizeof(a))
			return -1;
		memcpy(a, s, (size_t)(dash - s));
		a[dash - s] = '\0';
		lo = parse_ulong(a);
		hi = parse_ulong(dash + 1);
	}
	if (lo < 0 || hi < lo || hi > 3600000)
		return -1;
	f->has_latency = 1;
	f->lat_min = (unsigned)lo;
	f->lat_max = (unsigned)hi;
	return 0;
}

static int
fault_param(const char *tok, struct fault *f)
{
	long v;

	if (strcmp(tok, "date") == 0)
		f->retry_date = 1;
	else if (strcmp(tok, "ms") == 0)
		f->retry_ms = 1;
	else if (strcmp(tok, "noretry") == 0)
		f->retry_none = 1;
	else if (strncmp(tok, "times=", 6) == 0) {
		if ((v = parse_ulong(tok + 6)) < 0)
			return -1;
		f->times = (unsigned)v;
	} else if (strncmp(tok, "retry-after=", 12) == 0) {
		if ((v = parse_ulong(tok + 12)) < 0)
			return -1;
		f->retry_after = v;
	} else if ((v = parse_ulong(tok)) >= 0) {
		f->retry_after = v;
	} else {
		return -1;
	}
	return 0;
}

/* One comma-separated item: "KIND[;param...]" or "latency=MIN-MAX". */
static int
fault_item(char *item, struct fault *f)
{
	char *tok, *save = NULL;
	int first = 1, latency = 0, k;

	for (tok = strtok_r(item, ";", &save); tok != NULL;
	     tok = strtok_r(NULL, ";", &save), first = 0) {
		tok = trim(tok);
		if (!first) {
			if (latency ? parse_range(tok, f) != 0
				    : fault_param(tok, f) != 0)
				return -1;
			continue;
		}
		if (strncmp(tok, "latency", 7) == 0) {
			latency = 1;
			if (tok[7] == '=' && parse_range(tok + 8, f) != 0)
				return -1;
			if (tok[7] != '=' && tok[7] != '\0')
				return -1;
			continue;
		}
		if ((k = fault_lookup(tok)) < 0)
			return -1;
		f->kind = k;
		f->set = 1;
	}
	return first ? -1 : 0;
}

/* Parse a spec such as "500", "429;2;date", "latency=10-50, 503;times=2"
 * into *f (which it clears first). Returns 0, or -1 when a kind or a
 * parameter is unknown or malformed. */
static int
fault_parse(const char *spec, struct fault *f)
{
	char tmp[SHORT_MAX], *item, *save = NULL;
	size_t n = strlen(spec);

	memset(f, 0, sizeof(*f));
	f->retry_after = -1;
	if (n == 0 || n >= sizeof(tmp))
		return -1;
	memcpy(tmp, spec, n + 1);
	for (item = strtok_r(tmp, ",", &save); item != NULL;
	     item = strtok_r(NULL, ",", &save))
		if (fault_item(item, f) != 0)
			return -1;
	return 0;
}

/* ------------------------------------------------------------------ */
/* Per-id attempt table                                                */

static int
ids_grow(struct idtab *t)
{
	size_t ncap = t->cap ? t->cap * 2 : 1024, i, j;
	struct ident *v;

	if (t->n >= t->max)
		return -1;
	v = calloc(ncap, sizeof(*v));
	if (v == NULL)
		return -1;
	for (i = 0; i < t->cap; i++) {
		if (t->v[i].key == 0)
			continue;
		for (j = t->v[i].key & (ncap - 1); v[j].key != 0;
		     j = (j + 1) & (ncap - 1))
			;
		v[j] = t->v[i];
	}
	free(t->v);
	t->v = v;
	t->cap = ncap;
	return 0;
}

/* The entry for `key`, created if new; NULL when the table is full. */
static struct ident *
ids_get(struct idtab *t, uint64_t key)
{
	size_t i, mask;

	if (key == 0)
		key = 1;
	if ((t->n + 1) * 2 > t->cap)
		ids_grow(t);
	if (t->cap == 0)
		return NULL;
	mask = t->cap - 1;
	for (i = key & mask; t->v[i].key != 0; i = (i + 1) & mask)
		if (t->v[i].key == key)
			return &t->v[i];
	if (t->n >= t->max || (t->n + 1) * 2 > t->cap)
		return NULL;
	t->v[i].key = key;
	t->n++;
	return &t->v[i];
}

static void
ids_clear(struct idtab *t)
{
	if (t->v != NULL)
		memset(t->v, 0, t->cap * sizeof(*t->v));
	t->n = 0;
	t->dropped = t->succeeded = t->dup = 0;
	t->max_attempts = 0;
}

/* ------------------------------------------------------------------ */
/* Token buckets                                                       */

static void
bucket_init(struct bucket *b, double per_min, double cap)
{
	b->per_min = per_min;
	b->per_ms = per_min / 60000.0;
	b->cap = cap > 0 ? cap : (per_min / 60.0 > 1 ? per_min / 60.0 : 1);
	b->level = b->cap;
	b->last = now_ms();
}

static void
bucket_fill(struct bucket *b, double now)
{
	b->level += (now - b->last) * b->per_ms;
	if (b->level > b->cap)
		b->level = b->cap;
	b->last = now;
}

/* Take n units (clamped to the capacity). Returns 0, or the ms until they
 * would be available, taking nothing. */
static double
bucket_take(struct bucket *b, double n, double now)
{
	bucket_fill(b, now);
	if (n > b->cap)
		n = b->cap;
	if (b->level >= n) {
		b->level -= n;
		return 0;
	}
	return (n - b->level) / b->per_ms;
}

/* A duration the way OpenAI writes it: "120ms", "1.5s", "6m0s". */
static void
fmt_dur(char *out, size_t size, double ms)
{
	char num[32];
	size_t n;

	if (ms < 1000) {
		snprintf(out, size, "%dms", (int)ceil(ms));
	} else if (ms < 60000) {
		snprintf(num, sizeof(num), "%.3f", ms / 1000);
		n = strlen(num);
		while (n > 0 && num[n - 1] == '0')
			num[--n] = '\0';
		if (n > 0 && num[n - 1] == '.')
			num[--n] = '\0';
		snprintf(out, size, "%ss", num);
	} else {
		snprintf(out, size, "%dm%ds", (int)(ms / 60000),
			 (int)fmod(ms / 1000, 60));
	}
}

static void
bucket_headers(struct buf *h, const struct bucket *b, const char *what)
{
	char d[32];

	fmt_dur(d, sizeof(d), (b->cap - b->level) / b->per_ms);
	buf_printf(h, "x-ratelimit-limit-%s: %.0f\r\n"
		   "x-ratelimit-remaining-%s: %.0f\r\n"
		   "x-ratelimit-reset-%s: %s\r\n",
		   what, b->per_min, what, floor(b->level), what, d);
}

/* ------------------------------------------------------------------ */
/* Deterministic content                                               */

static const char *const words[64] = {
	"amber", "bright", "calm", "delta", "ember", "fable", "garden",
	"harbor", "island", "jolly", "kettle", "lantern", "meadow", "north",
	"orchid", "pepper", "quiet", "river", "silver", "timber", "umber",
	"valley", "willow", "yonder", "zephyr", "anchor", "breeze", "cedar",
	"dawn", "echo", "forest", "glade", "hazel", "ivory", "juniper",
	"kindle", "lumen", "maple", "nectar", "ocean", "pebble", "quartz",
	"rowan", "saffron", "thistle", "upland", "velvet", "wander", "xenon",
	"yarrow", "zinnia", "atlas", "beacon", "canyon", "drift", "falcon",
	"granite", "horizon", "indigo", "jasper", "kestrel", "linen",
	"mosaic", "nimbus"
};

/* State of one schema-driven generation. */
struct gen {
	struct rng rng;
	struct buf *out;
	struct buf *tmp;
	const cJSON *root;     /* for $ref */
	int skip_required;     /* schema fault: leave out required[0] */
	int fail;
	long stretch;          /* --length-bias: chars added to strings */
};

static void
put_words(struct buf *b, struct rng *r, unsigned n, int sentence)
{
	unsigned i;
	const char *w;

	for (i = 0; i < n; i++) {
		w = words[rng_below(r, 64)];
		if (i > 0)
			buf_putc(b, ' ');
		if (i == 0 && sentence) {
			buf_putc(b, (char)(w[0] - 'a' + 'A'));
			buf_puts(b, w + 1);
		} else {
			buf_puts(b, w);
		}
	}
	if (sentence)
		buf_putc(b, '.');
}

/* Resolve a local "$ref" ("#", "#/$defs/x", any "#/a/b" pointer). */
static const cJSON *
resolve_ref(const cJSON *root, const char *ref)
{
	const cJSON *cur = root;
	char seg[128];
	size_t n;
	const char *p;

	if (ref[0] != '#')
		return NULL;
	for (p = ref + 1; *p == '/' && cur != NULL;) {
		p++;
		for (n = 0; *p != '\0' && *p != '/' && n + 1 < sizeof(seg);
		     p++) {
			if (p[0] == '~' && (p[1] == '0' || p[1] == '1'))
				seg[n++] = *++p == '0' ? '~' : '/';
			else
				seg[n++] = *p;
		}
		seg[n] = '\0';
		cur = cJSON_IsArray(cur) ? cJSON_GetArrayItem(cur, atoi(seg))
			: cJSON_GetObjectItemCaseSensitive(cur, seg);
	}
	return *p == '\0' ? cur : NULL;
}

/* Follow $ref and pick the first non-null branch of anyOf/oneOf/allOf. */
static const cJSON *
schema_pick(const struct gen *g, const cJSON *s)
{
	const char *keys[] = { "anyOf", "oneOf", "allOf" };
	const cJSON *alt, *it, *ty;
	int i, hops;

	for (hops = 0; hops < 16 && cJSON_IsObject(s); hops++) {
		it = json_get(s, "$ref");
		if (cJSON_IsString(it)) {
			s = resolve_ref(g->root, it->valuestring);
			continue;
		}
		for (i = 0, alt = NULL; i < 3 && alt == NULL; i++)
			alt = json_get(s, keys[i]);
		if (!cJSON_IsArray(alt) || json_get(s, "type") != NULL)
			return s;
		s = cJSON_GetArrayItem(alt, 0);
		cJSON_ArrayForEach(it, alt) {
			ty = json_get(it, "type");
			if (!cJSON_IsString(ty) ||
			    strcmp(ty->valuestring, "null") != 0) {
				s = it;
				break;
			}
		}
	}
	return s;
}

/* The schema's type: its "type" (first non-null of a list), else a guess. */
static const char *
schema_type(const cJSON *s)
{
	const cJSON *t = json_get(s, "type"), *it;

	if (cJSON_IsString(t))
		return t->valuestring;
	if (cJSON_IsArray(t)) {
		cJSON_ArrayForEach(it, t)
			if (cJSON_IsString(it) &&
			    strcmp(it->valuestring, "null") != 0)
				return it->valuestring;
		return "null";
	}
	if (json_get(s, "properties") || json_get(s, "required"))
		return "object";
	if (json_get(s, "items"))
		return "array";
	return "string";
}

static void
put_json(struct gen *g, const cJSON *v)
{
	char *txt = cJSON_PrintUnformatted(v);

	if (txt == NULL || buf_puts(g->out, txt) != 0)
		g->fail = 1;
	free(txt);
}

static long long
num_bound(const cJSON *s, const char *incl, const char *excl, double def,
	  int up, double unit)
{
	const cJSON *a = json_get(s, incl), *b = json_get(s, excl);
	double v = def;

	if (cJSON_IsNumber(a))
		v = a->valuedouble;
	if (cJSON_IsNumber(b))
		v = up ? b->valuedouble - unit : b->valuedouble + unit;
	v = up ? floor(v / unit) : ceil(v / unit);
	if (v > 1e15)
		v = 1e15;
	if (v < -1e15)
		v = -1e15;
	return (long long)v;
}

/* An integer (unit 1) or a number with two decimals (unit 0.01) within
 * minimum/maximum and their exclusive forms, honouring integer multipleOf. */
static void
gen_number(struct gen *g, const cJSON *s, int integer)
{
	double unit = integer ? 1 : 0.01;
	const cJSON *mn = json_get(s, "minimum"), *mx = json_get(s, "maximum");
	double dlo = 0, dhi = 100;
	long long lo, hi, v, m;
	const cJSON *mo = json_get(s, "multipleOf");

	if (cJSON_IsNumber(mn) && !cJSON_IsNumber(mx))
		dhi = mn->valuedouble + 100;
	if (cJSON_IsNumber(mx) && !cJSON_IsNumber(mn))
		dlo = mx->valuedouble - 100;
	lo = num_bound(s, "minimum", "exclusiveMinimum", dlo, 0, unit);
	hi = num_bound(s, "maximum", "exclusiveMaximum", dhi, 1, unit);
	if (hi < lo)
		hi = lo;
	v = lo + (long long)(rng_next(&g->rng) %
			     (unsigned long long)(hi - lo + 1));
	m = cJSON_IsNumber(mo) ? (long long)mo->valuedouble : 0;
	if (integer && m > 0 && (double)m == mo->valuedouble) {
		long long klo = (lo + (lo > 0 ? m - 1 : 0)) / m, khi = hi / m;

		if (klo <= khi)
			v = m * (klo + (long long)(rng_next(&g->rng) %
				 (unsigned long long)(khi - klo + 1)));
	}
	if (integer)
		buf_printf(g->out, "%lld", v);
	else
		buf_printf(g->out, "%.2f", (double)v / 100.0);
}

static long
get_len(const cJSON *s, const char *key, long def)
{
	const cJSON *v = json_get(s, key);

	if (!cJSON_IsNumber(v) || v->valuedouble < 0)
		return def;
	return v->valuedouble > 1e6 ? 1000000 : (long)v->valuedouble;
}

/* Put a string for a known "format" in g->tmp; 0 if the format is not
 * one we know. */
static int
gen_format(struct gen *g, const char *fmt)
{
	uint64_t r = rng_next(&g->rng);

	if (strcmp(fmt, "email") == 0)
		buf_printf(g->tmp, "user%04u@example.com",
			   (unsigned)(r % 10000));
	else if (strcmp(fmt, "date") == 0)
		buf_printf(g->tmp, "2024-%02u-%02u", (unsigned)(r % 12 + 1),
			   (unsigned)(r / 12 % 28 + 1));
	else if (strcmp(fmt, "date-time") == 0)
		buf_printf(g->tmp, "2024-%02u-%02uT%02u:%02u:00Z",
			   (unsigned)(r % 12 + 1), (unsigned)(r / 12 % 28 + 1),
			   (unsigned)(r / 400 % 24), (unsigned)(r / 9999 % 60));
	else if (strcmp(fmt, "uuid") == 0)
		buf_printf(g->tmp, "%08x-%04x-4%03x-8%03x-%012" PRIx64,
			   (unsigned)r, (unsigned)(r >> 32) & 0xffff,
			   (unsigned)(r >> 48) & 0xfff, (unsigned)r & 0xfff,
			   (uint64_t)(rng_next(&g->rng) & 0xffffffffffffULL));
	else if (strcmp(fmt, "uri") == 0 || strcmp(fmt, "url") == 0)
		buf_printf(g->tmp, "https://example.com/%s",
			   words[r % 64]);
	else
		return 0;
	return 1;
}

/* A string of words, its length within minLength..maxLength. */
static void
gen_string(struct gen *g, const cJSON *s)
{
	long lo = get_len(s, "minLength", 0), hi = get_len(s, "maxLength", -1);
	long target;
	const char *fmt = json_get_str(s, "format", NULL);

	buf_reset(g->tmp);
	if (fmt != NULL && gen_format(g, fmt) &&
	    (long)g->tmp->len >= lo && (hi < 0 || (long)g->tmp->len <= hi)) {
		json_quote(g->out, g->tmp->data, g->tmp->len);
		return;
	}
	buf_reset(g->tmp);
	target = lo + 4 + (long)rng_below(&g->rng, 24) + g->stretch;
	if (hi >= 0 && target > hi)
		target = hi;
	if (target < lo)
		target = lo;
	while ((long)g->tmp->len < target) {
		put_words(g->tmp, &g->rng, 1, 0);
		if (buf_putc(g->tmp, ' ') != 0)
			break;
	}
	g->tmp->len = (size_t)target < g->tmp->len ? (size_t)target
		: g->tmp->len;
	if (g->tmp->len > 0 && g->tmp->data[g->tmp->len - 1] == ' ')
		g->tmp->data[g->tmp->len - 1] = 'a';
	json_quote(g->out, g->tmp->len ? g->tmp->data : "", g->tmp->len);
}

static void gen_value(struct gen *g, const cJSON *s, int depth, int hint);

static int
in_properties(const cJSON *props, const char *name)
{
	return cJSON_GetObjectItemCaseSensitive(props, name) != NULL;
}

static int
is_required(const cJSON *req, const char *name)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, req)
		if (cJSON_IsString(it) && strcmp(it->valuestring, name) == 0)
			return 1;
	return 0;
}

static void
gen_member(struct gen *g, int *first, const char *name, const cJSON *s,
	   int depth)
{
	if (!*first)
		buf_putc(g->out, ',');
	*first = 0;
	json_quote(g->out, name, strlen(name));
	buf_putc(g->out, ':');
	gen_value(g, s, depth + 1, -1);
}

/* Every property (only the required ones past GEN_DEPTH), then required
 * names that have no property schema, as strings. */
static void
gen_object(struct gen *g, const cJSON *s, int depth)
{
	const cJSON *props = json_get(s, "properties");
	const cJSON *req = json_get(s, "required"), *it;
	const cJSON *plist = cJSON_IsObject(props) ? props : NULL;
	const cJSON *rlist = cJSON_IsArray(req) ? req : NULL;
	const char *skip = NULL;
	int first = 1;

	if (g->skip_required && depth == 0) {
		it = cJSON_GetArrayItem(req, 0);
		skip = cJSON_IsString(it) ? it->valuestring : NULL;
	}
	buf_putc(g->out, '{');
	cJSON_ArrayForEach(it, plist) {
		if (skip != NULL && strcmp(it->string, skip) == 0)
			continue;
		if (depth >= GEN_DEPTH && !is_required(req, it->string))
			continue;
		gen_member(g, &first, it->string, it, depth);
	}
	cJSON_ArrayForEach(it, rlist) {
		if (!cJSON_IsString(it) || in_properties(props,
		    it->valuestring) || (skip && !strcmp(skip,
		    it->valuestring)))
			continue;
		gen_member(g, &first, it->valuestring, NULL, depth);
	}
	buf_putc(g->out, '}');
}

static void
gen_array(struct gen *g, const cJSON *s, int depth)
{
	long lo = get_len(s, "minItems", 0), hi = get_len(s, "maxItems", -1);
	long n = 1 + (long)rng_below(&g->rng, 3), i;
	const cJSON *items = json_get(s, "items");
	int uniq = cJSON_IsTrue(json_get(s, "uniqueItems"));

	if (depth >= GEN_DEPTH)
		n = lo;
	if (hi >= 0 && n > hi)
		n = hi;
	if (n < lo)
		n = lo;
	buf_putc(g->out, '[');
	for (i = 0; i < n && !g->fail && g->out->len < OUT_MAX / 2; i++) {
		if (i > 0)
			buf_putc(g->out, ',');
		gen_value(g, items, depth + 1, uniq ? (int)i : -1);
	}
	buf_putc(g->out, ']');
}

static void
gen_enum(struct gen *g, const cJSON *e, int hint)
{
	int n = cJSON_GetArraySize(e);

	if (n == 0) {
		buf_puts(g->out, "null");
		return;
	}
	put_json(g, cJSON_GetArrayItem(e, hint >= 0 ? hint % n
		 : (int)rng_below(&g->rng, (uint32_t)n)));
}

/* Append a value satisfying schema `s` (NULL = any: a string). `hint` is
 * the array index when the array wants unique items, else -1. */
static void
gen_value(struct gen *g, const cJSON *s, int depth, int hint)
{
	const char *t;

	s = schema_pick(g, s);
	if (depth > 2 * GEN_DEPTH) {
		buf_puts(g->out, "null");
		return;
	}
	if (json_get(s, "const") != NULL) {
		put_json(g, json_get(s, "const"));
		return;
	}
	if (cJSON_IsArray(json_get(s, "enum"))) {
		gen_enum(g, json_get(s, "enum"), hint);
		return;
	}
	t = schema_type(s);
	if (strcmp(t, "object") == 0)
		gen_object(g, s, depth);
	else if (strcmp(t, "array") == 0)
		gen_array(g, s, depth);
	else if (strcmp(t, "integer") == 0)
		gen_number(g, s, 1);
	else if (strcmp(t, "number") == 0)
		gen_number(g, s, 0);
	else if (strcmp(t, "boolean") == 0)
		buf_puts(g->out, rng_below(&g->rng, 2) ? "true" : "false");
	else if (strcmp(t, "null") == 0)
		buf_puts(g->out, "null");
	else
		gen_string(g, s);
}

/* Valid JSON that breaks schema `s`: the object without its first required
 * member when it has one, else a value of the wrong type. */
static void
gen_violation(struct gen *g, const cJSON *s)
{
	const char *t;

	s = schema_pick(g, s);
	if (cJSON_GetArraySize(json_get(s, "required")) > 0 &&
	    cJSON_IsString(cJSON_GetArrayItem(json_get(s, "required"), 0))) {
		g->skip_required = 1;
		gen_object(g, s, 0);
		return;
	}
	t = schema_type(s);
	if (json_get(s, "const") || json_get(s, "enum"))
		buf_puts(g->out, "\"__mockllm_not_in_enum__\"");
	else if (strcmp(t, "object") == 0)
		buf_puts(g->out, "[\"schema-violation\"]");
	else if (strcmp(t, "array") == 0 || strcmp(t, "null") == 0)
		buf_puts(g->out, "{\"schema_violation\":true}");
	else if (strcmp(t, "string") == 0)
		buf_puts(g->out, "12345");
	else
		buf_puts(g->out, "\"schema-violation\"");
}

/* Decode the \\n and \\t escapes of a script reply in place. */
static void
unescape(char *r)
{
	char *w = r;

	for (; *r != '\0'; r++) {
		if (r[0] == '\\' && (r[1] == 'n' || r[1] == 't' ||
				      r[1] == '\\')) {
			r++;
			*w++ = *r == 'n' ? '\n' : *r == 't' ? '\t' : '\\';
		} else {
			*w++ = *r;
		}
	}
	*w = '\0';
}

/* Read the --script file: "MARKER<TAB>REPLY" lines ('#' lines and
 * empty ones skipped). Returns 0, or -1 after a message. */
static int
script_load(struct script *sc, const char *path)
{
	FILE *f = fopen(path, "rb");
	size_t len;
	char *line, *tab, *next;

	if (f == NULL || (sc->text = malloc(SCRIPT_BYTES + 1)) == NULL) {
		fprintf(stderr, "mockllm: %s: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		return -1;
	}
	len = fread(sc->text, 1, SCRIPT_BYTES + 1, f);
	fclose(f);
	if (len > SCRIPT_BYTES) {
		fprintf(stderr, "mockllm: %s: larger than 1 MiB\n", path);
		return -1;
	}
	sc->text[len] = '\0';
	for (line = sc->text; line != NULL && *line != '\0'; line = next) {
		next = strchr(line, '\n');
		if (next != NULL)
			*next++ = '\0';
		if (*line == '#' || *line == '\0')
			continue;
		if ((tab = strchr(line, '\t')) == NULL || tab == line ||
		    sc->n == SCRIPT_MAX) {
			fprintf(stderr, "mockllm: %s: a line without "
				"MARKER<TAB>REPLY, or more than %d\n", path,
				SCRIPT_MAX);
			return -1;
		}
		*tab = '\0';
		unescape(tab + 1);
		sc->marker[sc->n] = line;
		sc->reply[sc->n++] = tab + 1;
	}
	return 0;
}

/* The script reply for request rq, or NULL. */
static const char *
script_reply(const struct script *sc, const cJSON *rq)
{
	const cJSON *m = json_get(rq, "messages");
	const char *last;
	size_t i;

	if (sc->n == 0 || !cJSON_IsArray(m) || cJSON_GetArraySize(m) == 0)
		return NULL;
	last = json_get_str(cJSON_GetArrayItem(m, cJSON_GetArraySize(m) - 1),
			    "content", "");
	for (i = 0; i < sc->n; i++)
		if (strstr(last, sc->marker[i]) != NULL)
			return sc->reply[i];
	return NULL;
}

/* The last user message of request rq, or "". */
static const char *
user_text(const cJSON *rq)
{
	const cJSON *m;
	const char *t = NULL;

	cJSON_ArrayForEach(m, json_get(rq, "messages"))
		if (strcmp(json_get_str(m, "role", ""), "user") == 0)
			t = json_get_str(m, "content", NULL);
	return t != NULL ? t : "";
}

/* The user message of a judge prompt, or NULL. */
static const char *
judge_prompt(const cJSON *rq)
{
	const char *t = user_text(rq);

	return strstr(t, "[The Start of Answer A]") != NULL ? t : NULL;
}

/* 1 when text t's profile says "Gender: g". */
static int
says_gender(const char *t, const char *g)
{
	char line[96];

	snprintf(line, sizeof(line), "Gender: %s\n", g);
	return strstr(t, line) != NULL;
}

/* The judge's reply to prompt t: the verdict a function of the two
 * answers' text only (so a prompt differing in the persona alone gets
 * the same one), unless --judge-bias names the profile's gender; the
 * rationale quotes the first words of the answer preferred. */
static void
judge_content(struct server *s, const char *t)
{
	const char *a = strstr(t, "[The Start of Answer A]"), *w, *e;
	int pick_a = (fnv1a(a, strlen(a)) >> 7) & 1, n;

	if (s->o.judge_bias != NULL && says_gender(t, s->o.judge_bias))
		pick_a = 1;
	w = strstr(t, pick_a ? "[The Start of Answer A]\n" :
		   "[The Start of Answer B]\n");
	w = w != NULL ? strchr(w, '\n') + 1 : "";
	for (e = w, n = 0; *e != '\0' && *e != '\n' && n < 6; e++)
		n += *e == ' ';   /* six words, cut at a space */
	e -= n == 6;      /* the sixth space */
	buf_reset(&s->gen);
	buf_puts(&s->gen, "{\"rationale\":");
	buf_reset(&s->tmp);
	buf_putc(&s->tmp, '"');
	buf_append(&s->tmp, w, (size_t)(e - w));
	buf_puts(&s->tmp, "\" is closer to what I want.");
	json_quote(&s->gen, s->tmp.data, s->tmp.len);
	buf_printf(&s->gen, ",\"verdict\":\"%s\",\"certainty\":%d}",
		   pick_a ? "A" : "B", pick_a ? 85 : 75);
}

/* Fill s->gen with the reply content for request `rq` (whose body hashes
 * to h). Returns 0, or -1 when the schema's output grew past OUT_MAX. */
static int
make_content(struct server *s, const cJSON *rq, uint64_t h, int violate)
{
	const cJSON *rf = json_get(rq, "response_format");
	const char *type = json_get_str(rf, "type", "text");
	struct gen g = { .out = &s->gen, .tmp = &s->tmp };
	const char *scripted = strcmp(type, "text") == 0 ?
			       script_reply(&s->script, rq) : NULL;
	const char *jp = s->o.judge && !violate ? judge_prompt(rq) : NULL;

	if (jp != NULL) {
		judge_content(s, jp);
		return 0;
	}
	rng_seed(&g.rng, h);
	buf_reset(&s->gen);
	if (s->o.length_bias != NULL && judge_prompt(rq) == NULL &&
	    says_gender(user_text(rq), s->o.length_bias))
		g.stretch = 16;
	if (scripted != NULL) {
		buf_puts(&s->gen, scripted);
	} else if (strcmp(type, "json_schema") == 0) {
		g.root = json_get(json_get(rf, "json_schema"), "schema");
		if (violate)
			gen_violation(&g, g.root);
		else
			gen_value(&g, g.root, 0, -1);
	} else if (strcmp(type, "json_object") == 0) {
		buf_puts(&s->gen, violate ? "[\"not an object\"]"
			 : "{\"answer\":\"");
		if (!violate) {
			put_words(&s->gen, &g.rng, 4 + rng_below(&g.rng, 6), 1);
			buf_printf(&s->gen, "\",\"score\":%u,\"ok\":true}",
				   rng_below(&g.rng, 100));
		}
	} else {
		put_words(&s->gen, &g.rng, 12 + rng_below(&g.rng, 24), 1);
	}
	return g.fail || s->gen.len + 64 >= s->gen.max ? -1 : 0;
}

/* ------------------------------------------------------------------ */
/* Reply bodies                                                        */

static void
error_body(struct server *s, const char *msg, const char *type,
	   const char *code)
{
	buf_reset(&s->body);
	buf_puts(&s->body, "{\"error\":{\"message\":");
	json_quote(&s->body, msg, strlen(msg));
	buf_printf(&s->body, ",\"type\":\"%s\",\"param\":null,\"code\":", type);
	if (code != NULL)
		buf_printf(&s->body, "\"%s\"}}", code);
	else
		buf_puts(&s->body, "null}}");
}

static void
reply_error(struct server *s, struct reply *r, int status, const char *msg,
	    const char *type, const char *code)
{
	r->status = status;
	error_body(s, msg, type, code);
}

/* Retry-After (and retry-after-ms) headers for a fault spec. */
static void
retry_headers(struct server *s, const struct fault *f, long def)
{
	long secs = f->retry_after >= 0 ? f->retry_after : def;
	char date[64];
	time_t t;
	struct tm tm;

	if (f->retry_none || secs < 0)
		return;
	if (f->retry_date) {
		t = time(NULL) + secs;
		gmtime_r(&t, &tm);
		strftime(date, sizeof(date), "%a, %d %b %Y %H:%M:%S GMT", &tm);
		buf_printf(&s->hdrs, "Retry-After: %s\r\n", date);
	} else {
		buf_printf(&s->hdrs, "Retry-After: %ld\r\n", secs);
	}
	if (f->retry_ms)
		buf_printf(&s->hdrs, "retry-after-ms: %ld\r\n", secs * 1000);
}

static void
chat_body(struct server *s, const char *model, const char *content,
	  size_t clen, const char *finish, size_t prompt_tokens, uint64_t h)
{
	size_t ctok = (clen + 3) / 4;

	buf_reset(&s->body);
	buf_printf(&s->body, "{\"id\":\"chatcmpl-%016" PRIx64 "%06" PRIx64
		   "\",\"object\":\"chat.completion\",\"created\":%lld,"
		   "\"model\":", h, s->seq & 0xffffff, (long long)time(NULL));
	json_quote(&s->body, model, strlen(model));
	buf_puts(&s->body, ",\"choices\":[{\"index\":0,\"message\":"
		 "{\"role\":\"assistant\",\"content\":");
	json_quote(&s->body, content, clen);
	buf_printf(&s->body, ",\"refusal\":null},\"logprobs\":null,"
		   "\"finish_reason\":\"%s\"}],\"usage\":{"
		   "\"prompt_tokens\":%zu,"
		   "\"completion_tokens\":%zu,\"total_tokens\":%zu},"
		   "\"system_fingerprint\":\"fp_mockllm\"}", finish,
		   prompt_tokens, ctok, prompt_tokens + ctok);
}

/* ------------------------------------------------------------------ */
/* Chat completions                                                    */

/* Apply the rate limiter. Returns 1 when the request was refused (and the
 * 429 reply is set up), else 0. */
static int
rate_limit(struct server *s, struct reply *r, size_t tokens)
{
	double now = now_ms(), wait = 0, w2;
	const char *what = "requests";
	char msg[256];

	if (s->rq.per_min > 0)
		wait = bucket_take(&s->rq, 1, now);
	if (wait == 0 && s->tk.per_min > 0) {
		w2 = bucket_take(&s->tk, (double)tokens, now);
		if (w2 > 0) {
			wait = w2;
			what = "tokens";
			if (s->rq.per_min > 0)
				s->rq.level += 1; /* give back the request */
		}
	}
	if (s->rq.per_min > 0)
		bucket_headers(&s->hdrs, &s->rq, "requests");
	if (s->tk.per_min > 0)
		bucket_headers(&s->hdrs, &s->tk, "tokens");
	if (wait == 0)
		return 0;
	s->st.rate_limited++;
	buf_printf(&s->hdrs, "Retry-After: %.0f\r\nretry-after-ms: %.0f\r\n",
		   ceil(wait / 1000), ceil(wait));
	snprintf(msg, sizeof(msg), "Rate limit reached for %s in organization "
		 "org-mockllm on %s per min: Limit %.0f. Please try again in "
		 "%.0fms.", what, what, strcmp(what, "tokens") == 0 ?
		 s->tk.per_min : s->rq.per_min, ceil(wait));
	reply_error(s, r, 429, msg, what, "rate_limit_exceeded");
	return 1;
}

/* Which fault (if any) applies to this chat request. `hf` is the parsed
 * header spec, or NULL: a header that names a kind overrides the flags. */
static int
pick_fault(struct server *s, const struct fault *hf, const struct ident *id)
{
	const struct fault *f = hf != NULL && hf->set ? hf : &s->o.fault;
	uint32_t attempts = id != NULL ? id->attempts : 1;

	if (f->kind == F_NONE)
		return F_NONE;
	if (f->times > 0)
		return attempts <= f->times ? f->kind : F_NONE;
	if (f == hf)
		return f->kind;
	if (s->o.fault_first >= 0)
		return ++s->fault_seen <= (uint64_t)s->o.fault_first
			? f->kind : F_NONE;
	if (s->o.fault_rate >= 1)
		return f->kind;
	return rng_uniform(&s->rng) < s->o.fault_rate ? f->kind : F_NONE;
}

static struct ident *
track_id(struct server *s, const struct req *q, uint64_t h, struct reply *r)
{
	struct ident *id;
	uint64_t key = q->has_id ? fnv1a(q->id, strlen(q->id)) ^ 0x9e37ULL : h;

	if (!q->has_id)
		snprintf(r->idlog, sizeof(r->idlog), "body:%016" PRIx64, h);
	id = ids_get(&s->ids, key);
	if (id == NULL) {
		s->ids.dropped++;
		return NULL;
	}
	id->attempts++;
	if (id->attempts > s->ids.max_attempts)
		s->ids.max_attempts = id->attempts;
	return id;
}

static void
count_success(struct server *s, struct ident *id)
{
	if (id == NULL)
		return;
	if (++id->ok == 1)
		s->ids.succeeded++;
	else if (id->ok == 2)
		s->ids.dup++;
}

static size_t
max_chars(const cJSON *rq)
{
	double m = json_get_num(rq, "max_completion_tokens",
				json_get_num(rq, "max_tokens", 0));

	return m >= 1 && m < 1e8 ? (size_t)m * 4 : 0;
}

/* The normal reply, or the "length"/"schema" faults of it. */
static void
reply_chat(struct server *s, struct reply *r, const cJSON *rq, uint64_t h,
	   size_t prompt_tokens, int fault)
{
	const char *finish = "stop";
	size_t clen, cap = max_chars(rq);

	if (make_content(s, rq, h, fault == F_SCHEMA) != 0) {
		reply_error(s, r, 500, "mockllm: generated content too large",
			    "server_error", NULL);
		return;
	}
	clen = s->gen.len;
	if (fault == F_LENGTH) {
		clen = clen / 2 > 0 ? clen / 2 : 1;
		finish = "length";
	}
	if (cap > 0 && clen > cap) {
		clen = cap;
		finish = "length";
	}
	r->status = 200;
	chat_body(s, json_get_str(rq, "model", "mock"), s->gen.data, clen,
		  finish, prompt_tokens, h);
}

/* Faults that replace the reply entirely. */
static void
reply_fault(struct server *s, struct reply *r, const struct fault *f,
	    int kind)
{
	switch (kind) {
	case F_429:
		retry_headers(s, f, 1);
		reply_error(s, r, 429, "Rate limit reached for requests "
			    "(injected by mockllm).", "requests",
			    "rate_limit_exceeded");
		break;
	case F_500:
		retry_headers(s, f, -1);
		reply_error(s, r, 500, "The server had an error while "
			    "processing your request. Sorry about that!",
			    "server_error", NULL);
		break;
	case F_503:
		retry_headers(s, f, -1);
		reply_error(s, r, 503, "The engine is currently overloaded, "
			    "please try again later.", "server_error", NULL);
		break;
	case F_QUOTA:
		reply_error(s, r, 429, "You exceeded your current quota, "
			    "please check your plan and billing details.",
			    "insufficient_quota", "insufficient_quota");
		break;
	case F_AUTH:
		reply_error(s, r, 401, "Incorrect API key provided.",
			    "invalid_request_error", "invalid_api_key");
		break;
	case F_BADJSON:
		r->status = 200;
		buf_reset(&s->body);
		buf_puts(&s->body, "{\"id\":\"chatcmpl-bad\",\"object\":"
			 "\"chat.completion\",\"choices\":[{\"index\":0,"
			 "\"message\":{\"role\":\"assistant\",\"content\":"
			 "\"unterminated");
		break;
	case F_REFUSAL:
		/* OpenAI's structured-output refusal: no content, the
		 * refusal text in its own member */
		r->status = 200;
		buf_reset(&s->body);
		buf_puts(&s->body, "{\"id\":\"chatcmpl-refusal\",\"object\":"
			 "\"chat.completion\",\"model\":\"mock\",\"choices\":"
			 "[{\"index\":0,\"message\":{\"role\":\"assistant\","
			 "\"content\":null,\"refusal\":\"I'm sorry, but I "
			 "cannot help with that.\"},\"finish_reason\":"
			 "\"stop\"}],\"usage\":{\"prompt_tokens\":10,"
			 "\"completion_tokens\":9,\"total_tokens\":19}}");
		break;
	case F_RESET:
		r->reset = 1;
		break;
	case F_HANG:
		r->hang = 1;
		break;
	}
}

/* Check the request body: a JSON object with a model and messages. Returns
 * the tree, or NULL with a 400 reply set up. */
static cJSON *
parse_chat(struct server *s, struct reply *r, const char *body, size_t len)
{
	struct json_error je;
	cJSON *rq;
	char msg[400];

	if (json_parse(body, len, &rq, &je) != 0 || !cJSON_IsObject(rq)) {
		snprintf(msg, sizeof(msg), "We could not parse the JSON body "
			 "of your request (line %d, column %d: %s).",
			 rq ? 0 : je.line, rq ? 0 : je.col,
			 rq ? "not an object" : je.msg);
		reply_error(s, r, 400, msg, "invalid_request_error", NULL);
		cJSON_Delete(rq);
		return NULL;
	}
	if (!cJSON_IsString(json_get(rq, "model")))
		reply_error(s, r, 400, "you must provide a model parameter",
			    "invalid_request_error", NULL);
	else if (!cJSON_IsArray(json_get(rq, "messages")))
		reply_error(s, r, 400, "'messages' is a required property",
			    "invalid_request_error", NULL);
	else if (cJSON_IsTrue(json_get(rq, "stream")))
		reply_error(s, r, 400, "mockllm does not support stream=true",
			    "invalid_request_error", "unsupported_value");
	else
		return rq;
	cJSON_Delete(rq);
	return NULL;
}

static void
handle_chat(struct server *s, const struct req *q, const char *body,
	    size_t len, struct reply *r)
{
	struct fault hf;
	const struct fault *spec;
	struct ident *id;
	uint64_t h = fnv1a(body, len);
	size_t ptok = (len + 3) / 4;
	cJSON *rq;
	int kind;

	r->chat = 1;
	s->st.chat++;
	if (q->has_id)
		snprintf(r->idlog, sizeof(r->idlog), "%s", q->id);
	if (q->has_fault && fault_parse(q->fault, &hf) != 0) {
		reply_error(s, r, 400, "mockllm: bad X-Mock-Fault header",
			    "invalid_request_error", "bad_mock_fault");
		return;
	}
	if (s->o.key != NULL && !q->auth_ok) {
		s->st.auth_rejected++;
		reply_fault(s, r, NULL, F_AUTH);
		return;
	}
	if ((rq = parse_chat(s, r, body, len)) == NULL)
		return;
	if (rate_limit(s, r, ptok + max_chars(rq) / 4)) {
		cJSON_Delete(rq);
		return;
	}
	id = track_id(s, q, h, r);
	kind = pick_fault(s, q->has_fault ? &hf : NULL, id);
	spec = q->has_fault && hf.has_latency ? &hf : &s->o.fault;
	if (spec->has_latency)
		r->delay = spec->lat_min + rng_below(&s->rng,
			   spec->lat_max - spec->lat_min + 1);
	r->fault = kind;
	if (kind == F_NONE || kind == F_LENGTH || kind == F_SCHEMA ||
	    kind == F_TRUNCATE)
		reply_chat(s, r, rq, h, ptok, kind);
	else
		reply_fault(s, r, q->has_fault ? &hf : &s->o.fault, kind);
	r->truncate = kind == F_TRUNCATE;
	if (kind == F_NONE && r->status == 200)
		count_success(s, id);
	cJSON_Delete(rq);
}

/* ------------------------------------------------------------------ */
/* Control endpoints                                                   */

static void
stats_body(struct server *s)
{
	struct buf *b = &s->body;
	const struct stats *t = &s->st;
	int i, first = 1;

	buf_reset(b);
	buf_printf(b, "{\"requests\":%" PRIu64 ",\"chat_requests\":%" PRIu64
		   ",\"by_status\":{", t->requests, t->chat);
	for (i = 0; i < 600; i++) {
		if (t->status[i] == 0)
			continue;
		buf_printf(b, "%s\"%d\":%" PRIu64, first ? "" : ",", i,
			   t->status[i]);
		first = 0;
	}
	buf_printf(b, "},\"faults\":{\"total\":%" PRIu64, t->faults_total);
	for (i = 1; i < F_COUNT; i++)
		buf_printf(b, ",\"%s\":%" PRIu64, fault_names[i],
			   t->faults[i]);
	buf_printf(b, "},\"rate_limited\":%" PRIu64 ",\"auth_rejected\":%"
		   PRIu64 ",\"delayed\":%" PRIu64 ",\"connections\":{"
		   "\"current\":%" PRIu64 ",\"max\":%" PRIu64 ",\"total\":%"
		   PRIu64 "},\"in_flight\":{\"current\":%" PRIu64 ",\"max\":%"
		   PRIu64 "},", t->rate_limited, t->auth_rejected, t->delayed,
		   t->conns, t->conns_max, t->conns_total, t->inflight,
		   t->inflight_max);
	buf_printf(b, "\"ids\":{\"tracked\":%zu,\"succeeded\":%" PRIu64
		   ",\"duplicate_successes\":%" PRIu64 ",\"max_attempts\":%"
		   PRIu32 ",\"untracked\":%" PRIu64 "},\"bytes\":{\"in\":%"
		   PRIu64 ",\"out\":%" PRIu64 "},\"uptime_ms\":%.0f}",
		   s->ids.n, s->ids.succeeded, s->ids.dup, s->ids.max_attempts,
		   s->ids.dropped, t->bytes_in, t->bytes_out,
		   now_ms() - s->started);
}

/* Zero the counters and restart fault sequences and buckets. Current
 * connection and in-flight counts stay (they describe live state). */
static void
stats_reset(struct server *s)
{
	uint64_t conns = s->st.conns, inflight = s->st.inflight;

	memset(&s->st, 0, sizeof(s->st));
	s->st.conns = s->st.conns_max = conns;
	s->st.inflight = s->st.inflight_max = inflight;
	ids_clear(&s->ids);
	s->fault_seen = 0;
	rng_seed(&s->rng, s->o.fault_seed);
	if (s->rq.per_min > 0)
		bucket_init(&s->rq, s->o.rpm, s->o.burst);
	if (s->tk.per_min > 0)
		bucket_init(&s->tk, s->o.tpm, s->o.tpm_burst);
	s->started = now_ms();
}

static void
handle_control(struct server *s, const struct req *q, struct reply *r)
{
	int get = strcmp(q->method, "GET") == 0;
	int post = strcmp(q->method, "POST") == 0;

	buf_reset(&s->body);
	r->status = 200;
	if (strcmp(q->path, "/stats") == 0 && get) {
		r->control = 1;
		stats_body(s);
		if (s->log != NULL)
			fflush(s->log);
	} else if (strcmp(q->path, "/reset") == 0 && post) {
		r->control = 1;
		stats_reset(s);
		buf_puts(&s->body, "{\"reset\":true}");
	} else if (strcmp(q->path, "/v1/models") == 0 && get) {
		buf_puts(&s->body, "{\"object\":\"list\",\"data\":[{\"id\":"
			 "\"mock\",\"object\":\"model\",\"created\":0,"
			 "\"owned_by\":\"mockllm\"}]}");
	} else if (strcmp(q->path, "/health") == 0 && get) {
		buf_puts(&s->body, "{\"status\":\"ok\"}");
	} else if (!strcmp(q->path, "/stats") || !strcmp(q->path, "/reset") ||
		   !strcmp(q->path, "/v1/models") ||
		   !strcmp(q->path, "/health") ||
		   !strcmp(q->path, "/v1/chat/completions")) {
		reply_error(s, r, 405, "Method not allowed",
			    "invalid_request_error", NULL);
	} else {
		reply_error(s, r, 404, "Unknown request URL",
			    "invalid_request_error", "unknown_url");
	}
}

/* ------------------------------------------------------------------ */
/* HTTP                                                                */

static const char *
status_text(int status)
{
	switch (status) {
	case 200: return "OK";
	case 400: return "Bad Request";
	case 401: return "Unauthorized";
	case 404: return "Not Found";
	case 405: return "Method Not Allowed";
	case 413: return "Payload Too Large";
	case 414: return "URI Too Long";
	case 429: return "Too Many Requests";
	case 431: return "Request Header Fields Too Large";
	case 500: return "Internal Server Error";
	case 501: return "Not Implemented";
	case 503: return "Service Unavailable";
	default: return "Unknown";
	}
}

static int
hdr_is(const char *name, size_t n, const char *want)
{
	return strlen(want) == n && strncasecmp(name, want, n) == 0;
}

static void
add_name(struct req *q, const char *name, size_t n)
{
	size_t len = strlen(q->names), i;

	if (len + n + 2 >= sizeof(q->names)) {
		if (len + 4 < sizeof(q->names) && (len < 3 ||
		    strcmp(q->names + len - 3, "...") != 0))
			memcpy(q->names + len, len ? ",..." : "...", 5);
		return;
	}
	if (len > 0)
		q->names[len++] = ',';
	for (i = 0; i < n; i++)
		q->names[len++] = (char)(name[i] >= 'A' && name[i] <= 'Z'
			? name[i] + 32 : (name[i] > ' ' && name[i] < 127
			? name[i] : '?'));
	q->names[len] = '\0';
}

/* The Authorization value against "Bearer KEY"; never copied anywhere. */
static int
auth_matches(const char *key, const char *v, size_t n)
{
	size_t k;

	if (key == NULL || n < 7 || strncasecmp(v, "Bearer ", 7) != 0)
		return 0;
	v += 7;
	n -= 7;
	while (n > 0 && *v == ' ')
		v++, n--;
	k = strlen(key);
	return n == k && memcmp(v, key, k) == 0;
}

/* One header line. Returns 0 or an HTTP status for a bad request. */
static int
parse_header(struct server *s, struct req *q, const char *line, size_t n)
{
	const char *colon = memchr(line, ':', n), *v;
	size_t nlen, vlen;
	long cl;
	char num[24];

	if (colon == NULL || colon == line)
		return 400;
	nlen = (size_t)(colon - line);
	v = colon + 1;
	vlen = n - nlen - 1;
	while (vlen > 0 && (*v == ' ' || *v == '\t'))
		v++, vlen--;
	while (vlen > 0 && (v[vlen - 1] == ' ' || v[vlen - 1] == '\t'))
		vlen--;
	add_name(q, line, nlen);
	if (hdr_is(line, nlen, "content-length")) {
		if (vlen == 0 || vlen >= sizeof(num))
			return 400;
		memcpy(num, v, vlen);
		num[vlen] = '\0';
		if ((cl = parse_ulong(num)) < 0 ||
		    (q->body_len != 0 && (size_t)cl != q->body_len))
			return cl < 0 && vlen >= 10 ? 413 : 400;
		q->body_len = (size_t)cl;
	} else if (hdr_is(line, nlen, "transfer-encoding")) {
		q->te = 1;
	} else if (hdr_is(line, nlen, "connection")) {
		if (memmem(v, vlen, "close", 5) || memmem(v, vlen, "Close", 5))
			q->keep_alive = 0;
		else if (strncasecmp(v, "keep-alive", 10) == 0)
			q->keep_alive = 1;
	} else if (hdr_is(line, nlen, "expect")) {
		q->expect = vlen == 12 &&
			    strncasecmp(v, "100-continue", 12) == 0;
	} else if (hdr_is(line, nlen, "authorization")) {
		q->auth_ok = auth_matches(s->o.key, v, vlen);
	} else if (hdr_is(line, nlen, "x-mock-fault")) {
		if (vlen >= sizeof(q->fault))
			return 400;
		memcpy(q->fault, v, vlen);
		q->fault[vlen] = '\0';
		q->has_fault = 1;
	} else if (hdr_is(line, nlen, "x-request-id") && vlen > 0) {
		copy_token(q->id, sizeof(q->id), v, vlen);
		q->has_id = 1;
	}
	return 0;
}

/* "METHOD TARGET HTTP/1.x". Returns 0 or an HTTP status. */
static int
parse_request_line(struct req *q, const char *p, size_t n)
{
	const char *sp1 = memchr(p, ' ', n), *sp2, *target, *qm;
	size_t tlen;

	if (sp1 == NULL || sp1 == p || (size_t)(sp1 - p) >= sizeof(q->method))
		return 400;
	copy_token(q->method, sizeof(q->method), p, (size_t)(sp1 - p));
	target = sp1 + 1;
	sp2 = memchr(target, ' ', n - (size_t)(target - p));
	if (sp2 == NULL)
		return 400;
	tlen = (size_t)(sp2 - target);
	if ((qm = memchr(target, '?', tlen)) != NULL)
		tlen = (size_t)(qm - target);
	if (tlen >= sizeof(q->path))
		return 414;
	copy_token(q->path, sizeof(q->path), target, tlen);
	n -= (size_t)(sp2 + 1 - p);
	if (n != 8 || strncmp(sp2 + 1, "HTTP/1.", 7) != 0 ||
	    (sp2[8] != '0' && sp2[8] != '1'))
		return 400;
	q->http10 = sp2[8] == '0';
	q->keep_alive = !q->http10;
	return 0;
}

/* Parse the head in p[0..hlen), which ends with CRLF CRLF. */
static int
parse_head(struct server *s, struct req *q, const char *p, size_t hlen)
{
	const char *end = p + hlen - 2, *nl;
	int first = 1, rc;
	size_t n;

	while (p < end) {
		nl = memchr(p, '\n', (size_t)(end - p));
		if (nl == NULL)
			return 400;
		n = (size_t)(nl - p);
		if (n > 0 && p[n - 1] == '\r')
			n--;
		rc = first ? parse_request_line(q, p, n)
			: parse_header(s, q, p, n);
		if (rc != 0)
			return rc;
		first = 0;
		p = nl + 1;
	}
	return first ? 400 : 0;
}

/* ------------------------------------------------------------------ */
/* Connections                                                         */

static void
on_close(uv_handle_t *h)
{
	struct conn *c = h->data;

	if (--c->handles > 0)
		return;
	buf_free(&c->in);
	free(c->pend);
	free(c);
}

static void
inflight_end(struct conn *c)
{
	if (c->busy) {
		c->srv->st.inflight--;
		c->busy = 0;
	}
}

/* Close both handles; `reset` sends RST (SO_LINGER 0) instead of FIN. */
static void
conn_close(struct conn *c, int reset)
{
	struct server *s = c->srv;

	if (c->closing)
		return;
	c->closing = 1;
	inflight_end(c);
	s->st.conns--;
	if (c->prev != NULL)
		c->prev->next = c->next;
	else
		s->conns = c->next;
	if (c->next != NULL)
		c->next->prev = c->prev;
	if (!reset || uv_tcp_close_reset(&c->tcp, on_close) != 0)
		uv_close((uv_handle_t *)&c->tcp, on_close);
	uv_close((uv_handle_t *)&c->timer, on_close);
}

/* Drop the answered request from the input buffer. */
static void
consume(struct conn *c)
{
	size_t used = c->req.hdr_len + c->req.body_len;

	if (used > c->in.len)
		used = c->in.len;
	memmove(c->in.data, c->in.data + used, c->in.len - used);
	c->in.len -= used;
	while (c->in.len >= 2 && c->in.data[0] == '\r' &&
	       c->in.data[1] == '\n') {
		memmove(c->in.data, c->in.data + 2, c->in.len - 2);
		c->in.len -= 2;
	}
	if (c->in.data != NULL)
		c->in.data[c->in.len] = '\0';
	if (c->in.len == 0 && c->in.cap > KEEP_IN)
		buf_free(&c->in);
	memset(&c->req, 0, sizeof(c->req));
	c->continued = 0;
}

static void
on_drain_shutdown(uv_shutdown_t *req, int status)
{
	(void)req;
	(void)status;
}

static void
on_timer(uv_timer_t *t);

/* The reply left (or the connection ends here). */
static void
sent(struct conn *c, int mode)
{
	inflight_end(c);
	consume(c);
	if (mode == CLOSE_NOW) {
		conn_close(c, 0);
	} else if (mode == CLOSE_DRAIN) {
		c->draining = 1;
		if (uv_shutdown(&c->shut, (uv_stream_t *)&c->tcp,
				on_drain_shutdown) != 0)
			conn_close(c, 0);
		else
			uv_timer_start(&c->timer, on_timer, DRAIN_MS, 0);
	}
}

static void
on_write(uv_write_t *req, int status)
{
	struct wreq *w = (struct wreq *)req;
	struct conn *c = w->c;
	int final = w->final, mode = w->mode;

	free(w);
	if (c->closing)
		return;
	if (status < 0) {
		conn_close(c, 0);
		return;
	}
	if (!final)
		return;
	sent(c, mode);
	process_input(c);
}

/* Write data (copying whatever the socket does not take at once). Returns
 * 1 when a final reply completed synchronously, else 0. */
static int
send_bytes(struct conn *c, const char *data, size_t len, int final, int mode)
{
	uv_buf_t b = uv_buf_init((char *)data, (unsigned)len);
	struct wreq *w;
	int n = uv_try_write((uv_stream_t *)&c->tcp, &b, 1);

	if (n == UV_EAGAIN || n == UV_ENOSYS)
		n = 0;
	if (n < 0) {
		conn_close(c, 0);
		return 0;
	}
	c->srv->st.bytes_out += (uint64_t)n;
	if ((size_t)n == len) {
		if (final)
			sent(c, mode);
		return final;
	}
	w = malloc(sizeof(*w) + len - (size_t)n);
	if (w == NULL) {
		conn_close(c, 0);
		return 0;
	}
	w->c = c;
	w->final = final;
	w->mode = mode;
	w->len = len - (size_t)n;
	memcpy(w->data, data + n, w->len);
	c->srv->st.bytes_out += w->len;
	b = uv_buf_init(w->data, (unsigned)w->len);
	if (uv_write(&w->req, (uv_stream_t *)&c->tcp, &b, 1, on_write) != 0) {
		free(w);
		conn_close(c, 0);
	}
	return 0;
}

static void
on_timer(uv_timer_t *t)
{
	struct conn *c = t->data;
	char *p = c->pend;

	if (c->closing)
		return;
	if (c->draining) {
		conn_close(c, 0);
		return;
	}
	c->pend = NULL;
	if (c->pend_reset) {
		free(p);
		conn_close(c, 1);
		return;
	}
	if (p != NULL && send_bytes(c, p, c->pend_len, 1, c->pend_mode))
		process_input(c);
	free(p);
}

static void
log_request(struct server *s, const struct req *q, const struct reply *r)
{
	char st[16];

	if (s->log == NULL)
		return;
	if (r->status > 0)
		snprintf(st, sizeof(st), "%d", r->status);
	else
		snprintf(st, sizeof(st), "-");
	fprintf(s->log, "%s %s %s fault=%s id=%s headers=%s\n",
		q->method[0] ? q->method : "-", q->path[0] ? q->path : "-", st,
		fault_names[r->fault], r->idlog[0] ? r->idlog : "-",
		q->names[0] ? q->names : "-");
}

static void
count_reply(struct server *s, const struct reply *r)
{
	if (r->control)
		return;
	s->st.requests++;
	if (r->status > 0 && r->status < 600)
		s->st.status[r->status]++;
	if (r->fault != F_NONE) {
		s->st.faults[r->fault]++;
		s->st.faults_total++;
	}
	if (r->delay > 0)
		s->st.delayed++;
}

/* Assemble status line, headers and body into s->out. Returns the number
 * of bytes to send (less than the whole for a truncate fault). */
static size_t
assemble(struct server *s, const struct reply *r, int mode)
{
	size_t head;

	buf_reset(&s->out);
	buf_printf(&s->out, "HTTP/1.1 %d %s\r\nContent-Type: application/json"
		   "\r\nContent-Length: %zu\r\nConnection: %s\r\n"
		   "x-request-id: req_%08" PRIx64 "\r\n%s\r\n", r->status,
		   status_text(r->status), s->body.len, mode == KEEP ?
		   "keep-alive" : "close", s->seq, s->hdrs.data ?
		   s->hdrs.data : "");
	head = s->out.len;
	if (buf_append(&s->out, s->body.data ? s->body.data : "",
		       s->body.len) != 0)
		return 0;
	return r->truncate ? head + s->body.len / 2 : s->out.len;
}

/* Send (or hold back, or withhold) the reply to the current request. */
static void
reply_send(struct conn *c, struct reply *r)
{
	struct server *s = c->srv;
	int mode = r->mode;
	size_t len;

	count_reply(s, r);
	log_request(s, &c->req, r);
	if (r->hang)
		return;
	if (r->truncate)
		mode = CLOSE_NOW;
	if (mode == KEEP && !c->req.keep_alive)
		mode = CLOSE_NOW;
	len = r->reset ? 0 : assemble(s, r, mode);
	if (!r->reset && len == 0) {
		conn_close(c, 0);
		return;
	}
	if (r->delay > 0) {
		c->pend = len > 0 ? malloc(len) : NULL;
		if (len > 0 && c->pend == NULL) {
			conn_close(c, 0);
			return;
		}
		if (len > 0)
			memcpy(c->pend, s->out.data, len);
		c->pend_len = len;
		c->pend_mode = mode;
		c->pend_reset = r->reset;
		uv_update_time(s->loop); /* the delay counts from now */
		uv_timer_start(&c->timer, on_timer, r->delay, 0);
		return;
	}
	if (r->reset)
		conn_close(c, 1);
	else
		send_bytes(c, s->out.data, len, 1, mode);
}

static void
begin(struct conn *c, struct reply *r)
{
	struct server *s = c->srv;

	memset(r, 0, sizeof(*r));
	r->mode = KEEP;
	buf_reset(&s->hdrs);
	buf_reset(&s->body);
	s->seq++;
	c->busy = 1;
	if (++s->st.inflight > s->st.inflight_max)
		s->st.inflight_max = s->st.inflight;
}

/* Reply with an error and close after draining what the peer sends. */
static void
reply_bad(struct conn *c, int status, const char *msg)
{
	struct reply r;

	begin(c, &r);
	reply_error(c->srv, &r, status, msg, "invalid_request_error", NULL);
	r.mode = CLOSE_DRAIN;
	reply_send(c, &r);
}

static void
dispatch(struct conn *c)
{
	struct server *s = c->srv;
	struct req *q = &c->req;
	struct reply r;

	begin(c, &r);
	if (strcmp(q->path, "/v1/chat/completions") == 0 &&
	    strcmp(q->method, "POST") == 0)
		handle_chat(s, q, c->in.data + q->hdr_len, q->body_len, &r);
	else
		handle_control(s, q, &r);
	reply_send(c, &r);
}

/* Find and parse the head. Returns 0 when parsed, 1 when more bytes are
 * needed, -1 when an error reply was sent. */
static int
scan_head(struct conn *c)
{
	struct server *s = c->srv;
	size_t n = c->in.len < HDR_MAX ? c->in.len : HDR_MAX;
	const char *e = memmem(c->in.data, n, "\r\n\r\n", 4);
	int rc;

	if (e == NULL) {
		if (c->in.len < HDR_MAX)
			return 1;
		reply_bad(c, 431, "Request headers too large");
		return -1;
	}
	c->req.hdr_len = (size_t)(e - c->in.data) + 4;
	rc = parse_head(s, &c->req, c->in.data, c->req.hdr_len);
	if (rc == 0 && c->req.te)
		rc = 501;
	if (rc == 0 && c->req.body_len > s->o.max_body)
		rc = 413;
	if (rc == 0)
		return 0;
	reply_bad(c, rc, rc == 413 ? "Request body too large"
		  : rc == 501 ? "Transfer-Encoding is not supported"
		  : "Malformed request");
	return -1;
}

/* Answer every complete request in the input buffer, one at a time. */
static void
process_input(struct conn *c)
{
	static const char cont[] = "HTTP/1.1 100 Continue\r\n\r\n";

	while (!c->closing && !c->busy && !c->draining && c->in.len > 0) {
		if (c->req.hdr_len == 0 && scan_head(c) != 0)
			return;
		if (c->in.len < c->req.hdr_len + c->req.body_len) {
			if (c->req.expect && !c->continued) {
				c->continued = 1;
				send_bytes(c, cont, sizeof(cont) - 1, 0, KEEP);
			}
			return;
		}
		dispatch(c);
	}
}

static void
on_alloc(uv_handle_t *h, size_t suggested, uv_buf_t *b)
{
	struct conn *c = h->data;

	(void)suggested;
	*b = uv_buf_init(c->srv->slab, sizeof(c->srv->slab));
}

static void
on_read(uv_stream_t *st, ssize_t nread, const uv_buf_t *b)
{
	struct conn *c = st->data;

	if (nread < 0) {
		conn_close(c, 0);
		return;
	}
	if (nread == 0 || c->draining || c->closing)
		return;
	c->srv->st.bytes_in += (uint64_t)nread;
	if (buf_append(&c->in, b->base, (size_t)nread) != 0) {
		conn_close(c, 0);
		return;
	}
	process_input(c);
}

static void
on_connection(uv_stream_t *ls, int status)
{
	struct server *s = ls->data;
	struct conn *c;

	if (status < 0 || s->stopping || (c = calloc(1, sizeof(*c))) == NULL)
		return;
	c->srv = s;
	uv_tcp_init(s->loop, &c->tcp);
	uv_timer_init(s->loop, &c->timer);
	c->tcp.data = c->timer.data = c;
	c->handles = 2;
	buf_init(&c->in, HDR_MAX * 2 + s->o.max_body);
	c->next = s->conns;
	if (s->conns != NULL)
		s->conns->prev = c;
	s->conns = c;
	s->st.conns_total++;
	if (++s->st.conns > s->st.conns_max)
		s->st.conns_max = s->st.conns;
	if (uv_accept(ls, (uv_stream_t *)&c->tcp) != 0 ||
	    uv_read_start((uv_stream_t *)&c->tcp, on_alloc, on_read) != 0) {
		conn_close(c, 0);
		return;
	}
	uv_tcp_nodelay(&c->tcp, 1);
}

/* ------------------------------------------------------------------ */
/* Server                                                              */

static void
on_flush(uv_timer_t *t)
{
	struct server *s = t->data;

	fflush(s->log);
}

static void
on_signal(uv_signal_t *h, int signum)
{
	struct server *s = h->data;
	struct conn *c, *next;

	(void)signum;
	if (s->stopping)
		return;
	s->stopping = 1;
	uv_close((uv_handle_t *)&s->listener, NULL);
	uv_close((uv_handle_t *)&s->sigint, NULL);
	uv_close((uv_handle_t *)&s->sigterm, NULL);
	uv_close((uv_handle_t *)&s->flush, NULL);
	for (c = s->conns; c != NULL; c = next) {
		next = c->next;
		conn_close(c, 0);
	}
}

/* Write the port to `path` through a temporary file and rename(2), so a
 * reader sees either nothing or the whole number. */
static int
write_port_file(const char *path, int port)
{
	char tmp[4096];
	FILE *f;

	if (snprintf(tmp, sizeof(tmp), "%s.tmp.%ld", path, (long)getpid())
	    >= (int)sizeof(tmp))
		return -1;
	f = fopen(tmp, "w");
	if (f == NULL)
		return -1;
	fprintf(f, "%d\n", port);
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		unlink(tmp);
		return -1;
	}
	return 0;
}

static int
start_listening(struct server *s)
{
	struct sockaddr_storage ss;
	int len = sizeof(ss), rc, port;

	if ((rc = uv_ip4_addr(s->o.host, s->o.port, (struct sockaddr_in *)&ss))
	    != 0 && (rc = uv_ip6_addr(s->o.host, s->o.port,
				       (struct sockaddr_in6 *)&ss)) != 0)
		goto fail;
	if ((rc = uv_tcp_bind(&s->listener, (struct sockaddr *)&ss, 0)) != 0 ||
	    (rc = uv_listen((uv_stream_t *)&s->listener, 4096,
			    on_connection)) != 0 ||
	    (rc = uv_tcp_getsockname(&s->listener, (struct sockaddr *)&ss,
				     &len)) != 0)
		goto fail;
	port = ntohs(ss.ss_family == AF_INET6 ?
		     ((struct sockaddr_in6 *)&ss)->sin6_port :
		     ((struct sockaddr_in *)&ss)->sin_port);
	if (s->o.port_file != NULL && write_port_file(s->o.port_file, port)) {
		fprintf(stderr, "mockllm: %s: %s\n", s->o.port_file,
			strerror(errno));
		return -1;
	}
	if (!s->o.quiet)
		fprintf(stderr, "mockllm: listening on http://%s:%d\n",
			s->o.host, port);
	return 0;
fail:
	fprintf(stderr, "mockllm: %s:%d: %s\n", s->o.host, s->o.port,
		uv_strerror(rc));
	return -1;
}

static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		setrlimit(RLIMIT_NOFILE, &rl);
	}
}

/* ------------------------------------------------------------------ */
/* Command line                                                        */

static void
usage(FILE *f)
{
	fputs("usage: mockllm [--host ADDR] [--port N] [--port-file FILE]\n"
	      "  [--log FILE] [--max-body BYTES] [--max-ids N] [--quiet]\n"
	      "  [--fault SPEC] [--fault-rate P] [--fault-first N]\n"
	      "  [--fault-seed S] [--fail-times K] [--latency MIN[-MAX]]\n"
	      "  [--rpm-limit N] [--burst N] [--tpm-limit N] [--tpm-burst N]\n"
	      "  [--require-key KEY | --require-key-env VAR] [--script FILE]\n"
	      "  [--judge] [--judge-bias GENDER] [--length-bias GENDER]\n"
	      "See tests/server/README.md.\n", f);
}

static int
num_arg(const char *name, const char *v, double lo, double hi, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(v, &end);
	if (errno != 0 || end == v || *end != '\0' || *out < lo || *out > hi) {
		fprintf(stderr, "mockllm: bad value for --%s: %s\n", name, v);
		return -1;
	}
	return 0;
}

enum {
	O_PORT_FILE = 256, O_LOG, O_MAX_BODY, O_MAX_IDS, O_FAULT, O_RATE,
	O_FIRST, O_SEED, O_TIMES, O_LATENCY, O_RPM, O_BURST, O_TPM,
	O_TPM_BURST, O_KEY, O_KEY_ENV, O_QUIET, O_HELP, O_HOST, O_PORT,
	O_SCRIPT,
	O_JUDGE = 400, O_JUDGE_BIAS, O_LENGTH_BIAS
};

static const struct option long_opts[] = {
	{ "host", required_argument, NULL, O_HOST },
	{ "port", required_argument, NULL, O_PORT },
	{ "port-file", required_argument, NULL, O_PORT_FILE },
	{ "log", required_argument, NULL, O_LOG },
	{ "max-body", required_argument, NULL, O_MAX_BODY },
	{ "max-ids", required_argument, NULL, O_MAX_IDS },
	{ "fault", required_argument, NULL, O_FAULT },
	{ "fault-rate", required_argument, NULL, O_RATE },
	{ "fault-first", required_argument, NULL, O_FIRST },
	{ "fault-seed", required_argument, NULL, O_SEED },
	{ "fail-times", required_argument, NULL, O_TIMES },
	{ "latency", required_argument, NULL, O_LATENCY },
	{ "rpm-limit", required_argument, NULL, O_RPM },
	{ "burst", required_argument, NULL, O_BURST },
	{ "tpm-limit", required_argument, NULL, O_TPM },
	{ "tpm-burst", required_argument, NULL, O_TPM_BURST },
	{ "require-key", required_argument, NULL, O_KEY },
	{ "require-key-env", required_argument, NULL, O_KEY_ENV },
	{ "quiet", no_argument, NULL, O_QUIET },
	{ "script", required_argument, NULL, O_SCRIPT },
	{ "judge", no_argument, NULL, O_JUDGE },
	{ "judge-bias", required_argument, NULL, O_JUDGE_BIAS },
	{ "length-bias", required_argument, NULL, O_LENGTH_BIAS },
	{ "help", no_argument, NULL, O_HELP },
	{ NULL, 0, NULL, 0 }
};

/* Options that take a number. Returns 0, or -1 after a message. */
static int
opt_number(struct opts *o, int c, const char *name, const char *v,
	   unsigned *times)
{
	double d;

	if (num_arg(name, v, 0, c == O_RATE ? 1 : 1e12, &d) != 0)
		return -1;
	switch (c) {
	case O_PORT: o->port = (int)d; return d > 65535 ? -1 : 0;
	case O_MAX_BODY: o->max_body = (size_t)d; break;
	case O_MAX_IDS: o->max_ids = (size_t)d; break;
	case O_RATE: o->fault_rate = d; break;
	case O_FIRST: o->fault_first = (long)d; break;
	case O_SEED: o->fault_seed = (uint64_t)d; break;
	case O_TIMES: *times = (unsigned)d; break;
	case O_RPM: o->rpm = d; break;
	case O_BURST: o->burst = d; break;
	case O_TPM: o->tpm = d; break;
	case O_TPM_BURST: o->tpm_burst = d; break;
	}
	return 0;
}

static const char *
opt_name(int c)
{
	const struct option *o;

	for (o = long_opts; o->name != NULL; o++)
		if (o->val == c)
			return o->name;
	return "?";
}

static int
opt_one(struct opts *o, int c, const char *v, unsigned *times,
	struct fault *lat)
{
	switch (c) {
	case O_HOST: o->host = v; return 0;
	case O_PORT_FILE: o->port_file = v; return 0;
	case O_LOG: o->log_path = v; return 0;
	case O_SCRIPT: o->script = v; return 0;
	case O_KEY: o->key = v; return 0;
	case O_QUIET: o->quiet = 1; return 0;
	case O_JUDGE: o->judge = 1; return 0;
	case O_JUDGE_BIAS: o->judge = 1; o->judge_bias = v; return 0;
	case O_LENGTH_BIAS: o->length_bias = v; return 0;
	case O_KEY_ENV:
		o->key = getenv(v);
		return o->key != NULL && *o->key ? 0 : -1;
	case O_FAULT:
		return fault_parse(v, &o->fault);
	case O_LATENCY:
		return parse_range(v, lat);
	default:
		return opt_number(o, c, opt_name(c), v, times);
	}
}

static int
parse_args(int argc, char **argv, struct opts *o)
{
	struct fault lat = { 0 };
	unsigned times = 0;
	int c;

	memset(o, 0, sizeof(*o));
	o->host = "127.0.0.1";
	o->max_body = BODY_MAX_DEF;
	o->max_ids = IDS_MAX_DEF;
	o->fault_rate = 1;
	o->fault_first = -1;
	o->fault_seed = 1;
	o->fault.retry_after = -1;
	while ((c = getopt_long(argc, argv, "", long_opts, NULL)) != -1) {
		if (c == O_HELP) {
			usage(stdout);
			exit(0);
		}
		if (c == '?' || opt_one(o, c, optarg, &times, &lat) != 0) {
			if (c != '?')
				fprintf(stderr, "mockllm: bad option value: "
					"%s\n", optarg);
			usage(stderr);
			return -1;
		}
	}
	if (optind < argc) {
		usage(stderr);
		return -1;
	}
	if (lat.has_latency && !o->fault.has_latency) {
		o->fault.has_latency = 1;
		o->fault.lat_min = lat.lat_min;
		o->fault.lat_max = lat.lat_max;
	}
	if (times > 0) {
		o->fault.times = times;
		if (!o->fault.set)
			o->fault.kind = F_500;
		o->fault.set = 1;
	}
	return 0;
}

/* ------------------------------------------------------------------ */

static int
server_init(struct server *s, uv_loop_t *loop)
{
	s->loop = loop;
	s->started = now_ms();
	s->ids.max = s->o.max_ids;
	rng_seed(&s->rng, s->o.fault_seed);
	if (s->o.rpm > 0)
		bucket_init(&s->rq, s->o.rpm, s->o.burst);
	if (s->o.tpm > 0)
		bucket_init(&s->tk, s->o.tpm, s->o.tpm_burst > 0 ?
			    s->o.tpm_burst : s->o.tpm);
	buf_init(&s->out, OUT_MAX + 65536);
	buf_init(&s->body, OUT_MAX + 32768);
	buf_init(&s->hdrs, 4096);
	buf_init(&s->gen, OUT_MAX);
	buf_init(&s->tmp, 4 << 20);
	if (s->o.script != NULL && script_load(&s->script, s->o.script) != 0)
		return -1;
	if (s->o.log_path != NULL) {
		s->log = fopen(s->o.log_path, "a");
		if (s->log == NULL) {
			fprintf(stderr, "mockllm: %s: %s\n", s->o.log_path,
				strerror(errno));
			return -1;
		}
		setvbuf(s->log, NULL, _IOFBF, 65536);
	}
	uv_tcp_init(loop, &s->listener);
	s->listener.data = s;
	uv_signal_init(loop, &s->sigint);
	uv_signal_init(loop, &s->sigterm);
	uv_timer_init(loop, &s->flush);
	s->sigint.data = s->sigterm.data = s->flush.data = s;
	uv_signal_start(&s->sigint, on_signal, SIGINT);
	uv_signal_start(&s->sigterm, on_signal, SIGTERM);
	if (s->log != NULL)
		uv_timer_start(&s->flush, on_flush, 100, 100);
	return 0;
}

static void
server_free(struct server *s)
{
	buf_free(&s->out);
	buf_free(&s->body);
	buf_free(&s->hdrs);
	buf_free(&s->gen);
	free(s->script.text);
	buf_free(&s->tmp);
	free(s->ids.v);
	if (s->log != NULL)
		fclose(s->log);
}

int
main(int argc, char **argv)
{
	static struct server srv;
	uv_loop_t loop;
	int rc;

	if (parse_args(argc, argv, &srv.o) != 0)
		return 2;
	signal(SIGPIPE, SIG_IGN);
	raise_nofile();
	if (uv_loop_init(&loop) != 0)
		return 1;
	if (server_init(&srv, &loop) != 0) {
		server_free(&srv);
		return 1;
	}
	if (start_listening(&srv) != 0) {
		on_signal(&srv.sigterm, SIGTERM);
		uv_run(&loop, UV_RUN_DEFAULT);
		uv_loop_close(&loop);
		server_free(&srv);
		return 1;
	}
	uv_run(&loop, UV_RUN_DEFAULT);
	rc = uv_loop_close(&loop);
	server_free(&srv);
	if (rc != 0)
		fprintf(stderr, "mockllm: loop not empty at exit: %s\n",
			uv_strerror(rc));
	return rc == 0 ? 0 : 1;
}
