/* diversity.c - the diversity auditor (see diversity.h): one walk over
 * the rows, twice (a count, then the work), shared by the dataset-wide
 * pass (near-duplicate findings) and the measure hook (audit_metric). */
#include "auditors/diversity.h"

#include <ctype.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/textdiv.h"
#include "base/jfield.h"
#include "base/minhash.h"
#include "base/rng.h"

#define NAME_MAX_LEN 96
#define ID_MAX 64               /* bytes of a stored row id */
#define ONCE_MAX 64             /* texts remembered per persona */

static const char *const diversity_keys[] = {
	"threshold", "bands", "rows", "min_words", "sample", "pairs", "seed",
	"min_distinct2", "max_near_duplicate_share", NULL
};

static const struct diversity_config defaults = {
	.threshold = 0.8, .bands = 32, .rows = 4, .min_words = 10,
	.sample = 1000, .pairs = 20000, .seed = 1,
	.min_distinct2 = -1, .max_share = -1,
};

static void
diversity_free(void *cfg)
{
	free(cfg);
}

static int
diversity_parse(const cJSON *section, const char *path, void **cfg,
		struct pf_error *err)
{
	struct jfield x = { NULL, err };
	struct diversity_config *c = malloc(sizeof(*c));

	*cfg = NULL;
	if (c == NULL)
		return pf_error_set(err, "out of memory");
	*c = defaults;
	if (jfield_num(&x, section, path, "threshold", 0.05, 1.0,
		       &c->threshold) != 0 ||
	    jfield_intv(&x, section, path, "bands", 1, MINHASH_PERM,
			&c->bands) != 0 ||
	    jfield_intv(&x, section, path, "rows", 1, MINHASH_PERM,
			&c->rows) != 0 ||
	    jfield_intv(&x, section, path, "min_words", 1, 10000,
			&c->min_words) != 0 ||
	    jfield_int(&x, section, path, "sample", 2, 100000,
		       &c->sample) != 0 ||
	    jfield_int(&x, section, path, "pairs", 1, 10000000,
		       &c->pairs) != 0 ||
	    jfield_int(&x, section, path, "seed", 0, INT64_C(1) << 53,
		       &c->seed) != 0 ||
	    jfield_num(&x, section, path, "min_distinct2", 0.0, 1.0,
		       &c->min_distinct2) != 0 ||
	    jfield_num(&x, section, path, "max_near_duplicate_share", 0.0,
		       1.0, &c->max_share) != 0) {
		free(c);
		return -1;
	}
	if (c->bands * c->rows != MINHASH_PERM) {
		jfield_fail(&x, path, "bands x rows must be %d, not %d x %d",
			    MINHASH_PERM, c->bands, c->rows);
		free(c);
		return -1;
	}
	*cfg = c;
	return 0;
}

/* ---- groups ---- */

/* Columns whose text belongs to something several rows are about: a
 * cqa question's title and body sit on the row of each technique's
 * answer to it (four rows). Counted per row, each question would be
 * three near-duplicates of itself (a share of at least 0.75); these are
 * counted once per persona and text instead, which is once per question
 * (question ids are the asker's, and an asker's questions differ). */
static const struct {
	const char *table, *field;
} once_per_persona[] = {
	{ .table = "cqa", .field = "title" },
	{ .table = "cqa", .field = "body" },
};

struct sampled {
	uint64_t *tok;
	size_t ntok;
	struct minhash sig;
};

struct group {
	char name[NAME_MAX_LEN];      /* "table.column" */
	char table[NAME_MAX_LEN];
	int64_t n, seen;              /* texts: counted, walked */
	int64_t clustered, dups, clusters;
	struct minhash_index *ix;
	char (*ids)[ID_MAX];          /* row id of each stored text */
	unsigned char *grown;         /* stored text has a duplicate */
	struct rng rng;
	int64_t need;                 /* sample still to draw */
	struct sampled *s;
	size_t ns;
	int once;                     /* a once_per_persona column */
	int64_t persona;              /* whose texts `met` holds */
	uint64_t met[ONCE_MAX];       /* hashes of that persona's texts */
	size_t nmet;
};

struct walk {
	const struct diversity_config *cfg;
	struct group g[DIV_MAX_GROUPS];
	size_t ng;
	int counting;
	audit_emit_fn emit;
	void *ud;
	uint64_t tok[TEXTDIV_MAX_TOKENS];
	struct pf_error *err;
};

/* FNV-1a of s from h (the group seed starts from 0). */
static uint64_t
fnv(uint64_t h, const char *s)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

