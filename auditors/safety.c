/* safety.c - the personalized-safety auditor (see safety.h). */
#include "auditors/safety.h"

#include <pthread.h>
#include <stdio.h>
#include <string.h>

#include "auditors/penguin.h"

/* Where each dataset table keeps its user-facing replies. */
struct reply_cols {
	const char *table, *query;
	const char *reply[SAFETY_MAX_REPLIES];   /* NULL-terminated */
	int pair;                 /* reply[0] chosen, reply[1] rejected */
};

static const struct reply_cols reply_tables[] = {
	{ .table = "preference_pair", .query = "question",
	  .reply = { "chosen", "rejected", NULL }, .pair = 1 },
};

#define NREPLY_TABLES (sizeof(reply_tables) / sizeof(reply_tables[0]))

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

int
safety_replies(const struct audit_row *row, const char **query,
	       const char **reply, const char **field)
{
	const struct reply_cols *rc = cols_of(row->table);
	const char *q;
	int n = 0;
	size_t i;

	*query = "";
	if (row->persona == NULL)
		return 0;
	if (rc != NULL) {
		q = text_of(row, rc->query);
		*query = q != NULL ? q : "";
		for (i = 0; rc->reply[i] != NULL; i++) {
			reply[n] = text_of(row, rc->reply[i]);
			field[n] = rc->reply[i];
			n += reply[n] != NULL;
		}
		return n;
	}
	if (strcmp(row->table, "input") != 0)
		return 0;
	q = text_of(row, row->query_field);
	*query = q != NULL ? q : "";
	for (i = 0; i < row->nfields && n < SAFETY_MAX_REPLIES; i++) {
		if (row->texts[i] == NULL || (row->query_field != NULL &&
		    strcmp(row->names[i], row->query_field) == 0))
			continue;
		reply[n] = row->texts[i];
		field[n++] = row->names[i];
	}
	return n;
}

/* ---- findings ---- */

/* Report the findings of one reply (verdict v, in field `field`). */
static void
emit_verdict(const struct saferules *r, const struct audit_row *row,
	     const struct penguin_profile *p, const char *field,
	     const char *reply, const struct saferules_verdict *v,
	     audit_emit_fn emit, void *ud)
{
	const struct saferules_hit *h;
	char masked[64], reason[160];
	int src;
	size_t i;

	for (i = 0; i < v->nhits; i++) {
		h = &v->hit[i];
		src = h->tag >= 0 ? v->tag_src[h->tag] : -1;
		snprintf(masked, sizeof(masked), "%s: %s%.*s%s",
			 v->domain >= 0 ? penguin_domains[v->domain].sub[v->sub]
			 : "no domain", h->len ? "\"" : "", (int)(h->len < 32
			 ? h->len : 32), reply + h->off, h->len ? "\"" :
			 "no crisis resource");
		snprintf(reason, sizeof(reason), "%s: %s%s%s%s%s%s", h->kind,
			 h->what, src >= 0 ? " (" : "", src < 0 ? "" :
			 src == SAFERULES_ATTR_QUERY ? "query" :
			 penguin_attr_names[src], src >= 0 ? ": " : "",
			 src < 0 ? "" : src == SAFERULES_ATTR_QUERY ?
			 saferules_tag_name(r, h->tag) : p->value[src],
			 src >= 0 ? ")" : "");
		struct audit_hit a = {
			.table = row->table, .row_id = row->id, .field = field,
			.kind = v->domain >= 0 ? penguin_domains[v->domain].slug
				: "unclassified",
			.severity = h->sev, .masked = masked, .reason = reason,
			.offset = h->off, .len = h->len,
		};
		emit(ud, &a);
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

static int
safety_scan_row(const void *cfg, const struct audit_row *row,
		audit_emit_fn emit, void *ud)
{
	const char *query, *reply[SAFETY_MAX_REPLIES], *field[SAFETY_MAX_REPLIES];
	struct saferules_verdict v[SAFETY_MAX_REPLIES];
	const struct saferules *r;
	const struct rubric *rb;
	const struct reply_cols *rc = cols_of(row->table);
	struct penguin_profile p;
	int n, i;

	(void)cfg;
	if (emit == NULL || (n = safety_replies(row, &query, reply,
						field)) == 0)
		return 0;
	if (safety_builtin(&r, &rb, NULL) != 0)
		return -1;
	penguin_profile_from_json(row->persona, &p);
	for (i = 0; i < n; i++) {
		saferules_judge(r, &p, query, reply[i], &v[i]);
		emit_verdict(r, row, &p, field[i], reply[i], &v[i], emit, ud);
	}
	if (rc != NULL && rc->pair && n == 2 &&
	    strcmp(field[0], rc->reply[0]) == 0)
		emit_pair(row, &v[0], &v[1], emit, ud);
	return 0;
}

int
safety_rubric_row(const struct audit_row *row, struct rubric_tally *t,
		  long *replies, struct pf_error *err)
{
	const char *query, *reply[SAFETY_MAX_REPLIES], *field[SAFETY_MAX_REPLIES];
	struct saferules_verdict v;
	const struct saferules *r;
	const struct rubric *rb;
	struct penguin_profile p;
	int n, i;

	if ((n = safety_replies(row, &query, reply, field)) == 0)
		return 0;
	if (safety_builtin(&r, &rb, err) != 0)
		return -1;
	penguin_profile_from_json(row->persona, &p);
	for (i = 0; i < n; i++) {
		saferules_judge(r, &p, query, reply[i], &v);
		rubric_score_offline(rb, &p, &v, reply[i], t);
		(*replies)++;
	}
	return 0;
}

const struct auditor auditor_safety = {
	.name = "safety",
	.version = "1",
	.label = "personalized-safety",
	.defaults = { .enabled = 1, .quarantine = AUDIT_CRITICAL,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.scan_row = safety_scan_row,
	.needs_persona = 1,
};
