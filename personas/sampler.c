/* sampler.c - distribution tables and the persona sampler (sampler.h).
 *
 * Every table file is read whole and kept; its strings are cut in place
 * (tabs and newlines become NULs) and interned, so one value has one pointer
 * across all tables. A condition part is then matched by comparing
 * pointers, and sampling is a few pointer scans plus a binary search over
 * cumulative weights per attribute, with no allocation.
 *
 * Loading checks the chain: every condition part must be "*" or a value of
 * the parent table, and every value (combination) of the parents must find
 * a group of rows, so persona_sample() can never fall off a table. The
 * group each parent row (or pair of rows, i0 * nrows1 + i1) selects is
 * stored in gmap, so sampling resolves a condition with one array load.
 */
#include "personas/sampler.h"

#include <errno.h>
#include <inttypes.h>
#include <math.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/hash.h"
#include "base/json.h"
#include "base/rng.h"

#define FILE_MAX ((size_t)1 << 20) /* largest table file accepted */
#define VALUE_MAX 63               /* longest value in a weighted table */
#define NOPARENT { -1, -1 }

enum {
	T_GENDER, T_AGE, T_AGE_DETAIL, T_DECADE, T_NAME_SEX, T_REGION,
	T_STATE, T_URBAN, T_CITY, T_AREA, T_NEIGHBOR, T_RACE, T_EDU,
	T_EMPLOY, T_OCC, T_OCC_SEX, T_OCC_AGE, T_INCOME, T_ECON, T_MARITAL, T_HOUSE, T_LANG,
	T_LANG_EXTRA, T_FIRST, T_LAST, T_HEALTH, T_MENTAL_ANY, T_MENTAL, T_HARM,
	T_EMOTION, T_CITIZEN, T_PARTY, T_COUNT
};

/* A weighted table: its file and the tables its condition parts name.
 * Parents come earlier in the enum, so they are loaded first. */
static const struct spec {
	const char *file;
	int parent[2];  /* table of each condition part; -1: only "*" */
	int extra;      /* 1: a fourth column (city.tsv: the county) */
} specs[T_COUNT] = {
	[T_GENDER] = { "gender.tsv", NOPARENT, 0 },
	[T_AGE] = { "age.tsv", { T_GENDER, -1 }, 0 },
	[T_AGE_DETAIL] = { "age_detail.tsv", { T_AGE, T_GENDER }, 0 },
	[T_DECADE] = { "birth_decade.tsv", NOPARENT, 0 },
	[T_NAME_SEX] = { "name_sex.tsv", { T_GENDER, -1 }, 0 },
	[T_REGION] = { "region.tsv", NOPARENT, 0 },
	[T_STATE] = { "state.tsv", { T_REGION, -1 }, 0 },
	[T_URBAN] = { "urban_rural.tsv", { T_STATE, -1 }, 0 },
	[T_CITY] = { "city.tsv", { T_STATE, T_URBAN }, 1 },
	[T_AREA] = { "area_code.tsv", { T_STATE, -1 }, 0 },
	[T_NEIGHBOR] = { "state_neighbor.tsv", { T_STATE, -1 }, 0 },
	[T_RACE] = { "race_ethnicity.tsv", NOPARENT, 0 },
	[T_EDU] = { "education.tsv", { T_AGE, T_GENDER }, 0 },
	[T_EMPLOY] = { "employment.tsv", { T_AGE, T_GENDER }, 0 },
	[T_OCC] = { "occupation.tsv", { T_EMPLOY, T_EDU }, 0 },
	[T_OCC_SEX] = { "occupation_sex.tsv", { T_OCC, -1 }, 0 },
	[T_OCC_AGE] = { "occupation_age.tsv", { T_OCC, -1 }, 0 },
	[T_INCOME] = { "income.tsv", { T_OCC, -1 }, 0 },
	[T_ECON] = { "economic_status.tsv", { T_INCOME, -1 }, 0 },
	[T_MARITAL] = { "marital_status.tsv", { T_AGE, T_GENDER }, 0 },
	[T_HOUSE] = { "household.tsv", { T_MARITAL, T_AGE }, 0 },
	[T_LANG] = { "language.tsv", { T_REGION, -1 }, 0 },
	[T_LANG_EXTRA] = { "language_extra.tsv", { T_LANG, -1 }, 0 },
	[T_FIRST] = { "first_name.tsv", { T_DECADE, T_NAME_SEX }, 0 },
	[T_LAST] = { "last_name.tsv", NOPARENT, 0 },
	[T_HEALTH] = { "health_status.tsv", { T_AGE, -1 }, 0 },
	[T_MENTAL_ANY] = { "mental_health_any.tsv", { T_AGE, -1 }, 0 },
	[T_MENTAL] = { "mental_health.tsv", { T_AGE, -1 }, 0 },
	[T_HARM] = { "self_harm.tsv", { T_MENTAL, -1 }, 0 },
	[T_EMOTION] = { "emotional_state.tsv", { T_MENTAL, T_ECON }, 0 },
	[T_CITIZEN] = { "citizenship.tsv", NOPARENT, 0 },
	[T_PARTY] = { "party_id.tsv", NOPARENT, 0 },
};

#define BIG5_FILE "big5.tsv"

/* The tables that keep or refuse a drawn occupation (draw_occupation()):
 * per occupation, a share for each value of the table `by`. A further
 * condition of the occupation is one line here, its spec and its file. */
static const struct keeper {
	int table, by;
} keepers[] = {
	{ T_OCC_SEX, T_GENDER },
	{ T_OCC_AGE, T_AGE },
};
#define NKEEP (sizeof(keepers) / sizeof(keepers[0]))

struct row {
	const char *value;  /* interned */
	const char *extra;  /* fourth column (city.tsv: county), or NULL */
	double cum;         /* cumulative weight within the group */
	int lo, hi;         /* age range (age_detail.tsv); decade year */
};

struct group {
	const char *cond[2]; /* interned parts; part 2 is NULL if unused */
	uint32_t first, n;   /* rows[first .. first+n) */
	double total;        /* sum of the group's weights */
};

struct table {
	struct row *rows;     /* grouped, in file order within a group */
	struct group *groups;
	uint32_t *gmap;       /* group of each parent row (pair), see below */
	uint32_t nrows, ngroups;
	int nparts;           /* condition parts: 1 or 2 */
};

struct persona_tables {
	struct table t[T_COUNT];
	const char *big5[PERSONA_NTRAITS][PERSONA_NBANDS];
	char *text[T_COUNT + 1];  /* file contents; all strings point here */
	const char **set;         /* intern set, open addressing */
	size_t setcap, setlen;
	const char *star, *none;  /* interned "*" and "none" */
	double *keep_max[NKEEP];  /* per row of a keeper's `by` table: the
				   * largest share of its value there */
	double *mh_icpt;          /* per group of mental_health_any.tsv */
	const char *mh_any;       /* interned "any" */
	const char *mh_none;      /* its other value, also in mental_health */
	uint32_t *rank;           /* persona_tables_plan(): state rank */
	uint32_t *attempt;        /* the draw kept under quotas, or NULL */
	uint64_t nrank, rank_seed;
};

/* One parsed row before grouping. */
struct trow {
	const char *value, *extra;
	double w;
	int lo, hi;
	uint32_t group;
};

/* Where the loader is: the file and line errors name. */
struct where {
	const char *path;
	int line;
	struct pf_error *err;
};

/* Fill the error with the current file and line (0 = the whole file) and a
 * printf-style message. Returns -1. */
