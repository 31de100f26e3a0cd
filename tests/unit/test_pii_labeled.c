/* test_pii_labeled.c - score the PII scanner on the labeled set.
 *
 * tests/data/pii-labeled.txt holds one case a line: [[KIND|TEXT]] marks
 * PII of KIND, [[KIND!|TEXT]] a reserved synthetic value that must be
 * found and classed info; everything unmarked must stay silent. A hit is
 * a finding of the right kind over exactly the marked bytes. The test
 * prints, as TAP comments, precision and recall per kind and overall and
 * the accuracy of the info class on reserved values (a reserved value
 * found and classed info, a real one found and not classed info), then
 * checks the bars: overall recall >= 0.98 and precision >= 0.95, each
 * kind >= 0.90 on both, info accuracy >= 0.98. Misses and false alarms
 * are listed (the first few of each) so a failure says what to fix.
 *
 * Plain TAP (not Check): the figures are the point, one line each. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/pii.h"

#define MAX_LINE 4096
#define MAX_GOLD 16
#define MAX_KINDS 16
#define MAX_SHOWN 40

struct gold {
	char kind[16];
	int reserved;
	size_t off, len;
	int hit;
};

struct tally {
	char kind[16];
	long gold, found, tp;
};

static struct tally kinds[MAX_KINDS];
static int nkinds;
static long reserved_total, reserved_info, real_total, real_not_info;
static int shown, tests, failed;

static struct tally *
tally_of(const char *kind)
{
	int i;

	for (i = 0; i < nkinds; i++)
		if (strcmp(kinds[i].kind, kind) == 0)
			return &kinds[i];
	if (nkinds == MAX_KINDS) {
		printf("Bail out! more than %d kinds\n", MAX_KINDS);
		exit(1);
	}
	snprintf(kinds[nkinds].kind, sizeof(kinds[nkinds].kind), "%s", kind);
	return &kinds[nkinds++];
}

/* Strip the markers of `line` into text; fill g[] with the marked spans.
 * Returns the number of spans, or -1 for a malformed line. */
static int
parse_line(const char *line, char *text, struct gold *g)
{
	size_t t = 0;
	int n = 0;
	const char *p = line;

	while (*p != '\0') {
		const char *bar, *end;

		if (strncmp(p, "[[", 2) != 0) {
			text[t++] = *p++;
			continue;
		}
		bar = strchr(p, '|');
		end = strstr(p, "]]");
		if (bar == NULL || end == NULL || bar > end || n == MAX_GOLD ||
		    (size_t)(bar - p - 2) >= sizeof(g[n].kind))
			return -1;
		memcpy(g[n].kind, p + 2, (size_t)(bar - p - 2));
		g[n].kind[bar - p - 2] = '\0';
		g[n].reserved = bar[-1] == '!';
		if (g[n].reserved)
			g[n].kind[bar - p - 3] = '\0';
		g[n].off = t;
		g[n].len = (size_t)(end - bar - 1);
		g[n].hit = 0;
		memcpy(text + t, bar + 1, g[n].len);
		t += g[n].len;
		n++;
		p = end + 2;
	}
	text[t] = '\0';
	return n;
}

struct line_ctx {
	const char *text;
	struct gold *g;
	int ng;
};

static void
show(const char *what, const char *kind, const char *text, size_t off,
     size_t len)
{
	if (shown++ >= MAX_SHOWN)
		return;
	printf("# %s %s '%.*s' in: %s\n", what, kind, (int)len, text + off,
	       text);
}

/* pii_finding_fn: score one finding against the line's gold spans. */
static int
on_finding(void *ud, const struct pii_finding *f)
{
	struct line_ctx *c = ud;
	const char *kind = pii_kind_name(f->kind);
	int i;

	tally_of(kind)->found++;
	for (i = 0; i < c->ng; i++) {
		struct gold *g = &c->g[i];

		if (g->hit || strcmp(g->kind, kind) != 0 ||
		    g->off != f->offset || g->len != f->len)
			continue;
		g->hit = 1;
		tally_of(kind)->tp++;
		if (g->reserved && f->severity == AUDIT_INFO)
			reserved_info++;
		else if (!g->reserved && f->severity != AUDIT_INFO)
			real_not_info++;
		else
			show(g->reserved ? "reserved classed real:"
			     : "real classed info:", kind, c->text,
			     f->offset, f->len);
		return 0;
	}
	show("false alarm:", kind, c->text, f->offset, f->len);
	return 0;
}

