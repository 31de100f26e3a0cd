/* html.h - writing HTML to a stream for `personaforge report`: escaped
 * text, and inline SVG charts that scale to their container (a viewBox,
 * width 100%), so a report needs no script, no network and no font.
 * Nothing here fails: write errors show when the stream is closed. */
#ifndef PF_HTML_H
#define PF_HTML_H

#include <stddef.h>
#include <stdio.h>

/* s with &, <, >, " and ' escaped; at most `max` bytes of it (cut at a
 * UTF-8 character boundary, then "..."); NULL writes nothing. */
void html_text(FILE *f, const char *s, size_t max);

/* One bar of a chart: a label and one or two values (b < 0: none). */
struct html_bar {
	const char *label;
	double a, b;
};

/* A horizontal bar chart titled `title` (the SVG's <title>), one row per
 * bar; with two values a row has two bars, `a` dark and `b` light, both
 * on the scale of the largest value; `unit` is printed after a's value
 * ("%" or ""). */
void html_bars(FILE *f, const char *title, const struct html_bar *bars,
	       size_t n, const char *unit);

/* A histogram: n vertical bars of counts under their labels. */
void html_histogram(FILE *f, const char *title, const char *const *labels,
		    const long long *counts, size_t n);

#endif
