/* grammar.c - seeded text grammars (see grammar.h, doc/grammar.md).
 *
 * A rule file compiles into rules, each a list of alternatives; an
 * alternative is a sequence of nodes (text, rule reference, variable,
 * random pick from a list variable, inline choice, conditional). Every
 * node keeps its file, line and column for error messages. Rendering
 * walks the nodes with an xoshiro generator seeded by the caller.
 */
#include "templates/grammar.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "base/hash.h"
#include "base/json.h"
#include "base/rng.h"

#define NAME_MAX_LEN 128      /* bytes of a rule or variable name */
#define PATH_MAX_SEGS 8       /* dotted parts of a variable name */
#define MAX_FILES 64          /* files of one grammar, includes counted */
#define MAX_NEST 32           /* nested [ ] on one alternative */

#define VARS_INLINE 64         /* a render's memo of variables: slots
				* held in the render itself */
#define VARS_MAX_SLOTS 4096    /* ... and at most, on the heap */

enum kind { K_TEXT, K_REF, K_VAR, K_PICK, K_CHOICE, K_COND };

/* A variable's dotted name and each of its prefixes ("life",
 * "life.people", "life.people.0") is one entry of the grammar's path
 * table, made once when the grammar compiles: a render looks each up
 * once, from its parent's value, and memoises the value by the
 * entry's number (most renders read the same variables many times). */
struct pathent {
	char *name;       /* the dotted prefix (owned) */
	const char *seg;  /* its last part, within name */
	long item;        /* seg as a list index, or -1 */
	uint32_t hash;    /* key_hash(seg): its slot in a grammar_keys */
	int parent;       /* the entry one part shorter, or -1 */
};
enum op { OP_TRUTHY, OP_EQ, OP_NE, OP_LT, OP_LE, OP_GT, OP_GE };
enum { MOD_CAP = 1, MOD_LOWER = 2, MOD_A = 4 };

struct seq {
	struct node *v;
	int n, cap;
};

/* The fields a render reads first, the place in the file last. */
struct node {
	enum kind kind;
	unsigned mods;
	int rule;              /* K_REF, after resolve() */
	int path;              /* K_VAR, K_PICK, K_COND: its pathent */
	char *text;            /* K_TEXT bytes; K_REF rule name; var name */
	size_t len;            /* K_TEXT */
	size_t cap;            /* K_TEXT: bytes allocated for text */
	struct seq *alts;      /* K_CHOICE; K_COND: [0] then, [1] else */
	int nalts;
	enum op op;            /* K_COND */
	int neg;
	int isnum;
	double num;
	char *value;
	int file, line, col;
};

/* A node as a render reads it, made by pack() from a parsed node: 40
 * bytes instead of 96, the nodes of one alternative and their text
 * together in the grammar's pack (a render of the interview grammar
 * mostly waits for its nodes: the fewer lines they take, the better). */
struct rnode {
	unsigned char kind, mods, op;
	unsigned char neg : 1, isnum : 1;
	int ref;                  /* K_REF: rule; K_VAR, K_PICK, K_COND:
				   * pathent */
	int nalts;
	uint32_t len;             /* K_TEXT (add_text() keeps it below
				   * UINT32_MAX) */
	const char *text;         /* K_TEXT: bytes; K_COND: value */
	const struct rseq *alts;  /* K_CHOICE; K_COND: [0] then, [1] else */
	const struct node *src;   /* the parsed node: names, place in the
				   * file, number of a comparison */
};

struct rseq {
	const struct rnode *v;
	int n;
};

struct rule {
	char *name;
	int file, line, col;
	int memo;              /* defined with ":=": expanded once per render */
	int slot;              /* memo rules: its number among them */
	struct seq *alts;
	int nalts;
	const struct rseq *ralts;  /* alts as a render reads them (pack) */
};

struct grammar {
	struct rule *rules;
	int n, cap;
	int nmemo;
	int *index;            /* rule numbers by name hash, open addressing
				* (-1: empty slot), nindex slots (a power of
				* two); NULL while parsing (owned) */
	size_t nindex;
	char *files[MAX_FILES];
	int nfiles;
	char *pack;             /* every rule's alternatives as a render
				 * reads them (pack(): rule.ralts), in one
				 * block (owned) */
	struct pathent *paths;  /* the variables' names and prefixes */
	int npaths, cappaths;
	int *pindex;            /* path numbers by name hash, open
				 * addressing (-1: empty), npindex slots (a
				 * power of two, at least 2 * npaths) */
	size_t npindex;
};

struct parser {
	struct grammar *g;
	const char *s;
	size_t len, pos;
	int file, line, col;
	struct pf_error *err;
	int nest;
};

/* ---- memory ---- */

static void seq_free(struct seq *s);

static void
node_free(struct node *n)
{
	int i;

	free(n->text);
	free(n->value);
	for (i = 0; i < n->nalts; i++)
		seq_free(&n->alts[i]);
	free(n->alts);
}

static void
seq_free(struct seq *s)
{
	int i;

	for (i = 0; i < s->n; i++)
		node_free(&s->v[i]);
	free(s->v);
}

void
grammar_free(struct grammar *g)
{
	int i, j;

	if (g == NULL)
		return;
	for (i = 0; i < g->n; i++) {
		for (j = 0; j < g->rules[i].nalts; j++)
			seq_free(&g->rules[i].alts[j]);
		free(g->rules[i].alts);
		free(g->rules[i].name);
	}
	free(g->pack);
	for (i = 0; i < g->nfiles; i++)
		free(g->files[i]);
	for (i = 0; i < g->npaths; i++)
		free(g->paths[i].name);
	free(g->paths);
	free(g->pindex);
	free(g->rules);
	free(g->index);
	free(g);
}

/* Grow *v (elements of `size`) to hold n + 1. Returns 0 or -1. */
static int
grow(void **v, int *cap, int n, size_t size)
{
	int c = *cap ? *cap * 2 : 4;
	void *p;

	if (n < *cap)
		return 0;
	if ((p = realloc(*v, (size_t)c * size)) == NULL)
		return -1;
	*v = p;
	*cap = c;
	return 0;
}

/* ---- parsing ---- */

/* Fill err with file, line, column and a message. Returns -1. */
static int
at(struct pf_error *err, const char *file, int line, int col,
   const char *fmt, va_list ap)
{
	char msg[sizeof(err->msg)];

	if (err == NULL)
		return -1;
	vsnprintf(msg, sizeof(msg), fmt, ap);
	snprintf(err->file, sizeof(err->file), "%s", file);
	err->line = line;
	err->col = col;
	return pf_error_set(err, "%s", msg);
}

