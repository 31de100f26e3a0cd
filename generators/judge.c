/* judge.c - stage "judge": the persona judges each preference pair in
 * both orders (BPC), k samples each (MEC), rationale before verdict,
 * with a verbal certainty 1-100 (personalized-judge bands) and "tie"
 * allowed.
 *
 * Item idx is pair idx / 2k, order (idx / k) mod 2 ("AB" shows the
 * pair's response_a (x) first, "BA" its response_b (y)), sample idx mod
 * k. A sample whose verdict is not "A", "B" or "tie", whose certainty is
 * not 1..100, or whose rationale breaks the quoting rule (quote four or
 * more consecutive words of the answer it prefers and none of the other,
 * never name an answer by position) is dropped and counted. The pair's
 * last item waits for the other 2k - 1 and writes the pair's row: every
 * valid sample mapped back to x, y or tie, the majority verdict of both
 * orders; a flip under the swap is a tie, a mean certainty under
 * abstain_below an abstention; BPDE (natural log) over the verdicts.
 *
 * Offline the judge reads the two answers against the persona's stated
 * preferences (prefview.h): on the pair's axis it measures both answers
 * and prefers the one on the side the persona states; no stated
 * preference, or no difference, is a tie. */
#include "generators/stages.h"
#include "generators/config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/json.h"
#include "base/rng.h"
#include "base/vote.h"
#include "generators/pairs.h"
#include "generators/prefview.h"
#include "generators/text.h"
#include "output/writer.h"

#define QUOTE_WORDS 6    /* words the offline judge quotes */
#define QUOTE_MAX 256

struct judge_pos {
	uint32_t pair;
	int order;           /* 0 "AB", 1 "BA" */
	int sample;
	int k;
};

static void
pos_of(const struct pf_config *cfg, uint32_t idx, struct judge_pos *jp)
{
	jp->k = gen_cfg(cfg)->judge_samples;
	jp->pair = idx / (uint32_t)(2 * jp->k);
	jp->order = (int)(idx / (uint32_t)jp->k) % 2;
	jp->sample = (int)(idx % (uint32_t)jp->k);
}

static int
is_last(const struct judge_pos *jp)
{
	return jp->order == 1 && jp->sample == jp->k - 1;
}

static int
judge_count(const struct pf_config *cfg)
{
	return gen_cfg(cfg)->pairs * 2 * gen_cfg(cfg)->judge_samples;
}

/* Every item waits for its pair; the pair's last item also for the
 * pair's other judge items, whose replies it aggregates. */
static int
judge_deps(const struct unit *u, uint32_t idx, struct stage_dep *d)
{
	int k = u->count[GEN_JUDGE] / (u->count[GEN_PREFERENCE] > 0 ?  /* 2k */
				       u->count[GEN_PREFERENCE] : 1);
	uint32_t first = idx - idx % (uint32_t)k, i;
	int n = 0;

	d[n++] = (struct stage_dep){ GEN_PREFERENCE, idx / (uint32_t)k };
	if (idx % (uint32_t)k != (uint32_t)k - 1)
		return n;
	for (i = first; i < idx && n < STAGE_MAX_DEPS; i++)
		d[n++] = (struct stage_dep){ GEN_JUDGE, i };
	return n;
}

/* The answers of the pair as shown in this item's order. */
static void
shown(const cJSON *p, int order, const char **first, const char **second)
{
	const char *x = json_get_str(p, "response_a", "");
	const char *y = json_get_str(p, "response_b", "");

	*first = order == 0 ? x : y;
	*second = order == 0 ? y : x;
}

/* 1 if one of the words st[i .. i + n - 2] ends a sentence or a clause
 * (a quote across "... soon. Then ..." reads as two fragments). */
static int
spans_break(const char *const *en, int i, int n)
{
	int k;

	for (k = i; k < i + n - 1; k++)
		if (strchr(".;:!?", en[k][-1]) != NULL)
			return 1;
	return 0;
}

/* Where a quote of pick_quote() must stand on pass `pass` (0 the
 * strictest): at the opening of a sentence (passes 0 and 2), inside one
 * sentence (passes 0 to 3). Tried before the quote is copied out: most
 * runs of the early passes fail here. */
static int
quote_placed(int pass, const char *const *en, int i)
{
	if ((pass == 0 || pass == 2) && i > 0 &&
	    strchr(".!?", en[i - 1][-1]) == NULL)
		return 0;
	return pass >= 4 || !spans_break(en, i, QUOTE_WORDS);
}

