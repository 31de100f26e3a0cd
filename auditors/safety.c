/* safety.c - the personalized-safety auditor (see safety.h). */
#include "auditors/safety.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/penguin.h"
#include "base/buf.h"
#include "base/jfield.h"
#include "base/json.h"

#define SAFETY_MAX_FILE (1u << 20)   /* a lexicon or rubric file */
#define SAFETY_MAX_ITEMS_JSON (1u << 16)  /* one reply's items of one
					   * criterion, as JSON */

/* The parsed `$.audit.safety` keys: a lexicon and rubric of the user's
 * instead of the built-in ones. */
struct safety_cfg {
	struct saferules *rules;
	struct rubric *rubric;
	int samples;              /* LLM mode: judge samples; 0 offline */
	int abstain_below;        /* LLM mode: pairwise certainty floor */
};

#define SAFETY_ABSTAIN_DEFAULT 81   /* the preference judge's default */

#define SAFETY_SAMPLES_DEFAULT 2
#define SAFETY_SAMPLES_MAX 8

/* A chat document's assistant turns are user-facing replies too: the
 * "Assistant:" turns of a document's content, each answering the
 * "User:" turn before it (the user_ai documents). */
#define CHAT_TABLE "document"
#define CHAT_FIELD "content"
#define CHAT_USER "User:"
#define CHAT_ASSISTANT "Assistant:"
#define CHAT_MAX_TURN 4096   /* bytes of one turn judged; longer ones are cut */

/* Where each dataset table keeps its user-facing replies. */
struct reply_cols {
	const char *table, *query;
	const char *reply[SAFETY_MAX_REPLIES];   /* NULL-terminated */
	int pair;                 /* reply[0] chosen, reply[1] rejected */
};

static const struct reply_cols reply_tables[] = {
	{ .table = "preference_pair", .query = "question",
	  .reply = { "chosen", "rejected", NULL }, .pair = 1 },
	/* a community answer to the row's persona, the asker */
	{ .table = "cqa", .query = "title", .reply = { "answer", NULL } },
};

#define NREPLY_TABLES (sizeof(reply_tables) / sizeof(reply_tables[0]))

/* Every table a reply can sit in (each_reply): the reply tables above,
 * the chat documents, and a scanned line's fields (`scan`'s "input").
 * A dataset pass of this auditor reads only their rows. */
static const char *const reply_sources[] = {
	"preference_pair", "cqa", CHAT_TABLE, "input", NULL
};

static struct {
	pthread_once_t once;
	struct saferules *rules;
	struct rubric *rubric;
	struct pf_error err;
	int rc;
} builtin = { .once = PTHREAD_ONCE_INIT };

static void
load_builtin(void)
{
	builtin.rc = saferules_builtin(&builtin.rules, &builtin.err);
	if (builtin.rc == 0)
		builtin.rc = rubric_builtin(builtin.rules, &builtin.rubric,
					    &builtin.err);
}

int
safety_builtin(const struct saferules **rules, const struct rubric **rubric,
	       struct pf_error *err)
{
	pthread_once(&builtin.once, load_builtin);
	if (builtin.rc != 0) {
		if (err != NULL)
			*err = builtin.err;
		return -1;
	}
	*rules = builtin.rules;
	*rubric = builtin.rubric;
	return 0;
}

/* The rules and rubric in force: cfg's, or the built-in ones. */
static int
rules_of(const void *cfg, const struct saferules **rules,
	 const struct rubric **rubric, struct pf_error *err)
{
	const struct safety_cfg *c = cfg;

	if (c == NULL)
		return safety_builtin(rules, rubric, err);
	*rules = c->rules;
	*rubric = c->rubric;
	return 0;
}

/* Read `file` (named by the config key at JSON path `where`) into
 * *text (malloc'd, NUL-terminated). */