static int
fail(const struct where *w, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
fail(const struct where *w, const char *fmt, ...)
{
	char msg[sizeof(w->err->msg)];
	va_list ap;

	if (w->err == NULL)
		return -1;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	snprintf(w->err->file, sizeof(w->err->file), "%s", w->path);
	w->err->line = w->line;
	w->err->col = 0;
	return pf_error_set(w->err, "%s", msg);
}

/* FNV-1a of a string, for the intern set. */
static uint64_t
str_hash(const char *s)
{
	uint64_t h = 0xcbf29ce484222325ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 0x100000001b3ULL;
	return h;
}

/* Double the intern set. Returns 0, or -1 when memory ran out. */
static int
set_grow(struct persona_tables *t)
{
	size_t cap = t->setcap ? t->setcap * 2 : 512, i, j;
	const char **set = calloc(cap, sizeof(*set));

	if (set == NULL)
		return -1;
	for (i = 0; i < t->setcap; i++) {
		if (t->set[i] == NULL)
			continue;
		j = str_hash(t->set[i]) & (cap - 1);
		while (set[j] != NULL)
			j = (j + 1) & (cap - 1);
		set[j] = t->set[i];
	}
	free(t->set);
	t->set = set;
	t->setcap = cap;
	return 0;
}

/* The canonical pointer for string `s` (which must outlive the tables).
 * Returns NULL only when memory ran out. */
static const char *
intern(struct persona_tables *t, const char *s)
{
	size_t j;

	if (2 * (t->setlen + 1) > t->setcap && set_grow(t) != 0)
		return NULL;
	j = str_hash(s) & (t->setcap - 1);
	for (; t->set[j] != NULL; j = (j + 1) & (t->setcap - 1))
		if (strcmp(t->set[j], s) == 0)
			return t->set[j];
	t->setlen++;
	return t->set[j] = s;
}

/* Whether interned `v` is a value of table `tb`. */
/* The `by` table of keeper table k (see keepers[]), or -1. */
static int
keeper_by(int k)
{
	size_t i;

	for (i = 0; i < NKEEP; i++)
		if (keepers[i].table == k)
			return keepers[i].by;
	return -1;
}

static int
has_value(const struct table *tb, const char *v)
{
	uint32_t i;

	for (i = 0; i < tb->nrows; i++)
		if (tb->rows[i].value == v)
			return 1;
	return 0;
}

/* The group of `tb` that matches condition (c0, c1) most specifically: an
 * equal first part beats an equal second part, "*" matches anything.
 * NULL when no group matches. */
static const struct group *
group_find(const struct table *tb, const char *star, const char *c0,
	   const char *c1)
{
	const struct group *g, *best = NULL;
	int score, top = -1;
	uint32_t i;

	for (i = 0; i < tb->ngroups; i++) {
		g = &tb->groups[i];
		if (g->cond[0] == c0)
			score = 2;
		else if (g->cond[0] == star)
			score = 0;
		else
			continue;
		if (tb->nparts == 2 && g->cond[1] == c1)
			score++;
		else if (tb->nparts == 2 && g->cond[1] != star)
			continue;
		if (score > top) {
			top = score;
			best = g;
		}
	}
	return best;
}

/* Split `s` in place at each `sep` into at most `max` fields. Returns the
 * number of fields found, or max + 1 when there are more. */
static int
split(char *s, char sep, char **f, int max)
{
	int n = 0;
	char *p;

	for (;;) {
		if (n == max)
			return max + 1;
		f[n++] = s;
		p = strchr(s, sep);
		if (p == NULL)
			return n;
		*p = '\0';
		s = p + 1;
	}
}

/* Parse an age range of age_detail.tsv: "LO-HI" (18 <= LO <= HI <= 120)
 * or "LO+" (18 <= LO <= 116), which is drawn as LO..LO+4. */
static int
parse_range(const struct where *w, const char *s, int *lo, int *hi)
{
	char *end, *hend;
	long a, b = -1;

	errno = 0;
	a = strtol(s, &end, 10);
	if (end != s && strcmp(end, "+") == 0)
		b = a + 4;
	else if (end != s && *end == '-') {
		b = strtol(end + 1, &hend, 10);
		if (hend == end + 1 || *hend != '\0')
			b = -1;
	}
	if (errno != 0 || a < 18 || b < a || b > 120)
		return fail(w, "age range '%s' is not LO-HI or LO+ within "
			    "18..120", s);
	*lo = (int)a;
	*hi = (int)b;
	return 0;
}

/* Parse the year of a birth decade of birth_decade.tsv: "1950s". */
static int
parse_decade(const struct where *w, const char *s, int *year)
{
	char tail[2];

	if (sscanf(s, "%4ds%1s", year, tail) != 1 || *year % 10 != 0 ||
	    strcmp(s + 4, "s") != 0)
		return fail(w, "birth decade '%s' is not like 1950s", s);
	return 0;
}

/* Parse a positive, finite weight. */
static int
parse_weight(const struct where *w, const char *s, double *out)
{
	char *end;

	errno = 0;
	*out = strtod(s, &end);
	if (end == s || *end != '\0' || errno != 0 || !isfinite(*out) ||
	    *out <= 0)
		return fail(w, "weight '%s' is not a positive number", s);
	return 0;
}

/* Intern each part of condition `s` into cond[] and check it against the
 * parent tables of table `k`. */
static int
parse_cond(struct persona_tables *t, int k, const struct where *w, char *s,
	   const char *cond[2])
{
	const struct spec *sp = &specs[k];
	char *part[2];
	int n, i, nparts = t->t[k].nparts;

	n = split(s, '/', part, 2);
	if (n != nparts)
		return fail(w, "condition '%s' has %d part(s), want %d", s,
			    n > 2 ? 3 : n, nparts);
	cond[1] = NULL;
	for (i = 0; i < nparts; i++) {
		cond[i] = intern(t, part[i]);
		if (cond[i] == NULL)
			return fail(w, "out of memory");
		if (cond[i] == t->star)
			continue;
		if (sp->parent[i] < 0)
			return fail(w, "condition must be '*'");
		if (!has_value(&t->t[sp->parent[i]], cond[i]))
			return fail(w, "condition '%s' is not a value of %s",
				    cond[i], specs[sp->parent[i]].file);
	}
	return 0;
}

/* Index of the group with condition `cond` in `tb`, appending a new one
 * (growing `tb->groups`) if needed; -1 when memory ran out. */
static long
group_index(struct table *tb, const char *cond[2], uint32_t *cap)
{
	struct group *g;
	uint32_t i;

	for (i = 0; i < tb->ngroups; i++)
		if (tb->groups[i].cond[0] == cond[0] &&
		    tb->groups[i].cond[1] == cond[1])
			return i;
	if (tb->ngroups == *cap) {
		*cap = *cap ? *cap * 2 : 8;
		g = realloc(tb->groups, *cap * sizeof(*g));
		if (g == NULL)
			return -1;
		tb->groups = g;
	}
	memset(&tb->groups[i], 0, sizeof(tb->groups[i]));
	tb->groups[i].cond[0] = cond[0];
	tb->groups[i].cond[1] = cond[1];
	tb->ngroups++;
	return i;
}

/* Parse one data line of weighted table `k` into *r (fields cut in place). */
static int
parse_row(struct persona_tables *t, int k, const struct where *w, char *line,
	  struct trow *r, uint32_t *gcap)
{
	const char *cond[2];
	int want = specs[k].extra ? 4 : 3;
	char *f[4];
	long gi;

	if (split(line, '\t', f, want) != want)
		return fail(w, "want %d tab-separated fields: condition, "
			    "value, weight%s", want,
			    specs[k].extra ? ", extra" : "");
	if (f[1][0] == '\0' || strlen(f[1]) > VALUE_MAX ||
	    (specs[k].extra && (f[3][0] == '\0' ||
				strlen(f[3]) > VALUE_MAX)))
		return fail(w, "value must be 1..%d bytes", VALUE_MAX);
	if (parse_cond(t, k, w, f[0], cond) != 0 ||
	    parse_weight(w, f[2], &r->w) != 0)
		return -1;
	r->lo = r->hi = 0;
	if (k == T_AGE_DETAIL && parse_range(w, f[1], &r->lo, &r->hi) != 0)
		return -1;
	if (k == T_DECADE && parse_decade(w, f[1], &r->lo) != 0)
		return -1;
	r->value = intern(t, f[1]);
	r->extra = specs[k].extra ? f[3] : NULL;
	gi = group_index(&t->t[k], cond, gcap);
	if (r->value == NULL || gi < 0)
		return fail(w, "out of memory");
	r->group = (uint32_t)gi;
	return 0;
}

/* Order the parsed rows by group (file order within a group) into
 * tb->rows, with cumulative weights. Returns 0, or -1 when memory ran out. */
static int
table_build(struct table *tb, const struct trow *tr, uint32_t n)
{
	struct group *g;
	uint32_t i, j = 0, k;

	tb->rows = calloc(n ? n : 1, sizeof(*tb->rows));
	if (tb->rows == NULL)
		return -1;
	tb->nrows = n;
	for (i = 0; i < tb->ngroups; i++) {
		g = &tb->groups[i];
		g->first = j;
		for (k = 0; k < n; k++) {
			if (tr[k].group != i)
				continue;
			g->total += tr[k].w;
			tb->rows[j++] = (struct row){ tr[k].value,
				tr[k].extra, g->total, tr[k].lo, tr[k].hi };
		}
		g->n = j - g->first;
	}
	return 0;
}

/* Read `file` from the first of the NULL-terminated `dirs` that has it
 * (the first when none does) into t->text[slot], pointing w->path at
 * `path`. Returns 0, or -1 with the error filled. */
static int
read_table(struct persona_tables *t, int slot, const char *const *dirs,
	   const char *file, char *path, size_t pathsz, struct where *w)
{
	size_t len;
	int n, i;

	for (i = 0; dirs[i] != NULL; i++) {
		n = snprintf(path, pathsz, "%s/%s", dirs[i], file);
		w->path = n >= 0 && (size_t)n < pathsz ? path : file;
		w->line = 0;
		if (w->path != path)
			return fail(w, "data directory path too long");
		if (access(path, F_OK) == 0)
			break;
	}
	if (dirs[i] == NULL)
		snprintf(path, pathsz, "%s/%s", dirs[0], file);
	if (file_read_all(path, FILE_MAX, &t->text[slot], &len) != 0)
		return fail(w, "cannot read table: %s", strerror(errno));
	if (strlen(t->text[slot]) != len)
		return fail(w, "table contains a NUL byte");
	return 0;
}

/* The next data line at *cur (NUL-terminated in place, CR dropped),
 * skipping blank and '#' lines and counting lines in *line; NULL at the
 * end. */
static char *
next_line(char **cur, int *line)
{
	char *s, *nl;
	size_t len;

	while ((s = *cur) != NULL) {
		nl = strchr(s, '\n');
		*cur = nl != NULL ? nl + 1 : NULL;
		if (nl != NULL)
			*nl = '\0';
		(*line)++;
		len = strlen(s);
		if (len > 0 && s[len - 1] == '\r')
			s[len - 1] = '\0';
		if (s[0] != '\0' && s[0] != '#')
			return s;
	}
	return NULL;
}

/* Resolve the group of every parent row (every pair, for two parts) of
 * table `k` into its gmap; fails when one finds no rows. */
static int
map_groups(struct persona_tables *t, int k, const struct where *w)
{
	const struct spec *sp = &specs[k];
	const struct table *p0, *p1;
	const struct group *g;
	struct table *tb = &t->t[k];
	const char *c0, *c1;
	uint32_t i, j, n1;

	if (sp->parent[0] < 0)
		return 0;  /* one group, "*" */
	p0 = &t->t[sp->parent[0]];
	p1 = sp->parent[1] >= 0 ? &t->t[sp->parent[1]] : NULL;
	n1 = p1 != NULL ? p1->nrows : 1;
	tb->gmap = calloc((size_t)p0->nrows * n1, sizeof(*tb->gmap));
	if (tb->gmap == NULL)
		return fail(w, "out of memory");
	for (i = 0; i < p0->nrows; i++) {
		for (j = 0; j < n1; j++) {
			c0 = p0->rows[i].value;
			c1 = p1 != NULL ? p1->rows[j].value : NULL;
			g = group_find(tb, t->star, c0, c1);
			if (g == NULL)
				return fail(w, "no rows for condition '%s%s%s'",
					    c0, c1 ? "/" : "", c1 ? c1 : "");
			tb->gmap[i * n1 + j] = (uint32_t)(g - tb->groups);
		}
	}
	return 0;
}

/* Area codes must be three digits: phone numbers are built from them. */
static int
check_area(const struct where *w, const struct trow *r)
{
	const char *v = r->value;
	int i;

	for (i = 0; i < 3; i++)
		if (v[i] < '0' || v[i] > '9')
			break;
	if (i != 3 || v[3] != '\0')
		return fail(w, "area code '%s' is not three digits", v);
	return 0;
}

/* Neighbours must be states: phones borrow their area codes. */
static int
check_neighbor(const struct persona_tables *t, const struct where *w,
	       const struct trow *r)
{
	if (!has_value(&t->t[T_STATE], r->value))
		return fail(w, "neighbour '%s' is not a value of state.tsv",
			    r->value);
	return 0;
}

/* Load, group and check weighted table `k` from `dir`. */
static int
load_weighted(struct persona_tables *t, int k, const char *const *dir,
	      struct pf_error *err)
{
	struct where w = { "", 0, err };
	struct trow *tr = NULL, *grown;
	uint32_t n = 0, cap = 0, gcap = 0;
	char path[4096], *cur, *s;
	int rc = -1;

	t->t[k].nparts = specs[k].parent[1] >= 0 ? 2 : 1;
	if (read_table(t, k, dir, specs[k].file, path, sizeof(path), &w))
		return -1;
	cur = t->text[k];
	while ((s = next_line(&cur, &w.line)) != NULL) {
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			grown = realloc(tr, cap * sizeof(*tr));
			if (grown == NULL) {
				fail(&w, "out of memory");
				goto done;
			}
			tr = grown;
		}
		if (parse_row(t, k, &w, s, &tr[n], &gcap) != 0 ||
		    (k == T_AREA && check_area(&w, &tr[n]) != 0) ||
		    (k == T_NEIGHBOR && check_neighbor(t, &w, &tr[n]) != 0) ||
		    (keeper_by(k) >= 0 &&
		     !has_value(&t->t[keeper_by(k)], tr[n].value) &&
		     fail(&w, "'%s' is not a value of %s", tr[n].value,
			  specs[keeper_by(k)].file) != 0))
			goto done;
		n++;
	}
	w.line = 0;
	if (n == 0)
		fail(&w, "table has no rows");
	else if (table_build(&t->t[k], tr, n) != 0)
		fail(&w, "out of memory");
	else
		rc = map_groups(t, k, &w);
done:
	free(tr);
	return rc;
}