/* Whether quote q leans as pass `pass` wants: to the wanted pole of
 * axis a on passes 0 and 1, on the marker axes (the words the
 * persona's reason is about). */
static int
quote_leans(int pass, const char *q, enum pref_axis a, int want)
{
	int markers = a == AXIS_TONE || a == AXIS_EXPERTISE ||
		      a == AXIS_REGISTER;

	return pass >= 2 || !markers || pref_measure(a, q) * want > 0;
}

/* A run of QUOTE_WORDS words of `win` sharing no four-word run with
 * `lose`, copied as it stands into q[n], the best that quote_placed()
 * and quote_leans() allow for axis a and the stated preference want; 0
 * if there is none. */
static int
pick_quote(const char *win, const char *lose, enum pref_axis a, int want,
	   char *q, size_t n)
{
	const char *st[512], *en[512], *s = win;
	int nw = 0, i, k, pass;
	size_t len;

	while (*s != '\0' && nw < 512) {
		while (*s == ' ')
			s++;
		if (*s == '\0')
			break;
		st[nw] = s;
		while (*s != '\0' && *s != ' ')
			s++;
		en[nw++] = s;
	}
	for (pass = 0; pass < 5; pass++)
		for (i = 0; i + QUOTE_WORDS <= nw; i++) {
			if (!quote_placed(pass, en, i))
				continue;
			/* the run as it stands, cut to fit q (no NUL in it) */
			len = (size_t)(en[i + QUOTE_WORDS - 1] - st[i]);
			len = len < n ? len : n - 1;
			memcpy(q, st[i], len);
			q[len] = '\0';
			if (strchr(q, '"') != NULL)   /* no quotes in a quote */
				continue;
			k = (int)strlen(q);   /* no trailing punctuation */
			while (k > 0 && strchr(".,;:!?", q[k - 1]) != NULL)
				q[--k] = '\0';
			if (quote_leans(pass, q, a, want) &&
			    pref_words(q) >= 4 && !pref_shares_run(q, lose, 4))
				return 1;
		}
	return 0;
}

struct offline_verdict {
	const char *verdict;   /* "A", "B" or "tie" */
	int certainty;
	int want;              /* the stated preference on the axis */
	char quote[QUOTE_MAX];
};

/* Decide from the two answers as shown against the stated preference on
 * the pair's axis; the certainty grows with the difference and moves a
 * little per sample (the item's seed). */
static void
decide(const struct stage_ctx *sc, const struct pref_pair *pp,
       const char *first, const char *second, struct offline_verdict *ov)
{
	int stated[AXIS_N], m1, m2, strong, hi_first;
	enum pref_axis a = pp->views->axis;
	struct rng r;

	memset(ov, 0, sizeof(*ov));
	rng_seed(&r, rng_derive(sc->seed, "judge-certainty", 0, 0));
	pref_stated(gen_persona(sc->u), stated);
	ov->want = stated[a];
	m1 = a == AXIS_PERSONA ? pref_pair_fit(sc, pp, first) :
	     pref_measure(a, first);
	m2 = a == AXIS_PERSONA ? pref_pair_fit(sc, pp, second) :
	     pref_measure(a, second);
	if (ov->want == 0 || m1 == m2) {
		ov->verdict = "tie";
		ov->certainty = 55 + (int)rng_below(&r, 21);
		return;
	}
	hi_first = m1 > m2;
	ov->verdict = hi_first == (ov->want > 0) ? "A" : "B";
	strong = a == AXIS_LENGTH ? 2 * (m1 > m2 ? m1 : m2) >=
		 3 * (m1 > m2 ? m2 : m1) : abs(m1 - m2) >= 2;
	ov->certainty = (strong ? 84 : 74) + (int)rng_below(&r, 13);
	if (!pick_quote(ov->verdict[0] == 'A' ? first : second,
			ov->verdict[0] == 'A' ? second : first, a, ov->want,
			ov->quote, sizeof(ov->quote))) {
		ov->verdict = "tie";
		ov->certainty = 60;
	}
}

/* The offline reply's parts: verdict and certainty in judge.offline_*,
 * the rationale (grammar rule "rationale" or "rationale_tie", with the
 * quote in judge.quote) in offline.rationale. A rendered rationale that
 * would break the quoting rule falls back to the bare quote. */
