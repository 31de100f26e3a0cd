/* fairness.c - the fairness auditor (see fairness.h): its config, and the
 * measuring pass that tallies personas by attribute and emits the
 * representation, parity and exposure measures. */
#include "auditors/fairness.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/exposure.h"
#include "auditors/fairstats.h"
#include "base/jfield.h"
#include "personas/persona.h"
#include "personas/sampler.h"

#define VALUE_MAX 64
#define FAIR_MAX_LENS ((size_t)1 << 24)   /* row lengths kept per group
					   * and table, for the median */
#define LABEL_MAX 48

static const char *const default_attrs[] = {
	"gender", "age_band", "region", "race_ethnicity"
};

const char *const *const fairness_protected = default_attrs;
const size_t fairness_nprotected = sizeof(default_attrs) /
				   sizeof(default_attrs[0]);

/* ---- config ---- */

static const char *const fairness_keys[] = {
	"attributes", "min_n", "max_tvd", "min_ratio", NULL
};

static void
fairness_free(void *cfg)
{
	struct fairness_config *c = cfg;
	int i;

	if (c == NULL)
		return;
	for (i = 0; i < c->nattrs; i++)
		free(c->attrs[i]);
	free(c);
}

/* "attributes": persona fields, at most FAIR_MAX_ATTRS. */
static int
parse_attrs(const struct jfield *x, const cJSON *section, const char *path,
	    struct fairness_config *c)
{
	const char **names = calloc(persona_nfields + 2, sizeof(*names));
	char *items[64] = { NULL };
	char p[300];
	int i, n = 0, rc;

	if (names == NULL)
		return jfield_fail(x, path, "out of memory");
	for (i = 0; i < (int)persona_nfields; i++)
		names[i] = persona_fields[i].name;
	names[i] = "age_band";     /* derived from the age (see value_of) */
	rc = jfield_enum_list(x, section, path, "attributes", names, items,
			      &n);
	free(names);
	if (rc == 0 && n > FAIR_MAX_ATTRS) {
		snprintf(p, sizeof(p), "%s.attributes", path);
		rc = jfield_fail(x, p, "at most %d attributes",
				 FAIR_MAX_ATTRS);
	}
	for (i = 0; i < n; i++) {
		if (rc == 0)
			c->attrs[c->nattrs++] = items[i];
		else
			free(items[i]);
	}
	return rc;
}

static int
fairness_parse(const cJSON *section, const char *path, void **cfg,
	       struct pf_error *err)
{
	struct jfield x = { NULL, err };
	struct fairness_config *c = calloc(1, sizeof(*c));
	size_t i;

	*cfg = NULL;
	if (c == NULL)
		return pf_error_set(err, "out of memory");
	c->min_n = 30;
	c->max_tvd = c->min_ratio = -1.0;
	if (parse_attrs(&x, section, path, c) != 0 ||
	    jfield_int(&x, section, path, "min_n", 1, INT64_C(1) << 40,
		       &c->min_n) != 0 ||
	    jfield_num(&x, section, path, "max_tvd", 0.0, 1.0,
		       &c->max_tvd) != 0 ||
	    jfield_num(&x, section, path, "min_ratio", 0.0, 1.0,
		       &c->min_ratio) != 0) {
		fairness_free(c);
		return -1;
	}
	for (i = 0; c->nattrs == 0 && i < sizeof(default_attrs) /
	     sizeof(default_attrs[0]); i++)
		if ((c->attrs[i] = strdup(default_attrs[i])) == NULL) {
			fairness_free(c);
			return pf_error_set(err, "out of memory");
		}
	if (c->nattrs == 0)
		c->nattrs = (int)i;
	*cfg = c;
	return 0;
}

/* ---- the tally ---- */

/* Row lengths of one table kept for a group's median (at most
 * FAIR_MAX_LENS; past it the rest are counted, not kept). */
struct lens {
	uint32_t *v;
	size_t n, cap;
	int64_t over;
};