static void
score_line(const char *line, long lineno)
{
	static char text[MAX_LINE];
	struct gold g[MAX_GOLD];
	struct line_ctx c = { text, g, 0 };
	int i;

	c.ng = parse_line(line, text, g);
	if (c.ng < 0) {
		printf("Bail out! pii-labeled.txt:%ld: malformed marker\n",
		       lineno);
		exit(1);
	}
	for (i = 0; i < c.ng; i++) {
		tally_of(g[i].kind)->gold++;
		if (g[i].reserved)
			reserved_total++;
		else
			real_total++;
	}
	pii_scan(text, strlen(text), on_finding, &c);
	for (i = 0; i < c.ng; i++)
		if (!g[i].hit)
			show("missed:", g[i].kind, text, g[i].off, g[i].len);
}

static double
ratio(long a, long b)
{
	return b > 0 ? (double)a / (double)b : 1.0;
}

static void
check(int ok, const char *what, double got, double bar)
{
	tests++;
	if (!ok)
		failed++;
	printf("%sok %d - %s %.4f (bar %.2f)\n", ok ? "" : "not ", tests,
	       what, got, bar);
}

static void
report(void)
{
	long gold = 0, found = 0, tp = 0;
	double p, r, info;
	char what[64];
	int i;

	printf("# %-8s %5s %5s %5s %9s %9s\n", "kind", "gold", "found", "hit",
	       "precision", "recall");
	for (i = 0; i < nkinds; i++) {
		const struct tally *k = &kinds[i];

		p = ratio(k->tp, k->found);
		r = ratio(k->tp, k->gold);
		printf("# %-8s %5ld %5ld %5ld %9.4f %9.4f\n", k->kind, k->gold,
		       k->found, k->tp, p, r);
		gold += k->gold;
		found += k->found;
		tp += k->tp;
	}
	p = ratio(tp, found);
	r = ratio(tp, gold);
	info = ratio(reserved_info + real_not_info, reserved_total +
		     real_total);
	printf("# %-8s %5ld %5ld %5ld %9.4f %9.4f\n", "overall", gold, found,
	       tp, p, r);
	printf("# info class: %ld of %ld reserved values found and classed "
	       "info, %ld of %ld real values found and not classed info\n",
	       reserved_info, reserved_total, real_not_info, real_total);
	check(r >= 0.98, "overall recall", r, 0.98);
	check(p >= 0.95, "overall precision", p, 0.95);
	for (i = 0; i < nkinds; i++) {
		const struct tally *k = &kinds[i];

		snprintf(what, sizeof(what), "%.15s recall", k->kind);
		check(ratio(k->tp, k->gold) >= 0.90, what,
		      ratio(k->tp, k->gold), 0.90);
		snprintf(what, sizeof(what), "%.15s precision", k->kind);
		check(ratio(k->tp, k->found) >= 0.90, what,
		      ratio(k->tp, k->found), 0.90);
	}
	check(ratio(reserved_info, reserved_total) >= 0.98,
	      "info accuracy on reserved values",
	      ratio(reserved_info, reserved_total), 0.98);
	check(info >= 0.98, "info/real accuracy on every labeled value",
	      info, 0.98);
}

int
main(void)
{
	const char *top = getenv("top_srcdir");
	char path[4096], line[MAX_LINE];
	long lineno = 0;
	FILE *f;

	snprintf(path, sizeof(path), "%s/tests/data/pii-labeled.txt",
		 top != NULL ? top : ".");
	f = fopen(path, "r");
	if (f == NULL) {
		printf("Bail out! cannot open %s\n", path);
		return 1;
	}
	while (fgets(line, sizeof(line), f) != NULL) {
		lineno++;
		line[strcspn(line, "\n")] = '\0';
		if (line[0] == '#' || line[0] == '\0')
			continue;
		score_line(line, lineno);
	}
	fclose(f);
	report();
	printf("1..%d\n", tests);
	return failed == 0 ? 0 : 1;
}
