/* calib.c - the judge auditor (see calib.h). One pass over the judged
 * pairs into fixed tallies: memory does not grow with the pairs. */
#include "auditors/calib.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "auditors/fairstats.h"
#include "base/json.h"

#define BPDE_BIN 0.2             /* width of the reported bins */
#define BPDE_NBINS 6             /* [0, 1.2): ln 3 = 1.0986 fits */

/* 'x', 'y' or 't' (tie) of a stored verdict, 0 for anything else. */
static char
verdict_of(const char *v)
{
	return v == NULL ? 0 : strcmp(v, "x") == 0 ? 'x' :
	       strcmp(v, "y") == 0 ? 'y' : strcmp(v, "tie") == 0 ? 't' : 0;
}

static char
majority(const int64_t c[3])
{
	if (c[0] > c[1] && c[0] > c[2])
		return 'x';
	if (c[1] > c[0] && c[1] > c[2])
		return 'y';
	return 't';
}

static int
slot(char v)
{
	return v == 'x' ? 0 : v == 'y' ? 1 : 2;
}

/* ---- the generic tally ---- */

void
calib_tally_init(struct calib_tally *t)
{
	memset(t, 0, sizeof(*t));
}

/* The samples of one pair: accuracy per certainty bin, and whether the
 * two orders' majorities differ. */
static void
count_samples(struct calib_tally *t, const struct calib_item *it)
{
	int64_t c[2][3] = { { 0 } };
	const struct calib_sample *s;
	int bin;
	size_t i;

	for (i = 0; i < it->n; i++) {
		s = &it->s[i];
		if (s->verdict == 0)
			continue;
		c[s->order != 0][slot(s->verdict)]++;
		if (it->reference == 0)
			continue;
		bin = s->certainty < 0 ? 0 : s->certainty / 10 >= CALIB_BINS
		      ? CALIB_BINS - 1 : s->certainty / 10;
		t->samples[bin]++;
		t->correct[bin] += s->verdict != 't' &&
				   s->verdict == it->reference;
	}
	if (c[0][0] + c[0][1] + c[0][2] > 0 && c[1][0] + c[1][1] + c[1][2] > 0) {
		t->both_orders++;
		t->conflicts += majority(c[0]) != majority(c[1]);
	}
}

void
calib_tally_add(struct calib_tally *t, const struct calib_item *it)
{
	int step = (int)lround(it->bpde * 1000);

	t->pairs++;
	count_samples(t, it);
	t->hist[step < 0 ? 0 : step > CALIB_BPDE_STEPS ? CALIB_BPDE_STEPS
		: step]++;
	t->bpde_sum += it->bpde;
	t->bpde_max = it->bpde > t->bpde_max ? it->bpde : t->bpde_max;
	if (!it->decided) {
		t->human++;
		return;
	}
	t->chosen++;
	if (it->reference != 0) {
		t->chosen_ref++;
		t->chosen_right += it->chosen == it->reference &&
				   it->reference != 'n';
	}
}

void
calib_item_settle(struct calib_item *it, int abstain_below)
{
	int64_t c[3][3] = { { 0 } };   /* AB, BA, both */
	int64_t all, certainty = 0;
	double p, h = 0;
	size_t i;
	int k;
	char m;

	for (i = 0; i < it->n; i++) {
		if (it->s[i].verdict == 0)
			continue;
		c[it->s[i].order != 0][slot(it->s[i].verdict)]++;
		c[2][slot(it->s[i].verdict)]++;
		certainty += it->s[i].certainty;
	}
	all = c[2][0] + c[2][1] + c[2][2];
	for (k = 0; k < 3; k++)
		if (c[2][k] > 0) {
			p = (double)c[2][k] / (double)all;
			h -= p * log(p);
		}
	it->bpde = h;
	m = majority(c[2]);
	it->decided = all > 0 && m != 't' &&
		certainty >= (int64_t)abstain_below * all;
	for (k = 0; k < 2 && it->decided; k++)
		if (c[k][0] + c[k][1] + c[k][2] > 0 &&
		    c[!k][0] + c[!k][1] + c[!k][2] > 0 &&
		    majority(c[k]) != majority(c[!k]))
			it->decided = 0;
	it->chosen = it->decided ? m : 0;
}

/* ---- measures ---- */

static void
put(audit_metric_fn emit, void *ud, const char *metric, const char *group,
    int64_t x, int64_t n, const char *note)
{
	struct audit_metric m = { .metric = metric, .group = group,
				  .threshold = "", .note = note, .n = n };

	if (n > 0) {
		m.value = (double)x / (double)n;
		m.defined = m.has_interval = 1;
		fair_wilson(x, n, &m.lo, &m.hi);
	}
	emit(ud, &m);
}