/* One value of an attribute and what happened to its personas. */
struct group {
	char value[VALUE_MAX];
	int64_t n, quarantined, failed, refused;
	int64_t items, failed_items, refused_items;
	int64_t prefs, own;           /* judged pairs; won by the own view */
	struct lens lens[FAIR_MAX_TEXTS];
	int64_t finding[AUDIT_NSEVERITY];   /* a finding at or above s */
	int64_t by[FAIR_MAX_FINDERS][AUDIT_NSEVERITY];  /* the same, of one
							 * finding auditor */
	int64_t text_rows[FAIR_MAX_TEXTS], text_bytes[FAIR_MAX_TEXTS];
};

/* Representation cells: the target shares of one attribute or pair, and
 * the personas counted into them. */
struct cells {
	const char *va[FAIR_MAX_CELLS], *vb[FAIR_MAX_CELLS];
	double p[FAIR_MAX_CELLS];
	int64_t c[FAIR_MAX_CELLS];
	int n;              /* cells; -1: no target */
	int64_t other;      /* personas with a value no cell has */
};

struct attr {
	const char *name;
	int col;                          /* in the person's names; -1 */
	int band;                         /* col is the age: its band */
	struct group g[FAIR_MAX_GROUPS];
	size_t ng;
	int64_t left_out;                 /* personas past FAIR_MAX_GROUPS */
	struct cells marg;
};

struct tally {
	const struct fairness_config *cfg;
	struct audit_source *src;
	audit_metric_fn emit;
	void *ud;
	struct attr a[FAIR_MAX_ATTRS];
	struct cells *pair[FAIR_MAX_ATTRS][FAIR_MAX_ATTRS];  /* i < j */
	char texts[FAIR_MAX_TEXTS][LABEL_MAX];
	size_t ntexts;
	char finders[FAIR_MAX_FINDERS][LABEL_MAX];   /* finding auditors */
	size_t nfinders;
	int64_t any[FAIR_MAX_FINDERS][AUDIT_NSEVERITY];  /* nonzero: some
							  * persona has a
							  * finding at or
							  * above s */
	int64_t people;
};

/* Emit one measure. */
static void
put(struct tally *t, const char *metric, const char *group, double v,
    int defined, const double *ci, int64_t n, const char *thr,
    const char *note)
{
	struct audit_metric m = {
		.metric = metric, .group = group, .value = v,
		.defined = defined, .n = n, .threshold = thr ? thr : "",
		.note = note ? note : "",
	};

	if (ci != NULL) {
		m.lo = ci[0];
		m.hi = ci[1];
		m.has_interval = 1;
	}
	t->emit(t->ud, &m);
}

static void
load_cells(struct tally *t, struct cells *c, const char *a, const char *b)
{
	c->n = t->src->tables == NULL ? -1 :
	       persona_tables_shares(t->src->tables, a, b, c->va,
				     b ? c->vb : NULL, c->p, FAIR_MAX_CELLS);
}

/* Set up the attributes' columns (from the first person) and cells. */
static int
setup(struct tally *t, const struct audit_person *p)
{
	size_t k;
	int i, j;

	for (i = 0; i < t->cfg->nattrs; i++) {
		t->a[i].name = t->cfg->attrs[i];
		t->a[i].col = -1;
		for (k = 0; k < p->nattrs; k++)
			if (strcmp(p->names[k], t->a[i].name) == 0)
				t->a[i].col = (int)k;
		/* Personas store the age; the band is the age.tsv row it
		 * was drawn in. */
		for (k = 0; t->a[i].col < 0 && t->src->tables != NULL &&
		     strcmp(t->a[i].name, "age_band") == 0 && k < p->nattrs;
		     k++)
			if (strcmp(p->names[k], "age") == 0) {
				t->a[i].col = (int)k;
				t->a[i].band = 1;
			}
		load_cells(t, &t->a[i].marg, t->a[i].name, NULL);
		for (j = 0; j < i; j++) {
			if (t->a[i].marg.n < 0 || t->a[j].marg.n < 0)
				continue;
			t->pair[j][i] = calloc(1, sizeof(struct cells));
			if (t->pair[j][i] == NULL)
				return -1;
			load_cells(t, t->pair[j][i], t->a[j].name,
				   t->a[i].name);
		}
	}
	for (k = 0; k < p->ntexts && k < FAIR_MAX_TEXTS; k++)
		snprintf(t->texts[k], LABEL_MAX, "%s", p->text_tables[k]);
	t->ntexts = k;
	for (k = 0; k < p->nauditors && k < FAIR_MAX_FINDERS; k++)
		snprintf(t->finders[k], LABEL_MAX, "%s", p->auditor_names[k]);
	t->nfinders = k;
	return 0;
}