/* Index of `s` in `names`, or -1. */
static int
name_index(const char *const *names, int n, const char *s)
{
	int i;

	for (i = 0; i < n; i++)
		if (strcmp(names[i], s) == 0)
			return i;
	return -1;
}

/* Load big5.tsv: one description per (trait, band), all 25 present. */
static int
load_big5(struct persona_tables *t, const char *const *dir,
	  struct pf_error *err)
{
	struct where w = { "", 0, err };
	char path[4096], *cur, *s, *f[3];
	int ti, bi;

	if (read_table(t, T_COUNT, dir, BIG5_FILE, path, sizeof(path), &w))
		return -1;
	cur = t->text[T_COUNT];
	while ((s = next_line(&cur, &w.line)) != NULL) {
		if (split(s, '\t', f, 3) != 3 || f[2][0] == '\0')
			return fail(&w, "want 3 tab-separated fields: "
				    "trait, band, description");
		ti = name_index(persona_trait_names, PERSONA_NTRAITS, f[0]);
		bi = name_index(persona_band_names, PERSONA_NBANDS, f[1]);
		if (ti < 0 || bi < 0)
			return fail(&w, "unknown %s '%s'",
				    ti < 0 ? "trait" : "band",
				    ti < 0 ? f[0] : f[1]);
		if (t->big5[ti][bi] != NULL)
			return fail(&w, "second description for (%s, %s)",
				    f[0], f[1]);
		t->big5[ti][bi] = f[2];
	}
	w.line = 0;
	for (ti = 0; ti < PERSONA_NTRAITS; ti++)
		for (bi = 0; bi < PERSONA_NBANDS; bi++)
			if (t->big5[ti][bi] == NULL)
				return fail(&w, "no description for (%s, %s)",
					    persona_trait_names[ti],
					    persona_band_names[bi]);
	return 0;
}

/* Probability of row k within its group g of table `tb`. */
static double
row_p(const struct table *tb, const struct group *g, uint32_t k)
{
	double prev = k > g->first ? tb->rows[k - 1].cum : 0.0;

	return (tb->rows[k].cum - prev) / g->total;
}

/* For each row of keeper i's `by` table, the largest share its value has
 * in any group of the keeper but "*" (0 if none: the keeper has no
 * figures for that value). Returns 0, or -1 when memory ran out. */
static int
keep_setup(struct persona_tables *t, size_t i)
{
	const struct table *tb = &t->t[keepers[i].table];
	const struct table *by = &t->t[keepers[i].by];
	const struct group *g;
	double top;
	uint32_t j, gi, k;

	t->keep_max[i] = calloc(by->nrows, sizeof(double));
	if (t->keep_max[i] == NULL)
		return -1;
	for (j = 0; j < by->nrows; j++) {
		top = 0.0;
		for (gi = 0; gi < tb->ngroups; gi++) {
			g = &tb->groups[gi];
			for (k = g->first; g->cond[0] != t->star &&
			     k < g->first + g->n; k++)
				if (tb->rows[k].value == by->rows[j].value &&
				    row_p(tb, g, k) > top)
					top = row_p(tb, g, k);
		}
		t->keep_max[i][j] = top;
	}
	return 0;
}

/* Neuroticism's effect on any mental illness: the mean standardized
 * difference (Cohen's d) between diagnosed groups and controls, Kotov,
 * Gamez, Schmidt and Watson, "Linking 'big' personality traits to
 * anxiety, depressive, and substance use disorders: a meta-analysis",
 * Psychological Bulletin 136(5), 2010 (mean d = 1.65; epidemiologic
 * samples gave smaller effects than patient samples). Two groups a
 * distance d apart on a unit-variance trait make the log odds of the
 * diagnosis linear in the trait's z-score with slope d. */
#define NEURO_D 1.65

static double
logistic(double x)
{
	return 1.0 / (1.0 + exp(-x));
}

/* Mean of logistic(a + NEURO_D * z) over the T-scores persona_sample()
 * draws: round(50 + 10 N(0,1)) clipped to [20, 80], z = (T - 50) / 10. */
