/* html.c - escaped text and inline SVG charts (see html.h). */
#include "output/html.h"

#include <string.h>

#define LABEL_MAX 32          /* bytes of a chart label */
#define ROW_H 22              /* SVG units per bar row */

void
html_text(FILE *f, const char *s, size_t max)
{
	size_t n, i;

	if (s == NULL)
		return;
	n = strlen(s);
	if (n > max) {
		n = max;
		while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80)
			n--;
	}
	for (i = 0; i < n; i++) {
		switch (s[i]) {
		case '&': fputs("&amp;", f); break;
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '"': fputs("&quot;", f); break;
		case '\'': fputs("&#39;", f); break;
		default: fputc(s[i], f);
		}
	}
	if (n < strlen(s))
		fputs("...", f);
}

static double
largest(const struct html_bar *bars, size_t n)
{
	double m = 0;
	size_t i;

	for (i = 0; i < n; i++) {
		if (bars[i].a > m)
			m = bars[i].a;
		if (bars[i].b > m)
			m = bars[i].b;
	}
	return m > 0 ? m : 1;
}

/* One row: label, bar a (and b under it), a's value. */
static void
bar_row(FILE *f, const struct html_bar *b, size_t i, double scale,
	const char *unit)
{
	double y = (double)i * ROW_H + 4, h = b->b >= 0 ? 7 : 14;

	fprintf(f, "<text x=\"0\" y=\"%.0f\" class=\"l\">", y + 11);
	html_text(f, b->label, LABEL_MAX);
	fprintf(f, "</text><rect x=\"220\" y=\"%.0f\" width=\"%.1f\" "
		"height=\"%.0f\" class=\"a\"/>", y, b->a * scale, h);
	if (b->b >= 0)
		fprintf(f, "<rect x=\"220\" y=\"%.0f\" width=\"%.1f\" "
			"height=\"7\" class=\"b\"/>", y + 7, b->b * scale);
	fprintf(f, "<text x=\"%.1f\" y=\"%.0f\" class=\"v\">%.1f%s</text>\n",
		224 + b->a * scale, y + 11, b->a, unit);
}

void
html_bars(FILE *f, const char *title, const struct html_bar *bars,
	  size_t n, const char *unit)
{
	double scale = 320.0 / largest(bars, n);
	size_t i;

	fprintf(f, "<svg class=\"chart\" viewBox=\"0 0 600 %zu\" "
		"role=\"img\"><title>", n * ROW_H + 8);
	html_text(f, title, 200);
	fputs("</title>\n", f);
	for (i = 0; i < n; i++)
		bar_row(f, &bars[i], i, scale, unit);
	fputs("</svg>\n", f);
}

void
html_histogram(FILE *f, const char *title, const char *const *labels,
	       const long long *counts, size_t n)
{
	double w = n ? 560.0 / (double)n : 1, top = 1, h;
	size_t i;

	for (i = 0; i < n; i++)
		if ((double)counts[i] > top)
			top = (double)counts[i];
	fputs("<svg class=\"chart hist\" viewBox=\"0 0 600 180\" role=\"img\">"
	      "<title>", f);
	html_text(f, title, 200);
	fputs("</title>\n", f);
	for (i = 0; i < n; i++) {
		h = 140.0 * (double)counts[i] / top;
		fprintf(f, "<rect x=\"%.1f\" y=\"%.1f\" width=\"%.1f\" "
			"height=\"%.1f\" class=\"a\"/><text x=\"%.1f\" "
			"y=\"172\" class=\"t\">", 20 + (double)i * w,
			150 - h, w - 2, h, 20 + (double)i * w + w / 2);
		html_text(f, labels[i], 8);
		fprintf(f, "</text><text x=\"%.1f\" y=\"%.1f\" class=\"t\">"
			"%lld</text>\n", 20 + (double)i * w + w / 2,
			146 - h, counts[i]);
	}
	fputs("</svg>\n", f);
}