static struct group *
group_of(struct walk *w, const char *table, const char *field)
{
	char name[NAME_MAX_LEN];
	struct group *g;
	size_t i;

	snprintf(name, sizeof(name), "%s.%s", table, field);
	for (i = w->ng; i-- > 0;)
		if (strcmp(w->g[i].name, name) == 0)
			return &w->g[i];
	if (w->ng == DIV_MAX_GROUPS)
		return NULL;
	g = &w->g[w->ng++];
	snprintf(g->name, sizeof(g->name), "%s", name);
	snprintf(g->table, sizeof(g->table), "%s", table);
	for (i = 0; i < sizeof(once_per_persona) /
	     sizeof(once_per_persona[0]); i++)
		g->once |= strcmp(once_per_persona[i].table, table) == 0 &&
			   strcmp(once_per_persona[i].field, field) == 0;
	g->persona = -1;
	return g;
}

/* Whether a once-per-persona group has met text for this persona
 * already (it then is not counted again); remembers it otherwise, up to
 * ONCE_MAX texts a persona (past that, texts count on every row). */
static int
met_before(struct group *g, int64_t persona, const char *text)
{
	uint64_t h = fnv(0xcbf29ce484222325ULL, text);
	size_t i;

	if (persona != g->persona) {
		g->persona = persona;
		g->nmet = 0;
	}
	for (i = 0; i < g->nmet; i++)
		if (g->met[i] == h)
			return 1;
	if (g->nmet < ONCE_MAX)
		g->met[g->nmet++] = h;
	return 0;
}

static void
group_free(struct group *g)
{
	size_t i;

	minhash_index_free(g->ix);
	free(g->ids);
	free(g->grown);
	for (i = 0; i < g->ns; i++)
		free(g->s[i].tok);
	free(g->s);
}

/* After the count: the group's sample and its rng. */
static int
group_start(struct walk *w, struct group *g)
{
	rng_seed(&g->rng, rng_derive((uint64_t)w->cfg->seed, "diversity",
				     fnv(0, g->name), 0));
	g->need = g->n < w->cfg->sample ? g->n : w->cfg->sample;
	g->s = calloc((size_t)g->need + 1, sizeof(*g->s));
	return g->s == NULL ? -1 : 0;
}

/* The group's index, made when its first text arrives: the index holds
 * every text of the group at most. */
static int
group_index(struct walk *w, struct group *g)
{
	if (g->ix != NULL)
		return 0;
	g->ix = minhash_index_new((size_t)g->n, w->cfg->bands, w->cfg->rows,
				  w->cfg->threshold);
	g->ids = malloc((size_t)g->n * sizeof(*g->ids));
	g->grown = calloc((size_t)g->n, 1);
	return g->ix && g->ids && g->grown ? 0 : -1;
}

/* Free the indexes of every group of another table than `table` (rows
 * come table by table, so those are done). */
static void
drop_indexes(struct walk *w, const char *table)
{
	size_t i;

	for (i = 0; i < w->ng; i++)
		if (w->g[i].ix != NULL && strcmp(w->g[i].table, table) != 0) {
			minhash_index_free(w->g[i].ix);
			w->g[i].ix = NULL;
			free(w->g[i].ids);
			w->g[i].ids = NULL;
			free(w->g[i].grown);
			w->g[i].grown = NULL;
		}
}

static int
word_count(const char *text)
{
	const unsigned char *p = (const unsigned char *)text;
	int n = 0, in = 0, wc;

	for (; *p; p++) {
		wc = isalnum(*p) || *p == '\'';
		n += wc && !in;
		in = wc;
	}
	return n;
}

/* ---- the walk ---- */

static void
report_dup(struct walk *w, struct group *g, const struct audit_row *row,
	   const char *field, int64_t rep)
{
	char masked[ID_MAX + 16], reason[ID_MAX + 96];
	struct audit_hit h = {
		.table = row->table, .row_id = row->id, .field = field,
		.kind = "near_duplicate", .severity = AUDIT_LOW,
		.masked = masked, .reason = reason,
	};

	snprintf(masked, sizeof(masked), "cluster %s", g->ids[rep]);
	snprintf(reason, sizeof(reason), "a near-duplicate (estimated "
		 "Jaccard >= %.2f) of %s, cluster %s", w->cfg->threshold,
		 g->ids[rep], g->ids[rep]);
	if (w->emit != NULL)
		w->emit(w->ud, &h);
}

/* Look text up in its group's index; store it or count it as a
 * near-duplicate. */
static int
cluster(struct walk *w, struct group *g, const struct audit_row *row,
	const char *field, const struct minhash *m)
{
	int64_t rep;
	size_t k;

	if (group_index(w, g) != 0)
		return pf_error_set(w->err, "out of memory");
	g->clustered++;
	if (minhash_index_find(g->ix, m, &rep)) {
		g->dups++;
		g->clusters += !g->grown[rep];
		g->grown[rep] = 1;
		report_dup(w, g, row, field, rep);
		return 0;
	}
	k = minhash_index_size(g->ix);
	snprintf(g->ids[k], ID_MAX, "%s", row->id);
	return minhash_index_add(g->ix, m, (int64_t)k) != 0 ?
	       pf_error_set(w->err, "out of memory") : 0;
}