static double
mental_mean(double a)
{
	double lo, hi, pr, sum = 0.0;
	int s;

	for (s = PERSONA_BIG5_MIN; s <= PERSONA_BIG5_MAX; s++) {
		lo = s == PERSONA_BIG5_MIN ? -INFINITY : (s - 50.5) / 10.0;
		hi = s == PERSONA_BIG5_MAX ? INFINITY : (s - 49.5) / 10.0;
		pr = 0.5 * (erfc(-hi / M_SQRT2) - erfc(-lo / M_SQRT2));
		sum += pr * logistic(a + NEURO_D * (s - 50) / 10.0);
	}
	return sum;
}

/* The intercept a with mental_mean(a) = p (0 < p < 1), by bisection:
 * mental_mean() rises with a. */
static double
mental_intercept(double p)
{
	double lo = -40.0, hi = 40.0, mid;
	int i;

	for (i = 0; i < 100; i++) {
		mid = 0.5 * (lo + hi);
		if (mental_mean(mid) < p)
			lo = mid;
		else
			hi = mid;
	}
	return 0.5 * (lo + hi);
}

/* The row of group g of mental_health.tsv whose value is v, or NULL. */
static const struct row *
group_row(const struct table *tb, const struct group *g, const char *v)
{
	uint32_t k;

	for (k = g->first; k < g->first + g->n; k++)
		if (tb->rows[k].value == v)
			return &tb->rows[k];
	return NULL;
}

/* Check one group of mental_health_any.tsv (two rows, "any" and the
 * no-condition value shared with mental_health.tsv) and store its
 * intercept. Returns 0, or -1 with err set. */
static int
mental_group(struct persona_tables *t, uint32_t i, const struct where *w)
{
	const struct table *tb = &t->t[T_MENTAL_ANY];
	const struct group *g = &tb->groups[i];
	const struct row *any = group_row(tb, g, t->mh_any);
	const char *none;
	double p;

	if (g->n != 2 || any == NULL)
		return fail(w, "each condition needs exactly the values "
			    "\"any\" and the no-condition value");
	none = tb->rows[g->first].value == t->mh_any ?
	       tb->rows[g->first + 1].value : tb->rows[g->first].value;
	if (t->mh_none != NULL && none != t->mh_none)
		return fail(w, "no-condition values differ: \"%s\", \"%s\"",
			    t->mh_none, none);
	t->mh_none = none;
	p = row_p(tb, g, (uint32_t)(any - tb->rows));
	if (!(p > 0.0 && p < 1.0))
		return fail(w, "\"any\" must have a share between 0 and 1");
	t->mh_icpt[i] = mental_intercept(p);
	return 0;
}

/* Prepare the neuroticism-adjusted draw of mental health: an intercept
 * per age group, and the no-condition value, which every group of
 * mental_health.tsv must hold beside at least one condition. Returns 0,
 * or -1 with err naming the file. */
static int
mental_setup(struct persona_tables *t, struct pf_error *err)
{
	const struct table *tm = &t->t[T_MENTAL], *ta = &t->t[T_MENTAL_ANY];
	struct where w = { specs[T_MENTAL_ANY].file, 0, err };
	uint32_t i;

	t->mh_any = intern(t, "any");
	t->mh_icpt = calloc(ta->ngroups, sizeof(*t->mh_icpt));
	if (t->mh_any == NULL || t->mh_icpt == NULL)
		return pf_error_set(err, "out of memory");
	for (i = 0; i < ta->ngroups; i++)
		if (mental_group(t, i, &w) != 0)
			return -1;
	w.path = specs[T_MENTAL].file;
	for (i = 0; i < tm->ngroups; i++)
		if (group_row(tm, &tm->groups[i], t->mh_none) == NULL ||
		    tm->groups[i].n < 2)
			return fail(&w, "every condition needs \"%s\" and at "
				    "least one condition", t->mh_none);
	return 0;
}

int
persona_tables_load(const char *datadir, struct persona_tables **out,
		    struct pf_error *err)
{
	const char *const dirs[] = { datadir, NULL };

	return persona_tables_load_layers(dirs, out, err);
}

int
persona_tables_load_layers(const char *const *datadir,
			   struct persona_tables **out, struct pf_error *err)
{
	struct persona_tables *t;
	size_t i;
	int k;

	*out = NULL;
	pf_error_clear(err);
	t = calloc(1, sizeof(*t));
	if (t == NULL)
		return pf_error_set(err, "out of memory");
	t->star = intern(t, "*");
	t->none = intern(t, "none");
	if (t->star == NULL || t->none == NULL) {
		pf_error_set(err, "out of memory");
		goto fail;
	}
	for (k = 0; k < T_COUNT; k++)
		if (load_weighted(t, k, datadir, err) != 0)
			goto fail;
	if (load_big5(t, datadir, err) != 0)
		goto fail;
	for (i = 0; i < NKEEP; i++)
		if (keep_setup(t, i) != 0) {
			pf_error_set(err, "out of memory");
			goto fail;
		}
	if (mental_setup(t, err) != 0)
		goto fail;
	*out = t;
	return 0;
fail:
	persona_tables_free(t);
	return -1;
}

void
persona_tables_free(struct persona_tables *t)
{
	int k;

	if (t == NULL)
		return;
	for (k = 0; k < T_COUNT; k++) {
		free(t->t[k].rows);
		free(t->t[k].groups);
		free(t->t[k].gmap);
	}
	free(t->mh_icpt);
	for (k = 0; k < (int)NKEEP; k++)
		free(t->keep_max[k]);
	for (k = 0; k <= T_COUNT; k++)
		free(t->text[k]);
	free(t->set);
	free(t->rank);
	free(t->attempt);
	free(t);
}

/* ---- Sampling ---- */

/* Well-known payment test card numbers (Visa, Mastercard, Amex, Discover,
 * JCB, Diners): they pass the Luhn check but are never issued. */
static const char *const cards[] = {
	"4111111111111111", "4242424242424242", "4012888888881881",
	"5555555555554444", "5105105105105100", "378282246310005",
	"371449635398431", "6011111111111117", "6011000990139424",
	"3566002020360505", "30569309025904",
};

/* Reserved example domains (RFC 2606). */
static const char *const domains[] = {
	"example.com", "example.org", "example.net",
};

#define NELEM(a) ((uint32_t)(sizeof(a) / sizeof((a)[0])))

/* Ages are counted at the 2020 Census date (April 1): age_detail.tsv is
 * PCT12 of 2020, and the birth decade follows from it. */
#define REF_YEAR 2020

/* Never-issued SSN areas 000 and 666, groups 01-99, serials 0001-9999:
 * national ids are unique up to this many personas. */
#define SSN_GROUPS 99u
#define SSN_SERIALS 9999u
#define SSN_SPACE (2u * SSN_GROUPS * SSN_SERIALS)

/* Email suffixes 000000..999999 on each domain: unique up to this many. */
#define MAIL_SPACE (1000000u * 3u)

/* Largest run a phone plan covers, above the largest persona count a
 * config may ask for (4 bytes a persona: 400 MB at 100 million); later
 * indexes would count their state rank by scanning. */
#define PLAN_MAX ((uint64_t)1 << 27)

/* The rows drawn so far for one persona: the conditions of later draws. */
struct drawn {
	const struct row *age, *gender, *detail, *decade, *region, *state;
	const struct row *urban, *edu, *employ, *occ, *income, *econ;
	const struct row *marital, *lang, *mental;
};

/* The group of table `k` that parent rows c0 (and c1 for two-part
 * tables) select; the only group when c0 is NULL. */
static const struct group *
group_of(const struct persona_tables *t, int k, const struct row *c0,
	 const struct row *c1)
{
	const struct table *tb = &t->t[k], *p1;
	size_t i;

	if (c0 == NULL)
		return tb->groups;
	i = (size_t)(c0 - t->t[specs[k].parent[0]].rows);
	if (c1 != NULL) {
		p1 = &t->t[specs[k].parent[1]];
		i = i * p1->nrows + (size_t)(c1 - p1->rows);
	}
	return tb->groups + tb->gmap[i];
}

/* One row of table `k` drawn by weight from the group its parent rows
 * select (see group_of()). The rows must come from the parent tables. */
static const struct row *
draw(const struct persona_tables *t, int k, struct rng *r,
     const struct row *c0, const struct row *c1)
{
	const struct group *g = group_of(t, k, c0, c1);
	const struct row *rows = t->t[k].rows + g->first;
	uint32_t lo = 0, hi = g->n - 1, mid;
	double x = rng_uniform(r) * g->total;

	while (lo < hi) {
		mid = lo + (hi - lo) / 2;
		if (x < rows[mid].cum)
			hi = mid;
		else
			lo = mid + 1;
	}
	return &rows[lo];
}

/* A bounded string writer (snprintf is most of the cost of a persona):
 * text past the end is dropped and the buffer always ends in a NUL. */