static const char *
value_of(const struct tally *t, const struct attr *a,
	 const struct audit_person *p)
{
	const char *v = a->col >= 0 && p->values[a->col] ? p->values[a->col]
			: "";

	if (a->band && (v = persona_tables_age_band(t->src->tables,
						    atoi(v))) == NULL)
		v = "";
	return v;
}

/* The group of value v, added when new; NULL when there is no room. */
static struct group *
group_of(struct attr *a, const char *v)
{
	size_t i;

	for (i = 0; i < a->ng; i++)
		if (strcmp(a->g[i].value, v) == 0)
			return &a->g[i];
	if (a->ng == FAIR_MAX_GROUPS)
		return NULL;
	snprintf(a->g[a->ng].value, VALUE_MAX, "%s", v);
	return &a->g[a->ng++];
}

static void
count_cell(struct cells *c, const char *va, const char *vb)
{
	int i;

	for (i = 0; i < c->n; i++)
		if (strcmp(c->va[i], va) == 0 &&
		    (vb == NULL || strcmp(c->vb[i], vb) == 0)) {
			c->c[i]++;
			return;
		}
	c->other++;
}

/* Keep row lengths v[0..n) in l; -1 when out of memory. */
static int
keep_lens(struct lens *l, const int64_t *v, size_t n)
{
	size_t i, cap;
	uint32_t *nv;

	for (i = 0; i < n; i++) {
		if (l->n == l->cap) {
			cap = l->cap ? 2 * l->cap : 256;
			if (l->cap >= FAIR_MAX_LENS) {
				l->over += (int64_t)(n - i);
				return 0;
			}
			if ((nv = realloc(l->v, cap * sizeof(*nv))) == NULL)
				return -1;
			l->v = nv;
			l->cap = cap;
		}
		l->v[l->n++] = v[i] < 0 ? 0 : v[i] > UINT32_MAX ? UINT32_MAX
			       : (uint32_t)v[i];
	}
	return 0;
}

static int
count_group(struct tally *t, struct group *g, const struct audit_person *p)
{
	int64_t at_or_above = 0;
	size_t k;
	int s;

	g->n++;
	g->quarantined += p->quarantined != 0;
	g->failed += p->failed > 0;
	g->refused += p->refused > 0;
	g->items += p->items;
	g->failed_items += p->failed;
	g->refused_items += p->refused;
	g->prefs += p->prefs;
	g->own += p->own_wins;
	for (s = AUDIT_CRITICAL; s >= AUDIT_INFO; s--) {
		at_or_above += p->findings[s];
		g->finding[s] += at_or_above > 0;
	}
	for (k = 0; k < t->nfinders && k < p->nauditors; k++)
		for (at_or_above = 0, s = AUDIT_CRITICAL; s >= AUDIT_INFO;
		     s--) {
			at_or_above += p->by_auditor[k * AUDIT_NSEVERITY + s];
			g->by[k][s] += at_or_above > 0;
			t->any[k][s] += at_or_above > 0;
		}
	for (k = 0; k < t->ntexts && k < p->ntexts; k++) {
		g->text_rows[k] += p->text_rows[k];
		g->text_bytes[k] += p->text_bytes[k];
		if (p->text_lens != NULL &&
		    keep_lens(&g->lens[k], p->text_lens[k],
			      p->text_nlens[k]) != 0)
			return -1;
	}
	return 0;
}