/* Selection sampling (Knuth's algorithm S): text `seen` of n is drawn
 * with probability need / (n - seen). */
static int
draw(struct group *g)
{
	int64_t left = g->n - g->seen;

	if (g->need <= 0 || left <= 0)
		return 0;
	if ((int64_t)rng_below(&g->rng, (uint32_t)(left > UINT32_MAX ?
	    UINT32_MAX : left)) >= g->need)
		return 0;
	g->need--;
	return 1;
}

static int
keep_sample(struct walk *w, struct group *g, const char *text,
	    const struct minhash *m)
{
	struct sampled *s = &g->s[g->ns];

	s->ntok = textdiv_tokens(text, w->tok, TEXTDIV_MAX_TOKENS);
	s->tok = malloc((s->ntok + 1) * sizeof(*s->tok));
	if (s->tok == NULL)
		return pf_error_set(w->err, "out of memory");
	memcpy(s->tok, w->tok, s->ntok * sizeof(*s->tok));
	s->sig = *m;
	g->ns++;
	return 0;
}

static int
one_text(struct walk *w, const struct audit_row *row, const char *field,
	 const char *text)
{
	struct group *g = group_of(w, row->table, field);
	int sampled, long_enough, rc = 0;
	struct minhash m;

	if (g == NULL || (!w->counting && g->seen >= g->n))
		return 0;      /* past DIV_MAX_GROUPS, or not counted */
	if (g->once && met_before(g, row->persona_id, text))
		return 0;
	if (w->counting) {
		g->n++;
		return 0;
	}
	if (g->seen == 0 && g->s == NULL && group_start(w, g) != 0)
		return pf_error_set(w->err, "out of memory");
	sampled = draw(g);
	g->seen++;
	long_enough = word_count(text) >= w->cfg->min_words;
	if (!sampled && !long_enough)
		return 0;
	minhash_text(text, &m);
	if (long_enough)
		rc = cluster(w, g, row, field, &m);
	if (rc == 0 && sampled)
		rc = keep_sample(w, g, text, &m);
	return rc;
}

/* Count the texts per group, then walk them again doing the work (a
 * text the count did not see is left out). */
static int
walk_rows(struct walk *w, struct audit_cursor *cur)
{
	struct audit_row row;
	size_t i;
	int got, rc = 0;

	for (w->counting = 1; w->counting >= 0; w->counting--) {
		if (cur->rewind(cur, w->err) != 0)
			return -1;
		for (i = 0; i < w->ng; i++)   /* each pass meets them anew */
			w->g[i].persona = -1;
		while (rc == 0 && (got = cur->next(cur, &row, w->err)) == 1) {
			if (!w->counting)
				drop_indexes(w, row.table);
			for (i = 0; i < row.nfields && rc == 0; i++)
				if (row.texts[i] != NULL)
					rc = one_text(w, &row, row.names[i],
						      row.texts[i]);
		}
		if (rc != 0 || got < 0)
			return -1;
	}
	return 0;
}

static int
walk_run(const void *cfg, struct audit_cursor *cur, audit_emit_fn emit,
	 void *ud, struct pf_error *err, struct walk **out)
{
	struct walk *w = calloc(1, sizeof(*w));

	*out = w;
	if (w == NULL)
		return pf_error_set(err, "out of memory");
	w->cfg = cfg != NULL ? cfg : &defaults;
	w->emit = emit;
	w->ud = ud;
	w->err = err;
	return walk_rows(w, cur);
}

static void
walk_free(struct walk *w)
{
	size_t i;

	if (w == NULL)
		return;
	for (i = 0; i < w->ng; i++)
		group_free(&w->g[i]);
	free(w);
}

static int
diversity_scan(const void *cfg, struct audit_cursor *cur,
	       audit_emit_fn emit, void *ud, struct pf_error *err)
{
	struct walk *w;
	int rc = walk_run(cfg, cur, emit, ud, err, &w);

	walk_free(w);
	return rc;
}

/* ---- measures ---- */

struct out {
	audit_metric_fn emit;
	void *ud;
	const char *group;
};

static void
put(const struct out *o, const char *metric, double v, int defined,
    int64_t n, const char *threshold, const char *note)
{
	struct audit_metric m = {
		.metric = metric, .group = o->group, .value = v,
		.defined = defined, .n = n,
		.threshold = threshold ? threshold : "",
		.note = note ? note : "",
	};

	o->emit(o->ud, &m);
}