static int fail(struct parser *p, int line, int col, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
fail(struct parser *p, int line, int col, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	at(p->err, p->g->files[p->file], line, col, fmt, ap);
	va_end(ap);
	return -1;
}

static int
peek(const struct parser *p)
{
	return p->pos < p->len ? (unsigned char)p->s[p->pos] : -1;
}

static int
peek_at(const struct parser *p, size_t k)
{
	return p->pos + k < p->len ? (unsigned char)p->s[p->pos + k] : -1;
}

static void
adv(struct parser *p)
{
	if (p->pos >= p->len)
		return;
	if (p->s[p->pos++] == '\n') {
		p->line++;
		p->col = 1;
	} else {
		p->col++;
	}
}

static void
skip_blanks(struct parser *p)
{
	while (peek(p) == ' ' || peek(p) == '\t')
		adv(p);
}

static int
is_name_char(int c)
{
	return c >= 0 && (isalnum(c) || c == '_' || c == '.' || c == '-');
}

/* A name into out (NAME_MAX_LEN bytes). Returns its length (0: none). */
static int
read_name(struct parser *p, char *out)
{
	int n = 0;

	while (is_name_char(peek(p)) && n < NAME_MAX_LEN - 1) {
		out[n++] = (char)peek(p);
		adv(p);
	}
	out[n] = '\0';
	return n;
}

static struct node *
seq_add(struct parser *p, struct seq *s, enum kind k)
{
	struct node *n;

	if (grow((void **)&s->v, &s->cap, s->n, sizeof(*s->v)) != 0)
		return fail(p, p->line, p->col, "out of memory"), NULL;
	n = &s->v[s->n++];
	memset(n, 0, sizeof(*n));
	n->kind = k;
	n->file = p->file;
	n->line = p->line;
	n->col = p->col;
	return n;
}

/* Append text bytes to the sequence, merging with a text node before.
 * The text is read a byte at a time: its room doubles (a reallocation
 * per byte was most of the time a grammar took to load, which the
 * first render waits for), up to twice the file's bytes. */
static int
add_text(struct parser *p, struct seq *s, const char *t, size_t n)
{
	struct node *last = s->n > 0 ? &s->v[s->n - 1] : NULL;
	size_t cap;
	char *q;

	if (last == NULL || last->kind != K_TEXT) {
		if ((last = seq_add(p, s, K_TEXT)) == NULL)
			return -1;
	}
	if (n >= UINT32_MAX - last->len)  /* struct rnode: len */
		return fail(p, p->line, p->col, "text too long");
	if (last->len + n + 1 > last->cap) {
		for (cap = last->cap ? 2 * last->cap : 16;
		     cap < last->len + n + 1; cap *= 2)
			;
		if ((q = realloc(last->text, cap)) == NULL)
			return fail(p, p->line, p->col, "out of memory");
		last->text = q;
		last->cap = cap;
	}
	memcpy(last->text + last->len, t, n);
	last->len += n;
	last->text[last->len] = '\0';
	return 0;
}

/* A part of a dotted name as a list index (what strtol reads, when it
 * reads the whole part and is not negative), or -1. */
static long
seg_item(const char *seg)
{
	char *end;
	long k = strtol(seg, &end, 10);

	return *end == '\0' && k >= 0 ? k : -1;
}

/* The hash of an object key, as grammar_keys files it. */
static uint32_t
key_hash(const char *key)
{
	uint64_t h = hash_fnv1a(key);

	return (uint32_t)(h ^ (h >> 32));
}

/* Rebuild the path index with n slots. Returns 0 or -1. */
static int
index_paths(struct grammar *g, size_t n)
{
	int *ix = malloc(n * sizeof(*ix)), k;
	size_t i;

	if (ix == NULL)
		return -1;
	for (i = 0; i < n; i++)
		ix[i] = -1;
	for (k = 0; k < g->npaths; k++) {
		for (i = hash_fnv1a(g->paths[k].name) & (n - 1); ix[i] >= 0;
		     i = (i + 1) & (n - 1))
			;
		ix[i] = k;
	}
	free(g->pindex);
	g->pindex = ix;
	g->npindex = n;
	return 0;
}

/* The number of the path entry `name` (a dotted prefix whose parent,
 * one part shorter, is entry `parent`), added if new; or -1 when out
 * of memory. */
static int
intern_path(struct grammar *g, const char *name, int parent)
{
	size_t i, mask;
	struct pathent *e;
	const char *dot;
	int k;

	if (2 * (size_t)(g->npaths + 1) > g->npindex &&
	    index_paths(g, g->npindex ? 2 * g->npindex : 64) != 0)
		return -1;
	mask = g->npindex - 1;
	for (i = hash_fnv1a(name) & mask; (k = g->pindex[i]) >= 0;
	     i = (i + 1) & mask)
		if (strcmp(g->paths[k].name, name) == 0)
			return k;
	if (grow((void **)&g->paths, &g->cappaths, g->npaths,
		 sizeof(*g->paths)) != 0)
		return -1;
	e = &g->paths[g->npaths];
	if ((e->name = strdup(name)) == NULL)
		return -1;
	dot = strrchr(e->name, '.');
	e->seg = dot ? dot + 1 : e->name;
	e->item = seg_item(e->seg);
	e->hash = key_hash(e->seg);
	e->parent = parent;
	g->pindex[i] = g->npaths;
	return g->npaths++;
}

/* Enter a dotted name and its prefixes in the path table; the node
 * keeps the name's entry. */
static int
set_path(struct parser *p, struct node *n, const char *name, int line,
	 int col)
{
	char prefix[NAME_MAX_LEN];
	const char *a = name, *dot;
	int parts = 0, id = -1;

	do {
		dot = strchr(a, '.');
		if (parts++ == PATH_MAX_SEGS || a[0] == '.' || a[0] == '\0')
			return fail(p, line, col, "bad variable name '%s'",
				    name);
		snprintf(prefix, sizeof(prefix), "%.*s",
			 (int)(dot ? dot - name : (ptrdiff_t)strlen(name)),
			 name);
		if ((id = intern_path(p->g, prefix, id)) < 0)
			return fail(p, line, col, "out of memory");
		a = dot ? dot + 1 : NULL;
	} while (a != NULL);
	n->path = id;
	return (n->text = strdup(name)) ? 0
		: fail(p, line, col, "out of memory");
}

/* ":cap:a:lower" modifiers before the closing character. */
static int
read_mods(struct parser *p, struct node *n)
{
	char m[NAME_MAX_LEN];

	while (peek(p) == ':') {
		int line = p->line, col = p->col;

		adv(p);
		read_name(p, m);
		if (strcmp(m, "cap") == 0)
			n->mods |= MOD_CAP;
		else if (strcmp(m, "lower") == 0)
			n->mods |= MOD_LOWER;
		else if (strcmp(m, "a") == 0)
			n->mods |= MOD_A;
		else
			return fail(p, line, col, "unknown modifier '%s' "
				    "(cap, lower, a)", m);
	}
	return 0;
}

/* {name}, {@name} or <name>, with modifiers; at the opening character. */
static int
parse_ref(struct parser *p, struct seq *s)
{
	int line = p->line, col = p->col, open = peek(p);
	int close = open == '{' ? '}' : '>';
	char name[NAME_MAX_LEN], what[4] = { (char)close, 0 };
	struct node *n;

	adv(p);
	if ((n = seq_add(p, s, open == '{' ? K_VAR : K_REF)) == NULL)
		return -1;
	n->line = line;
	n->col = col;
	if (open == '{' && peek(p) == '@') {
		n->kind = K_PICK;
		adv(p);
	}
	if (read_name(p, name) == 0)
		return fail(p, p->line, p->col, "expected a %s name",
			    open == '{' ? "variable" : "rule");
	if (open == '{' && set_path(p, n, name, line, col) != 0)
		return -1;
	if (open == '<' && (n->text = strdup(name)) == NULL)
		return fail(p, line, col, "out of memory");
	if (read_mods(p, n) != 0)
		return -1;
	if (peek(p) != close)
		return fail(p, p->line, p->col, "expected '%s'", what);
	adv(p);
	return 0;
}

static int parse_alts(struct parser *p, struct seq **alts, int *nalts,
		      int bracket);
static int parse_seq(struct parser *p, struct seq *s, int bracket);

/* Drop the blanks at both ends of an alternative: "[a | b]" is "a" or
 * "b", so rules can be spaced for reading. */
static void
trim(struct seq *s)
{
	struct node *n;
	size_t k = 0;

	if (s->n > 0 && (n = &s->v[0])->kind == K_TEXT) {
		while (k < n->len && (n->text[k] == ' ' || n->text[k] == '\t'))
			k++;
		memmove(n->text, n->text + k, n->len - k + 1);
		n->len -= k;
	}
	if (s->n > 0 && (n = &s->v[s->n - 1])->kind == K_TEXT) {
		while (n->len > 0 && (n->text[n->len - 1] == ' ' ||
				      n->text[n->len - 1] == '\t'))
			n->len--;
		n->text[n->len] = '\0';
	}
}

/* The condition of [?cond: ...]: "[!]name [op value]", up to ':'. */
static int
parse_test(struct parser *p, struct node *n)
{
	static const char *const ops[] = { "", "=", "!=", "<", "<=", ">",
					   ">=" };
	int line = p->line, col = p->col;
	char name[NAME_MAX_LEN], op[3] = "", val[NAME_MAX_LEN];
	size_t k = 0, i;
	char *end;

	skip_blanks(p);
	if (peek(p) == '!') {
		n->neg = 1;
		adv(p);
	}
	if (read_name(p, name) == 0)
		return fail(p, p->line, p->col, "expected a variable name");
	if (set_path(p, n, name, line, col) != 0)
		return -1;
	skip_blanks(p);
	while (k < 2 && peek(p) >= 0 && strchr("=!<>", peek(p))) {
		op[k++] = (char)peek(p);
		adv(p);
	}
	for (i = 0; i < sizeof(ops) / sizeof(ops[0]); i++)
		if (strcmp(op, ops[i]) == 0)
			n->op = (enum op)i;
	if (k > 0 && n->op == OP_TRUTHY)
		return fail(p, line, col, "unknown comparison '%s'", op);
	skip_blanks(p);
	k = 0;
	while (peek(p) >= 0 && peek(p) != ':' && peek(p) != '\n' &&
	       peek(p) != ']' && k < sizeof(val) - 1) {
		val[k++] = (char)peek(p);
		adv(p);
	}
	while (k > 0 && (val[k - 1] == ' ' || val[k - 1] == '\t'))
		k--;
	val[k] = '\0';
	if (peek(p) != ':')
		return fail(p, p->line, p->col, "expected ':' after the "
			    "condition");
	adv(p);
	if ((n->op == OP_TRUTHY) != (k == 0))
		return fail(p, line, col, "%s", n->op == OP_TRUTHY ?
			    "a value needs a comparison (=, !=, <, <=, >, >=)"
			    : "a comparison needs a value");
	if (k > 0 && (n->value = strdup(val)) == NULL)
		return fail(p, line, col, "out of memory");
	n->num = k > 0 ? strtod(val, &end) : 0;
	n->isnum = k > 0 && *end == '\0';
	return 0;
}

/* After "[?" or "|?": the test, the then-part and an else-part (which
 * may itself be "?test: ..."); stops before the closing ']'. */
static int
parse_cond(struct parser *p, struct node *n)
{
	struct node *e;

	if ((n->alts = calloc(2, sizeof(*n->alts))) == NULL)
		return fail(p, p->line, p->col, "out of memory");
	n->nalts = 2;
	if (parse_test(p, n) != 0 || parse_seq(p, &n->alts[0], 1) != 0)
		return -1;
	trim(&n->alts[0]);
	if (peek(p) != '|')
		return 0;
	adv(p);
	skip_blanks(p);
	if (peek(p) != '?') {
		if (parse_seq(p, &n->alts[1], 1) != 0)
			return -1;
		trim(&n->alts[1]);
		return peek(p) != '|' ? 0 : fail(p, p->line, p->col, "a "
						 "conditional has one else "
						 "part (write |? for "
						 "else-if)");
	}
	adv(p);
	if ((e = seq_add(p, &n->alts[1], K_COND)) == NULL)
		return -1;
	return parse_cond(p, e);
}

/* [a|b|c] or [?test: then | else], at the '['. */
static int
parse_bracket(struct parser *p, struct seq *s)
{
	int line = p->line, col = p->col, rc;
	struct node *n;

	if (p->nest >= MAX_NEST)
		return fail(p, line, col, "brackets nest too deep");
	adv(p);
	if ((n = seq_add(p, s, K_CHOICE)) == NULL)
		return -1;
	n->line = line;
	n->col = col;
	p->nest++;
	if (peek(p) == '?') {
		n->kind = K_COND;
		adv(p);
		rc = parse_cond(p, n);
	} else {
		rc = parse_alts(p, &n->alts, &n->nalts, 1);
	}
	p->nest--;
	if (rc != 0)
		return -1;
	if (peek(p) != ']')
		return fail(p, line, col, "unclosed '['");
	adv(p);
	return 0;
}

/* 1 if the line starting at pos is blank or a comment. */
static int
line_is_empty(const struct parser *p, size_t pos)
{
	while (pos < p->len && (p->s[pos] == ' ' || p->s[pos] == '\t' ||
				p->s[pos] == '\r'))
		pos++;
	return pos >= p->len || p->s[pos] == '\n' || p->s[pos] == '#';
}

/* At a newline: skip blank and comment lines; if the next line is
 * indented it continues the alternative (returns 1 after its
 * indentation), else the rule ends there (returns 0, at that line). */
static int
continues(struct parser *p)
{
	while (peek(p) == '\n') {
		adv(p);
		if (line_is_empty(p, p->pos)) {
			while (peek(p) >= 0 && peek(p) != '\n')
				adv(p);
			continue;
		}
		if (peek(p) == '|')
			return 1;
		if (peek(p) != ' ' && peek(p) != '\t')
			return 0;
		skip_blanks(p);
		return 1;
	}
	return peek(p) >= 0;
}

/* The bytes from p's place on that parse_seq() takes as they are, one
 * at a time (none of | ] [ { < \\ and no line end, CR or NUL): added
 * as one run, on one line. */
static size_t
plain_run(const struct parser *p)
{
	size_t k;

	for (k = p->pos; k < p->len && !strchr("|][{<\\\n\r", p->s[k]); k++)
		;
	return k - p->pos;
}

/* One alternative: nodes up to '|', ']' (in brackets) or the rule's
 * end. */
static int
parse_seq(struct parser *p, struct seq *s, int bracket)
{
	size_t run;
	int c;
	char ch;

	for (;;) {
		c = peek(p);
		if (c < 0 || c == '|' || (c == ']' && bracket))
			return 0;
		if (c == ']')
			return fail(p, p->line, p->col, "unexpected ']'");
		if (c == '\n') {
			if (!continues(p))
				return 0;
			if (peek(p) != '|' && add_text(p, s, " ", 1) != 0)
				return -1;
			continue;
		}
		if (c == '{' || c == '<') {
			if (parse_ref(p, s) != 0)
				return -1;
			continue;
		}
		if (c == '[') {
			if (parse_bracket(p, s) != 0)
				return -1;
			continue;
		}
		if (c == '\\') {
			adv(p);
			if ((c = peek(p)) < 0 || c == '\n')
				return fail(p, p->line, p->col, "a '\\' "
					    "escapes the next character");
		} else if ((run = plain_run(p)) > 1) {
			if (add_text(p, s, p->s + p->pos, run) != 0)
				return -1;
			p->pos += run;
			p->col += (int)run;
			continue;
		}
		ch = (char)c;
		if (c != '\r' && add_text(p, s, &ch, 1) != 0)
			return -1;
		adv(p);
	}
}

/* Alternatives separated by '|'. */
static int
parse_alts(struct parser *p, struct seq **alts, int *nalts, int bracket)
{
	int cap = 0;

	for (;;) {
		if (grow((void **)alts, &cap, *nalts, sizeof(**alts)) != 0)
			return fail(p, p->line, p->col, "out of memory");
		memset(&(*alts)[*nalts], 0, sizeof(**alts));
		if (parse_seq(p, &(*alts)[(*nalts)++], bracket) != 0)
			return -1;
		trim(&(*alts)[*nalts - 1]);
		if (peek(p) != '|')
			return 0;
		adv(p);
	}
}

/* The number of the rule called name, or -1. Rendering looks a rule up
 * by name once per render among some hundreds of rules, so a loaded
 * grammar has a hash index; while parsing, the rules are searched in
 * turn. */
static int
find_rule(const struct grammar *g, const char *name)
{
	size_t i, mask = g->nindex - 1;
	int k;

	if (g->index == NULL) {
		for (k = 0; k < g->n; k++)
			if (strcmp(g->rules[k].name, name) == 0)
				return k;
		return -1;
	}
	for (i = hash_fnv1a(name) & mask; (k = g->index[i]) >= 0;
	     i = (i + 1) & mask)
		if (strcmp(g->rules[k].name, name) == 0)
			return k;
	return -1;
}

/* Build find_rule's index of the parsed rules (names are unique).
 * Returns 0, or -1 with err set when out of memory. */
static int
index_rules(struct grammar *g, struct pf_error *err)
{
	size_t n = 16, i;
	int k;

	while (n < 2 * (size_t)g->n)
		n *= 2;
	if ((g->index = malloc(n * sizeof(*g->index))) == NULL)
		return pf_error_set(err, "out of memory");
	for (i = 0; i < n; i++)
		g->index[i] = -1;
	g->nindex = n;
	for (k = 0; k < g->n; k++) {
		for (i = hash_fnv1a(g->rules[k].name) & (n - 1);
		     g->index[i] >= 0; i = (i + 1) & (n - 1))
			;
		g->index[i] = k;
	}
	return 0;
}

/* "name = body" or "name := body", at the start of a line. */
static int
parse_rule(struct parser *p)
{
	struct grammar *g = p->g;
	int line = p->line, col = p->col, k;
	char name[NAME_MAX_LEN], where[32];
	struct rule *r;

	read_name(p, name);
	skip_blanks(p);
	if ((k = find_rule(g, name)) >= 0) {
		snprintf(where, sizeof(where), "%d", g->rules[k].line);
		fail(p, line, col, "rule '%s' defined twice", name);
		if (p->err != NULL && strlen(p->err->msg) + 40 <
		    sizeof(p->err->msg))
			strcat(strcat(strcat(p->err->msg, " (first at line "),
				      where), ")");
		return -1;
	}
	if (g->n == GRAMMAR_MAX_RULES)
		return fail(p, line, col, "more rules than allowed");
	if (grow((void **)&g->rules, &g->cap, g->n, sizeof(*g->rules)) != 0)
		return fail(p, line, col, "out of memory");
	r = &g->rules[g->n++];
	memset(r, 0, sizeof(*r));
	r->file = p->file;
	r->line = line;
	r->col = col;
	if ((r->name = strdup(name)) == NULL)
		return fail(p, line, col, "out of memory");
	if (peek(p) == ':' && peek_at(p, 1) == '=') {
		r->memo = 1;
		r->slot = g->nmemo++;
		adv(p);
	}
	if (peek(p) != '=')
		return fail(p, p->line, p->col, "expected '=' or ':=' after "
			    "rule '%s'", name);
	adv(p);
	skip_blanks(p);
	return parse_alts(p, &r->alts, &r->nalts, 0);
}

static int load_file(struct grammar *g, const char *path, int depth,
		     struct pf_error *err);

/* "%include NAME": NAME relative to the including file's directory. */
static int
parse_include(struct parser *p, int depth)
{
	const char *self = p->g->files[p->file], *slash;
	char name[NAME_MAX_LEN], path[1024];
	int line = p->line, col = p->col;

	if (p->len - p->pos < 9 || strncmp(p->s + p->pos, "%include ", 9))
		return fail(p, line, col, "unknown directive");
	p->pos += 9;
	p->col += 9;
	skip_blanks(p);
	if (read_name(p, name) == 0)
		return fail(p, p->line, p->col, "expected a file name");
	if (depth < 0)
		return fail(p, line, col, "%%include needs a file "
			    "(grammar_load), not text: '%s'", name);
	if (depth >= GRAMMAR_MAX_INCLUDES)
		return fail(p, line, col, "includes nest deeper than allowed "
			    "at '%s'", name);
	slash = strrchr(self, '/');
	snprintf(path, sizeof(path), "%.*s%s",
		 slash ? (int)(slash - self + 1) : 0, self, name);
	return load_file(p->g, path, depth + 1, p->err);
}

/* The top level: rules, includes, comments and blank lines. */
static int
parse_text(struct parser *p, int depth)
{
	int c;

	while ((c = peek(p)) >= 0) {
		if (line_is_empty(p, p->pos)) {
			while (peek(p) >= 0 && peek(p) != '\n')
				adv(p);
			adv(p);
			continue;
		}
		if (c == '%') {
			if (parse_include(p, depth) != 0)
				return -1;
		} else if (is_name_char(c)) {
			if (parse_rule(p) != 0)
				return -1;
			continue;
		} else {
			skip_blanks(p);
			return fail(p, p->line, p->col, "text outside a "
				    "rule (a rule starts at column 1 with "
				    "'name =')");
		}
		skip_blanks(p);
		if (peek(p) >= 0 && peek(p) != '\n' && peek(p) != '\r')
			return fail(p, p->line, p->col, "unexpected text "
				    "after the directive");
		while (peek(p) >= 0 && peek(p) != '\n')
			adv(p);
	}
	return 0;
}

static int
compile_into(struct grammar *g, const char *text, size_t len,
	     const char *name, int depth, struct pf_error *err)
{
	struct parser p = { .g = g, .s = text, .len = len, .line = 1,
			    .col = 1, .err = err };

	if (g->nfiles == MAX_FILES) {
		snprintf(err->file, sizeof(err->file), "%s", name);
		return pf_error_set(err, "too many grammar files");
	}
	if ((g->files[g->nfiles] = strdup(name)) == NULL)
		return pf_error_set(err, "out of memory");
	p.file = g->nfiles++;
	return parse_text(&p, depth);
}

static int
load_file(struct grammar *g, const char *path, int depth,
	  struct pf_error *err)
{
	char *text;
	size_t len;
	int rc, i;

	for (i = 0; i < g->nfiles; i++)   /* each file once: cycles end */
		if (strcmp(g->files[i], path) == 0)
			return 0;
	if (file_read_all(path, GRAMMAR_MAX_FILE, &text, &len) != 0) {
		if (err != NULL)
			snprintf(err->file, sizeof(err->file), "%s", path);
		return pf_error_set(err, "cannot read grammar: %s",
				    strerror(errno));
	}
	rc = compile_into(g, text, len, path, depth, err);
	free(text);
	return rc;
}

static int node_error(const struct grammar *g, const struct node *n,
		      struct pf_error *err, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
node_error(const struct grammar *g, const struct node *n,
	   struct pf_error *err, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	at(err, g->files[n->file], n->line, n->col, fmt, ap);
	va_end(ap);
	return -1;
}

/* Point every rule reference of s at its rule. */
static int
resolve_seq(struct grammar *g, struct seq *s, struct pf_error *err)
{
	struct node *n;
	int i, j;

	for (i = 0; i < s->n; i++) {
		n = &s->v[i];
		if (n->kind == K_REF &&
		    (n->rule = find_rule(g, n->text)) < 0)
			return node_error(g, n, err, "unknown rule '%s'",
					  n->text);
		for (j = 0; j < n->nalts; j++)
			if (resolve_seq(g, &n->alts[j], err) != 0)
				return -1;
	}
	return 0;
}

static int
resolve(struct grammar *g, struct pf_error *err)
{
	int i, j;

	for (i = 0; i < g->n; i++)
		for (j = 0; j < g->rules[i].nalts; j++)
			if (resolve_seq(g, &g->rules[i].alts[j], err) != 0)
				return -1;
	return 0;
}

/* ---- packing ---- */

/* n rounded up to a multiple of 8 (the alignment of a node). */
static size_t
align8(size_t n)
{
	return (n + 7) & ~(size_t)7;
}

/* The bytes of the text an rnode copies from n, with its NUL: a K_TEXT
 * node's bytes (which may hold a NUL of the rule file), a comparison's
 * value, or none. */
static size_t
text_bytes(const struct node *n)
{
	if (n->kind == K_TEXT)
		return n->len + 1;
	return n->value != NULL ? strlen(n->value) + 1 : 0;
}

/* The bytes pack_seq() takes for s: its nodes, their text, their
 * nested alternatives. */
static size_t
seq_bytes(const struct seq *s)
{
	size_t b = align8((size_t)s->n * sizeof(struct rnode));
	const struct node *n;
	int i, j;

	for (i = 0; i < s->n; i++) {
		n = &s->v[i];
		b += align8(text_bytes(n));
		b += align8((size_t)n->nalts * sizeof(struct rseq));
		for (j = 0; j < n->nalts; j++)
			b += seq_bytes(&n->alts[j]);
	}
	return b;
}

/* Take n bytes at *at (8-aligned). */
static void *
take(char **at, size_t n)
{
	void *p = *at;

	*at += align8(n);
	return p;
}

/* s as rnodes into out, from *at: the nodes, their text right after
 * them, then their nested alternatives, in the order a render reads
 * them. */
static void
pack_seq(const struct seq *s, struct rseq *out, char **at)
{
	struct rnode *v = take(at, (size_t)s->n * sizeof(*v));
	const struct node *n;
	struct rseq *a;
	char *t;
	int i, j;

	*out = (struct rseq){ .v = v, .n = s->n };
	for (i = 0; i < s->n; i++) {
		n = &s->v[i];
		v[i] = (struct rnode){ .kind = (unsigned char)n->kind,
			.mods = (unsigned char)n->mods,
			.op = (unsigned char)n->op, .neg = n->neg != 0,
			.isnum = n->isnum != 0, .len = (uint32_t)n->len,
			.ref = n->kind == K_REF ? n->rule : n->path,
			.nalts = n->nalts, .src = n };
		if (text_bytes(n) > 0) {
			t = take(at, text_bytes(n));
			memcpy(t, n->kind == K_TEXT ? n->text : n->value,
			       text_bytes(n));
			v[i].text = t;
		}
	}
	for (i = 0; i < s->n; i++) {
		if ((n = &s->v[i])->nalts == 0)
			continue;
		v[i].alts = a = take(at, (size_t)n->nalts * sizeof(*a));
		for (j = 0; j < n->nalts; j++)
			pack_seq(&n->alts[j], &a[j], at);
	}
}

/* Lay every rule's alternatives out as a render reads them, in one
 * block (g->pack): a render walks small nodes that lie together
 * instead of big ones spread over the heap (a render of a big grammar
 * mostly waited for memory). Returns 0, or -1 with err set. */
static int
pack(struct grammar *g, struct pf_error *err)
{
	struct rseq *a;
	size_t b = 0;
	char *at;
	int i, j;

	for (i = 0; i < g->n; i++) {
		b += align8((size_t)g->rules[i].nalts * sizeof(struct rseq));
		for (j = 0; j < g->rules[i].nalts; j++)
			b += seq_bytes(&g->rules[i].alts[j]);
	}
	if ((g->pack = at = malloc(b > 0 ? b : 1)) == NULL)
		return pf_error_set(err, "out of memory");
	for (i = 0; i < g->n; i++) {
		g->rules[i].ralts = a = take(&at, (size_t)g->rules[i].nalts *
					     sizeof(*a));
		for (j = 0; j < g->rules[i].nalts; j++)
			pack_seq(&g->rules[i].alts[j], &a[j], &at);
	}
	return 0;
}

static int
finish(struct grammar *g, int rc, struct grammar **out,
       struct pf_error *err)
{
	if (rc == 0)
		rc = index_rules(g, err);
	if (rc == 0)
		rc = resolve(g, err);
	if (rc == 0)
		rc = pack(g, err);
	if (rc != 0) {
		grammar_free(g);
		return -1;
	}
	*out = g;
	return 0;
}

int
grammar_compile(const char *text, size_t len, const char *name,
		struct grammar **out, struct pf_error *err)
{
	struct grammar *g = calloc(1, sizeof(*g));

	*out = NULL;
	if (g == NULL)
		return pf_error_set(err, "out of memory");
	return finish(g, compile_into(g, text, len, name, -1, err), out,
		      err);
}

int
grammar_load(const char *path, struct grammar **out, struct pf_error *err)
{
	struct grammar *g = calloc(1, sizeof(*g));

	*out = NULL;
	if (g == NULL)
		return pf_error_set(err, "out of memory");
	return finish(g, load_file(g, path, 0, err), out, err);
}

int
grammar_has(const struct grammar *g, const char *rule)
{
	return g != NULL && find_rule(g, rule) >= 0;
}

/* ---- key indexes ---- */

/* One indexed object: its keys hash into slots first .. first + mask
 * of the index (a power of two, at least twice its keys). */
struct keyobj {
	const cJSON *head;     /* its first child: a reference to the
				* object (cJSON_AddItemReferenceToObject)
				* has the same one */
	const cJSON *last;     /* its last child when indexed: a key added
				* since gives it a next */
	uint32_t first, mask;
};

struct keyslot {
	uint32_t hash;         /* key_hash(item->string) */
	uint32_t name;         /* a copy of item->string in names: the
				* index compares with its own copies, which
				* lie together, not the objects' */
	const cJSON *item;     /* NULL: an empty slot */
};

struct grammar_keys {
	struct keyobj obj[GRAMMAR_KEYS_OBJS];
	int nobj;
	struct keyslot *slot;
	uint32_t nslots;       /* slots of the objects so far */
	char *names;
	size_t nnames;         /* bytes used */
};

/* The keys of obj up to the first child without a name (where child()
 * stops), or 0 when obj is not an object. Sets *last to the last of
 * them and adds the bytes of their names (with NULs) to *bytes. */
static uint32_t
count_keys(const cJSON *obj, const cJSON **last, size_t *bytes)
{
	const cJSON *c;
	uint32_t n = 0;

	if (!cJSON_IsObject(obj))
		return 0;
	for (c = obj->child; c != NULL && c->string != NULL; c = c->next) {
		*last = c;
		*bytes += strlen(c->string) + 1;
		n++;
	}
	return n;
}

/* File the keys of o's object in its slots, the first child of each
 * name only (the one a walk would find). */
static void
fill_keys(struct grammar_keys *k, const struct keyobj *o)
{
	const cJSON *c;
	struct keyslot *s;
	uint32_t h, i;
	size_t len;

	for (c = o->head; c != NULL && c->string != NULL; c = c->next) {
		h = key_hash(c->string);
		for (i = h & o->mask; (s = &k->slot[o->first + i])->item
		     != NULL; i = (i + 1) & o->mask)
			if (s->hash == h && strcmp(k->names + s->name,
						   c->string) == 0)
				break;
		if (s->item == NULL) {
			len = strlen(c->string) + 1;
			memcpy(k->names + k->nnames, c->string, len);
			*s = (struct keyslot){ .hash = h, .item = c,
					       .name = (uint32_t)k->nnames };
			k->nnames += len;
		}
		if (c == o->last)
			break;
	}
}

int
grammar_keys_new(const cJSON *const *objs, int n, struct grammar_keys **out)
{
	struct grammar_keys *k = calloc(1, sizeof(*k));
	int i;

	*out = NULL;
	if (k == NULL)
		return -1;
	for (i = 0; i < n; i++)
		if (grammar_keys_add(k, objs[i]) != 0) {
			grammar_keys_free(k);
			return -1;
		}
	*out = k;
	return 0;
}

int
grammar_keys_add(struct grammar_keys *k, const cJSON *obj)
{
	const cJSON *last = NULL;
	struct keyslot *slot;
	uint32_t nkeys, size;
	size_t bytes = 0;
	char *names;

	if (k->nobj == GRAMMAR_KEYS_OBJS ||
	    (nkeys = count_keys(obj, &last, &bytes)) == 0)
		return 0;
	for (size = 8; size < 2 * nkeys; size *= 2)
		;
	if (size > GRAMMAR_KEYS_MAX - k->nslots ||
	    bytes > GRAMMAR_KEYS_NAMES - k->nnames)
		return 0;
	if ((slot = realloc(k->slot, (k->nslots + size) * sizeof(*slot)))
	    == NULL)
		return -1;
	k->slot = slot;
	memset(slot + k->nslots, 0, size * sizeof(*slot));
	if ((names = realloc(k->names, k->nnames + bytes)) == NULL)
		return -1;
	k->names = names;
	k->obj[k->nobj] = (struct keyobj){ .head = obj->child, .last = last,
					   .first = k->nslots,
					   .mask = size - 1 };
	k->nslots += size;
	fill_keys(k, &k->obj[k->nobj++]);
	return 0;
}

void
grammar_keys_free(struct grammar_keys *k)
{
	if (k == NULL)
		return;
	free(k->slot);
	free(k->names);
	free(k);
}

/* ---- rendering ---- */

struct render {
	const struct grammar *g;
	const struct grammar_keys *keys;  /* or NULL */
	const cJSON *vars;
	struct rng rng;
	struct buf *out;
	struct pf_error *err;
	unsigned steps;
	char **memo;   /* per ":=" rule (rule.slot), allocated when the
			* first one is expanded: most renders meet none,
			* and a render must not cost the grammar's size */
	/* The values of the path entries read so far, by entry number
	 * (open addressing on the number; key 0 is an empty slot, else
	 * the number + 1): vin until it is half full, then the heap,
	 * doubling up to VARS_MAX_SLOTS, past which values are looked up
	 * but not kept. vin (VARS_INLINE slots, on grammar_render's
	 * stack) is cleared when the render first reads a variable. */
	struct vslot {
		int key;
		const cJSON *v;
	} *vin, *vars_memo;
	size_t nvars, used;
};

static int expand_seq(struct render *r, const struct rseq *s, int depth);

/* The child of obj found through the render's key index: 1 with *v
 * the child named e->seg (or NULL: none) when obj is indexed and has
 * not grown since, else 0. */
static int
indexed(const struct grammar_keys *k, const cJSON *obj,
	const struct pathent *e, const cJSON **v)
{
	const struct keyobj *o;
	const struct keyslot *s;
	uint32_t i;
	int j;

	for (j = 0; j < k->nobj && k->obj[j].head != obj->child; j++)
		;
	if (j == k->nobj || (o = &k->obj[j])->last->next != NULL)
		return 0;
	*v = NULL;
	for (i = e->hash & o->mask; (s = &k->slot[o->first + i])->item
	     != NULL; i = (i + 1) & o->mask)
		if (s->hash == e->hash && strcmp(k->names + s->name, e->seg)
		    == 0) {
			*v = s->item;
			break;
		}
	return 1;
}

/* cJSON_GetObjectItemCaseSensitive(obj, e->seg): the first child of
 * that name, up to the first child without one; from the render's key
 * index when it holds obj (a walk misses the cache at every child: the
 * unit's objects have up to some hundred keys, read by every render of
 * every item). Walking, most keys differ from the one sought in their
 * first byte, so that byte is tested before a call to strcmp. */
static const cJSON *
child(const struct render *r, const cJSON *obj, const struct pathent *e)
{
	const char *key = e->seg;
	const cJSON *c;

	if (r->keys != NULL && indexed(r->keys, obj, e, &c))
		return c;
	for (c = obj->child; c != NULL && c->string != NULL; c = c->next)
		if (c->string[0] == key[0] && strcmp(c->string, key) == 0)
			return c;
	return NULL;
}

/* The slot of path entry id in the memo: the one holding it, or the
 * empty one where it goes (the memo is never more than half full). */
static struct vslot *
vslot(const struct render *r, int id)
{
	size_t mask = r->nvars - 1, i = ((unsigned)id * 0x9e3779b9u) & mask;

	while (r->vars_memo[i].key != 0 && r->vars_memo[i].key != id + 1)
		i = (i + 1) & mask;
	return &r->vars_memo[i];
}

/* Keep v as the value of entry id (a new one); the memo doubles when it
 * is half full. Out of memory or room, v is not kept: it will be looked
 * up again, with the same answer. */
static void
vkeep(struct render *r, int id, const cJSON *v)
{
	struct vslot *old = r->vars_memo, *nw;
	size_t i, n = r->nvars;

	if (2 * (r->used + 1) > n) {
		if (2 * n > VARS_MAX_SLOTS ||
		    (nw = calloc(2 * n, sizeof(*nw))) == NULL)
			return;
		r->vars_memo = nw;
		r->nvars = 2 * n;
		for (i = 0; i < n; i++)
			if (old[i].key != 0)
				*vslot(r, old[i].key - 1) = old[i];
		if (old != r->vin)
			free(old);
	}
	*vslot(r, id) = (struct vslot){ .key = id + 1, .v = v };
	r->used++;
}

/* The value of path entry id in the render's vars, or NULL: its
 * parent's value, then one step down, each looked up once per
 * render. */
static const cJSON *
resolve_var(struct render *r, int id)
{
	const struct pathent *e = &r->g->paths[id];
	const cJSON *v;
	struct vslot *s;

	if (r->nvars == 0) {
		memset(r->vin, 0, VARS_INLINE * sizeof(*r->vin));
		r->vars_memo = r->vin;
		r->nvars = VARS_INLINE;
	}
	if ((s = vslot(r, id))->key != 0)
		return s->v;
	v = e->parent < 0 ? r->vars : resolve_var(r, e->parent);
	if (cJSON_IsObject(v))
		v = child(r, v, e);
	else if (cJSON_IsArray(v) && e->item >= 0)
		v = cJSON_GetArrayItem(v, (int)e->item);
	else
		v = NULL;
	vkeep(r, id, v);
	return v;
}

/* The value of n's variable in the render's vars, or NULL. */
static const cJSON *
lookup(struct render *r, const struct rnode *n)
{
	return resolve_var(r, n->ref);
}

/* Falsy: missing, null, false, 0, "" and []. */
static int
truthy(const cJSON *v)
{
	if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return 0;
	if (cJSON_IsNumber(v))
		return v->valuedouble != 0;
	if (cJSON_IsString(v))
		return v->valuestring[0] != '\0';
	if (cJSON_IsArray(v))
		return v->child != NULL;
	return 1;
}

/* strcmp(a, b)'s sign, without the call when the first bytes differ:
 * most tests compare a value with another word ("male" with
 * "female"). */
static int
compare(const char *a, const char *b)
{
	if (a[0] != b[0])
		return (unsigned char)a[0] < (unsigned char)b[0] ? -1 : 1;
	return strcmp(a, b);
}

static int
test(const struct rnode *n, const cJSON *v)
{
	double d;
	int c;

	if (n->op == OP_TRUTHY)
		return truthy(v) != n->neg;
	if (n->isnum && cJSON_IsNumber(v)) {
		d = v->valuedouble;
		c = d < n->src->num ? -1 : d > n->src->num ? 1 : 0;
	} else if (cJSON_IsString(v)) {
		c = compare(v->valuestring, n->text);
	} else if (cJSON_IsBool(v)) {
		c = strcmp(cJSON_IsTrue(v) ? "true" : "false", n->text);
	} else {
		return (n->op == OP_NE) != n->neg;
	}
	switch (n->op) {
	case OP_EQ: c = c == 0; break;
	case OP_NE: c = c != 0; break;
	case OP_LT: c = c < 0; break;
	case OP_LE: c = c <= 0; break;
	case OP_GT: c = c > 0; break;
	default: c = c >= 0; break;
	}
	return c != n->neg;
}

/* buf_printf(b, "%lld", i) without the printf machinery: the
 * numbers the texts print (ages, years) are whole. */
static int
put_integer(struct buf *b, long long i)
{
	char tmp[24], *t = tmp + sizeof(tmp);
	unsigned long long u = i < 0 ? 0 - (unsigned long long)i
				     : (unsigned long long)i;

	do {
		*--t = (char)('0' + u % 10);
		u /= 10;
	} while (u > 0);
	if (i < 0)
		*--t = '-';
	return buf_append(b, t, (size_t)(tmp + sizeof(tmp) - t));
}

/* A scalar value as text. */
static int
put_scalar(struct buf *b, const cJSON *v)
{
	double d;

	if (cJSON_IsString(v))
		return buf_puts(b, v->valuestring);
	if (cJSON_IsBool(v))
		return buf_puts(b, cJSON_IsTrue(v) ? "true" : "false");
	d = v->valuedouble;
	if (d == (double)(long long)d && d > -1e15 && d < 1e15)
		return put_integer(b, (long long)d);
	return buf_printf(b, "%g", d);
}

static int
is_scalar(const cJSON *v)
{
	return cJSON_IsString(v) || cJSON_IsNumber(v) || cJSON_IsBool(v);
}

/* A variable: a scalar, or a list of them as "a, b and c". */
static int
put_var(struct render *r, const struct rnode *rn, const cJSON *v)
{
	const struct node *n = rn->src;
	const cJSON *e;
	int i = 0, k;

	if (v == NULL || cJSON_IsNull(v))
		return node_error(r->g, n, r->err, "variable '%s' has no "
				  "value", n->text);
	if (is_scalar(v))
		return put_scalar(r->out, v) == 0 ? 0 :
		       node_error(r->g, n, r->err, "output too long");
	if (!cJSON_IsArray(v))
		return node_error(r->g, n, r->err, "variable '%s' is an "
				  "object, not text", n->text);
	k = cJSON_GetArraySize(v);
	cJSON_ArrayForEach(e, v) {
		if (!is_scalar(e))
			return node_error(r->g, n, r->err, "list '%s' holds "
					  "a non-scalar", n->text);
		if ((i > 0 && buf_puts(r->out, i == k - 1 ? " and " : ", "))
		    || put_scalar(r->out, e) != 0)
			return node_error(r->g, n, r->err, "output too "
					  "long");
		i++;
	}
	return 0;
}

/* {@name}: one element of a list, drawn with the render's generator. */
static int
put_pick(struct render *r, const struct rnode *rn)
{
	const struct node *n = rn->src;
	const cJSON *v = lookup(r, rn);
	int k;

	if (cJSON_IsArray(v) && (k = cJSON_GetArraySize(v)) > 0)
		v = cJSON_GetArrayItem(v, (int)rng_below(&r->rng,
							  (uint32_t)k));
	else if (cJSON_IsArray(v))
		return node_error(r->g, n, r->err, "list '%s' is empty",
				  n->text);
	return put_var(r, rn, v);
}

/* "a" or "an" before the word at s (the usual spelling exceptions). */
static const char *
article(const char *s)
{
	static const char *const a_words[] = { "uni", "use", "usu", "eu",
		"one", "once", NULL };
	static const char *const an_words[] = { "hour", "honest", "honor",
		"heir", NULL };
	int i;

	for (i = 0; an_words[i]; i++)
		if (strncasecmp(s, an_words[i], strlen(an_words[i])) == 0)
			return "an ";
	for (i = 0; a_words[i]; i++)
		if (strncasecmp(s, a_words[i], strlen(a_words[i])) == 0)
			return "a ";
	if (s[0] == '8' || ((strncmp(s, "11", 2) == 0 ||
			     strncmp(s, "18", 2) == 0) && !isdigit(
				     (unsigned char)s[2])))
		return "an ";
	return strchr("aeiouAEIOU", s[0]) && s[0] ? "an " : "a ";
}

/* Apply a node's modifiers to the text from `start` on. */
static int
apply_mods(struct render *r, const struct rnode *n, size_t start)
{
	struct buf *b = r->out;
	const char *art;
	size_t i, k;

	for (i = start; i < b->len && isspace((unsigned char)b->data[i]); i++)
		;
	if (i == b->len)
		return 0;
	if (n->mods & MOD_LOWER)
		b->data[i] = (char)tolower((unsigned char)b->data[i]);
	if (n->mods & MOD_A) {
		art = article(b->data + i);
		k = strlen(art);
		if (buf_append(b, art, k) != 0)
			return node_error(r->g, n->src, r->err, "output too "
					  "long");
		memmove(b->data + i + k, b->data + i, b->len - k - i);
		memcpy(b->data + i, art, k);
	}
	if (n->mods & MOD_CAP)
		b->data[i] = (char)toupper((unsigned char)b->data[i]);
	return 0;
}

static int
expand_rule(struct render *r, const struct rnode *n, int depth)
{
	const struct rule *ru = &r->g->rules[n->ref];
	size_t start = r->out->len;
	uint32_t k = 0;

	if (depth >= GRAMMAR_MAX_DEPTH)
		return node_error(r->g, n->src, r->err, "rules nest deeper than "
				  "allowed at '%s' (a rule that refers to "
				  "itself without end?)", ru->name);
	if (ru->memo && r->memo == NULL &&
	    (r->memo = calloc((size_t)r->g->nmemo, sizeof(*r->memo))) == NULL)
		return node_error(r->g, n->src, r->err, "out of memory");
	if (ru->memo && r->memo[ru->slot] != NULL)
		return buf_puts(r->out, r->memo[ru->slot]) == 0 ? 0 :
		       node_error(r->g, n->src, r->err, "output too long");
	if (ru->nalts > 1)
		k = rng_below(&r->rng, (uint32_t)ru->nalts);
	if (expand_seq(r, &ru->ralts[k], depth + 1) != 0)
		return -1;
	if (ru->memo && (r->memo[ru->slot] = strndup(r->out->data + start,
						     r->out->len - start))
	    == NULL)
		return node_error(r->g, n->src, r->err, "out of memory");
	return 0;
}

static int
expand_node(struct render *r, const struct rnode *n, int depth)
{
	size_t start = r->out->len;
	uint32_t k = 0;
	int rc = 0;

	if (++r->steps > GRAMMAR_MAX_STEPS)
		return node_error(r->g, n->src, r->err, "the text grows past the "
				  "step limit");
	switch (n->kind) {
	case K_TEXT:
		return buf_append(r->out, n->text, n->len) == 0 ? 0 :
		       node_error(r->g, n->src, r->err, "output too long");
	case K_REF:
		rc = expand_rule(r, n, depth);
		break;
	case K_VAR:
		rc = put_var(r, n, lookup(r, n));
		break;
	case K_PICK:
		rc = put_pick(r, n);
		break;
	case K_CHOICE:
		if (n->nalts > 1)
			k = rng_below(&r->rng, (uint32_t)n->nalts);
		return expand_seq(r, &n->alts[k], depth);
	case K_COND:
		return expand_seq(r, &n->alts[test(n, lookup(r, n)) ?
					       0 : 1], depth);
	}
	return rc != 0 ? -1 : n->mods ? apply_mods(r, n, start) : 0;
}

static int
expand_seq(struct render *r, const struct rseq *s, int depth)
{
	int i;

	for (i = 0; i < s->n; i++)
		if (expand_node(r, &s->v[i], depth) != 0)
			return -1;
	return 0;
}

/* What prose() asks of a byte, one bit per question (every rendered
 * byte is asked, so a table rather than strchr over a set). */
enum { P_CLOSE = 1,   /* , . ; : ! ? ) take no space before them */
       P_STOP = 2,    /* , . ; : ! ? end a clause: a ',' after is dropped */
       P_WEAK = 4,    /* , ; : give way to a '.' after them */
       P_SPACE = 8 }; /* isspace() in the C locale */
static const unsigned char punct[256] = {
	[' '] = P_SPACE, ['\t'] = P_SPACE, ['\n'] = P_SPACE, ['\v'] = P_SPACE,
	['\f'] = P_SPACE, ['\r'] = P_SPACE,
	['\0'] = P_CLOSE | P_STOP | P_WEAK,  /* as strchr found it */
	[','] = P_CLOSE | P_STOP | P_WEAK, ['.'] = P_CLOSE | P_STOP,
	[';'] = P_CLOSE | P_STOP | P_WEAK, [':'] = P_CLOSE | P_STOP | P_WEAK,
	['!'] = P_CLOSE | P_STOP, ['?'] = P_CLOSE | P_STOP, [')'] = P_CLOSE,
};

/* Keep the bytes of d from i on that are neither space nor
 * punctuation at *w on (most of a text, in mid-sentence: kept as they
 * are, moved only where the text shrank before them). Returns the
 * index past them. */
static size_t
keep_run(char *d, size_t *w, size_t i, size_t n)
{
	size_t k = i;

	while (k < n && punct[(unsigned char)d[k]] == 0)
		k++;
	if (*w != i)
		memmove(d + *w, d + i, k - i);
	*w += k - i;
	return k;
}

/* GRAMMAR_PROSE clean-up of b from `start` on, in place (it only
 * shrinks). */
static void
prose(struct buf *b, size_t start)
{
	char *d = b->data;
	size_t w = start, i, n = b->len;
	int space = 0, cap = 2;  /* 2: capitalise the next letter */
	char c;

	for (i = start; i < n; i++) {
		if (!space && cap == 0 && (i = keep_run(d, &w, i, n)) == n)
			break;
		c = d[i];
		if (punct[(unsigned char)c] & P_SPACE) {
			space = 1;
			if (cap == 1)
				cap = 2;
			continue;
		}
		if (punct[(unsigned char)c] & P_CLOSE)
			space = 0;
		if (c == ',' && w > start &&
		    (punct[(unsigned char)d[w - 1]] & P_STOP))
			continue;
		if (c == '.' && w > start &&
		    (punct[(unsigned char)d[w - 1]] & P_WEAK)) {
			d[w - 1] = '.';
			cap = 1;
			continue;
		}
		if (space && w > start && d[w - 1] != '(')
			d[w++] = ' ';
		space = 0;
		if (cap == 2 && c >= 'a' && c <= 'z')  /* the C locale's */
			c = (char)(c - 'a' + 'A');
		if (cap == 1 || !(c == '"' || c == '('))
			cap = 0;
		if (c == '.' || c == '!' || c == '?')
			cap = 1;
		d[w++] = c;
	}
	b->len = w;
	if (b->data != NULL)
		b->data[w] = '\0';
}

int
grammar_render(const struct grammar *g, const char *rule,
	       const cJSON *vars, uint64_t seed, unsigned flags,
	       struct buf *out, struct pf_error *err)
{
	return grammar_render_keys(g, NULL, rule, vars, seed, flags, out,
				   err);
}

int
grammar_render_keys(const struct grammar *g, const struct grammar_keys *keys,
		    const char *rule, const cJSON *vars, uint64_t seed,
		    unsigned flags, struct buf *out, struct pf_error *err)
{
	struct vslot vin[VARS_INLINE];  /* cleared when first needed */
	struct render r = { .g = g, .keys = keys, .vars = vars, .out = out,
			    .err = err, .vin = vin };
	struct node src = { .kind = K_REF };
	struct rnode top = { .kind = K_REF, .src = &src };
	size_t start = out->len;
	int rc, i;

	if ((top.ref = find_rule(g, rule)) < 0)
		return pf_error_set(err, "no grammar rule '%s' in %s", rule,
				    g->files[0]);
	src.line = g->rules[top.ref].line;
	src.col = g->rules[top.ref].col;
	src.file = g->rules[top.ref].file;
	rng_seed(&r.rng, seed);
	rc = expand_rule(&r, &top, 0);
	if (r.vars_memo != r.vin)
		free(r.vars_memo);
	for (i = 0; r.memo != NULL && i < g->nmemo; i++)
		free(r.memo[i]);
	free(r.memo);
	if (rc != 0) {
		out->len = start;
		if (out->data != NULL)
			out->data[start] = '\0';
		return -1;
	}
	if (flags & GRAMMAR_PROSE)
		prose(out, start);
	return 0;
}