struct out {
	char *p;    /* next byte */
	char *end;  /* last byte, kept for the NUL */
};

/* A writer over buf[0..n), n > 0, starting empty. */
static struct out
out_init(char *buf, size_t n)
{
	buf[0] = '\0';
	return (struct out){ buf, buf + n - 1 };
}

/* Append `s`, as much as fits. */
static void
out_str(struct out *o, const char *s)
{
	while (*s != '\0' && o->p < o->end)
		*o->p++ = *s++;
	*o->p = '\0';
}

/* `v` in decimal, zero-padded to `width` (at most 20) digits. */
static void
out_dec(struct out *o, uint64_t v, int width)
{
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v != 0 || (n < width && n < 20));
	while (n > 0 && o->p < o->end)
		*o->p++ = tmp[--n];
	*o->p = '\0';
}

/* The low `digits` nibbles of `v` in lower-case hex. */
static void
out_hex(struct out *o, uint64_t v, int digits)
{
	while (digits-- > 0 && o->p < o->end)
		*o->p++ = "0123456789abcdef"[(v >> (4 * digits)) & 0xf];
	*o->p = '\0';
}

/* At most `max` lower-cased ASCII letters and digits of `s`, or `def`
 * when `s` has none. */
static void
out_slug(struct out *o, const char *s, int max, const char *def)
{
	const char *start = o->p;
	char c;

	for (; *s != '\0' && max > 0 && o->p < o->end; s++) {
		c = *s;
		if (c >= 'A' && c <= 'Z')
			c = (char)(c - 'A' + 'a');
		if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')) {
			*o->p++ = c;
			max--;
		}
	}
	*o->p = '\0';
	if (o->p == start)
		out_str(o, def);
}

/* splitmix64's finaliser: the round function of perm(). */
static uint64_t
mix64(uint64_t z)
{
	return hash_mix64(z + 0x9e3779b97f4a7c15ULL);
}

/* A bijection of [0, n), n <= 2^22, chosen by `key`: a four-round Feistel
 * network on 22 bits, walked back into range. x % n is permuted, so
 * values repeat only past n. */
static uint32_t
perm(uint64_t key, uint64_t x, uint32_t n)
{
	uint32_t v = (uint32_t)(x % n), l, rr, f, i;

	do {
		l = v >> 11;
		rr = v & 0x7ff;
		for (i = 0; i < 4; i++) {
			f = (uint32_t)mix64(key ^ ((uint64_t)i << 32) ^ rr);
			f ^= l;
			l = rr;
			rr = f & 0x7ff;
		}
		v = (l << 11) | rr;
	} while (v >= n);
	return v;
}

/* The state of persona `index` at draw `attempt`: the first two draws of
 * its place stream, which nothing else reads, so phone plans stay cheap. */
static const struct row *
draw_state(const struct persona_tables *t, struct rng *pr, uint64_t seed,
	   uint64_t index, uint32_t attempt, struct drawn *d)
{
	rng_seed(pr, rng_derive(seed, "persona-place", index, attempt));
	d->region = draw(t, T_REGION, pr, NULL, NULL);
	return d->state = draw(t, T_STATE, pr, d->region, NULL);
}

/* Which draw of persona `index` the plan kept (quotas redraw a persona
 * whose stratum is full); 0 without quotas or past the plan. */
static uint32_t
attempt_of(const struct persona_tables *t, uint64_t seed, uint64_t index)
{
	return t->attempt != NULL && t->rank_seed == seed &&
	       index < t->nrank ? t->attempt[index] : 0;
}

/* How many personas below `index` live in `state`: from the plan, or
 * counted (without quotas). */
static uint64_t
state_rank(const struct persona_tables *t, uint64_t seed, uint64_t index,
	   const struct row *state)
{
	struct drawn d;
	struct rng pr;
	uint64_t j, n = 0;

	if (t->rank != NULL && t->rank_seed == seed && index < t->nrank)
		return t->rank[index];
	for (j = 0; j < index; j++)
		n += draw_state(t, &pr, seed, j, 0, &d) == state;
	return n;
}

/* Place: region, state, urban or rural, city and its county, from the
 * persona's place stream. */
static void
sample_place(const struct persona_tables *t, uint64_t seed, uint64_t index,
	     uint32_t attempt, struct drawn *d, struct persona *p)
{
	const struct row *city;
	struct rng pr;

	p->state = draw_state(t, &pr, seed, index, attempt, d)->value;
	p->region = d->region->value;
	d->urban = draw(t, T_URBAN, &pr, d->state, NULL);
	p->urban_rural = d->urban->value;
	city = draw(t, T_CITY, &pr, d->state, d->urban);
	p->city = city->value;
	p->county = city->extra;
}

/* The birth decade row for a persona of `age` at REF_YEAR: born that
 * year less age, or one year earlier when the birthday falls after
 * April 1 (three times in four). Decades beyond the table clamp to its
 * first or last row. */
static const struct row *
birth_decade(const struct persona_tables *t, struct rng *r, int age)
{
	const struct table *tb = &t->t[T_DECADE];
	int year = REF_YEAR - age - (rng_below(r, 4) != 0);
	const struct row *best = NULL, *low = &tb->rows[0], *w;
	uint32_t i;

	for (i = 0; i < tb->nrows; i++) {
		w = &tb->rows[i];
		if (w->lo < low->lo)
			low = w;
		if (w->lo <= year && (best == NULL || w->lo > best->lo))
			best = w;
	}
	return best != NULL ? best : low;
}

/* Gender, age (band, then range within it, then a uniform year) and
 * birth decade. */
static void
sample_age(const struct persona_tables *t, struct rng *r, struct drawn *d,
	   struct persona *p)
{
	p->gender = (d->gender = draw(t, T_GENDER, r, NULL, NULL))->value;
	d->age = draw(t, T_AGE, r, d->gender, NULL);
	p->age_band = d->age->value;
	d->detail = draw(t, T_AGE_DETAIL, r, d->age, d->gender);
	p->age = d->detail->lo + (int)rng_below(r,
		(uint32_t)(d->detail->hi - d->detail->lo + 1));
	d->decade = birth_decade(t, r, p->age);
	p->birth_decade = d->decade->value;
}

/* The persona's drawn row of table k, for the keepers' `by` tables. */
static const struct row *
drawn_of(const struct drawn *d, int k)
{
	return k == T_GENDER ? d->gender : k == T_AGE ? d->age : NULL;
}

/* Whether keeper i keeps occupation `occ` for the persona: with
 * probability the share of the persona's value (its sex, its age band)
 * in the occupation over the largest share that value has in any
 * occupation; never when the occupation has no row for the value (no
 * workers of that age). The "*" group (occupations without figures), and
 * a value the keeper has no figures for at all (nonbinary), keep it. */
static int
kept(const struct persona_tables *t, struct rng *r, size_t i,
     const struct row *occ, const struct drawn *d)
{
	const struct table *tk = &t->t[keepers[i].table];
	const struct group *g = group_of(t, keepers[i].table, occ, NULL);
	const struct row *by = drawn_of(d, keepers[i].by);
	double top;
	uint32_t k;

	if (by == NULL || g->cond[0] == t->star)
		return 1;
	top = t->keep_max[i][by - t->t[keepers[i].by].rows];
	if (top == 0.0)
		return 1;
	for (k = g->first; k < g->first + g->n &&
	     tk->rows[k].value != by->value; k++)
		;
	return k < g->first + g->n &&
	       rng_uniform(r) * top < row_p(tk, g, k);
}

/* Occupation by employment and education, kept by each keeper in turn
 * (occupation_sex.tsv, occupation_age.tsv), so P(occupation | employment,
 * education, sex, age band) is proportional to P(occupation | employment,
 * education) x P(sex | occupation) x P(age band | occupation): a chain of
 * two-way tables, sex and age independent of education given the
 * occupation. After 1000 refusals the last draw is kept. The loop draws
 * from a stream of its own, seeded by one draw of the persona's, so the
 * attributes drawn after it do not move when a keeper table changes how
 * often it refuses. */
static const struct row *
draw_occupation(const struct persona_tables *t, struct rng *r,
		const struct drawn *d)
{
	const struct row *occ = NULL;
	struct rng ro;
	size_t i;
	int n;

	rng_seed(&ro, rng_next(r));
	for (n = 0; n < 1000; n++) {
		occ = draw(t, T_OCC, &ro, d->employ, d->edu);
		for (i = 0; i < NKEEP && kept(t, &ro, i, occ, d); i++)
			;
		if (i == NKEEP)
			return occ;
	}
	return occ;
}

/* Race and ethnicity, then the age -> education -> employment ->
 * occupation -> income -> economic status chain, marital status and
 * household. */