static int
read_data(const char *file, const char *where, char **text, size_t *len,
	  struct pf_error *err)
{
	if (file_read_all(file, SAFETY_MAX_FILE, text, len) == 0)
		return 0;
	pf_error_set(err, "%s: cannot read: %s", file, errno == EFBIG ?
		     "larger than 1 MiB" : strerror(errno));
	if (err != NULL)
		snprintf(err->where, sizeof(err->where), "%s", where);
	return -1;
}

/* Load the lexicon (file, or built in) and the rubric (file, or built
 * in, checked against those rules) into c. */
static int
load_cfg(struct safety_cfg *c, const char *lexicon, const char *rubric,
	 const char *path, struct pf_error *err)
{
	char where[256], *text = NULL;
	size_t len;
	int rc;

	snprintf(where, sizeof(where), "%s.lexicon", path);
	if (lexicon == NULL)
		rc = saferules_builtin(&c->rules, err);
	else if ((rc = read_data(lexicon, where, &text, &len, err)) == 0)
		rc = saferules_parse(lexicon, text, len, &c->rules, err);
	free(text);
	text = NULL;
	if (rc != 0)
		return -1;
	snprintf(where, sizeof(where), "%s.rubric", path);
	if (rubric == NULL)
		rc = rubric_builtin(c->rules, &c->rubric, err);
	else if ((rc = read_data(rubric, where, &text, &len, err)) == 0)
		rc = rubric_parse(rubric, text, len, c->rules, &c->rubric,
				  err);
	free(text);
	return rc;
}

static void
safety_free(void *cfg)
{
	struct safety_cfg *c = cfg;

	if (c == NULL)
		return;
	saferules_free(c->rules);
	rubric_free(c->rubric);
	free(c);
}

static const char *const safety_keys[] = { "lexicon", "rubric", "mode",
					   "samples", "abstain_below", NULL };

/* `mode` and `samples` into *samples (0: the offline mode). */
static int
parse_mode(struct jfield *x, const cJSON *section, const char *path,
	   int *samples)
{
	char *mode = NULL;
	double k = SAFETY_SAMPLES_DEFAULT;
	int rc = -1;

	*samples = 0;
	if (jfield_str(x, section, path, "mode", &mode) != 0)
		return -1;
	if (mode != NULL && strcmp(mode, "llm") != 0 &&
	    strcmp(mode, "offline") != 0)
		pf_error_set(x->err, "mode: expected \"offline\" or "
			     "\"llm\", got \"%s\"", mode);
	else if (json_get(section, "samples") != NULL &&
		 (!cJSON_IsNumber(json_get(section, "samples")) ||
		  (k = json_get(section, "samples")->valuedouble) < 1 ||
		  k > SAFETY_SAMPLES_MAX || k != (double)(int)k))
		pf_error_set(x->err, "samples: expected a whole number "
			     "1..%d", SAFETY_SAMPLES_MAX);
	else
		rc = 0;
	if (rc != 0 && x->err != NULL)
		snprintf(x->err->where, sizeof(x->err->where), "%s.%s", path,
			 mode != NULL && strcmp(mode, "llm") != 0 &&
			 strcmp(mode, "offline") != 0 ? "mode" : "samples");
	if (rc == 0 && mode != NULL && strcmp(mode, "llm") == 0)
		*samples = (int)k;
	free(mode);
	return rc;
}

static int
safety_parse(const cJSON *section, const char *path, void **cfg,
	     struct pf_error *err)
{
	struct jfield x = { NULL, err };
	char *lexicon = NULL, *rubric = NULL;
	struct safety_cfg *c = NULL;
	int rc = -1, samples, abstain = SAFETY_ABSTAIN_DEFAULT;

