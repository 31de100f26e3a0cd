/* safepattern.c - word-class patterns for the safety rules (see
 * safepattern.h). */
#include "auditors/safepattern.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define MAX_CLASSES 64
#define MAX_MEMBERS 2048       /* members of all classes */
#define MAX_MEMBER_WORDS 6
#define MAX_PATTERNS 1024
#define MAX_ELEMS 12
#define MAX_GAP 3              /* words a ".." element may skip */
#define NEG_WINDOW 5           /* words before a match a negator may
				* stand in */

enum { E_WORD, E_CLASS, E_NUMBER, E_ANY, E_GAP };

struct member {
	char stem[MAX_MEMBER_WORDS][SAFEPAT_STEM];
	unsigned hash[MAX_MEMBER_WORDS];
	int n;
};

struct klass {
	char name[32];
	int first, n;          /* members mem[first .. first+n-1] */
	uint64_t starts;       /* bit (hash & 63) of each member's first
				* word: most words are ruled out at once */
	uint64_t bag[SAFEPAT_BAG / 64];  /* bit hash % SAFEPAT_BAG of each
					  * member's first word: whether
					  * a text can hold a member */
};

struct elem {
	int type, cls;         /* cls: E_CLASS, E_NUMBER (-1: digits only) */
	char stem[SAFEPAT_STEM];
	unsigned hash;
};

struct pattern {
	struct elem e[MAX_ELEMS];
	int n;
};

struct safepat {
	struct klass cls[MAX_CLASSES];
	int ncls;
	struct member *mem;    /* MAX_MEMBERS */
	int nmem;
	struct pattern *pat;   /* MAX_PATTERNS */
	int npat;
	int negator;           /* the class "negator", or -1 */
};