/* Count p into every attribute's group and cells; -1 when out of
 * memory. */
static int
count_person(struct tally *t, const struct audit_person *p)
{
	struct group *g;
	int i, j;

	t->people++;
	for (i = 0; i < t->cfg->nattrs; i++) {
		if ((g = group_of(&t->a[i], value_of(t, &t->a[i], p))) == NULL)
			t->a[i].left_out++;
		else if (count_group(t, g, p) != 0)
			return -1;
		if (t->a[i].marg.n >= 0)
			count_cell(&t->a[i].marg, value_of(t, &t->a[i], p), NULL);
		for (j = 0; j < i; j++)
			if (t->pair[j][i] != NULL && t->pair[j][i]->n >= 0)
				count_cell(t->pair[j][i],
					   value_of(t, &t->a[j], p),
					   value_of(t, &t->a[i], p));
	}
	return 0;
}

/* ---- representation ---- */

/* "female/85+" for a pair's cell i, "female" for an attribute's. */
static void
cell_name(const struct cells *c, int i, char *out, size_t n)
{
	if (c->vb[i] != NULL)
		snprintf(out, n, "%s/%s", c->va[i], c->vb[i]);
	else
		snprintf(out, n, "%s", c->va[i]);
}

/* The measures of one set of cells, under `group`; gated when thr. */
static void
put_repr(struct tally *t, const char *group, const struct cells *c,
	 const char *thr)
{
	struct fair_repr r;
	char note[320], cell[2 * VALUE_MAX + 2];
	int64_t n = 0;
	int i, len;

	for (i = 0; i < c->n; i++)
		n += c->c[i];
	if (fair_repr_compute(c->c, c->p, (size_t)c->n, &r) != 0) {
		put(t, "tvd", group, 0, 0, NULL, 0, "", "no persona to count");
		return;
	}
	snprintf(note, sizeof(note), c->other ? "%lld personas with a value "
		 "the tables lack" : "", (long long)c->other);
	put(t, "tvd", group, r.tvd, 1, NULL, n, thr, note);
	snprintf(note, sizeof(note), "%zu cells merged (expected under 5); "
		 "%d degrees of freedom", r.merged, r.df);
	put(t, "chi2", group, r.chi2, 1, NULL, n, "", note);
	put(t, "chi2_p", group, r.p_value, r.df > 0, NULL, n, "", r.df > 0 ?
	    "" : "no test: one cell left after merging");
	cell_name(c, (int)r.max_gap_cell, cell, sizeof(cell));
	i = (int)r.max_gap_cell;
	snprintf(note, sizeof(note), "at %s: %.4f of the personas, %.4f of "
		 "the table", cell, (double)c->c[i] / (double)n, c->p[i]);
	put(t, "max_cell_gap", group, r.max_gap, 1, NULL, n, "", note);
	len = snprintf(note, sizeof(note), "%zu surprising ((1-p)^N < 0.01)",
		       r.surprising);
	for (i = 0; i < c->n && len < (int)sizeof(note) - 40; i++)
		if (c->c[i] == 0 && fair_empty_surprising(c->p[i], n)) {
			cell_name(c, i, cell, sizeof(cell));
			len += snprintf(note + len, sizeof(note) - (size_t)len,
					"; %s", cell);
		}
	put(t, "empty_cells", group, (double)r.empty, 1, NULL, n, "", note);
}

