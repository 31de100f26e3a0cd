/* fewshot.c - the FSPO few-shot export (see fewshot.h). An export_sink
 * collects the preference pairs (bounded by FEWSHOT_MAX_BYTES); rows,
 * episodes and the needs-human list are then written. */
#include "output/fewshot.h"

#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <sqlite3.h>

#include "base/buf.h"
#include "base/json.h"
#include "output/export.h"

#define PATH_BYTES 4096
#define OUT_MAX ((size_t)4 << 30)   /* one output file */

struct pair {
	char *id, *user, *x, *yw, *yl, *desc, *label;
	double bpde;
};

struct fs {
	struct pair *p;
	uint32_t n, cap;
	size_t bytes;
	double share;           /* the stored config's needs-human share */
	struct pf_error *err;
};

/* A copy of t without leading and trailing blanks (Python's strip() of
 * ASCII text), counted against the byte bound. */
static char *
keep(struct fs *f, const char *t, int strip)
{
	size_t n;
	char *d;

	t = t ? t : "";
	while (strip && *t != '\0' && isspace((unsigned char)*t))
		t++;
	n = strlen(t);
	while (strip && n > 0 && isspace((unsigned char)t[n - 1]))
		n--;
	if (f->bytes + n + 1 > FEWSHOT_MAX_BYTES) {
		pf_error_set(f->err, "preference pairs pass %zu bytes",
			     FEWSHOT_MAX_BYTES);
		return NULL;
	}
	if ((d = malloc(n + 1)) == NULL) {
		pf_error_set(f->err, "out of memory");
		return NULL;
	}
	memcpy(d, t, n);
	d[n] = '\0';
	f->bytes += n + 1;
	return d;
}

static int
on_record(void *ud, const struct export_rec *r, enum export_event ev)
{
	struct fs *f = ud;
	struct pair *p;
	void *np;

	if (ev != EXPORT_OPEN ||
	    strcmp(r->kind->table->name, "preference_pair") != 0)
		return 0;
	if (f->n == f->cap) {
		f->cap = f->cap ? f->cap * 2 : 1024;
		if ((np = realloc(f->p, f->cap * sizeof(*f->p))) == NULL)
			return pf_error_set(f->err, "out of memory");
		f->p = np;
	}
	p = &f->p[f->n];
	memset(p, 0, sizeof(*p));
	f->n++;
	p->bpde = strtod(export_rec_text(r, "bpde"), NULL);
	if ((p->id = keep(f, export_rec_text(r, "pair_id"), 0)) == NULL ||
	    (p->user = keep(f, r->uid, 0)) == NULL ||
	    (p->x = keep(f, export_rec_text(r, "question"), 0)) == NULL ||
	    (p->yw = keep(f, export_rec_text(r, "chosen"), 0)) == NULL ||
	    (p->yl = keep(f, export_rec_text(r, "rejected"), 0)) == NULL ||
	    (p->desc = keep(f, export_rec_text(r, "user_desc"), 0)) == NULL ||
	    (p->label = keep(f, export_rec_text(r, "label"), 0)) == NULL)
		return -1;
	return 0;
}

/* ---- episodes ---- */