static void
sample_demographics(const struct persona_tables *t, struct rng *r,
		    struct drawn *d, struct persona *p)
{
	p->race_ethnicity = draw(t, T_RACE, r, NULL, NULL)->value;
	p->education = (d->edu = draw(t, T_EDU, r, d->age, d->gender))->value;
	d->employ = draw(t, T_EMPLOY, r, d->age, d->gender);
	p->employment_status = d->employ->value;
	p->occupation = (d->occ = draw_occupation(t, r, d))->value;
	d->income = draw(t, T_INCOME, r, d->occ, NULL);
	p->income_band = d->income->value;
	d->econ = draw(t, T_ECON, r, d->income, NULL);
	p->economic_status = d->econ->value;
	d->marital = draw(t, T_MARITAL, r, d->age, d->gender);
	p->marital_status = d->marital->value;
	p->household = draw(t, T_HOUSE, r, d->marital, d->age)->value;
}

/* Mental health given age and neuroticism score n: "any" with the
 * logistic probability mental_setup() calibrated to the age band's rate,
 * then which condition from mental_health.tsv without its no-condition
 * row; else that row. */
static const struct row *
draw_mental(const struct persona_tables *t, struct rng *r,
	    const struct drawn *d, int n)
{
	const struct table *ta = &t->t[T_MENTAL_ANY], *tm = &t->t[T_MENTAL];
	const struct group *ga = group_of(t, T_MENTAL_ANY, d->age, NULL);
	const struct group *gm = group_of(t, T_MENTAL, d->age, NULL);
	const struct row *none = group_row(tm, gm, t->mh_none);
	double p = logistic(t->mh_icpt[ga - ta->groups] +
			    NEURO_D * (n - 50) / 10.0);
	const struct row *last = none;
	double w, x, acc = 0.0;
	uint32_t k;

	if (rng_uniform(r) >= p)
		return none;
	w = row_p(tm, gm, (uint32_t)(none - tm->rows)) * gm->total;
	x = rng_uniform(r) * (gm->total - w);
	for (k = gm->first; k < gm->first + gm->n; k++) {
		if (&tm->rows[k] == none)
			continue;
		last = &tm->rows[k];
		acc += row_p(tm, gm, k) * gm->total;
		if (x < acc)
			return last;
	}
	return last;  /* x at the very top, past rounding */
}

/* The Big Five (T ~ N(50, 10), rounded, clipped, banded), then PENGUIN
 * context: health, mental health (given age and neuroticism), self-harm
 * history and emotional state; then citizenship and party. */
static void
sample_wellbeing(const struct persona_tables *t, struct rng *r,
		 struct drawn *d, struct persona *p)
{
	int i, s, b;

	for (i = 0; i < PERSONA_NTRAITS; i++) {
		s = persona_big5_score(50.0 + 10.0 * rng_normal(r));
		b = persona_big5_band(s);
		p->big5[i] = (struct persona_big5){ s, persona_band_names[b],
						    t->big5[i][b] };
	}
	p->health_status = draw(t, T_HEALTH, r, d->age, NULL)->value;
	d->mental = draw_mental(t, r, d, p->big5[PERSONA_NEUROTICISM].score);
	p->mental_health_status = d->mental->value;
	p->self_harm_history = draw(t, T_HARM, r, d->mental, NULL)->value;
	p->emotional_state = draw(t, T_EMOTION, r, d->mental, d->econ)->value;
	p->citizenship = draw(t, T_CITIZEN, r, NULL, NULL)->value;
	p->party_id = draw(t, T_PARTY, r, NULL, NULL)->value;
}

/* First language by region, then up to two more until "none" or a
 * language already held is drawn; joined with ", " (three values of at
 * most VALUE_MAX bytes fit). */
static void
sample_languages(const struct persona_tables *t, struct rng *r,
		 struct drawn *d, struct persona *p)
{
	struct out o = out_init(p->languages, sizeof(p->languages));
	const char *v;
	int i, held;

	d->lang = draw(t, T_LANG, r, d->region, NULL);
	p->language[0] = d->lang->value;
	p->nlanguages = 1;
	while (p->nlanguages < PERSONA_MAX_LANGUAGES) {
		v = draw(t, T_LANG_EXTRA, r, d->lang, NULL)->value;
		for (i = 0, held = 0; i < p->nlanguages; i++)
			held |= p->language[i] == v;
		if (v == t->none || held)
			break;
		p->language[p->nlanguages++] = v;
	}
	for (i = 0; i < p->nlanguages; i++) {
		out_str(&o, i ? ", " : "");
		out_str(&o, p->language[i]);
	}
}

/* The area code row and line (0..99) of number r (0..cap-1) of `state`
 * (group g of area_code.tsv): its numbers in an order fixed by the seed. */
static const struct row *
phone_slot(const struct persona_tables *t, uint64_t seed,
	   const struct row *state, const struct group *g, uint64_t r,
	   uint32_t *line)
{
	static const uint32_t mults[] = { 37, 41, 43, 47, 53 };
	uint32_t cap = 100 * g->n, i, slot;
	uint64_t off = rng_derive(seed, "persona-phone",
				  (uint64_t)(state - t->t[T_STATE].rows), 0);

	/* A multiplier prime to cap (cap = 100 x codes, codes < 37 * 41)
	 * makes the order a bijection. */
	for (i = 0; i + 1 < NELEM(mults) && g->n % mults[i] == 0; i++)
		;
	slot = (uint32_t)(((r % cap) * mults[i] + off % cap) % cap);
	*line = slot % 100;
	return &t->t[T_AREA].rows[g->first + slot / 100];
}

/* The row of state.tsv whose value is `v` (a neighbour: checked at
 * load). */
static const struct row *
state_row(const struct persona_tables *t, const char *v)
{
	const struct table *ts = &t->t[T_STATE];
	uint32_t i;

	for (i = 0; i < ts->nrows && ts->rows[i].value != v; i++)
		;
	return &ts->rows[i < ts->nrows ? i : 0];
}

/* "(AAA) 555-01XX" for the persona of rank k in its state: the state's
 * area codes times the 100 fictional lines form its numbers, so the
 * first 100 x (area codes) personas of a state get distinct numbers.
 * Later ones borrow from the neighbours of state_neighbor.tsv in turn,
 * from the end of each neighbour's order (its own personas take the
 * front), and past that reuse them evenly. */
static void
make_phone(const struct persona_tables *t, uint64_t seed, uint64_t k,
	   const struct row *state, char *buf, size_t n)
{
	const struct group *g = group_of(t, T_AREA, state, NULL), *nb;
	const struct row *code, *lender;
	struct out o = out_init(buf, n);
	uint64_t j, cap = 100 * (uint64_t)g->n;
	uint32_t line;

	if (k < cap) {
		code = phone_slot(t, seed, state, g, k, &line);
	} else {
		nb = group_of(t, T_NEIGHBOR, state, NULL);
		j = k - cap;
		lender = state_row(t, t->t[T_NEIGHBOR].rows[nb->first +
							 j % nb->n].value);
		g = group_of(t, T_AREA, lender, NULL);
		cap = 100 * (uint64_t)g->n;
		code = phone_slot(t, seed, lender, g,
				  cap - 1 - (j / nb->n) % cap, &line);
	}
	out_str(&o, "(");
	out_str(&o, code->value);
	out_str(&o, ") 555-01");
	out_dec(&o, line, 2);
}

/* Email first.last.NNNNNN@example.* and national id AAA-GG-SSSS with area
 * 000 or 666: each a bijection of the index, so unique up to MAIL_SPACE
 * and SSN_SPACE personas. */
static void
make_ids_reserved(uint64_t seed, uint64_t index, struct persona *p)
{
	uint32_t v = perm(rng_derive(seed, "persona-mail", 0, 0), index,
			  MAIL_SPACE);
	struct out o = out_init(p->email, sizeof(p->email));

	out_slug(&o, p->first_name, 32, "user");
	out_str(&o, ".");
	out_slug(&o, p->last_name, 32, "user");
	out_str(&o, ".");
	out_dec(&o, v / NELEM(domains), 6);
	out_str(&o, "@");
	out_str(&o, domains[v % NELEM(domains)]);
	v = perm(rng_derive(seed, "persona-ssn", 0, 0), index, SSN_SPACE);
	o = out_init(p->national_id, sizeof(p->national_id));
	out_str(&o, v >= SSN_SPACE / 2 ? "666-" : "000-");
	v %= SSN_SPACE / 2;
	out_dec(&o, 1 + v / SSN_SERIALS, 2);
	out_str(&o, "-");
	out_dec(&o, 1 + v % SSN_SERIALS, 4);
}

/* First name by birth decade and sex, last name, and the synthetic
 * identifiers (email, phone, national id, test card number). */