static int
offline_judge(struct stage_ctx *sc, const struct pref_pair *pp,
	      const char *first, const char *second, cJSON *v, cJSON *o,
	      struct pf_error *err)
{
	struct offline_verdict ov;
	const char *lose, *r;
	cJSON *off, *it;
	char fb[QUOTE_MAX + 64];
	int tie;

	decide(sc, pp, first, second, &ov);
	tie = strcmp(ov.verdict, "tie") == 0;
	lose = ov.verdict[0] == 'A' ? second : first;
	cJSON_AddStringToObject(o, "offline_verdict", ov.verdict);
	cJSON_AddNumberToObject(o, "offline_certainty", ov.certainty);
	cJSON_AddStringToObject(o, "quote", ov.quote);
	cJSON_AddNumberToObject(o, "want", ov.want);
	if (gen_text(sc, "preference", tie ? "rationale_tie" : "rationale",
		     rng_derive(sc->seed, "rationale", 0, 0), v, "rationale",
		     err) != 0)
		return -1;
	off = cJSON_GetObjectItemCaseSensitive(v, "offline");
	it = cJSON_GetObjectItemCaseSensitive(off, "rationale");
	r = cJSON_GetStringValue(it);
	if (r == NULL || tie || (!pref_shares_run(r, lose, 4) &&
				 !pref_names_position(r)))
		return 0;
	snprintf(fb, sizeof(fb), "\"%s\" is what I was looking for.",
		 ov.quote);
	cJSON_ReplaceItemInObjectCaseSensitive(off, "rationale",
					       cJSON_CreateString(fb));
	return 0;
}

/* The persona's stated preferences, one sentence per axis. */
static cJSON *
stated_json(const struct persona *p)
{
	cJSON *a = cJSON_CreateArray();
	int st[AXIS_N], i;

	pref_stated(p, st);
	for (i = 0; a != NULL && i < AXIS_N; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(
			pref_stated_text((enum pref_axis)i, st[i])));
	return a;
}

static int
judge_vars(struct stage_ctx *sc, cJSON *v, struct pf_error *err)
{
	const cJSON *p;
	struct judge_pos jp;
	struct pref_pair pp;
	const char *first, *second;
	cJSON *o = cJSON_AddObjectToObject(v, "judge");

	pos_of(sc->cfg, sc->idx, &jp);
	p = unit_reply(sc->u, GEN_PREFERENCE, jp.pair);
	if (o == NULL || p == NULL)
		return pf_error_set(err, "preference reply missing");
	pref_pair_of(sc, jp.pair, &pp);
	shown(p, jp.order, &first, &second);
	/* The pair's texts referenced, not copied: the preference reply
	 * this item depends on is kept while it renders, and its vars are
	 * freed after (engine/scheduler.c, render_on). */
	cJSON_AddItemToObject(o, "question", cJSON_CreateStringReference(
		json_get_str(p, "question", "")));
	cJSON_AddItemToObject(o, "answer_a",
			      cJSON_CreateStringReference(first));
	cJSON_AddItemToObject(o, "answer_b",
			      cJSON_CreateStringReference(second));
	cJSON_AddStringToObject(o, "order", jp.order ? "BA" : "AB");
	cJSON_AddNumberToObject(o, "sample", jp.sample);
	cJSON_AddStringToObject(o, "axis", pref_axis_names[pp.views->axis]);
	cJSON_AddItemToObject(o, "stated", stated_json(gen_persona(sc->u)));
	if (!sc->offline)
		return 0;
	return offline_judge(sc, &pp, first, second, v, o, err);
}

/* One judge sample, read back. */
struct sample {
	int valid;
	char mapped;         /* 'x', 'y' or 't' (tie) */
	const char *raw;     /* "A", "B", "tie" as given */
	int certainty;
	const char *rationale;
	int order, sample;
};

/* Read reply r of order `order` against the pair's reply p into *sm
 * (sm->valid 0 when it fails to parse or breaks the rationale rule). */