/* FNV-1a of a stem. */
static unsigned
hash_of(const char *s)
{
	unsigned h = 2166136261u;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

static int
same(const char *a, unsigned ha, const char *b, unsigned hb)
{
	return ha == hb && strcmp(a, b) == 0;
}

/* Set the bit of hash h in bag. */
static void
bag_add(uint64_t *bag, unsigned h)
{
	h %= SAFEPAT_BAG;
	bag[h / 64] |= 1ull << (h % 64);
}

/* Whether the bit of hash h is set in bag. */
static int
bag_has(const uint64_t *bag, unsigned h)
{
	h %= SAFEPAT_BAG;
	return (bag[h / 64] >> (h % 64)) & 1;
}

/* ---- words and stems ---- */

static int
word_byte(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '\'' || c >= 0x80;
}

static int
ends(const char *w, size_t n, const char *suf)
{
	size_t k = strlen(suf);

	return n >= k && memcmp(w + n - k, suf, k) == 0;
}

/* Whether c is a vowel (y included); never called with a NUL. */
static int
vowel(char c)
{
	return c == 'a' || c == 'e' || c == 'i' || c == 'o' || c == 'u' ||
	       c == 'y';
}

static int
has_vowel(const char *w, size_t n)
{
	size_t i;

	for (i = 0; i < n; i++)
		if (vowel(w[i]))
			return 1;
	return 0;
}

/* Porter's measure: how many vowel-consonant sequences w[0..n) has. */
static int
measure(const char *w, size_t n)
{
	size_t i;
	int m = 0;

	for (i = 1; i < n; i++)
		m += vowel(w[i - 1]) && !vowel(w[i]);
	return m;
}

/* Repair a stem left by dropping -ing or -ed (Porter's step 1b):
 * "isolat" -> "isolate", "skipp" -> "skip", "hop" -> "hope". Returns
 * the new length (w has room for one more byte). */
static size_t
repair(char *w, size_t n)
{
	if (ends(w, n, "at") || ends(w, n, "bl") || ends(w, n, "iz")) {
		w[n] = 'e';
		return n + 1;
	}
	if (n > 2 && w[n - 1] == w[n - 2] && !vowel(w[n - 1]) &&
	    strchr("lsz", w[n - 1]) == NULL)
		return n - 1;
	if (n > 2 && measure(w, n) == 1 && !vowel(w[n - 3]) &&
	    vowel(w[n - 2]) && !vowel(w[n - 1]) &&
	    strchr("wxy", w[n - 1]) == NULL) {
		w[n] = 'e';
		return n + 1;
	}
	return n;
}

/* Drop one inflectional ending of the lowercased w (n bytes, room for
 * one more); returns the new length. Plurals lose their s ("cleanses"
 * -> "cleanse", "parties" -> "party"); -ing and -ed go when a vowel is
 * left ("needed" -> "need", not "need" -> "ne"). */
static size_t
strip_ending(char *w, size_t n)
{
	if (n > 4 && (ends(w, n, "ies") || ends(w, n, "ied"))) {
		w[n - 3] = 'y';
		return n - 2;
	}
	if (n > 4 && ends(w, n, "ing") && has_vowel(w, n - 3))
		return repair(w, n - 3);
	if (n > 4 && ends(w, n, "ed") && !ends(w, n, "eed") &&
	    has_vowel(w, n - 2))
		return repair(w, n - 2);
	if (ends(w, n, "sses"))
		return n - 2;
	if (n > 3 && w[n - 1] == 's' && !ends(w, n, "ss") &&
	    !ends(w, n, "us") && !ends(w, n, "is"))
		return n - 1;
	return n;
}

void
safepat_stem(const char *w, size_t len, char out[SAFEPAT_STEM])
{
	char b[SAFEPAT_STEM];
	size_t i, n = 0;

	for (i = 0; i < len && n + 2 < sizeof(b); i++) {
		if ((unsigned char)w[i] == 0xE2 && i + 2 < len &&
		    (unsigned char)w[i + 1] == 0x80 &&
		    (unsigned char)w[i + 2] == 0x99) {
			b[n++] = '\'';       /* a typographic apostrophe */
			i += 2;
			continue;
		}
		b[n++] = (char)(w[i] >= 'A' && w[i] <= 'Z' ? w[i] + 32 : w[i]);
	}
	while (n > 0 && b[n - 1] == '\'')
		n--;
	if (n > 2 && ends(b, n, "'s"))
		n -= 2;
	n = strip_ending(b, n);
	memcpy(out, b, n);
	out[n] = '\0';
}

void
safepat_cut(const char *text, struct safepat_text *out)
{
	size_t i = 0, j;
	int sentence = 0;

	out->n = 0;
	out->digits = 0;
	memset(out->bag, 0, sizeof(out->bag));
	while (text[i] != '\0' && out->n < SAFEPAT_MAX_WORDS) {
		if (!word_byte((unsigned char)text[i])) {
			sentence += text[i] == '.' || text[i] == '!' ||
				    text[i] == '?' || text[i] == ';' ||
				    text[i] == '\n';
			i++;
			continue;
		}
		for (j = i; word_byte((unsigned char)text[j]); j++)
			;
		safepat_stem(text + i, j - i, out->w[out->n].stem);
		out->w[out->n].hash = hash_of(out->w[out->n].stem);
		out->w[out->n].off = i;
		out->w[out->n].len = j - i;
		out->w[out->n].sentence = sentence;
		bag_add(out->bag, out->w[out->n].hash);
		out->digits |= out->w[out->n].stem[0] >= '0' &&
			       out->w[out->n].stem[0] <= '9';
		out->n++;
		i = j;
	}
}

/* ---- building ---- */

int
safepat_new(struct safepat **out, struct pf_error *err)
{
	struct safepat *s = calloc(1, sizeof(*s));

	*out = NULL;
	if (s == NULL ||
	    (s->mem = calloc(MAX_MEMBERS, sizeof(*s->mem))) == NULL ||
	    (s->pat = calloc(MAX_PATTERNS, sizeof(*s->pat))) == NULL) {
		safepat_free(s);
		return pf_error_set(err, "out of memory");
	}
	s->negator = -1;
	*out = s;
	return 0;
}

void
safepat_free(struct safepat *s)
{
	if (s == NULL)
		return;
	free(s->mem);
	free(s->pat);
	free(s);
}

static int
class_find(const struct safepat *s, const char *name, size_t len)
{
	int c;

	for (c = 0; c < s->ncls; c++)
		if (strlen(s->cls[c].name) == len &&
		    memcmp(s->cls[c].name, name, len) == 0)
			return c;
	return -1;
}

/* Cut the phrase p (len bytes) into member m's stems. */
static int
member_cut(const char *p, size_t len, struct member *m,
	   struct pf_error *err)
{
	size_t i = 0, j;

	m->n = 0;
	while (i < len) {
		if (!word_byte((unsigned char)p[i])) {
			i++;
			continue;
		}
		for (j = i; j < len && word_byte((unsigned char)p[j]); j++)
			;
		if (m->n == MAX_MEMBER_WORDS)
			return pf_error_set(err, "'%.*s': more than %d words",
					    (int)len, p, MAX_MEMBER_WORDS);
		safepat_stem(p + i, j - i, m->stem[m->n]);
		m->hash[m->n] = hash_of(m->stem[m->n]);
		m->n++;
		i = j;
	}
	return 0;
}

int
safepat_class(struct safepat *s, const char *name, const char *members,
	      struct pf_error *err)
{
	struct klass *k;
	const char *p = members, *bar;
	size_t len;

	if (class_find(s, name, strlen(name)) >= 0)
		return pf_error_set(err, "class <%s> defined twice", name);
	if (s->ncls == MAX_CLASSES || strlen(name) >= sizeof(k->name))
		return pf_error_set(err, "too many classes or a name too "
				    "long: '%s'", name);
	k = &s->cls[s->ncls];
	strcpy(k->name, name);
	k->first = s->nmem;
	for (;; p = bar + 1) {
		bar = strchr(p, '|');
		len = bar ? (size_t)(bar - p) : strlen(p);
		if (s->nmem == MAX_MEMBERS)
			return pf_error_set(err, "more than %d class members",
					    MAX_MEMBERS);
		if (member_cut(p, len, &s->mem[s->nmem], err) != 0)
			return -1;
		if (s->mem[s->nmem].n > 0) {
			k->starts |= 1ull << (s->mem[s->nmem].hash[0] & 63);
			bag_add(k->bag, s->mem[s->nmem++].hash[0]);
		}
		if (bar == NULL)
			break;
	}
	k->n = s->nmem - k->first;
	if (strcmp(name, "negator") == 0)
		s->negator = s->ncls;
	s->ncls++;
	return k->n > 0 ? 0 : pf_error_set(err, "class <%s> has no members",
					    name);
}

int
safepat_is_pattern(const char *term)
{
	const char *p;

	if (term[0] == '~' || strchr(term, '<') != NULL)
		return 1;
	for (p = term; *p != '\0'; p++)
		if ((p == term || p[-1] == ' ') &&
		    ((p[0] == '_' && (p[1] == ' ' || p[1] == '\0')) ||
		     (p[0] == '.' && p[1] == '.' &&
		      (p[2] == ' ' || p[2] == '\0'))))
			return 1;
	return 0;
}

/* Add element(s) for one space-free piece e (len bytes) of a pattern. */
static int
compile_elem(const struct safepat *s, const char *e, size_t len,
	     struct pattern *p, struct pf_error *err)
{
	struct member m;
	struct elem *x;
	int i;

	if (e[0] == '<' && len > 2 && e[len - 1] == '>') {
		if (p->n == MAX_ELEMS)
			goto toolong;
		x = &p->e[p->n];
		x->cls = class_find(s, e + 1, len - 2);
		x->type = len == 8 && memcmp(e, "<number>", 8) == 0 ?
			  E_NUMBER : E_CLASS;
		if (x->type == E_CLASS && x->cls < 0)
			return pf_error_set(err, "unknown class %.*s (classes "
					    "come before the lines naming "
					    "them)", (int)len, e);
		p->n++;
		return 0;
	}
	if ((len == 1 && e[0] == '_') || (len == 2 && e[0] == '.' &&
					   e[1] == '.')) {
		if (p->n == MAX_ELEMS)
			goto toolong;
		p->e[p->n++].type = e[0] == '_' ? E_ANY : E_GAP;
		return 0;
	}
	if (member_cut(e, len, &m, err) != 0)
		return -1;
	for (i = 0; i < m.n; i++) {
		if (p->n == MAX_ELEMS)
			goto toolong;
		p->e[p->n].type = E_WORD;
		p->e[p->n].hash = m.hash[i];
		memcpy(p->e[p->n++].stem, m.stem[i], SAFEPAT_STEM);
	}
	return 0;
toolong:
	return pf_error_set(err, "more than %d elements", MAX_ELEMS);
}

int
safepat_compile(struct safepat *s, const char *pattern,
		struct safepat_ids *ids, struct pf_error *err)
{
	struct pattern *p;
	const char *q = pattern, *e;

	if (s->npat == MAX_PATTERNS || ids->n == SAFEPAT_MAX_IDS)
		return pf_error_set(err, "too many patterns ('%s')", pattern);
	p = &s->pat[s->npat];
	memset(p, 0, sizeof(*p));
	if (*q == '~')
		q++;
	while (*q != '\0') {
		if (*q == ' ') {
			q++;
			continue;
		}
		for (e = q; *e != '\0' && *e != ' '; e++)
			;
		if (compile_elem(s, q, (size_t)(e - q), p, err) != 0)
			return -1;
		q = e;
	}
	if (p->n == 0 || p->e[0].type == E_GAP)
		return pf_error_set(err, "pattern '%s' is empty or starts "
				    "with '..'", pattern);
	ids->id[ids->n++] = s->npat++;
	return 0;
}

/* ---- matching ---- */

/* Whether member m's words stand at t->w[i...] in sentence sent. */
static int
member_at(const struct member *m, const struct safepat_text *t, size_t i,
	  int sent)
{
	int k;

	if (i + (size_t)m->n > t->n)
		return 0;
	for (k = 0; k < m->n; k++)
		if (t->w[i + k].sentence != sent ||
		    !same(t->w[i + k].stem, t->w[i + k].hash, m->stem[k],
			  m->hash[k]))
			return 0;
	return 1;
}

static int match_from(const struct safepat *s, const struct pattern *p,
		      int ei, const struct safepat_text *t, size_t wi,
		      int sent, size_t *end);

/* Element ei being class c: try each member in turn. */
static int
match_class(const struct safepat *s, const struct pattern *p, int ei, int c,
	    const struct safepat_text *t, size_t wi, int sent, size_t *end)
{
	const struct klass *k = &s->cls[c];
	int m;

	if (!(k->starts & (1ull << (t->w[wi].hash & 63))))
		return 0;
	for (m = k->first; m < k->first + k->n; m++)
		if (member_at(&s->mem[m], t, wi, sent) &&
		    match_from(s, p, ei + 1, t, wi + (size_t)s->mem[m].n,
			       sent, end))
			return 1;
	return 0;
}

/* Whether elements ei.. of p match from word wi; *end: the word after. */
static int
match_from(const struct safepat *s, const struct pattern *p, int ei,
	   const struct safepat_text *t, size_t wi, int sent, size_t *end)
{
	const struct elem *e = &p->e[ei];
	size_t g;

	if (ei == p->n) {
		*end = wi;
		return 1;
	}
	if (e->type == E_GAP) {
		for (g = 0; g <= MAX_GAP && wi + g <= t->n; g++)
			if ((g == 0 || t->w[wi + g - 1].sentence == sent) &&
			    match_from(s, p, ei + 1, t, wi + g, sent, end))
				return 1;
		return 0;
	}
	if (wi >= t->n || t->w[wi].sentence != sent)
		return 0;
	switch (e->type) {
	case E_ANY:
		return match_from(s, p, ei + 1, t, wi + 1, sent, end);
	case E_WORD:
		return same(t->w[wi].stem, t->w[wi].hash, e->stem, e->hash) &&
		       match_from(s, p, ei + 1, t, wi + 1, sent, end);
	case E_NUMBER:
		if (t->w[wi].stem[0] >= '0' && t->w[wi].stem[0] <= '9' &&
		    match_from(s, p, ei + 1, t, wi + 1, sent, end))
			return 1;
		return e->cls >= 0 &&
		       match_class(s, p, ei, e->cls, t, wi, sent, end);
	default:
		return match_class(s, p, ei, e->cls, t, wi, sent, end);
	}
}

/* Whether a member of class "negator" stands among the NEG_WINDOW words
 * before word wi, in its sentence. */
static int
negated(const struct safepat *s, const struct safepat_text *t, size_t wi)
{
	int c = s->negator, m;
	size_t j;

	if (c < 0)
		return 0;
	for (j = wi; j > 0 && wi - j < NEG_WINDOW; j--) {
		if (t->w[j - 1].sentence != t->w[wi].sentence)
			return 0;
		if (!(s->cls[c].starts & (1ull << (t->w[j - 1].hash & 63))))
			continue;
		for (m = s->cls[c].first; m < s->cls[c].first +
		     s->cls[c].n; m++)
			if (member_at(&s->mem[m], t, j - 1,
				      t->w[wi].sentence))
				return 1;
	}
	return 0;
}

/* Whether a member of class c can stand in t: one's first word is in
 * t's bag. */
static int
class_in(const struct safepat *s, int c, const struct safepat_text *t)
{
	size_t i;

	for (i = 0; i < SAFEPAT_BAG / 64; i++)
		if (s->cls[c].bag[i] & t->bag[i])
			return 1;
	return 0;
}

/* Whether p can match in t at all: each of its words is in t's bag,
 * each class has a member whose first word is, each number has a
 * digit word or a member. A pattern failing this is not tried word by
 * word (a necessary condition: the result is the same). */
static int
possible(const struct safepat *s, const struct pattern *p,
	 const struct safepat_text *t)
{
	const struct elem *e;
	int i;

	for (i = 0; i < p->n; i++) {
		e = &p->e[i];
		if ((e->type == E_WORD && !bag_has(t->bag, e->hash)) ||
		    (e->type == E_CLASS && !class_in(s, e->cls, t)) ||
		    (e->type == E_NUMBER && !t->digits &&
		     (e->cls < 0 || !class_in(s, e->cls, t))))
			return 0;
	}
	return 1;
}

int
safepat_find(const struct safepat *s, const struct safepat_ids *ids,
	     const struct safepat_text *t, size_t from, size_t *off,
	     size_t *len)
{
	int id[SAFEPAT_MAX_IDS];
	size_t wi, k, n = 0, end;

	if (s == NULL)
		return 0;
	for (k = 0; k < ids->n; k++)
		if (possible(s, &s->pat[ids->id[k]], t))
			id[n++] = ids->id[k];
	if (n == 0)
		return 0;
	for (wi = 0; wi < t->n; wi++) {
		if (t->w[wi].off < from)
			continue;
		for (k = 0; k < n; k++) {
			if (!match_from(s, &s->pat[id[k]], 0, t, wi,
					t->w[wi].sentence, &end) ||
			    negated(s, t, wi))
				continue;
			*off = t->w[wi].off;
			*len = t->w[end - 1].off + t->w[end - 1].len - *off;
			return 1;
		}
	}
	return 0;
}