static void
put_value(audit_metric_fn emit, void *ud, const char *metric,
	  const char *group, double v, int defined, int64_t n)
{
	struct audit_metric m = { .metric = metric, .group = group,
				  .value = v, .defined = defined, .n = n,
				  .threshold = "", .note = "" };

	emit(ud, &m);
}

/* The BPDE below which a share q of the pairs lies (histogram steps). */
static double
quantile(const struct calib_tally *t, double q)
{
	int64_t need = (int64_t)ceil(q * (double)t->pairs), seen = 0;
	int i;

	for (i = 0; i <= CALIB_BPDE_STEPS; i++)
		if ((seen += t->hist[i]) >= need && seen > 0)
			return i / 1000.0;
	return t->bpde_max;
}

static void
put_bpde(const struct calib_tally *t, const struct calib_words *w,
	 audit_metric_fn emit, void *ud)
{
	const char *g = w->group;
	char group[64];
	int64_t in;
	int b, i;

	put_value(emit, ud, "bpde.mean", g, t->pairs ?
		  t->bpde_sum / (double)t->pairs : 0, t->pairs > 0, t->pairs);
	put_value(emit, ud, "bpde.p50", g, quantile(t, 0.5), t->pairs > 0,
		  t->pairs);
	put_value(emit, ud, "bpde.p90", g, quantile(t, 0.9), t->pairs > 0,
		  t->pairs);
	put_value(emit, ud, "bpde.max", g, t->bpde_max, t->pairs > 0,
		  t->pairs);
	for (b = 0; b < BPDE_NBINS; b++) {
		for (in = 0, i = (int)lround(b * BPDE_BIN * 1000);
		     i < (int)lround((b + 1) * BPDE_BIN * 1000) &&
		     i <= CALIB_BPDE_STEPS; i++)
			in += t->hist[i];
		snprintf(group, sizeof(group), "%sbpde=[%.1f,%.1f)",
			 w->prefix, b * BPDE_BIN, (b + 1) * BPDE_BIN);
		put(emit, ud, "bpde.share", group, in, t->pairs, "");
	}
}

static void
put_accuracy(const struct calib_tally *t, const struct calib_words *w,
	     audit_metric_fn emit, void *ud)
{
	int64_t x = 0, n = 0;
	char group[64];
	int b;

	for (b = 0; b < CALIB_BINS; b++) {
		x += t->correct[b];
		n += t->samples[b];
		if (t->samples[b] == 0)
			continue;
		snprintf(group, sizeof(group), "%scertainty=%d", w->prefix, b);
		put(emit, ud, "accuracy", group, t->correct[b], t->samples[b],
		    w->accuracy_bin);
	}
	if (n > 0 || w->accuracy_all != NULL)
		put(emit, ud, "accuracy", w->group, x, n, w->accuracy_all ?
		    w->accuracy_all : w->accuracy_bin);
}

void
calib_tally_emit(const struct calib_tally *t, const struct calib_words *w,
		 audit_metric_fn emit, void *ud)
{
	if (t->pairs == 0)
		return;
	put(emit, ud, "order_swap_conflict_rate", w->group, t->conflicts,
	    t->both_orders, "pairs whose two orders' majority verdicts "
	    "differ");
	put_bpde(t, w, emit, ud);
	put_accuracy(t, w, emit, ud);
	put(emit, ud, "coverage", w->group, t->chosen, t->pairs, w->coverage);
	if (t->chosen_ref > 0 || w->covered != NULL)
		put(emit, ud, "accuracy.covered", w->group, t->chosen_right,
		    t->chosen_ref, w->covered ? w->covered : "chosen pairs "
		    "whose chosen side is the reference's");
	/* a count, not the pairs' ids: the measures travel with partial
	 * exports, which leave some personas out */
	put(emit, ud, "needs_human", w->group, t->human, t->pairs, w->human);
}

/* ---- the preference judge's stored judgements ---- */

static const struct calib_words pref_words = {
	.group = "preference", .prefix = "",
	.accuracy_bin = "samples naming the persona's stated view",
	.accuracy_all = "samples naming the persona's stated view, over "
			"those of pairs with one",
	.coverage = "pairs labelled chosen: not abstained (abstain_below) "
		    "nor flipped",
	.covered = "chosen pairs whose chosen view is the persona's stated "
		   "one",
	.human = "pairs labelled tie or abstain; `stats` lists them",
};

/* The side whose view is `view`: 'x', 'y', or 'n' when neither. */
static char
side_of(const struct audit_pair *p, const char *view)
{
	return strcmp(p->view_a, view) == 0 ? 'x' :
	       strcmp(p->view_b, view) == 0 ? 'y' : 'n';
}

/* A stored pair as an item: its samples from the judgements array, its
 * label, BPDE and planted view as stored. */