static void
read_sample(const cJSON *p, int order, const cJSON *r, struct sample *sm)
{
	const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "certainty");
	const char *v = json_get_str(r, "verdict", ""), *first, *second;
	const char *win, *lose;
	double cv = cJSON_IsNumber(c) ? c->valuedouble : -1;

	sm->valid = 0;
	sm->raw = v;
	sm->rationale = json_get_str(r, "rationale", "");
	sm->certainty = (int)cv;
	shown(p, order, &first, &second);
	if (cv != (double)(int)cv || cv < 1 || cv > 100 ||
	    sm->rationale[0] == '\0' || pref_names_position(sm->rationale))
		return;
	if (strcasecmp(v, "tie") == 0) {
		sm->mapped = 't';
		sm->valid = 1;
		return;
	}
	if (strcmp(v, "A") != 0 && strcmp(v, "B") != 0)
		return;
	win = v[0] == 'A' ? first : second;
	lose = v[0] == 'A' ? second : first;
	if (!pref_shares_run(sm->rationale, win, 4) ||
	    pref_shares_run(sm->rationale, lose, 4))
		return;
	sm->mapped = (v[0] == 'A') == (order == 0) ? 'x' : 'y';
	sm->valid = 1;
}

/* What the samples of one pair come to. */
struct outcome {
	const char *label;   /* "chosen", "tie", "abstain" */
	char final;          /* 'x', 'y' or 't' */
	int certainty;       /* mean of the valid samples, rounded */
	double bpde;
	int dropped;
	const struct sample *why;   /* a sample agreeing with final */
};

static void
aggregate(const struct sample *s, int n, int abstain_below,
	  struct outcome *out)
{
	/* the plurality of each order's valid samples, and of both */
	struct vote order[2] = { { .count = { 0 } }, { .count = { 0 } } };
	struct vote both = { .count = { 0 } };
	const int *c = both.count;
	char ab, ba;
	int sum = 0, valid = 0, i;

	memset(out, 0, sizeof(*out));
	for (i = 0; i < n; i++) {
		if (!s[i].valid) {
			out->dropped++;
			continue;
		}
		valid++;
		sum += s[i].certainty;
		if (s[i].order == 0 || s[i].order == 1)
			vote_add(&order[s[i].order], s[i].mapped);
		vote_add(&both, s[i].mapped);
	}
	ab = vote_plurality(&order[0]);
	ba = vote_plurality(&order[1]);
	out->bpde = pref_bpde(c[VOTE_X], c[VOTE_Y], c[VOTE_TIE]);
	out->certainty = valid ? (2 * sum + valid) / (2 * valid) : 0;
	out->final = vote_plurality(&both);
	if (ab == 0 || ba == 0)   /* an order without a valid sample */
		out->label = "abstain";
	else if (ab != ba || out->final == 't')   /* flip under the swap */
		out->label = "tie";
	else if (2 * sum < 2 * abstain_below * valid)
		out->label = "abstain";
	else
		out->label = "chosen";
	if (out->final == 0)
		out->final = 't';
	for (i = 0; i < n && out->why == NULL; i++)
		if (s[i].valid && s[i].mapped == out->final)
			out->why = &s[i];
}

/* The view of pair pp's axis persona p states it prefers, or "". */
static const char *
stated_view(const struct persona *p, const struct pref_pair *pp)
{
	int st[AXIS_N];

	pref_stated(p, st);
	return st[pp->views->axis] > 0 ? pp->views->high :
	       st[pp->views->axis] < 0 ? pp->views->low : "";
}

/* [{"order", "sample", "verdict" (x|y|tie), "raw", "certainty",
 * "rationale"}] of the valid samples, as JSON text (malloc'd). */
static char *
judgements_json(const struct sample *s, int n)
{
	cJSON *a = cJSON_CreateArray(), *o;
	char *t;
	int i;

	for (i = 0; a != NULL && i < n; i++) {
		if (!s[i].valid || (o = cJSON_CreateObject()) == NULL)
			continue;
		cJSON_AddItemToArray(a, o);
		cJSON_AddStringToObject(o, "order", s[i].order ? "BA" : "AB");
		cJSON_AddNumberToObject(o, "sample", s[i].sample);
		cJSON_AddStringToObject(o, "verdict", s[i].mapped == 'x' ? "x"
					: s[i].mapped == 'y' ? "y" : "tie");
		cJSON_AddStringToObject(o, "raw", s[i].raw);
		cJSON_AddNumberToObject(o, "certainty", s[i].certainty);
		cJSON_AddStringToObject(o, "rationale", s[i].rationale);
	}
	t = a ? cJSON_PrintUnformatted(a) : NULL;
	cJSON_Delete(a);
	return t;
}