static uint64_t
fnv1a64(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t
splitmix64(uint64_t *state)
{
	uint64_t z = (*state += 0x9E3779B97F4A7C15ULL);

	z = (z ^ (z >> 30)) * 0xBF58476D1CE4E5B9ULL;
	z = (z ^ (z >> 27)) * 0x94D049BB133111EBULL;
	return z ^ (z >> 31);
}

/* Pass p's order of user u's rows (see fewshot.h). */
static void
shuffle(uint32_t *r, uint32_t n, const char *user, int pass)
{
	uint64_t st = fnv1a64(user) ^ ((uint64_t)pass * 0x9E3779B97F4A7C15ULL);
	uint32_t i, j, t;

	for (i = n; i-- > 1;) {
		j = (uint32_t)(splitmix64(&st) % ((uint64_t)i + 1));
		t = r[i];
		r[i] = r[j];
		r[j] = t;
	}
}

/* Append s stripped of leading and trailing blanks. */
static void
put_stripped(struct buf *b, const char *s)
{
	size_t n;

	while (*s != '\0' && isspace((unsigned char)*s))
		s++;
	n = strlen(s);
	while (n > 0 && isspace((unsigned char)s[n - 1]))
		n--;
	buf_append(b, s, n);
}

/* shots_to_text with include_dispreferred: the prompt and both targets
 * of the window w[0..shots] (shots, then the query). */
static void
shots_to_text(const struct fs *f, const uint32_t *w, int shots, int rat,
	      struct buf *prompt, struct buf *chosen, struct buf *rejected)
{
	const struct pair *q = &f->p[w[shots]];
	int i;

	for (i = 0; i < shots; i++) {
		const struct pair *s = &f->p[w[i]];

		buf_printf(prompt, "# Example %d\n## Question \n", i + 1);
		put_stripped(prompt, s->x);
		buf_puts(prompt, "\n## Preferred Response \n");
		put_stripped(prompt, s->yw);
		buf_puts(prompt, "\n## Dispreferred Response \n");
		put_stripped(prompt, s->yl);
		buf_puts(prompt, "\n\n");
	}
	buf_puts(prompt, "# Task\n");
	buf_puts(prompt, shots == 0 ? "Generate a response to the following "
		 "question." : rat ? "Generate a user description based on "
		 "the examples above. Then, generate a preferred response to "
		 "the following question." : "Given the examples above, "
		 "generate a preferred response to the following question.");
	buf_puts(prompt, "\n## Question \n");
	put_stripped(prompt, q->x);
	buf_puts(prompt, "\n");
	if (rat) {
		buf_printf(chosen, "## User Description\n%s\n", q->desc);
		buf_printf(rejected, "## User Description\n%s\n", q->desc);
	}
	buf_puts(chosen, "## Preferred Response \n");
	put_stripped(chosen, q->yw);
	buf_puts(chosen, "\n");
	buf_puts(rejected, "## Preferred Response \n");
	put_stripped(rejected, q->yl);
	buf_puts(rejected, "\n");
}

static void
put_field(struct buf *b, const char *k, const char *v, size_t n, int last)
{
	json_quote(b, k, strlen(k));
	buf_puts(b, ": ");
	json_quote(b, v, n);
	buf_puts(b, last ? "}\n" : ", ");
}

/* One user's labelled rows: a run of `labelled` (the walk hands a
 * persona's pairs over together). */
struct user {
	const char *name;
	uint32_t first, n;   /* in labelled[] */
};

static int
by_name(const void *a, const void *b)
{
	return strcmp(((const struct user *)a)->name,
		      ((const struct user *)b)->name);
}

static int
by_bpde(const void *a, const void *b)
{
	const struct pair *p = *(const struct pair *const *)a;
	const struct pair *q = *(const struct pair *const *)b;

	if (p->bpde != q->bpde)
		return p->bpde < q->bpde ? 1 : -1;
	return strcmp(p->id, q->id);
}

enum { F_ROWS, F_EPISODES, F_HUMAN, F_N };

/* rows.jsonl, and the labelled rows' indices into lab[] (*nlab). */
static void
write_rows(const struct fs *f, struct buf *b, uint32_t *lab, uint32_t *nlab)
{
	uint32_t i;

	*nlab = 0;
	for (i = 0; i < f->n; i++) {
		const struct pair *p = &f->p[i];

		if (strcmp(p->label, "chosen") != 0)
			continue;
		lab[(*nlab)++] = i;
		buf_putc(b, '{');
		put_field(b, "x", p->x, strlen(p->x), 0);
		put_field(b, "yw", p->yw, strlen(p->yw), 0);
		put_field(b, "yl", p->yl, strlen(p->yl), 0);
		put_field(b, "level", p->user, strlen(p->user), 0);
		put_field(b, "user_desc", p->desc, strlen(p->desc), 1);
	}
}

/* The users of the labelled rows, sorted by name; returns how many. */
static uint32_t
users_of(const struct fs *f, const uint32_t *lab, uint32_t nlab,
	 struct user *u)
{
	uint32_t i, n = 0;

	for (i = 0; i < nlab; i++) {
		if (n > 0 && strcmp(u[n - 1].name, f->p[lab[i]].user) == 0) {
			u[n - 1].n++;
			continue;
		}
		u[n++] = (struct user){ f->p[lab[i]].user, i, 1 };
	}
	qsort(u, n, sizeof(*u), by_name);
	return n;
}

/* episodes.jsonl: 2(N+1) passes over the users, windows of N+2. */
static uint64_t
write_episodes(const struct fs *f, const struct fewshot_opts *o,
	       const uint32_t *lab, const struct user *u, uint32_t nu,
	       uint32_t *w, struct buf *b)
{
	struct buf pr, ch, rj;
	uint32_t k, i, win = (uint32_t)o->shots + 2;
	uint64_t n = 0;
	int pass;

	buf_init(&pr, OUT_MAX);
	buf_init(&ch, OUT_MAX);
	buf_init(&rj, OUT_MAX);
	for (pass = 0; pass < 2 * (o->shots + 1); pass++)
		for (k = 0; k < nu; k++) {
			for (i = 0; i < u[k].n; i++)
				w[i] = lab[u[k].first + i];
			shuffle(w, u[k].n, u[k].name, pass);
			for (i = 0; i + win <= u[k].n; i += win, n++) {
				buf_reset(&pr);
				buf_reset(&ch);
				buf_reset(&rj);
				shots_to_text(f, w + i, o->shots, o->rat, &pr,
					      &ch, &rj);
				buf_putc(b, '{');
				put_field(b, "user", u[k].name,
					  strlen(u[k].name), 0);
				put_field(b, "prompt", pr.data, pr.len, 0);
				put_field(b, "chosen", ch.data, ch.len, 0);
				put_field(b, "rejected", rj.data, rj.len, 1);
			}
		}
	buf_free(&pr);
	buf_free(&ch);
	buf_free(&rj);
	return n;
}

/* needs_human.jsonl: the top human_share of all pairs by BPDE. */
static uint64_t
write_human(const struct fs *f, double share, const struct pair **all,
	    struct buf *b)
{
	uint64_t i, n = (uint64_t)ceil(share * f->n - 1e-9);
	char num[32];

	for (i = 0; i < f->n; i++)
		all[i] = &f->p[i];
	qsort(all, f->n, sizeof(*all), by_bpde);
	for (i = 0; i < n && i < f->n; i++) {
		snprintf(num, sizeof(num), "%.6f", all[i]->bpde);
		buf_putc(b, '{');
		put_field(b, "pair_id", all[i]->id, strlen(all[i]->id), 0);
		put_field(b, "persona_id", all[i]->user,
			  strlen(all[i]->user), 0);
		json_quote(b, "bpde", 4);
		buf_printf(b, ": %s, ", num);
		put_field(b, "label", all[i]->label, strlen(all[i]->label),
			  1);
	}
	return i;
}

/* Write the three files, renaming them only when all are whole. */
static int
write_files(const char *dir, struct buf out[F_N], struct pf_error *err)
{
	static const char *const names[F_N] = {
		"rows.jsonl", "episodes.jsonl", "needs_human.jsonl"
	};
	int i;

	for (i = 0; i < F_N; i++)
		if (out[i].len + 1 >= out[i].max)
			return pf_error_set(err, "%s passes %zu bytes",
					    names[i], out[i].max);
	return export_files_write(dir, names, out, F_N, err);
}

static void
fs_free(struct fs *f)
{
	uint32_t i;

	for (i = 0; i < f->n; i++) {
		free(f->p[i].id);
		free(f->p[i].user);
		free(f->p[i].x);
		free(f->p[i].yw);
		free(f->p[i].yl);
		free(f->p[i].desc);
		free(f->p[i].label);
	}
	free(f->p);
}

static int
build(const struct fs *f, const struct fewshot_opts *o, const char *dir,
      struct fewshot_counts *c, struct pf_error *err)
{
	uint32_t *lab = calloc(f->n + 1, sizeof(*lab));
	uint32_t *w = calloc(f->n + 1, sizeof(*w)), nlab, nu;
	struct user *u = calloc(f->n + 1, sizeof(*u));
	const struct pair **all = calloc(f->n + 1, sizeof(*all));
	struct buf out[F_N];
	int i, rc = -1;

	for (i = 0; i < F_N; i++)
		buf_init(&out[i], OUT_MAX);
	if (lab == NULL || w == NULL || u == NULL || all == NULL) {
		pf_error_set(err, "out of memory");
		goto done;
	}
	write_rows(f, &out[F_ROWS], lab, &nlab);
	nu = users_of(f, lab, nlab, u);
	c->rows = nlab;
	c->unlabelled = f->n - nlab;
	c->episodes = write_episodes(f, o, lab, u, nu, w, &out[F_EPISODES]);
	for (i = 0; i < (int)nu; i++)
		c->users += u[i].n >= (uint32_t)o->shots + 2;
	c->needs_human = write_human(f, o->human_share >= 0 ? o->human_share :
				     f->share, all, &out[F_HUMAN]);
	rc = export_make_dir(dir, err) == 0 ? write_files(dir, out, err) : -1;
done:
	for (i = 0; i < F_N; i++)
		buf_free(&out[i]);
	free(lab);
	free(w);
	free(u);
	free(all);
	return rc;
}

double
fewshot_human_share(struct dataset *ds)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT config FROM run", NULL);
	const unsigned char *text;
	const cJSON *v;
	cJSON *root = NULL;
	double share = FEWSHOT_HUMAN_SHARE;

	if (st != NULL && sqlite3_step(st) == SQLITE_ROW &&
	    (text = sqlite3_column_text(st, 0)) != NULL &&
	    json_parse((const char *)text, strlen((const char *)text), &root,
		       NULL) == 0) {
		v = json_get(json_get(json_get(root, "stages"),
				      "preferences"), "human_share");
		if (cJSON_IsNumber(v) && v->valuedouble >= 0 &&
		    v->valuedouble <= 1)
			share = v->valuedouble;
	}
	cJSON_Delete(root);
	sqlite3_finalize(st);
	return share;
}

int
fewshot_export_write(struct dataset *ds, const char *dir,
		     const struct fewshot_opts *o,
		     struct fewshot_counts *counts, struct pf_error *err)
{
	struct export_sink sink = export_sink_nop;
	struct export_counts ec;
	struct fewshot_counts c;
	struct fs f;
	int rc = -1;

	memset(&f, 0, sizeof(f));
	memset(&ec, 0, sizeof(ec));
	memset(&c, 0, sizeof(c));
	f.err = err;
	f.share = fewshot_human_share(ds);
	sink.ud = &f;
	sink.record = on_record;
	if (export_walk(ds, o->export_opts, &sink, &ec, err) == 0)
		rc = build(&f, o, dir, &c, err);
	c.damaged = ec.damaged;
	if (counts != NULL)
		*counts = c;
	fs_free(&f);
	return rc;
}
