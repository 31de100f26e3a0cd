/* calib.c - the judge auditor (see calib.h). One pass over the judged
 * pairs into fixed tallies: memory does not grow with the pairs. */
#include "auditors/calib.h"

#include <math.h>
#include <stdio.h>
#include <string.h>

#include "auditors/fairstats.h"
#include "base/json.h"

#define BPDE_STEPS 1200          /* BPDE histogram: steps of 0.001 */
#define BPDE_BIN 0.2             /* width of the reported bins */
#define BPDE_NBINS 6             /* [0, 1.2): ln 3 = 1.0986 fits */

struct tally {
	int64_t pairs, both_orders, conflicts;
	int64_t chosen, chosen_planted, chosen_right;
	int64_t correct[CALIB_BINS], samples[CALIB_BINS];
	int64_t hist[BPDE_STEPS + 1];
	double bpde_sum, bpde_max;
	int64_t human;
};

/* 'x', 'y' or 't' (tie) of a stored verdict, 0 for anything else. */
static char
verdict_of(const char *v)
{
	return v == NULL ? 0 : strcmp(v, "x") == 0 ? 'x' :
	       strcmp(v, "y") == 0 ? 'y' : strcmp(v, "tie") == 0 ? 't' : 0;
}

static char
majority(const int c[3])
{
	if (c[0] > c[1] && c[0] > c[2])
		return 'x';
	if (c[1] > c[0] && c[1] > c[2])
		return 'y';
	return 't';
}

/* The samples of one pair: accuracy per certainty bin, and whether the
 * two orders' majorities differ. */
static void
count_samples(struct tally *t, const struct audit_pair *p, const cJSON *a)
{
	const char *planted = p->view_stated;
	const cJSON *s;
	int c[2][3] = { { 0 } }, cert, bin, ord;
	char v;

	cJSON_ArrayForEach(s, a) {
		if ((v = verdict_of(json_get_str(s, "verdict", NULL))) == 0)
			continue;
		ord = strcmp(json_get_str(s, "order", ""), "BA") == 0;
		c[ord][v == 'x' ? 0 : v == 'y' ? 1 : 2]++;
		if (planted == NULL || planted[0] == '\0')
			continue;
		cert = (int)json_get_num(s, "certainty", 0);
		bin = cert < 0 ? 0 : cert / 10 >= CALIB_BINS ? CALIB_BINS - 1 :
		      cert / 10;
		t->samples[bin]++;
		t->correct[bin] += v != 't' &&
			strcmp(v == 'x' ? p->view_a : p->view_b, planted) == 0;
	}
	if (c[0][0] + c[0][1] + c[0][2] > 0 && c[1][0] + c[1][1] + c[1][2] > 0) {
		t->both_orders++;
		t->conflicts += majority(c[0]) != majority(c[1]);
	}
}

static void
count_pair(struct tally *t, const struct audit_pair *p, const cJSON *a)
{
	int step = (int)lround(p->bpde * 1000);

	t->pairs++;
	count_samples(t, p, a);
	t->hist[step < 0 ? 0 : step > BPDE_STEPS ? BPDE_STEPS : step]++;
	t->bpde_sum += p->bpde;
	t->bpde_max = p->bpde > t->bpde_max ? p->bpde : t->bpde_max;
	if (strcmp(p->label, "chosen") == 0) {
		t->chosen++;
		if (p->view_stated[0] != '\0') {
			t->chosen_planted++;
			t->chosen_right += strcmp(p->view_chosen,
						  p->view_stated) == 0;
		}
	} else {
		t->human++;
	}
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
quantile(const struct tally *t, double q)
{
	int64_t need = (int64_t)ceil(q * (double)t->pairs), seen = 0;
	int i;

	for (i = 0; i <= BPDE_STEPS; i++)
		if ((seen += t->hist[i]) >= need && seen > 0)
			return i / 1000.0;
	return t->bpde_max;
}

static void
put_bpde(const struct tally *t, audit_metric_fn emit, void *ud)
{
	char group[48];
	int64_t in;
	int b, i;

	put_value(emit, ud, "bpde.mean", "preference", t->pairs ?
		  t->bpde_sum / (double)t->pairs : 0, t->pairs > 0, t->pairs);
	put_value(emit, ud, "bpde.p50", "preference", quantile(t, 0.5),
		  t->pairs > 0, t->pairs);
	put_value(emit, ud, "bpde.p90", "preference", quantile(t, 0.9),
		  t->pairs > 0, t->pairs);
	put_value(emit, ud, "bpde.max", "preference", t->bpde_max,
		  t->pairs > 0, t->pairs);
	for (b = 0; b < BPDE_NBINS; b++) {
		for (in = 0, i = (int)lround(b * BPDE_BIN * 1000);
		     i < (int)lround((b + 1) * BPDE_BIN * 1000) &&
		     i <= BPDE_STEPS; i++)
			in += t->hist[i];
		snprintf(group, sizeof(group), "bpde=[%.1f,%.1f)",
			 b * BPDE_BIN, (b + 1) * BPDE_BIN);
		put(emit, ud, "bpde.share", group, in, t->pairs, "");
	}
}

static void
put_accuracy(const struct tally *t, audit_metric_fn emit, void *ud)
{
	int64_t x = 0, n = 0;
	char group[32];
	int b;

	for (b = 0; b < CALIB_BINS; b++) {
		x += t->correct[b];
		n += t->samples[b];
		if (t->samples[b] == 0)
			continue;
		snprintf(group, sizeof(group), "certainty=%d", b);
		put(emit, ud, "accuracy", group, t->correct[b], t->samples[b],
		    "samples naming the persona's stated view");
	}
	put(emit, ud, "accuracy", "preference", x, n, "samples naming the "
	    "persona's stated view, over those of pairs with one");
}

static int
judge_measure(const void *cfg, struct audit_source *src,
	      audit_metric_fn emit, void *ud, struct pf_error *err)
{
	struct tally t;
	struct audit_pair p;
	struct json_error je;
	cJSON *a;
	int got;

	(void)cfg;
	if (src->next_pair == NULL)
		return 0;
	memset(&t, 0, sizeof(t));
	while ((got = src->next_pair(src, &p, err)) == 1) {
		a = NULL;
		if (json_parse(p.judgements, strlen(p.judgements), &a, &je) != 0)
			return pf_error_set(err, "pair %s: judgements are not "
					    "JSON: %s", p.pair_id, je.msg);
		count_pair(&t, &p, a);
		cJSON_Delete(a);
	}
	if (got < 0)
		return -1;
	if (t.pairs == 0)
		return 0;
	put(emit, ud, "order_swap_conflict_rate", "preference", t.conflicts,
	    t.both_orders, "pairs whose two orders' majority verdicts "
	    "differ");
	put_bpde(&t, emit, ud);
	put_accuracy(&t, emit, ud);
	put(emit, ud, "coverage", "preference", t.chosen, t.pairs, "pairs "
	    "labelled chosen: not abstained (abstain_below) nor flipped");
	put(emit, ud, "accuracy.covered", "preference", t.chosen_right,
	    t.chosen_planted, "chosen pairs whose chosen view is the "
	    "persona's stated one");
	/* a count, not the pairs' ids: the measures travel with partial
	 * exports, which leave some personas out */
	put(emit, ud, "needs_human", "preference", t.human, t.pairs, "pairs "
	    "labelled tie or abstain; `stats` lists them");
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