static void
sample_identity(const struct persona_tables *t, struct rng *r,
		uint64_t seed, struct drawn *d, struct persona *p)
{
	const struct row *sex = draw(t, T_NAME_SEX, r, d->gender, NULL);
	struct out o;

	p->first_name = draw(t, T_FIRST, r, d->decade, sex)->value;
	p->last_name = draw(t, T_LAST, r, NULL, NULL)->value;
	o = out_init(p->name, sizeof(p->name));
	out_str(&o, p->first_name);
	out_str(&o, " ");
	out_str(&o, p->last_name);
	make_ids_reserved(seed, p->index, p);
	make_phone(t, seed, state_rank(t, seed, p->index, d->state), d->state,
		   p->phone, sizeof(p->phone));
	p->card_number = cards[rng_below(r, NELEM(cards))];
}

/* The id "p%06u" and a version-4-style uuid from its own stream of
 * (seed, index), so it does not move when the tables change. */
static void
make_ids(struct persona *p, uint64_t seed, uint64_t index)
{
	struct rng r;
	struct out o;
	uint64_t a, b;

	o = out_init(p->id, sizeof(p->id));
	out_str(&o, "p");
	out_dec(&o, index, 6);
	rng_seed(&r, rng_derive(seed, "persona-uuid", index, 0));
	a = (rng_next(&r) & ~0xf000ULL) | 0x4000ULL;
	b = (rng_next(&r) & ~(3ULL << 62)) | (2ULL << 62);
	o = out_init(p->uuid, sizeof(p->uuid));
	out_hex(&o, a >> 32, 8);
	out_str(&o, "-");
	out_hex(&o, a >> 16, 4);
	out_str(&o, "-");
	out_hex(&o, a, 4);
	out_str(&o, "-");
	out_hex(&o, b >> 48, 4);
	out_str(&o, "-");
	out_hex(&o, b, 12);
}

/* The attributes of persona (index, attempt) that quotas can be by:
 * place, age and the demographic chain. */
static void
sample_strata(const struct persona_tables *t, uint64_t seed, uint64_t index,
	      uint32_t attempt, struct drawn *d, struct rng *r,
	      struct persona *p)
{
	sample_place(t, seed, index, attempt, d, p);
	rng_seed(r, rng_derive(seed, "persona", index, attempt));
	sample_age(t, r, d, p);
	sample_demographics(t, r, d, p);
}

void
persona_sample(const struct persona_tables *t, uint64_t run_seed,
	       uint64_t index, struct persona *out)
{
	struct drawn d;
	struct rng r;

	memset(out, 0, sizeof(*out));
	out->index = index;
	make_ids(out, run_seed, index);
	sample_strata(t, run_seed, index, attempt_of(t, run_seed, index), &d,
		      &r, out);
	sample_languages(t, &r, &d, out);
	sample_identity(t, &r, run_seed, &d, out);
	sample_wellbeing(t, &r, &d, out);
}

/* ---- Plans and quotas ---- */

/* Draws of one persona before a quota gives up on its open strata. */
#define ATTEMPT_MAX ((uint32_t)1 << 22)

/* Where each attribute of persona_quota_fields lives, in that order. */
static const struct qfield {
	const char *name;
	int table;     /* the table its values come from */
	size_t off;    /* its const char * in struct persona */
} qfields[] = {
	{ "gender", T_GENDER, offsetof(struct persona, gender) },
	{ "age_band", T_AGE, offsetof(struct persona, age_band) },
	{ "race_ethnicity", T_RACE, offsetof(struct persona, race_ethnicity) },
	{ "region", T_REGION, offsetof(struct persona, region) },
	{ "state", T_STATE, offsetof(struct persona, state) },
	{ "urban_rural", T_URBAN, offsetof(struct persona, urban_rural) },
	{ "birth_decade", T_DECADE, offsetof(struct persona, birth_decade) },
	{ "education", T_EDU, offsetof(struct persona, education) },
	{ "employment_status", T_EMPLOY,
	  offsetof(struct persona, employment_status) },
	{ "occupation", T_OCC, offsetof(struct persona, occupation) },
	{ "income_band", T_INCOME, offsetof(struct persona, income_band) },
	{ "economic_status", T_ECON,
	  offsetof(struct persona, economic_status) },
	{ "marital_status", T_MARITAL,
	  offsetof(struct persona, marital_status) },
	{ "household", T_HOUSE, offsetof(struct persona, household) },
};

/* One stratum: its values (interned, per `by` field) and counts. */
struct stratum {
	const char *v[QUOTA_MAX_BY];
	double share;        /* proportional: share of the tables */
	int64_t want, got;
};

/* A plan being built: quota strata and the per-index results. */
struct plan {
	const struct qfield *f[QUOTA_MAX_BY];
	int nby;
	struct stratum *s;
	size_t ns;
	int overflow;        /* proportional: more than QUOTA_MAX_STRATA */
	uint32_t *rank, *attempt, *count;
};

/* The qfield of a persona_quota_fields entry. */
static const struct qfield *
qfield_of(const char *name)
{
	uint32_t i;

	for (i = 0; i < NELEM(qfields); i++)
		if (strcmp(qfields[i].name, name) == 0)
			return &qfields[i];
	return NULL;
}

/* The interned copy of `s`, or NULL when no table has that value. */
static const char *
interned(const struct persona_tables *t, const char *s)
{
	size_t j = str_hash(s) & (t->setcap - 1);

	for (; t->set[j] != NULL; j = (j + 1) & (t->setcap - 1))
		if (strcmp(t->set[j], s) == 0)
			return t->set[j];
	return NULL;
}

/* The stratum with values v[], or NULL. */
static struct stratum *
stratum_find(struct plan *pl, const char *const *v)
{
	size_t i;
	int k;

	for (i = 0; i < pl->ns; i++) {
		for (k = 0; k < pl->nby && pl->s[i].v[k] == v[k]; k++)
			;
		if (k == pl->nby)
			return &pl->s[i];
	}
	return NULL;
}

/* Strata from `counts`: each key's values must be values of their
 * attribute's table. */
static int
strata_from_counts(const struct persona_tables *t,
		   const struct persona_quota *q, struct plan *pl,
		   const struct jfield *x)
{
	char key[256], path[200], *part[QUOTA_MAX_BY];
	const struct qfield *f;
	size_t i;
	int k;

	for (i = 0; i < q->n; i++) {
		snprintf(key, sizeof(key), "%s", q->keys[i]);
		snprintf(path, sizeof(path), "$.quotas.counts.%.100s",
			 q->keys[i]);
		split(key, '/', part, QUOTA_MAX_BY);
		for (k = 0; k < pl->nby; k++) {
			f = pl->f[k];
			pl->s[i].v[k] = interned(t, part[k]);
			if (pl->s[i].v[k] == NULL ||
			    !has_value(&t->t[f->table], pl->s[i].v[k]))
				return jfield_fail(x, path, "'%s' is not a "
						   "value of %s (%s)", part[k],
						   f->name,
						   specs[f->table].file);
		}
		if (stratum_find(pl, pl->s[i].v) != NULL)
			return jfield_fail(x, path, "the same stratum twice");
		pl->s[i].want = q->counts[i];
		pl->ns++;
	}
	return 0;
}

/* Add probability `p` of the root values v6[] (the first six qfields) to
 * the stratum they fall in. */
static void
add_share(struct plan *pl, const char *const *v6, double p)
{
	const char *v[QUOTA_MAX_BY];
	struct stratum *s;
	int k;

	for (k = 0; k < pl->nby; k++)
		v[k] = v6[pl->f[k] - qfields];
	if ((s = stratum_find(pl, v)) == NULL) {
		if (pl->ns == QUOTA_MAX_STRATA) {
			pl->overflow = 1;
			return;
		}
		s = &pl->s[pl->ns++];
		memcpy(s->v, v, sizeof(v));
	}
	s->share += p;
}

/* The place subtree (region, state, urban or rural) under fixed values
 * v6[0..2] of probability p. */
static void
shares_place(const struct persona_tables *t, struct plan *pl,
	     const char **v6, double p)
{
	const struct table *tr = &t->t[T_REGION], *ts = &t->t[T_STATE];
	const struct table *tu = &t->t[T_URBAN];
	const struct group *gs, *gu;
	uint32_t a, b, c;

	for (a = 0; a < tr->nrows; a++) {
		gs = group_of(t, T_STATE, &tr->rows[a], NULL);
		v6[3] = tr->rows[a].value;
		for (b = gs->first; b < gs->first + gs->n; b++) {
			gu = group_of(t, T_URBAN, &ts->rows[b], NULL);
			v6[4] = ts->rows[b].value;
			for (c = gu->first; c < gu->first + gu->n; c++) {
				v6[5] = tu->rows[c].value;
				add_share(pl, v6, p * row_p(tr, tr->groups, a)
					  * row_p(ts, gs, b) *
					  row_p(tu, gu, c));
			}
		}
	}
}

/* Shares of every stratum of the root attributes (gender -> age band,
 * race and ethnicity, region -> state -> urban or rural). */