static void
representation(struct tally *t)
{
	char group[2 * LABEL_MAX + 4], thr[32] = "";
	int i, j;

	if (t->cfg->max_tvd >= 0.0)
		snprintf(thr, sizeof(thr), "<=%g", t->cfg->max_tvd);
	for (i = 0; i < t->cfg->nattrs; i++) {
		if (t->a[i].marg.n < 0) {
			put(t, "tvd", t->a[i].name, 0, 0, NULL, t->people, "",
			    t->src->tables == NULL ? "no target tables" :
			    "no target table for this attribute");
			continue;
		}
		if (t->src->quotas) {
			put(t, "tvd", t->a[i].name, 0, 0, NULL, t->people, "",
			    "drawn under $.quotas: the tables are not the "
			    "target");
			continue;
		}
		put_repr(t, t->a[i].name, &t->a[i].marg, thr);
	}
	for (i = 0; i < t->cfg->nattrs && !t->src->quotas; i++)
		for (j = i + 1; j < t->cfg->nattrs; j++)
			if (t->pair[i][j] != NULL && t->pair[i][j]->n >= 0) {
				snprintf(group, sizeof(group), "%s x %s",
					 t->a[i].name, t->a[j].name);
				put_repr(t, group, t->pair[i][j], "");
			}
}

/* ---- parity ---- */

/* Adverse outcomes x of a group. */
typedef int64_t (*outcome_fn)(const struct group *g, int arg);

static int64_t
o_quarantine(const struct group *g, int arg)
{
	(void)arg;
	return g->quarantined;
}

static int64_t
o_finding(const struct group *g, int arg)
{
	return g->finding[arg];
}

/* arg: finding auditor * AUDIT_NSEVERITY + severity */
static int64_t
o_finder(const struct group *g, int arg)
{
	return g->by[arg / AUDIT_NSEVERITY][arg % AUDIT_NSEVERITY];
}

static int64_t
o_failed(const struct group *g, int arg)
{
	(void)arg;
	return g->failed;
}

static int64_t
o_refused(const struct group *g, int arg)
{
	(void)arg;
	return g->refused;
}

/* The judge win rate of the persona's own view: out of the decided
 * pairs on an axis the persona states a preference on (o_prefs), those
 * the judge decided for the other view (o_own_lost). */
static int64_t
o_prefs(const struct group *g, int arg)
{
	(void)arg;
	return g->prefs;
}

static int64_t
o_own_lost(const struct group *g, int arg)
{
	(void)arg;
	return g->prefs - g->own;
}

/* The rate rows of one outcome: x of n per group, with its Wilson
 * interval; as the favourable rate (n - x) / n when win. */
static void
put_rates(struct tally *t, const struct attr *a, const char *name,
	  const struct fair_group *fg, int win)
{
	char metric[96], group[LABEL_MAX + VALUE_MAX + 2], note[160];
	double ci[2];
	int64_t x;
	size_t i;

	snprintf(metric, sizeof(metric), "%s.rate", name);
	for (i = 0; i < a->ng; i++) {
		snprintf(group, sizeof(group), "%s=%s", a->name,
			 a->g[i].value);
		if (fg[i].n == 0) {
			put(t, metric, group, 0, 0, NULL, 0, "", "none to "
			    "count");
			continue;
		}
		x = win ? fg[i].n - fg[i].x : fg[i].x;
		fair_wilson(x, fg[i].n, &ci[0], &ci[1]);
		snprintf(note, sizeof(note), a->g[i].n < t->cfg->min_n ?
			 "below min_n %lld: reported, not compared" : "",
			 (long long)t->cfg->min_n);
		put(t, metric, group, (double)x / (double)fg[i].n, 1, ci,
		    fg[i].n, "", note);
	}
}

/* One outcome over the groups of attribute a: rates, then the ratios.
 * fn counts a group's adverse outcomes, nfn what they are out of (NULL:
 * its personas); groups of fewer than min_n personas are not compared
 * whatever nfn counts. win: the rate rows give the favourable rate. */
