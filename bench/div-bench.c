/* div-bench.c - the diversity auditor's time on N texts (issue 20: the
 * time for 100,000 texts, in seconds).
 *
 * usage: div-bench [N] [WORDS]   (defaults: 100000, 100)
 * N texts of WORDS words drawn from a 5,000-word vocabulary (seeded),
 * 2% of them copies of an earlier text with one word changed, one table
 * column. Prints the seconds of the dataset-wide pass (signatures and
 * LSH clusters, the near-duplicate findings) and of the measure pass
 * (the same plus distinct-n, self-BLEU-4 and mean similarity of the
 * 1,000-text sample), and the near-duplicates found. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "auditors/diversity.h"
#include "base/rng.h"

struct texts {
	struct audit_cursor base;
	char **t;
	size_t n, next;
	char id[24];
	long hits, metrics;
};

static int
next_row(struct audit_cursor *base, struct audit_row *row,
	 struct pf_error *err)
{
	static const char *const names[] = { "body" };
	static const char *one[1];
	struct texts *x = (struct texts *)base;

	(void)err;
	if (x->next == x->n)
		return 0;
	snprintf(x->id, sizeof(x->id), "b%07zu", x->next);
	one[0] = x->t[x->next++];
	memset(row, 0, sizeof(*row));
	row->table = "bench";
	row->id = x->id;
	row->nfields = 1;
	row->names = names;
	row->texts = one;
	return 1;
}

static int
rewind_rows(struct audit_cursor *base, struct pf_error *err)
{
	(void)err;
	((struct texts *)base)->next = 0;
	return 0;
}

static void
on_hit(void *ud, const struct audit_hit *h)
{
	(void)h;
	((struct texts *)ud)->hits++;
}

static void
on_metric(void *ud, const struct audit_metric *m)
{
	((struct texts *)ud)->metrics++;
	if (strcmp(m->metric, "near_duplicate_share") == 0 ||
	    strcmp(m->metric, "distinct2") == 0 ||
	    strcmp(m->metric, "self_bleu4") == 0)
		printf("  %-22s %.4f (n %lld)\n", m->metric, m->value,
		       (long long)m->n);
}

static char *
make_text(struct rng *r, int words, const char *copy)
{
	size_t cap = (size_t)words * 8 + 1, o = 0;
	char *s = malloc(cap), *p;
	int i, change;

	if (s == NULL)
		exit(1);
	if (copy != NULL) {
		/* the copy with its first word replaced */
		p = strchr(copy, ' ');
		change = (int)rng_below(r, 1000000);
		snprintf(s, cap, "z%d%s", change, p ? p : "");
		return s;
	}
	for (i = 0; i < words; i++)
		o += (size_t)snprintf(s + o, cap - o, "%sw%u", i ? " " : "",
				      rng_below(r, 5000));
	return s;
}

static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + ts.tv_nsec / 1e9;
}

int
main(int argc, char **argv)
{
	struct texts x = { .base = { next_row, rewind_rows } };
	struct audit_source src = { .rows = &x.base };
	struct pf_error err = { 0 };
	struct rng r;
	int words = argc > 2 ? atoi(argv[2]) : 100;
	double t0, t1, t2;
	size_t i;

	x.n = argc > 1 ? strtoul(argv[1], NULL, 10) : 100000;
	if (x.n < 2 || words < 1 || (x.t = calloc(x.n, sizeof(*x.t))) == NULL)
		return 2;
	rng_seed(&r, 7);
	for (i = 0; i < x.n; i++)
		x.t[i] = make_text(&r, words, i > 0 && rng_below(&r, 50) == 0 ?
				   x.t[rng_below(&r, (uint32_t)i)] : NULL);
	t0 = now();
	if (auditor_diversity.scan_dataset(NULL, &x.base, on_hit, &x, &err))
		return fprintf(stderr, "div-bench: %s\n", err.msg), 1;
	t1 = now();
	printf("diversity on %zu texts of %d words:\n", x.n, words);
	if (auditor_diversity.measure(NULL, &src, on_metric, &x, &err))
		return fprintf(stderr, "div-bench: %s\n", err.msg), 1;
	t2 = now();
	printf("  near-duplicate findings %ld\n", x.hits);
	printf("seconds: dataset-wide pass %.2f, measure pass %.2f, "
	       "total %.2f\n", t1 - t0, t2 - t1, t2 - t0);
	for (i = 0; i < x.n; i++)
		free(x.t[i]);
	free(x.t);
	return 0;
}