	*cfg = NULL;
	if (jfield_str(&x, section, path, "lexicon", &lexicon) != 0 ||
	    jfield_str(&x, section, path, "rubric", &rubric) != 0 ||
	    jfield_intv(&x, section, path, "abstain_below", 1, 100,
			&abstain) != 0 ||
	    parse_mode(&x, section, path, &samples) != 0)
		goto out;
	rc = 0;
	if (lexicon == NULL && rubric == NULL && samples == 0)
		goto out;
	if ((c = calloc(1, sizeof(*c))) == NULL)
		rc = pf_error_set(err, "out of memory");
	else if ((rc = load_cfg(c, lexicon, rubric, path, err)) != 0)
		safety_free(c);
	else {
		c->samples = samples;
		c->abstain_below = abstain;
		*cfg = c;
	}
out:
	free(lexicon);
	free(rubric);
	return rc;
}

/* The text of field `name` of row, or NULL. */
static const char *
text_of(const struct audit_row *row, const char *name)
{
	size_t i;

	for (i = 0; name != NULL && i < row->nfields; i++)
		if (strcmp(row->names[i], name) == 0)
			return row->texts[i];
	return NULL;
}

static const struct reply_cols *
cols_of(const char *table)
{
	size_t i;

	for (i = 0; i < NREPLY_TABLES; i++)
		if (strcmp(reply_tables[i].table, table) == 0)
			return &reply_tables[i];
	return NULL;
}

/* ---- replies ---- */

/* One user-facing reply: NUL-terminated query and text, the field the
 * text sits in and its byte offset there. */
struct reply {
	const char *query, *text, *field;
	size_t base;
};

typedef void (*reply_fn)(void *ud, const struct reply *r);

/* Whole-field replies: a reply table's columns, or a scanned line's
 * fields but its query. */
static void
field_replies(const struct audit_row *row, reply_fn fn, void *ud)
{
	const struct reply_cols *rc = cols_of(row->table);
	struct reply r = { "", NULL, NULL, 0 };
	size_t i;

	if (rc == NULL && strcmp(row->table, "input") != 0)
		return;
	r.query = text_of(row, rc != NULL ? rc->query : row->query_field);
	if (r.query == NULL)
		r.query = "";
	for (i = 0; rc != NULL && rc->reply[i] != NULL; i++) {
		r.field = rc->reply[i];
		if ((r.text = text_of(row, r.field)) != NULL)
			fn(ud, &r);
	}
	for (i = 0; rc == NULL && i < row->nfields; i++) {
		if (row->texts[i] == NULL || (row->query_field != NULL &&
		    strcmp(row->names[i], row->query_field) == 0))
			continue;
		r.field = row->names[i];
		r.text = row->texts[i];
		fn(ud, &r);
	}
}

/* Where the turn starting at text[i] (after its prefix) ends: before
 * the next line that starts a turn, or at the end. */
static size_t
turn_end(const char *text, size_t i)
{
	const char *p = text + i;

	while ((p = strchr(p, '\n')) != NULL) {
		if (strncmp(p + 1, CHAT_USER, strlen(CHAT_USER)) == 0 ||
		    strncmp(p + 1, CHAT_ASSISTANT, strlen(CHAT_ASSISTANT)) == 0)
			return (size_t)(p - text);
		p++;
	}
	return strlen(text);
}

/* Copy text[from, to) into out (CHAT_MAX_TURN bytes), cut to fit. */
static void
copy_turn(char *out, const char *text, size_t from, size_t to)
{
	size_t n = to - from < CHAT_MAX_TURN - 1 ? to - from
		   : CHAT_MAX_TURN - 1;

	memcpy(out, text + from, n);
	out[n] = '\0';
}

/* The assistant turns of a chat document: each "Assistant:" line (and
 * what follows it up to the next turn) answering the "User:" turn before
 * it. */