static void
parity_outcome(struct tally *t, const struct attr *a, const char *name,
	       outcome_fn fn, outcome_fn nfn, int arg, int win)
{
	struct fair_group fg[FAIR_MAX_GROUPS], cmp[FAIR_MAX_GROUPS];
	struct fair_parity p;
	char metric[96], thr[32] = "";
	char note[160];
	double ci[2];
	int64_t n;
	size_t i;

	for (i = 0; i < a->ng; i++) {
		fg[i].x = fn(&a->g[i], arg);
		fg[i].n = nfn != NULL ? nfn(&a->g[i], arg) : a->g[i].n;
		cmp[i] = fg[i];
		if (a->g[i].n < t->cfg->min_n)
			cmp[i].n = 0;     /* left out of the comparison */
	}
	put_rates(t, a, name, fg, win);
	snprintf(metric, sizeof(metric), "%s.fourfifths", name);
	if (fair_parity_compute(cmp, a->ng, 1, &p) != 0) {
		put(t, metric, a->name, 0, 0, NULL, 0, "", "fewer than two "
		    "groups reach min_n");
		return;
	}
	if (t->cfg->min_ratio >= 0.0)
		snprintf(thr, sizeof(thr), ">=%g", t->cfg->min_ratio);
	for (i = 0, n = 0; i < a->ng; i++)
		n += cmp[i].n;
	ci[0] = p.lo;
	ci[1] = p.hi;
	if (p.adverse_diff == 0.0)
		snprintf(note, sizeof(note), "%zu groups compared, all at "
			 "one rate", p.compared);
	else
		snprintf(note, sizeof(note), "favourable rate of %s=%s over "
			 "%s=%s; %zu groups compared", a->name,
			 a->g[p.low].value, a->name, a->g[p.high].value,
			 p.compared);
	put(t, metric, a->name, p.ratio, 1, p.has_interval ? ci : NULL, n,
	    thr, note);
	snprintf(metric, sizeof(metric), "%s.adverse_ratio", name);
	put(t, metric, a->name, p.adverse_ratio, 1, NULL, n, "",
	    "lowest adverse rate over highest");
	snprintf(metric, sizeof(metric), "%s.adverse_diff", name);
	put(t, metric, a->name, p.adverse_diff, 1, NULL, n, "",
	    "highest adverse rate minus lowest");
}

/* Mean text length of table k per group, and the ratio of the lowest
 * mean to the highest over the groups of at least min_n. */
static void
parity_length(struct tally *t, const struct attr *a, size_t k)
{
	char metric[96], group[LABEL_MAX + VALUE_MAX + 2], note[96];
	double m, lo = -1.0, hi = -1.0;
	int64_t n = 0;
	size_t i, compared = 0;

	snprintf(metric, sizeof(metric), "length.%s.mean", t->texts[k]);
	for (i = 0; i < a->ng; i++) {
		if (a->g[i].text_rows[k] == 0)
			continue;
		m = (double)a->g[i].text_bytes[k] /
		    (double)a->g[i].text_rows[k];
		snprintf(group, sizeof(group), "%s=%s", a->name,
			 a->g[i].value);
		put(t, metric, group, m, 1, NULL, a->g[i].text_rows[k], "",
		    a->g[i].n < t->cfg->min_n ? "below min_n: reported, not "
		    "compared" : "");
		if (a->g[i].n < t->cfg->min_n)
			continue;
		compared++;
		n += a->g[i].text_rows[k];
		lo = lo < 0 || m < lo ? m : lo;
		hi = m > hi ? m : hi;
	}
	if (compared < 2)
		return;
	snprintf(metric, sizeof(metric), "length.%s.ratio", t->texts[k]);
	snprintf(note, sizeof(note), "lowest mean over highest, %zu groups",
		 compared);
	put(t, metric, a->name, hi > 0 ? lo / hi : 1.0, 1, NULL, n, "", note);
}

/* Item-level rates per group, reported beside the persona-level
 * outcomes (items of one persona are not independent, so they are not
 * compared): "failed_items.rate" and "refused_items.rate" of the
 * group's journal items, with Wilson intervals. */