static void
strata_shares(const struct persona_tables *t, struct plan *pl)
{
	const struct table *tg = &t->t[T_GENDER], *ta = &t->t[T_AGE];
	const struct table *tr = &t->t[T_RACE];
	const struct group *ga;
	const char *v6[6];
	uint32_t a, b, c;

	for (a = 0; a < tg->nrows; a++) {
		ga = group_of(t, T_AGE, &tg->rows[a], NULL);
		for (b = ga->first; b < ga->first + ga->n; b++)
			for (c = 0; c < tr->nrows; c++) {
				v6[0] = tg->rows[a].value;
				v6[1] = ta->rows[b].value;
				v6[2] = tr->rows[c].value;
				shares_place(t, pl, v6,
					     row_p(tg, tg->groups, a) *
					     row_p(ta, ga, b) *
					     row_p(tr, tr->groups, c));
			}
	}
}

/* The strata's shares, then counts rounded to n by largest remainders
 * (ties to the earlier stratum). */
static void
strata_proportional(const struct persona_tables *t, struct plan *pl,
		    uint64_t n)
{
	int64_t left = (int64_t)n;
	size_t i, best;

	strata_shares(t, pl);
	for (i = 0; i < pl->ns; i++) {
		pl->s[i].want = (int64_t)floor(pl->s[i].share * (double)n);
		pl->s[i].share = pl->s[i].share * (double)n -
				 (double)pl->s[i].want;
		left -= pl->s[i].want;
	}
	for (; left > 0 && pl->ns > 0; left--) {
		for (best = 0, i = 1; i < pl->ns; i++)
			if (pl->s[i].share > pl->s[best].share)
				best = i;
		pl->s[best].want++;
		pl->s[best].share = -1.0;
	}
}

/* The draw of persona `i` that quotas keep: the first whose stratum still
 * has room given personas 0..i-1; records its attempt and state rank. */
static int
plan_one(const struct persona_tables *t, uint64_t seed, uint64_t i,
	 struct plan *pl, const struct jfield *x)
{
	const char *v[QUOTA_MAX_BY];
	struct stratum *s = NULL;
	struct persona p;
	struct drawn d;
	struct rng r;
	uint32_t a;
	int k;

	for (a = 0; a < (pl->nby ? ATTEMPT_MAX : 1); a++) {
		memset(&p, 0, sizeof(p));
		sample_strata(t, seed, i, a, &d, &r, &p);
		for (k = 0; k < pl->nby; k++)
			v[k] = *(const char *const *)((const char *)&p +
						      pl->f[k]->off);
		if (pl->nby == 0 || ((s = stratum_find(pl, v)) != NULL &&
				     s->got < s->want))
			break;
	}
	if (a == ATTEMPT_MAX)
		return jfield_fail(x, "$.quotas", "persona %" PRIu64 ": no "
				   "stratum with room left was drawn in %u "
				   "tries (a stratum's share of the tables is "
				   "too small or zero)", i, a);
	if (s != NULL)
		s->got++;
	if (pl->attempt != NULL)
		pl->attempt[i] = a;
	pl->rank[i] = pl->count[d.state - t->t[T_STATE].rows]++;
	return 0;
}

/* Strata of quota `q` for a run of n: from its counts (which must add up
 * to n) or proportional. */
static int
plan_strata(const struct persona_tables *t, const struct persona_quota *q,
	    uint64_t n, struct plan *pl, const struct jfield *x)
{
	int k;

	for (k = 0; k < q->nby; k++)
		pl->f[pl->nby++] = qfield_of(q->by[k]);
	pl->s = calloc(QUOTA_MAX_STRATA, sizeof(*pl->s));
	pl->attempt = malloc((n ? n : 1) * sizeof(*pl->attempt));
	if (pl->s == NULL || pl->attempt == NULL)
		return jfield_fail(x, "$.quotas", "out of memory");
	if (q->proportional) {
		strata_proportional(t, pl, n);
		return pl->overflow ? jfield_fail(x, "$.quotas.by", "more than "
						  "%d strata", QUOTA_MAX_STRATA)
				    : 0;
	}
	if ((uint64_t)q->total != n)
		return jfield_fail(x, "$.quotas.counts", "the counts add up to "
				   "%" PRId64 ", not the %" PRIu64 " personas "
				   "of the run", q->total, n);
	return strata_from_counts(t, q, pl, x);
}

int
persona_tables_plan_quota(struct persona_tables *t, uint64_t seed,
			  uint64_t n, const struct persona_quota *q,
			  const struct jfield *x)
{
	struct plan pl = { .nby = 0 };
	uint64_t i;
	int rc = -1;

	if (q != NULL && n > PLAN_MAX)
		return jfield_fail(x, "$.quotas", "quotas cover at most %"
				   PRIu64 " personas", PLAN_MAX);
	n = n < PLAN_MAX ? n : PLAN_MAX;
	pl.rank = malloc((n ? n : 1) * sizeof(*pl.rank));
	pl.count = calloc(t->t[T_STATE].nrows, sizeof(*pl.count));
	if (pl.rank == NULL || pl.count == NULL)
		jfield_fail(x, "$", "out of memory");
	else if (q == NULL || plan_strata(t, q, n, &pl, x) == 0)
		for (i = 0, rc = 0; rc == 0 && i < n; i++)
			rc = plan_one(t, seed, i, &pl, x);
	if (rc == 0) {
		free(t->rank);
		free(t->attempt);
		t->rank = pl.rank;
		t->attempt = pl.attempt;
		t->nrank = n;
		t->rank_seed = seed;
		pl.rank = pl.attempt = NULL;
	}
	free(pl.rank);
	free(pl.attempt);
	free(pl.count);
	free(pl.s);
	return rc;
}

int
persona_tables_plan(struct persona_tables *t, uint64_t seed, uint64_t n)
{
	const struct jfield quiet = { NULL, NULL };

	return persona_tables_plan_quota(t, seed, n, NULL, &quiet);
}

/* The root attributes: the first six of qfields, which strata_shares
 * walks. */
#define ROOT_FIELDS 6

int
persona_tables_shares(const struct persona_tables *t, const char *a,
		      const char *b, const char **va, const char **vb,
		      double *p, size_t max)
{
	const struct qfield *fa = qfield_of(a), *fb = b ? qfield_of(b) : NULL;
	struct plan pl = { .nby = 0 };
	int n = -1;
	size_t i;

	if (fa == NULL || fa - qfields >= ROOT_FIELDS ||
	    (b != NULL && (fb == NULL || fb - qfields >= ROOT_FIELDS ||
			   fb == fa)))
		return -1;
	pl.f[pl.nby++] = fa;
	if (fb != NULL)
		pl.f[pl.nby++] = fb;
	if ((pl.s = calloc(QUOTA_MAX_STRATA, sizeof(*pl.s))) == NULL)
		return -1;
	strata_shares(t, &pl);
	if (!pl.overflow && pl.ns <= max) {
		for (i = 0; i < pl.ns; i++) {
			va[i] = pl.s[i].v[0];
			if (vb != NULL)
				vb[i] = fb ? pl.s[i].v[1] : NULL;
			p[i] = pl.s[i].share;
		}
		n = (int)pl.ns;
	}
	free(pl.s);
	return n;
}

const char *
persona_tables_age_band(const struct persona_tables *t, int age)
{
	const struct table *tb = &t->t[T_AGE_DETAIL];
	const struct group *g;
	uint32_t i, k;

	for (i = 0; i < tb->ngroups; i++) {
		g = &tb->groups[i];
		for (k = g->first; k < g->first + g->n; k++)
			if (tb->rows[k].lo <= age && age <= tb->rows[k].hi)
				return g->cond[0];
	}
	return NULL;
}

/* The row of table k whose value is v, or NULL. */
static const struct row *
row_named(const struct persona_tables *t, int k, const char *v)
{
	uint32_t i;

	for (i = 0; v != NULL && i < t->t[k].nrows; i++)
		if (strcmp(t->t[k].rows[i].value, v) == 0)
			return &t->t[k].rows[i];
	return NULL;
}

void
persona_sample_name(const struct persona_tables *t, struct rng *r,
		    const char *sex, int age, const char **first,
		    const char **last)
{
	const struct row *g = row_named(t, T_GENDER, sex), *s, *d;

	if (g == NULL)
		g = &t->t[T_GENDER].rows[0];
	s = draw(t, T_NAME_SEX, r, g, NULL);
	d = birth_decade(t, r, age);
	*first = draw(t, T_FIRST, r, d, s)->value;
	*last = draw(t, T_LAST, r, NULL, NULL)->value;
}

void
persona_sample_place(const struct persona_tables *t, struct rng *r,
		     const char **city, const char **state)
{
	const struct row *g = draw(t, T_REGION, r, NULL, NULL);
	const struct row *s = draw(t, T_STATE, r, g, NULL);
	const struct row *u = draw(t, T_URBAN, r, s, NULL);

	*city = draw(t, T_CITY, r, s, u)->value;
	*state = s->value;
}