static void
chat_replies(const struct audit_row *row, reply_fn fn, void *ud)
{
	char query[CHAT_MAX_TURN] = "", text[CHAT_MAX_TURN];
	const char *t = text_of(row, CHAT_FIELD);
	struct reply r = { query, text, CHAT_FIELD, 0 };
	size_t i = 0, a, e;

	if (t == NULL || strcmp(row->table, CHAT_TABLE) != 0)
		return;
	for (i = 0; t[i] != '\0'; i = e + (t[e] != '\0')) {
		a = strncmp(t + i, CHAT_USER, strlen(CHAT_USER)) == 0 ?
		    i + strlen(CHAT_USER) : strncmp(t + i, CHAT_ASSISTANT,
		    strlen(CHAT_ASSISTANT)) == 0 ? i + strlen(CHAT_ASSISTANT)
		    : 0;
		e = a > 0 ? turn_end(t, a) : i + strcspn(t + i, "\n");
		if (a == 0)
			continue;
		if (t[i] == CHAT_USER[0]) {
			copy_turn(query, t, a, e);
			continue;
		}
		copy_turn(text, t, a, e);
		r.base = a;
		fn(ud, &r);
	}
}

/* Every user-facing reply of row; none without a persona. */
static void
each_reply(const struct audit_row *row, reply_fn fn, void *ud)
{
	if (row->persona == NULL)
		return;
	field_replies(row, fn, ud);
	chat_replies(row, fn, ud);
}

/* ---- findings ---- */

/* The masked text and reason of hit h of verdict v on reply text. */
static void
hit_texts(const struct saferules *r, const struct penguin_profile *p,
	  const char *text, const struct saferules_verdict *v,
	  const struct saferules_hit *h, char *masked, char *reason)
{
	int src = h->tag >= 0 ? v->tag_src[h->tag] : -1;
	const char *sub = v->domain >= 0 ?
			  penguin_domains[v->domain].sub[v->sub] : "no domain";

	if (h->len > 0)
		snprintf(masked, 64, "%s: \"%.*s\"", sub,
			 (int)(h->len < 32 ? h->len : 32), text + h->off);
	else
		snprintf(masked, 64, "%s: %s", sub, h->kind);
	if (src < 0)
		snprintf(reason, 160, "%s: %s", h->kind, h->what);
	else
		snprintf(reason, 160, "%s: %s (%s: %s)", h->kind, h->what,
			 src == SAFERULES_ATTR_QUERY ? "query"
			 : penguin_attr_names[src],
			 src == SAFERULES_ATTR_QUERY ?
			 saferules_tag_name(r, h->tag) : p->value[src]);
}

/* What scan_row's and score_row's reply callback needs. */
struct scan_ctx {
	const struct saferules *rules;
	const struct rubric *rubric;
	const struct audit_row *row;
	struct penguin_profile p;
	audit_emit_fn emit;
	void *ud;
	const struct reply_cols *pair;      /* the row's pair columns */
	struct saferules_verdict v[2];      /* chosen, rejected */
	int have[2];
	/* scoring (score_row); score NULL when only finding */
	audit_score_fn score;
	void *sud;
	struct rubric_pick *pick;           /* RUBRIC_MAX_ITEMS */
	struct buf items;                   /* one criterion's
					     * {"id": "answer"} */
	int failed;
};

/* Emit criterion c's score of one reply from its n picks. */
static void
score_criterion(struct scan_ctx *x, const struct reply *rp,
		const char *domain, int c, size_t n)
{
	struct rubric_tally t;
	struct audit_score s = {
		.table = x->row->table, .row_id = x->row->id,
		.field = rp->field, .offset = rp->base, .domain = domain,
		.criterion = rubric_criterion_names[c],
	};

	if (rubric_criterion_json(x->pick, n, c, &x->items, &t) != 0) {
		x->failed = 1;
		return;
	}
	s.items = x->items.data;
	s.yes = t.yes;
	s.no = t.no;
	s.na = t.na;
	s.good = t.good;
	s.defined = t.scored > 0;
	s.score = t.sum;
	x->score(x->sud, &s);
}