static void
parity_items(struct tally *t, const struct attr *a)
{
	static const char *const names[] = { "failed_items.rate",
		"refused_items.rate" };
	char group[LABEL_MAX + VALUE_MAX + 2];
	double ci[2];
	int64_t x;
	size_t i, o;

	for (o = 0; o < 2; o++)
		for (i = 0; i < a->ng; i++) {
			x = o == 0 ? a->g[i].failed_items :
			    a->g[i].refused_items;
			snprintf(group, sizeof(group), "%s=%s", a->name,
				 a->g[i].value);
			if (a->g[i].items == 0) {
				put(t, names[o], group, 0, 0, NULL, 0, "",
				    "no journal items");
				continue;
			}
			fair_wilson(x, a->g[i].items, &ci[0], &ci[1]);
			put(t, names[o], group, (double)x /
			    (double)a->g[i].items, 1, ci, a->g[i].items, "",
			    "of the group's journal items");
		}
}

/* Median text length of table k per group ("length.<table>.median"),
 * over the rows kept (reordered in place). */
static void
parity_median(struct tally *t, struct attr *a, size_t k)
{
	char metric[96], group[LABEL_MAX + VALUE_MAX + 2], note[96];
	struct lens *l;
	double m;
	size_t i;

	snprintf(metric, sizeof(metric), "length.%s.median", t->texts[k]);
	for (i = 0; i < a->ng; i++) {
		l = &a->g[i].lens[k];
		if (l->n == 0)
			continue;
		m = fair_median_u32(l->v, l->n);
		snprintf(group, sizeof(group), "%s=%s", a->name,
			 a->g[i].value);
		snprintf(note, sizeof(note), l->over ? "over the first %zu "
			 "rows; %lld more not kept" : "", l->n,
			 (long long)l->over);
		put(t, metric, group, m, 1, NULL, (int64_t)l->n, "", note);
	}
}

/* Per finding auditor (pii, safety, ...), the outcomes it has any
 * persona for: "finding.AUDITOR.SEVERITY". */
static void
parity_finders(struct tally *t, const struct attr *a)
{
	char name[LABEL_MAX + 16];
	size_t k;
	int s;

	for (k = 0; k < t->nfinders; k++)
		for (s = AUDIT_LOW; s <= AUDIT_CRITICAL; s++) {
			if (t->any[k][s] == 0)
				continue;
			snprintf(name, sizeof(name), "finding.%s.%s",
				 t->finders[k], audit_severity_name(
				 (enum audit_severity)s));
			parity_outcome(t, a, name, o_finder, NULL,
				       (int)k * AUDIT_NSEVERITY + s, 0);
		}
}

static void
parity(struct tally *t)
{
	char name[32];
	size_t k;
	int i, s;

	for (i = 0; i < t->cfg->nattrs; i++) {
		if (t->a[i].col < 0) {
			put(t, "quarantine.fourfifths", t->a[i].name, 0, 0,
			    NULL, 0, "", "the dataset has no such column");
			continue;
		}
		parity_outcome(t, &t->a[i], "quarantine", o_quarantine, NULL,
			       0, 0);
		for (s = AUDIT_LOW; s <= AUDIT_CRITICAL; s++) {
			snprintf(name, sizeof(name), "finding.%s",
				 audit_severity_name((enum audit_severity)s));
			parity_outcome(t, &t->a[i], name, o_finding, NULL, s,
				       0);
		}
		parity_finders(t, &t->a[i]);
		parity_outcome(t, &t->a[i], "failed", o_failed, NULL, 0, 0);
		parity_outcome(t, &t->a[i], "refusal", o_refused, NULL, 0, 0);
		parity_outcome(t, &t->a[i], "judge_own_view", o_own_lost,
			       o_prefs, 0, 1);
		parity_items(t, &t->a[i]);
		for (k = 0; k < t->ntexts; k++) {
			parity_length(t, &t->a[i], k);
			parity_median(t, &t->a[i], k);
		}
	}
}

/* ---- exposure ---- */