/* Mean estimated Jaccard over the sample's pairs, with its interval. */
static void
put_similarity(const struct out *o, const struct diversity_config *c,
	       struct group *g)
{
	struct audit_metric m = { .metric = "mean_similarity",
				  .group = o->group, .threshold = "",
				  .note = "" };
	int64_t all = (int64_t)g->ns * ((int64_t)g->ns - 1) / 2, k = 0;
	double x, sum = 0, sq = 0, sd;
	size_t i, j;
	char note[96];

	for (i = 0; all <= c->pairs && i < g->ns; i++)
		for (j = i + 1; j < g->ns; j++, k++) {
			x = minhash_jaccard(&g->s[i].sig, &g->s[j].sig);
			sum += x;
			sq += x * x;
		}
	for (; all > c->pairs && k < c->pairs; k++) {
		i = rng_below(&g->rng, (uint32_t)g->ns);
		j = rng_below(&g->rng, (uint32_t)g->ns - 1);
		j += j >= i;
		x = minhash_jaccard(&g->s[i].sig, &g->s[j].sig);
		sum += x;
		sq += x * x;
	}
	if (k > 0) {
		m.value = sum / (double)k;
		sd = k > 1 ? sqrt(fmax(0, (sq - sum * m.value) /
				       (double)(k - 1))) : 0;
		m.lo = fmax(0, m.value - 1.96 * sd / sqrt((double)k));
		m.hi = fmin(1, m.value + 1.96 * sd / sqrt((double)k));
		m.has_interval = m.defined = 1;
	}
	m.n = k;
	snprintf(note, sizeof(note), "%s pairs of %zu sampled texts",
		 all > c->pairs ? "seeded random" : "all", g->ns);
	m.note = note;
	o->emit(o->ud, &m);
}

static int
put_text_measures(const struct out *o, const struct diversity_config *c,
		  struct group *g)
{
	struct textdiv_text *t = calloc(g->ns + 1, sizeof(*t));
	char metric[16], gate[32] = "";
	double v;
	int64_t total;
	size_t i;
	int n;

	if (t == NULL)
		return -1;
	for (i = 0; i < g->ns; i++)
		t[i] = (struct textdiv_text){ g->s[i].tok, g->s[i].ntok };
	if (c->min_distinct2 >= 0)
		snprintf(gate, sizeof(gate), ">=%g", c->min_distinct2);
	for (n = 1; n <= 3; n++) {
		if (textdiv_distinct(t, g->ns, n, &v, &total) != 0)
			return free(t), -1;
		snprintf(metric, sizeof(metric), "distinct%d", n);
		put(o, metric, v, total > 0, total, n == 2 ? gate : "",
		    "n-grams of the sampled texts");
	}
	if (textdiv_self_bleu(t, g->ns, &v, &total) != 0)
		return free(t), -1;
	put(o, "self_bleu4", v, total > 0, total, "", "sampled texts of 4 "
	    "or more tokens");
	free(t);
	return 0;
}

static void
put_duplicates(const struct out *o, const struct diversity_config *c,
	       const struct group *g)
{
	char gate[32] = "", note[160];

	if (c->max_share >= 0)
		snprintf(gate, sizeof(gate), "<=%g", c->max_share);
	snprintf(note, sizeof(note), "estimated Jaccard >= %g, LSH %d bands "
		 "x %d rows, texts of %d or more words", c->threshold,
		 c->bands, c->rows, c->min_words);
	put(o, "near_duplicate_share", g->clustered > 0 ?
	    (double)g->dups / (double)g->clustered : 0, g->clustered > 0,
	    g->clustered, gate, note);
	put(o, "near_duplicate_clusters", (double)g->clusters, 1,
	    g->clustered, "", "clusters of two or more texts");
}

static int
diversity_measure(const void *cfg, struct audit_source *src,
		  audit_metric_fn emit, void *ud, struct pf_error *err)
{
	struct walk *w;
	struct out o = { emit, ud, NULL };
	size_t i;
	int rc;

	if (src->rows == NULL)
		return 0;     /* a source without texts: nothing to measure */
	rc = walk_run(cfg, src->rows, NULL, NULL, err, &w);
	for (i = 0; rc == 0 && i < w->ng; i++) {
		o.group = w->g[i].name;
		put(&o, "texts", (double)w->g[i].n, 1, w->g[i].n, "", "");
		if (put_text_measures(&o, w->cfg, &w->g[i]) != 0)
			rc = pf_error_set(err, "out of memory");
		put_similarity(&o, w->cfg, &w->g[i]);
		put_duplicates(&o, w->cfg, &w->g[i]);
	}
	walk_free(w);
	return rc;
}

const struct auditor auditor_diversity = {
	.name = "diversity",
	.version = "1",
	.label = "near-duplicate",
	.defaults = { .enabled = 0, .quarantine = AUDIT_CRITICAL,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.keys = diversity_keys,
	.parse = diversity_parse,
	.free_config = diversity_free,
	.scan_dataset = diversity_scan,
	.measure = diversity_measure,
};