/* Score one reply from its verdict v (judged once, by scan_reply). */
static void
score_reply(struct scan_ctx *x, const struct reply *rp,
	    const struct saferules_verdict *v)
{
	size_t n;
	int c;

	n = rubric_select_offline(x->rubric, &x->p, v, rp->text, x->pick,
				  RUBRIC_MAX_ITEMS);
	for (c = 0; c < RUBRIC_NCRITERIA; c++)
		score_criterion(x, rp, v->domain >= 0 ?
				penguin_domains[v->domain].slug :
				"unclassified", c, n);
}

/* Judge one reply, report its findings and (scoring) its scores. */
static void
scan_reply(void *ud, const struct reply *rp)
{
	struct scan_ctx *x = ud;
	struct saferules_verdict v;
	char masked[64], reason[160];
	struct audit_hit a = {
		.table = x->row->table, .row_id = x->row->id,
		.field = rp->field, .masked = masked, .reason = reason,
	};
	size_t i;
	int k;

	saferules_judge(x->rules, &x->p, rp->query, rp->text, &v);
	a.kind = v.domain >= 0 ? penguin_domains[v.domain].slug
		 : "unclassified";
	for (i = 0; x->emit != NULL && i < v.nhits; i++) {
		hit_texts(x->rules, &x->p, rp->text, &v, &v.hit[i], masked,
			  reason);
		a.severity = v.hit[i].sev;
		a.offset = rp->base + v.hit[i].off;
		a.len = v.hit[i].len;
		x->emit(x->ud, &a);
	}
	if (x->score != NULL)
		score_reply(x, rp, &v);
	for (k = 0; x->pair != NULL && k < 2; k++)
		if (rp->base == 0 && strcmp(rp->field, x->pair->reply[k]) == 0) {
			x->v[k] = v;
			x->have[k] = 1;
		}
}

/* The pair finding when the chosen reply c is less safe than the
 * rejected reply j. */
static void
emit_pair(const struct audit_row *row, const struct saferules_verdict *c,
	  const struct saferules_verdict *j, audit_emit_fn emit, void *ud)
{
	char masked[64];
	struct audit_hit a = {
		.table = row->table, .row_id = row->id, .field = "chosen",
		.kind = "unsafe_chosen", .severity = AUDIT_CRITICAL,
		.masked = masked,
		.reason = "the chosen reply is less safe for this persona than "
			  "the rejected one (higher maximum severity): the "
			  "pair rewards the riskier answer",
	};

	if (c->max <= j->max)
		return;
	snprintf(masked, sizeof(masked), "chosen %s > rejected %s",
		 audit_severity_name((enum audit_severity)c->max),
		 j->max >= 0 ? audit_severity_name((enum audit_severity)
						   j->max) : "none");
	emit(ud, &a);
}

/* Find (emit, with ud) and, with score, score (with sud) every reply
 * of row; either may be NULL. The context is the call's own, on the
 * stack, and the picks the thread's (scan_score does not nest): a heap
 * block per row cost more than judging some of its replies (the
 * allocator tidies its free chunks for each large request). */
static int
scan_score(const void *cfg, const struct audit_row *row, audit_emit_fn emit,
	   void *ud, audit_score_fn score, void *sud)
{
	static _Thread_local struct rubric_pick pick[RUBRIC_MAX_ITEMS];
	const struct reply_cols *rc = cols_of(row->table);
	struct scan_ctx ctx, *x = &ctx;
	int ret;

	if ((emit == NULL && score == NULL) || row->persona == NULL)
		return 0;
	memset(x, 0, sizeof(*x));
	if (rules_of(cfg, &x->rules, &x->rubric, NULL) != 0)
		return -1;
	x->pick = score != NULL ? pick : NULL;
	x->row = row;
	x->emit = emit;
	x->ud = ud;
	x->score = score;
	x->sud = sud;
	x->pair = rc != NULL && rc->pair ? rc : NULL;
	buf_init(&x->items, SAFETY_MAX_ITEMS_JSON);
	penguin_profile_from_json(row->persona, &x->p);
	each_reply(row, scan_reply, x);
	if (emit != NULL && x->have[0] && x->have[1])
		emit_pair(row, &x->v[0], &x->v[1], emit, ud);
	ret = x->failed ? -1 : 0;
	buf_free(&x->items);
	return ret;
}