/* The fifteen measures of one source's lists. */
static void
put_exposure(struct tally *t, const char *source, const struct exposure *x,
	     int64_t k, int64_t dropped)
{
	struct exposure_result r;
	struct pf_error err;
	char note[96];
	int i;

	if (exposure_compute(x, &r, &err) != 0)
		return;
	snprintf(note, sizeof(note), dropped ? "%lld lists dropped (another "
		 "length than %lld, or an item repeated)" : "",
		 (long long)dropped, (long long)k);
	for (i = 0; i < EXPOSURE_NKEYS; i++)
		put(t, exposure_keys[i], source, r.value[i], r.defined[i],
		    NULL, x->m, "", note);
}

static int
exposure(struct tally *t, struct pf_error *err)
{
	char source[LABEL_MAX] = "";
	struct exposure x;
	struct audit_list l;
	int64_t dropped = 0, k = 0;
	int got, open = 0;

	memset(&x, 0, sizeof(x));
	while ((got = t->src->next_list(t->src, &l, err)) == 1) {
		if (!open || strcmp(source, l.source) != 0) {
			if (open)
				put_exposure(t, source, &x, k, dropped);
			exposure_free(&x);
			snprintf(source, sizeof(source), "%s", l.source);
			if (exposure_init(&x, l.n > 0 ? l.n :
					  t->src->nitems, l.ordered,
					  err) != 0)
				return -1;
			open = 1;
			dropped = 0;
			k = l.k > 0 ? l.k : (int64_t)l.len;
		}
		if ((int64_t)l.len != k ||
		    exposure_add(&x, l.items, l.len, NULL) != 0)
			dropped++;
	}
	if (got == 0 && open)
		put_exposure(t, source, &x, k, dropped);
	exposure_free(&x);
	return got;
}

/* ---- the pass ---- */

static void
free_lens(struct tally *t)
{
	size_t g, k;
	int i;

	for (i = 0; i < FAIR_MAX_ATTRS; i++)
		for (g = 0; g < t->a[i].ng; g++)
			for (k = 0; k < FAIR_MAX_TEXTS; k++)
				free(t->a[i].g[g].lens[k].v);
}

static int
fairness_measure(const void *cfg, struct audit_source *src,
		 audit_metric_fn emit, void *ud, struct pf_error *err)
{
	struct tally *t = calloc(1, sizeof(*t));
	void *own = NULL;
	struct audit_person p;
	int got = 0, rc = 0, i, j;

	if (t == NULL)
		return pf_error_set(err, "out of memory");
	/* No `$.audit.fairness` section: the defaults. */
	if (cfg == NULL && fairness_parse(NULL, "$.audit.fairness", &own,
					  err) != 0) {
		free(t);
		return -1;
	}
	t->cfg = cfg != NULL ? cfg : own;
	t->src = src;
	t->emit = emit;
	t->ud = ud;
	while (rc == 0 && (got = src->next_person(src, &p, err)) == 1) {
		if ((t->people == 0 && setup(t, &p) != 0) ||
		    count_person(t, &p) != 0)
			rc = pf_error_set(err, "out of memory");
	}
	if (rc == 0 && got < 0)
		rc = -1;
	if (rc == 0 && t->people > 0) {
		representation(t);
		parity(t);
	}
	if (rc == 0)
		rc = exposure(t, err);
	for (i = 0; i < FAIR_MAX_ATTRS; i++)
		for (j = 0; j < FAIR_MAX_ATTRS; j++)
			free(t->pair[i][j]);
	free_lens(t);
	free(t);
	fairness_free(own);
	return rc;
}

const struct auditor auditor_fairness = {
	.name = "fairness",
	.version = "1",
	.label = "fairness",
	.defaults = { .enabled = 1, .quarantine = AUDIT_CRITICAL,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.keys = fairness_keys,
	.parse = fairness_parse,
	.free_config = fairness_free,
	.measure = fairness_measure,
};