static int
judge_write(struct stage_ctx *sc, const struct judge_pos *jp, const cJSON *p,
	    const struct outcome *oc, const struct sample *s, int n)
{
	struct pref_pair pp;
	struct writer_pair wp;
	char pair_id[48], pref_id[64], bpde[32], desc[1024];
	char *trait = NULL, *judg = judgements_json(s, n);
	cJSON *tj;
	int y = oc->final == 'y', rc = -1;

	pref_pair_of(sc, jp->pair, &pp);
	if ((tj = pref_trait_json(&pp)) != NULL)
		trait = cJSON_PrintUnformatted(tj);
	cJSON_Delete(tj);
	gen_row_id(pair_id, sizeof(pair_id), sc->u, 'r', (int)jp->pair + 1);
	stage_item_id(pref_id, sizeof(pref_id), sc->u, GEN_PREFERENCE,
		      jp->pair);
	snprintf(bpde, sizeof(bpde), "%.6f", oc->bpde);
	memset(&wp, 0, sizeof(wp));
	wp.pair_id = pair_id;
	wp.item_id = pref_id;
	wp.judge_item_id = sc->item_id;
	wp.idx = (int)jp->pair;
	wp.question = json_get_str(p, "question", "");
	wp.chosen = json_get_str(p, y ? "response_b" : "response_a", "");
	wp.rejected = json_get_str(p, y ? "response_a" : "response_b", "");
	wp.view_chosen = y ? pp.view_b : pp.view_a;
	wp.view_rejected = y ? pp.view_a : pp.view_b;
	wp.verdict = oc->final == 't' ? "tie" : y ? "B" : "A";
	wp.certainty = oc->certainty;
	wp.rationale = oc->why ? oc->why->rationale : "";
	wp.judge_model = sc->model ? sc->model : "";
	wp.question_trait = trait;
	wp.view_axis = pref_axis_names[pp.views->axis];
	wp.judgements = judg;
	wp.label = oc->label;
	wp.bpde = bpde;
	wp.dropped = oc->dropped;
	pref_user_desc(gen_persona(sc->u), desc, sizeof(desc));
	wp.user_desc = desc;
	wp.view_stated = stated_view(gen_persona(sc->u), &pp);
	if (trait != NULL && judg != NULL)
		rc = writer_pair(sc->w, sc->u->index, &wp, sc->rerun);
	cJSON_free(trait);
	cJSON_free(judg);
	return rc;
}

static int
judge_accept(struct stage_ctx *sc, const cJSON *reply, struct pf_error *err)
{
	struct sample s[2 * 15] = { { 0 } };
	struct judge_pos jp, kp;
	struct outcome oc;
	const cJSON *p, *r;
	uint32_t first, i;
	int n = 0;

	pos_of(sc->cfg, sc->idx, &jp);
	if ((p = unit_reply(sc->u, GEN_PREFERENCE, jp.pair)) == NULL)
		return pf_error_set(err, "preference reply missing"), -1;
	if (sc->w == NULL || !is_last(&jp))
		return 0;   /* a sample is read when its pair is written */
	first = jp.pair * (uint32_t)(2 * jp.k);
	for (i = first; i <= sc->idx && n < 2 * 15; i++, n++) {
		r = i == sc->idx ? reply : unit_reply(sc->u, GEN_JUDGE, i);
		pos_of(sc->cfg, i, &kp);
		s[n].order = kp.order;
		s[n].sample = kp.sample;
		if (r == NULL)
			return pf_error_set(err, "judge sample %u missing",
					    (unsigned)i), -1;
		read_sample(p, kp.order, r, &s[n]);
	}
	aggregate(s, n, gen_cfg(sc->cfg)->abstain_below, &oc);
	return judge_write(sc, &jp, p, &oc, s, n) != 0 ? -1 : 0;
}

static int
judge_forget(struct stage_ctx *sc)
{
	struct judge_pos jp;
	char id[48];

	pos_of(sc->cfg, sc->idx, &jp);
	if (!is_last(&jp))
		return 0;
	gen_row_id(id, sizeof(id), sc->u, 'r', (int)jp.pair + 1);
	return writer_forget(sc->w, "preference_pair", id);
}

const struct stage stage_judge = {
	.version = "2",
	.name = "judge",
	.count = judge_count,
	.deps = judge_deps,
	.vars = judge_vars,
	.accept = judge_accept,
	.forget = judge_forget,
};