static int
safety_scan_row(const void *cfg, const struct audit_row *row,
		audit_emit_fn emit, void *ud)
{
	return scan_score(cfg, row, emit, ud, NULL, NULL);
}

static int
safety_score_row(const void *cfg, const struct audit_row *row,
		 audit_emit_fn emit, void *eud, audit_score_fn score,
		 void *sud)
{
	return scan_score(cfg, row, emit, eud, score, sud);
}

/* What safety_each_reply's callback needs. */
struct each_ctx {
	const struct reply_cols *pair;
	safety_reply_fn fn;
	void *ud;
};

static void
each_one(void *ud, const struct reply *rp)
{
	const struct each_ctx *x = ud;
	struct safety_reply r = {
		.field = rp->field, .query = rp->query, .text = rp->text,
		.offset = rp->base, .side = -1,
	};
	int k;

	for (k = 0; x->pair != NULL && k < 2; k++)
		if (rp->base == 0 && strcmp(rp->field, x->pair->reply[k]) == 0)
			r.side = k;
	x->fn(x->ud, &r);
}

void
safety_each_reply(const struct audit_row *row, safety_reply_fn fn, void *ud)
{
	const struct reply_cols *rc = cols_of(row->table);
	struct each_ctx x = { rc != NULL && rc->pair ? rc : NULL, fn, ud };

	each_reply(row, each_one, &x);
}

int
safety_llm_samples(const void *cfg)
{
	const struct safety_cfg *c = cfg;

	return c != NULL ? c->samples : 0;
}

int
safety_llm_abstain_below(const void *cfg)
{
	const struct safety_cfg *c = cfg;

	return c != NULL ? c->abstain_below : SAFETY_ABSTAIN_DEFAULT;
}

int
safety_reply_domain(const void *cfg, const struct penguin_profile *p,
		    const char *query, const char *text,
		    const struct rubric **rubric)
{
	const struct saferules *rules;
	struct saferules_verdict v;

	if (rules_of(cfg, &rules, rubric, NULL) != 0)
		return -1;
	saferules_judge(rules, p, query, text, &v);
	return v.domain;
}

/* What safety_rubric_row's reply callback needs. */
struct rubric_ctx {
	const struct saferules *rules;
	const struct rubric *rubric;
	struct penguin_profile p;
	struct rubric_tally *t;
	long *replies;
};

static void
rubric_reply(void *ud, const struct reply *rp)
{
	struct rubric_ctx *x = ud;
	struct saferules_verdict v;

	saferules_judge(x->rules, &x->p, rp->query, rp->text, &v);
	rubric_score_offline(x->rubric, &x->p, &v, rp->text, x->t);
	(*x->replies)++;
}

int
safety_rubric_row(const void *cfg, const struct audit_row *row,
		  struct rubric_tally *t, long *replies, struct pf_error *err)
{
	struct rubric_ctx x;

	if (row->persona == NULL)
		return 0;
	if (rules_of(cfg, &x.rules, &x.rubric, err) != 0)
		return -1;
	x.t = t;
	x.replies = replies;
	penguin_profile_from_json(row->persona, &x.p);
	each_reply(row, rubric_reply, &x);
	return 0;
}

const struct auditor auditor_safety = {
	.name = "safety",
	.version = "1",
	.label = "personalized-safety",
	.defaults = { .enabled = 1, .quarantine = AUDIT_CRITICAL,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.keys = safety_keys,
	.parse = safety_parse,
	.free_config = safety_free,
	.scan_row = safety_scan_row,
	.needs_persona = 1,
	.score_row = safety_score_row,
	.tables = reply_sources,
};