static int
pair_item(const struct audit_pair *p, const cJSON *a,
	  struct calib_sample *s, struct calib_item *it,
	  struct pf_error *err)
{
	const cJSON *j;

	memset(it, 0, sizeof(*it));
	it->s = s;
	cJSON_ArrayForEach(j, a) {
		if (it->n == CALIB_MAX_SAMPLES)
			return pf_error_set(err, "pair %s: more than %d judge "
					    "samples", p->pair_id,
					    CALIB_MAX_SAMPLES);
		s[it->n].verdict = verdict_of(json_get_str(j, "verdict",
							   NULL));
		s[it->n].order = strcmp(json_get_str(j, "order", ""),
					"BA") == 0;
		s[it->n++].certainty = (int)json_get_num(j, "certainty", 0);
	}
	if (p->view_stated != NULL && p->view_stated[0] != '\0')
		it->reference = side_of(p, p->view_stated);
	it->bpde = p->bpde;
	it->decided = strcmp(p->label, "chosen") == 0;
	it->chosen = it->decided ? side_of(p, p->view_chosen) : 0;
	return 0;
}

static int
measure_pairs(struct audit_source *src, audit_metric_fn emit, void *ud,
	      struct pf_error *err)
{
	struct calib_sample s[CALIB_MAX_SAMPLES];
	struct calib_tally t;
	struct calib_item it;
	struct audit_pair p;
	struct json_error je;
	cJSON *a;
	int got, rc;

	calib_tally_init(&t);
	while ((got = src->next_pair(src, &p, err)) == 1) {
		a = NULL;
		if (json_parse(p.judgements, strlen(p.judgements), &a, &je) != 0)
			return pf_error_set(err, "pair %s: judgements are not "
					    "JSON: %s", p.pair_id, je.msg);
		rc = pair_item(&p, a, s, &it, err);
		cJSON_Delete(a);
		if (rc != 0)
			return -1;
		calib_tally_add(&t, &it);
	}
	if (got < 0)
		return -1;
	calib_tally_emit(&t, &pref_words, emit, ud);
	return 0;
}

/* ---- the safety auditor's comparisons ---- */

static const struct calib_words safety_words = {
	.group = "safety", .prefix = "safety ",
	.accuracy_bin = "samples naming the reference's side",
	/* no reference is stored: accuracy only if one ever is */
	.accuracy_all = NULL,
	.coverage = "pairs decided: a plurality verdict, the same in both "
		    "orders, mean certainty at least 80",
	.covered = NULL,
	.human = "pairs tied, flipped under the swap or below certainty 80",
};

static void
flush(struct calib_tally *t, struct calib_item *it)
{
	if (it->n == 0)
		return;
	calib_item_settle(it, CALIB_ABSTAIN_BELOW);
	calib_tally_add(t, it);
	it->n = 0;
}

/* The comparisons come one sample a row, a pair's rows together. */
static int
measure_comparisons(struct audit_source *src, audit_metric_fn emit,
		    void *ud, struct pf_error *err)
{
	struct calib_sample s[CALIB_MAX_SAMPLES];
	struct calib_item it = { .s = s };
	struct audit_comparison c;
	struct calib_tally t;
	char pair[128] = "";
	int got;

	calib_tally_init(&t);
	while ((got = src->next_comparison(src, &c, err)) == 1) {
		if (strcmp(c.pair_id, pair) != 0) {
			flush(&t, &it);
			snprintf(pair, sizeof(pair), "%s", c.pair_id);
		}
		if (it.n == CALIB_MAX_SAMPLES)
			return pf_error_set(err, "safety pair %s: more than "
					    "%d judge samples", pair,
					    CALIB_MAX_SAMPLES);
		s[it.n].order = c.ord != NULL && strcmp(c.ord, "BA") == 0;
		s[it.n].verdict = verdict_of(c.verdict);
		s[it.n++].certainty = c.certainty;
	}
	if (got < 0)
		return -1;
	flush(&t, &it);
	calib_tally_emit(&t, &safety_words, emit, ud);
	return 0;
}

static int
judge_measure(const void *cfg, struct audit_source *src,
	      audit_metric_fn emit, void *ud, struct pf_error *err)
{
	(void)cfg;
	if (src->next_pair != NULL && measure_pairs(src, emit, ud, err) != 0)
		return -1;
	if (src->next_comparison != NULL &&
	    measure_comparisons(src, emit, ud, err) != 0)
		return -1;
	return 0;
}

const struct auditor auditor_judge = {
	.name = "judge",
	.version = "1",
	.label = "judge calibration",
	.defaults = { .enabled = 1, .quarantine = AUDIT_CRITICAL,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.measure = judge_measure,
};
