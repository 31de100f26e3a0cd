/* mustache.c - compile-once, render-many Mustache templates (see
 * mustache.h).
 *
 * Compiling turns the text into a flat array of ops. A section op records
 * the index just past its body, so rendering is a loop over the array that
 * recurses only into section bodies and partials. Names are split on '.'
 * at compile time and stored NUL-separated in a pool. Standalone lines are
 * resolved at compile time, and a standalone partial's indentation is
 * applied to the partial's text before it is compiled (the spec's
 * definition), so each (partial, indentation) pair is compiled once and
 * cached in the root template.
 */
#include "templates/mustache.h"

#include <errno.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

enum op_type {
	OP_TEXT,      /* copy src[off, off+len) */
	OP_VAR,       /* {{name}}: escaped per the render mode */
	OP_RAW,       /* {{{name}}} or {{&name}}: never escaped */
	OP_SECTION,   /* {{#name}}: body is ops (this, end) */
	OP_INVERTED,  /* {{^name}} */
	OP_PARTIAL    /* {{>name}}: indentation is src[off, off+len) */
};

struct op {
	enum op_type type;
	unsigned nparts;  /* parts in the dotted name; 0 means "." */
	size_t name;      /* offset of the name in the pool */
	size_t off, len;  /* text or partial indentation, in src */
	size_t end;       /* sections: index of the first op after the body */
	size_t at;        /* variables: offset of the tag in src */
};

struct pentry {
	char *key;           /* name, NUL, indentation */
	size_t klen;         /* bytes in key */
	struct mustache *t;  /* NULL when the loader had no such partial */
};

/* Compiled partials of one root template. Filled while rendering, under
 * mu: renders on several threads share it. */
struct pcache {
	pthread_mutex_t mu;
	mustache_partial_fn fn;  /* loader the entries came from */
	void *ud;
	struct pentry *ents;     /* at most MUSTACHE_MAX_PARTIALS */
	size_t n, cap;
};

struct mustache {
	char *name;            /* for error messages */
	char *src;             /* copy of the template text */
	struct op *ops;        /* nops instructions */
	size_t nops;
	char *pool;            /* names, parts NUL-separated */
	struct pcache *cache;  /* NULL in partials: they use the root's */
};

/* ---- compiling ---------------------------------------------------- */

struct open_section {
	size_t op;           /* index of the section op */
	size_t at;           /* source offset of its tag, for errors */
	size_t cname, clen;  /* its name, in src */
};

struct parser {
	const char *s;
	size_t len, pos;
	char otag[MUSTACHE_MAX_DELIM + 1], ctag[MUSTACHE_MAX_DELIM + 2];
	size_t olen, clen;
	struct buf ops, pool;
	struct open_section open[MUSTACHE_MAX_SECTION_DEPTH];
	int depth;
	const char *name;
	struct pf_error *err;
};

struct tag {
	char kind;            /* # ^ / ! > = { & or 0 for a variable */
	size_t start, end;    /* the whole tag in src */
	size_t cstart, clen;  /* its trimmed content */
};

static int
is_blank(char c)
{
	return c == ' ' || c == '\t';
}

static int
is_space(char c)
{
	return is_blank(c) || c == '\n' || c == '\r';
}

/* Fill p->err for the tag at source offset `at`; returns -1. */
static int
fail(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, size_t at, const char *fmt, ...)
{
	const char *nl;
	size_t line_start = 0;
	va_list ap;
	int line = 1;

	if (p->err == NULL)
		return -1;
	pf_error_clear(p->err);
	snprintf(p->err->file, sizeof(p->err->file), "%s", p->name);
	while ((nl = memchr(p->s + line_start, '\n', at - line_start))) {
		line++;
		line_start = (size_t)(nl - p->s) + 1;
	}
	p->err->line = line;
	p->err->col = (int)(at - line_start) + 1;
	va_start(ap, fmt);
	vsnprintf(p->err->msg, sizeof(p->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int
oom(struct parser *p, size_t at)
{
	return fail(p, at, "template too large or out of memory");
}

static struct op *
op_at(struct parser *p, size_t i)
{
	return (struct op *)p->ops.data + i;
}

static size_t
op_count(const struct parser *p)
{
	return p->ops.len / sizeof(struct op);
}

static int
emit(struct parser *p, const struct op *o)
{
	return buf_append(&p->ops, o, sizeof(*o)) ? oom(p, p->pos) : 0;
}

static int
emit_text(struct parser *p, size_t off, size_t len)
{
	struct op o = { .type = OP_TEXT, .off = off, .len = len };

	return len == 0 ? 0 : emit(p, &o);
}

/* Store the tag's name in the pool, split on '.' unless `whole`. */
static int
add_name(struct parser *p, const struct tag *t, int whole, struct op *o)
{
	const char *c = p->s + t->cstart;
	size_t i;

	o->name = p->pool.len;
	o->nparts = 1;
	if (!whole && t->clen == 1 && c[0] == '.') {
		o->nparts = 0;
		return buf_putc(&p->pool, '\0') ? oom(p, t->start) : 0;
	}
	for (i = 0; i < t->clen; i++) {
		int split = !whole && c[i] == '.';

		if (split)
			o->nparts++;
		if (buf_putc(&p->pool, split ? '\0' : c[i]) != 0)
			return oom(p, t->start);
	}
	return buf_putc(&p->pool, '\0') ? oom(p, t->start) : 0;
}

static size_t
find(const struct parser *p, size_t from, const char *needle, size_t n)
{
	const char *hit;

	if (from > p->len)
		return SIZE_MAX;
	hit = memmem(p->s + from, p->len - from, needle, n);
	return hit ? (size_t)(hit - p->s) : SIZE_MAX;
}

/* Parse the tag whose opening delimiter starts at `start`. */
static int
scan_tag(struct parser *p, size_t start, struct tag *t)
{
	char close[MUSTACHE_MAX_DELIM + 2];
	size_t from = start + p->olen, cl = p->clen, at;
	char k = from < p->len ? p->s[from] : '\0';

	t->start = start;
	t->kind = strchr("#^/!>={&", k) && k != '\0' ? k : '\0';
	if (t->kind != '\0')
		from++;
	memcpy(close + 1, p->ctag, p->clen);
	close[0] = t->kind == '{' ? '}' : '=';
	if (t->kind == '{' || t->kind == '=')
		cl++;
	at = find(p, from, t->kind == '{' || t->kind == '=' ? close
		  : close + 1, cl);
	if (at == SIZE_MAX)
		return fail(p, start, "unclosed tag");
	t->end = at + cl;
	while (from < at && is_space(p->s[from]))
		from++;
	while (at > from && is_space(p->s[at - 1]))
		at--;
	t->cstart = from;
	t->clen = at - from;
	if (t->clen == 0 && t->kind != '!' && t->kind != '=')
		return fail(p, start, "empty tag");
	return 0;
}

/* If the tag stands alone on its line, set *ls to the line start and *next
 * to the offset after the line's end, and return 1. */
static int
standalone(const struct parser *p, const struct tag *t, size_t *ls,
	   size_t *next)
{
	size_t b = t->start, e = t->end;

	if (t->kind == '\0' || t->kind == '{' || t->kind == '&')
		return 0;
	while (b > 0 && is_blank(p->s[b - 1]))
		b--;
	if (b > 0 && p->s[b - 1] != '\n')
		return 0;
	while (e < p->len && is_blank(p->s[e]))
		e++;
	if (e < p->len && p->s[e] == '\r' && e + 1 < p->len &&
	    p->s[e + 1] == '\n')
		e++;
	if (e < p->len && p->s[e] != '\n')
		return 0;
	*ls = b;
	*next = e < p->len ? e + 1 : e;
	return 1;
}

/* {{=<% %>=}}: the content is "<% %>" (the kind '=' and the closing '='
 * already stripped); it must be two blank-separated delimiters. */
static int
set_delims(struct parser *p, const struct tag *t)
{
	const char *c = p->s + t->cstart;
	size_t n = t->clen, a = 0, b, e;

	while (a < n && !is_space(c[a]) && c[a] != '=')
		a++;
	for (b = a; b < n && is_space(c[b]); b++)
		;
	for (e = b; e < n && !is_space(c[e]) && c[e] != '='; e++)
		;
	if (a == 0 || b == a || e == b || e != n ||
	    a > MUSTACHE_MAX_DELIM || e - b > MUSTACHE_MAX_DELIM)
		return fail(p, t->start, "invalid set-delimiter tag");
	memcpy(p->otag, c, a);
	p->olen = a;
	memcpy(p->ctag, c + b, e - b);
	p->clen = e - b;
	return 0;
}

static int
open_section(struct parser *p, const struct tag *t)
{
	struct op o = { .type = t->kind == '#' ? OP_SECTION : OP_INVERTED };
	struct open_section *s;

	if (p->depth >= MUSTACHE_MAX_SECTION_DEPTH)
		return fail(p, t->start, "sections nested deeper than %d",
			    MUSTACHE_MAX_SECTION_DEPTH);
	s = &p->open[p->depth++];
	s->op = op_count(p);
	s->at = t->start;
	s->cname = t->cstart;
	s->clen = t->clen;
	if (add_name(p, t, 0, &o) != 0)
		return -1;
	return emit(p, &o);
}

static int
close_section(struct parser *p, const struct tag *t)
{
	const struct open_section *s;
	int n = (int)(t->clen > 64 ? 64 : t->clen);

	if (p->depth == 0)
		return fail(p, t->start, "unexpected closing tag '%.*s'", n,
			    p->s + t->cstart);
	s = &p->open[p->depth - 1];
	if (s->clen != t->clen ||
	    memcmp(p->s + s->cname, p->s + t->cstart, t->clen) != 0)
		return fail(p, t->start, "unexpected closing tag '%.*s' "
			    "(open section is '%.*s')", n, p->s + t->cstart,
			    (int)(s->clen > 64 ? 64 : s->clen),
			    p->s + s->cname);
	op_at(p, s->op)->end = op_count(p);
	p->depth--;
	return 0;
}

/* Emit the ops for one tag; `ind` and `ilen` are a standalone partial's
 * indentation. */
static int
add_tag(struct parser *p, const struct tag *t, size_t ind, size_t ilen)
{
	struct op o = { .type = OP_VAR, .at = t->start };

	switch (t->kind) {
	case '!':
		return 0;
	case '=':
		return set_delims(p, t);
	case '#':
	case '^':
		return open_section(p, t);
	case '/':
		return close_section(p, t);
	case '>':
		o.type = OP_PARTIAL;
		o.off = ind;
		o.len = ilen;
		return add_name(p, t, 1, &o) ? -1 : emit(p, &o);
	case '{':
	case '&':
		o.type = OP_RAW;
		break;
	}
	return add_name(p, t, 0, &o) ? -1 : emit(p, &o);
}

/* Handle the tag at `start`: text before it, the tag, standalone lines. */
static int
step(struct parser *p, size_t start)
{
	struct tag t;
	size_t ls, next;

	if (scan_tag(p, start, &t) != 0)
		return -1;
	if (standalone(p, &t, &ls, &next)) {
		if (emit_text(p, p->pos, ls - p->pos) != 0)
			return -1;
		p->pos = next;
		return add_tag(p, &t, ls, t.kind == '>' ? start - ls : 0);
	}
	if (emit_text(p, p->pos, start - p->pos) != 0)
		return -1;
	p->pos = t.end;
	return add_tag(p, &t, 0, 0);
}

static int
parse(struct parser *p)
{
	size_t at;

	while ((at = find(p, p->pos, p->otag, p->olen)) != SIZE_MAX)
		if (step(p, at) != 0)
			return -1;
	if (emit_text(p, p->pos, p->len - p->pos) != 0)
		return -1;
	if (p->depth > 0) {
		const struct open_section *s = &p->open[p->depth - 1];

		return fail(p, s->at, "unclosed section '%.*s'",
			    (int)(s->clen > 64 ? 64 : s->clen),
			    p->s + s->cname);
	}
	return 0;
}

/* Move the parsed ops into a new template; only a root template (not a
 * cached partial) gets a partial cache. NULL when memory ran out. */
static struct mustache *
build(struct parser *p, int root)
{
	struct mustache *t = calloc(1, sizeof(*t));

	if (t == NULL)
		return NULL;
	t->nops = op_count(p);
	t->name = strdup(p->name);
	t->src = malloc(p->len + 1);
	t->ops = (struct op *)buf_detach(&p->ops);
	t->pool = buf_detach(&p->pool);
	t->cache = root ? calloc(1, sizeof(*t->cache)) : NULL;
	if (t->cache != NULL && pthread_mutex_init(&t->cache->mu, NULL) != 0) {
		free(t->cache);
		t->cache = NULL;
	}
	if (t->name == NULL || t->src == NULL || t->ops == NULL ||
	    t->pool == NULL || (root && t->cache == NULL)) {
		mustache_free(t);
		return NULL;
	}
	memcpy(t->src, p->s, p->len);
	t->src[p->len] = '\0';
	return t;
}

static int
compile(const char *text, size_t len, const char *name, int root,
	struct mustache **out, struct pf_error *err)
{
	struct parser p;
	int rc = -1;

	*out = NULL;
	memset(&p, 0, sizeof(p));
	p.s = text;
	p.len = len;
	p.name = name ? name : "";
	p.err = err;
	memcpy(p.otag, "{{", 2);
	memcpy(p.ctag, "}}", 2);
	p.olen = p.clen = 2;
	buf_init(&p.ops, BUF_MAX_DEFAULT);
	buf_init(&p.pool, BUF_MAX_DEFAULT);
	if (parse(&p) != 0)
		goto done;
	*out = build(&p, root);
	if (*out == NULL) {
		oom(&p, 0);
		goto done;
	}
	rc = 0;
done:
	buf_free(&p.ops);
	buf_free(&p.pool);
	return rc;
}

int
mustache_compile(const char *text, size_t len, const char *name,
		 struct mustache **out, struct pf_error *err)
{
	return compile(text, len, name, 1, out, err);
}

static void
cache_clear(struct pcache *c)
{
	size_t i;

	for (i = 0; i < c->n; i++) {
		free(c->ents[i].key);
		mustache_free(c->ents[i].t);
	}
	free(c->ents);
	c->ents = NULL;
	c->n = c->cap = 0;
}

void
mustache_free(struct mustache *t)
{
	if (t == NULL)
		return;
	if (t->cache != NULL) {
		cache_clear(t->cache);
		pthread_mutex_destroy(&t->cache->mu);
		free(t->cache);
	}
	free(t->name);
	free(t->src);
	free(t->ops);
	free(t->pool);
	free(t);
}

/* ---- rendering ---------------------------------------------------- */

struct frame {
	const cJSON *v;
	const struct frame *up;
};

struct render {
	enum mustache_escape esc;
	struct pcache *cache;
	struct buf *out;
	struct pf_error *err;
	const char *name;  /* root template, for errors */
	int depth;         /* partials being rendered */
	mustache_missing_fn missing;  /* NULL: missing variables are blank */
	void *mud;
};

static int
rfail(struct render *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

static int
rfail(struct render *r, const char *fmt, ...)
{
	va_list ap;

	if (r->err == NULL)
		return -1;
	pf_error_clear(r->err);
	snprintf(r->err->file, sizeof(r->err->file), "%s", r->name);
	va_start(ap, fmt);
	vsnprintf(r->err->msg, sizeof(r->err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

static int
full(struct render *r)
{
	return rfail(r, "rendered output exceeds the limit of %zu bytes",
		     r->out->max);
}

static int
html_special(char c)
{
	return c == '&' || c == '<' || c == '>' || c == '"';
}

static int
put_html(struct buf *b, const char *s, size_t n)
{
	size_t i = 0, run;
	const char *ent;

	while (i < n) {
		for (run = i; run < n && !html_special(s[run]); run++)
			;
		if (run > i && buf_append(b, s + i, run - i) != 0)
			return -1;
		if (run == n)
			break;
		switch (s[run]) {
		case '&': ent = "&amp;"; break;
		case '<': ent = "&lt;"; break;
		case '>': ent = "&gt;"; break;
		default: ent = "&quot;"; break;
		}
		if (buf_puts(b, ent) != 0)
			return -1;
		i = run + 1;
	}
	return 0;
}

/* JSON string contents (json_escape); on failure b is as it was. */
static int
put_json(struct buf *b, const char *s, size_t n)
{
	size_t start = b->len;

	if (json_escape(b, s, n) == 0)
		return 0;
	b->len = start;
	if (b->data != NULL)
		b->data[start] = '\0';
	return -1;
}

static int
put(struct render *r, const char *s, size_t n, int raw)
{
	int rc;

	if (raw || r->esc == MUSTACHE_ESCAPE_NONE)
		rc = buf_append(r->out, s, n);
	else if (r->esc == MUSTACHE_ESCAPE_JSON)
		rc = put_json(r->out, s, n);
	else
		rc = put_html(r->out, s, n);
	return rc != 0 ? full(r) : 0;
}

/* Shortest %g form of `d` that reads back as the same double. */
static void
format_number(double d, char *out, size_t n)
{
	long long i;
	char tmp[24], *t = tmp + sizeof(tmp);
	int prec, neg;

	/* Integers (ages, scores, counts) are the common case on the hot
	 * path: print them without the printf machinery. */
	if (d > -1e15 && d < 1e15 && d == (double)(i = (long long)d) &&
	    !(d == 0 && signbit(d)) && n >= sizeof(tmp)) {
		neg = i < 0;
		if (neg)
			i = -i;
		*--t = '\0';
		do {
			*--t = (char)('0' + i % 10);
			i /= 10;
		} while (i > 0);
		if (neg)
			*--t = '-';
		memcpy(out, t, (size_t)(tmp + sizeof(tmp) - t));
		return;
	}
	for (prec = 15; prec < 17; prec++) {
		snprintf(out, n, "%.*g", prec, d);
		if (strtod(out, NULL) == d)
			return;
	}
	snprintf(out, n, "%.17g", d);
}

static int
put_value(struct render *r, const cJSON *v, int raw)
{
	char num[40], *json;
	int rc;

	if (v == NULL || cJSON_IsNull(v))
		return 0;
	if (cJSON_IsString(v))
		return put(r, v->valuestring, strlen(v->valuestring), raw);
	if (cJSON_IsNumber(v)) {
		format_number(v->valuedouble, num, sizeof(num));
		return put(r, num, strlen(num), raw);
	}
	if (cJSON_IsBool(v))
		return put(r, cJSON_IsTrue(v) ? "true" : "false",
			   cJSON_IsTrue(v) ? 4 : 5, raw);
	json = json_print(v);
	if (json == NULL)
		return rfail(r, "out of memory");
	rc = put(r, json, strlen(json), raw);
	free(json);
	return rc;
}

/* json_get(obj, key): the first child of obj named key, up to the
 * first child without a name, or NULL (also when obj is no object).
 * The prompts' names walk the persona's objects, of some hundred keys,
 * at every render: most keys differ from the one sought in their first
 * byte, so that byte is tested before a call to strcmp. */
static const cJSON *
member(const cJSON *obj, const char *key)
{
	const cJSON *c;

	if (!cJSON_IsObject(obj))
		return NULL;
	for (c = obj->child; c != NULL && c->string != NULL; c = c->next)
		if (c->string[0] == key[0] && strcmp(c->string, key) == 0)
			return c;
	return NULL;
}

/* Resolve the op's name against the context stack. */
static const cJSON *
lookup(const struct mustache *t, const struct op *o, const struct frame *f)
{
	const char *part = t->pool + o->name;
	const cJSON *v = NULL;
	unsigned i;

	if (o->nparts == 0)
		return f->v;
	for (; f != NULL && v == NULL; f = f->up)
		v = member(f->v, part);
	for (i = 1; i < o->nparts && v != NULL; i++) {
		part += strlen(part) + 1;
		v = member(v, part);
	}
	return v;
}

/* Tell r->missing about the variable op o of t, which resolved to
 * nothing. */
static void
report_missing(const struct render *r, const struct mustache *t,
	       const struct op *o)
{
	const char *part = t->pool + o->name;
	char name[256];
	size_t i, len = 0;
	int line = 1, col = 1;
	unsigned k;

	for (i = 0; i < o->at; i++) {
		col = t->src[i] == '\n' ? 1 : col + 1;
		line += t->src[i] == '\n';
	}
	name[0] = '\0';
	for (k = 0; k < o->nparts && len < sizeof(name); k++) {
		len += (size_t)snprintf(name + len, sizeof(name) - len, "%s%s",
					k ? "." : "", part);
		part += strlen(part) + 1;
	}
	r->missing(r->mud, t->name, line, col, name);
}

static int
truthy(const cJSON *v)
{
	if (v == NULL || cJSON_IsNull(v) || cJSON_IsFalse(v))
		return 0;
	return !cJSON_IsArray(v) || v->child != NULL;
}

static int render_ops(struct render *r, const struct mustache *t,
		      size_t from, size_t to, const struct frame *f);
static int render_partial(struct render *r, const struct mustache *t,
			  const struct op *o, const struct frame *f);

static int
render_section(struct render *r, const struct mustache *t, size_t i,
	       const struct frame *f)
{
	const struct op *o = &t->ops[i];
	const cJSON *v = lookup(t, o, f), *it;
	struct frame sub = { v, f };

	if (o->type == OP_INVERTED)
		return truthy(v) ? 0 : render_ops(r, t, i + 1, o->end, f);
	if (!truthy(v))
		return 0;
	if (!cJSON_IsArray(v))
		return render_ops(r, t, i + 1, o->end, &sub);
	for (it = v->child; it != NULL; it = it->next) {
		sub.v = it;
		if (render_ops(r, t, i + 1, o->end, &sub) != 0)
			return -1;
	}
	return 0;
}

static int
render_ops(struct render *r, const struct mustache *t, size_t from,
	   size_t to, const struct frame *f)
{
	const struct op *o;
	const cJSON *v;
	size_t i = from;
	int rc = 0;

	while (i < to && rc == 0) {
		o = &t->ops[i];
		switch (o->type) {
		case OP_TEXT:
			rc = buf_append(r->out, t->src + o->off, o->len)
				? full(r) : 0;
			break;
		case OP_VAR:
		case OP_RAW:
			v = lookup(t, o, f);
			if (v == NULL && r->missing != NULL && o->nparts > 0)
				report_missing(r, t, o);
			rc = put_value(r, v, o->type == OP_RAW);
			break;
		case OP_SECTION:
		case OP_INVERTED:
			rc = render_section(r, t, i, f);
			i = o->end;
			continue;
		case OP_PARTIAL:
			rc = render_partial(r, t, o, f);
			break;
		}
		i++;
	}
	return rc;
}

/* ---- partials ----------------------------------------------------- */

/* Prefix `ind` to every line of text (not after a final newline). */
static int
indent(const char *text, size_t len, const char *ind, size_t ilen,
       struct buf *b)
{
	size_t i, line = 0;

	for (i = 0; i <= len; i++) {
		if (i < len && text[i] != '\n')
			continue;
		if (line < len && (buf_append(b, ind, ilen) != 0 ||
		    buf_append(b, text + line, i + (i < len) - line) != 0))
			return -1;
		line = i + 1;
	}
	return 0;
}

/* Compile a loaded partial, indented by `ind`. Errors name `label` and
 * point into the partial's own text. */
static int
compile_partial(const char *text, size_t len, const char *ind, size_t ilen,
		const char *label, struct mustache **out,
		struct pf_error *err)
{
	struct buf b;
	int rc;

	if (ilen == 0)
		return compile(text, len, label, 0, out, err);
	buf_init(&b, BUF_MAX_DEFAULT);
	rc = indent(text, len, ind, ilen, &b);
	if (rc != 0)
		pf_error_set(err, "partial '%s' too large", label);
	else
		rc = compile(b.data ? b.data : "", b.len, label, 0, out, err);
	buf_free(&b);
	/* Report positions in the file, not in the indented copy. */
	if (rc != 0 && compile(text, len, label, 0, out, err) == 0) {
		mustache_free(*out);
		*out = NULL;
	}
	return rc;
}

static int
cache_add(struct render *r, const char *key, size_t klen,
	  struct mustache *t)
{
	struct pcache *c = r->cache;
	struct pentry *e;
	size_t cap;

	if (c->n == c->cap) {
		cap = c->cap ? c->cap * 2 : 8;
		if (c->n >= MUSTACHE_MAX_PARTIALS)
			return rfail(r, "more than %d distinct partials",
				     MUSTACHE_MAX_PARTIALS);
		e = realloc(c->ents, cap * sizeof(*e));
		if (e == NULL)
			return rfail(r, "out of memory");
		c->ents = e;
		c->cap = cap;
	}
	e = &c->ents[c->n];
	e->key = malloc(klen);
	if (e->key == NULL)
		return rfail(r, "out of memory");
	memcpy(e->key, key, klen);
	e->klen = klen;
	e->t = t;
	c->n++;
	return 0;
}

/* Load and compile partial `name` with indentation `ind`; *out is NULL
 * when the loader has no such partial. */
static int
load_partial(struct render *r, const char *name, const char *ind,
	     size_t ilen, struct mustache **out)
{
	char label[512], *text = NULL;
	size_t len = 0;
	int rc;

	*out = NULL;
	errno = 0;
	rc = r->cache->fn(r->cache->ud, name, &text, &len);
	if (rc == 1)
		return 0;
	if (rc != 0)
		return rfail(r, "cannot load partial '%s'%s%s", name,
			     errno ? ": " : "", errno ? strerror(errno) : "");
	if (r->cache->fn == mustache_partials_from_dir)
		snprintf(label, sizeof(label), "%s/%s.mustache",
			 (const char *)r->cache->ud, name);
	else
		snprintf(label, sizeof(label), "partial '%s'", name);
	rc = compile_partial(text, len, ind, ilen, label, out, r->err);
	free(text);
	return rc;
}

/* The compiled partial for (name, indentation), loading it on first use
 * (r->cache->mu held). */
static int
find_partial(struct render *r, const struct mustache *t, const struct op *o,
	     const struct mustache **out)
{
	const char *name = t->pool + o->name;
	size_t nlen = strlen(name), klen = nlen + 1 + o->len, i;
	struct mustache *pt;
	struct pentry *e;
	char key[1024];

	if (klen > sizeof(key))
		return rfail(r, "partial name or indentation too long");
	memcpy(key, name, nlen + 1);
	memcpy(key + nlen + 1, t->src + o->off, o->len);
	for (i = 0; i < r->cache->n; i++) {
		e = &r->cache->ents[i];
		if (e->klen == klen && memcmp(e->key, key, klen) == 0) {
			*out = e->t;
			return 0;
		}
	}
	if (load_partial(r, name, t->src + o->off, o->len, &pt) != 0)
		return -1;
	if (cache_add(r, key, klen, pt) != 0) {
		mustache_free(pt);
		return -1;
	}
	*out = pt;
	return 0;
}

/* find_partial under the cache's lock: the entries it finds stay put
 * (only the array of them may move) until the template is freed. */
static int
get_partial(struct render *r, const struct mustache *t, const struct op *o,
	    const struct mustache **out)
{
	int rc;

	pthread_mutex_lock(&r->cache->mu);
	rc = find_partial(r, t, o, out);
	pthread_mutex_unlock(&r->cache->mu);
	return rc;
}

static int
render_partial(struct render *r, const struct mustache *t,
	       const struct op *o, const struct frame *f)
{
	const struct mustache *pt;
	int rc;

	if (r->cache->fn == NULL)
		return 0;
	if (r->depth >= MUSTACHE_MAX_PARTIAL_DEPTH)
		return rfail(r, "partials nested deeper than %d (at '%s')",
			     MUSTACHE_MAX_PARTIAL_DEPTH, t->pool + o->name);
	if (get_partial(r, t, o, &pt) != 0)
		return -1;
	if (pt == NULL)
		return 0;
	r->depth++;
	rc = render_ops(r, pt, 0, pt->nops, f);
	r->depth--;
	return rc;
}

int
mustache_render(const struct mustache *t, const cJSON *data,
		enum mustache_escape esc, mustache_partial_fn partials,
		void *ud, struct buf *out, struct pf_error *err)
{
	return mustache_render_checked(t, data, esc, partials, ud, NULL, NULL,
				       out, err);
}

int
mustache_render_checked(const struct mustache *t, const cJSON *data,
			enum mustache_escape esc, mustache_partial_fn partials,
			void *ud, mustache_missing_fn missing, void *mud,
			struct buf *out, struct pf_error *err)
{
	struct render r = { esc, t->cache, out, err, t->name, 0, missing,
			    mud };
	struct frame root = { data, NULL };
	size_t start = out->len;

	if (r.cache == NULL)
		return rfail(&r, "not a root template");
	pthread_mutex_lock(&r.cache->mu);
	if (r.cache->fn != partials || r.cache->ud != ud) {
		cache_clear(r.cache);
		r.cache->fn = partials;
		r.cache->ud = ud;
	}
	pthread_mutex_unlock(&r.cache->mu);
	if (render_ops(&r, t, 0, t->nops, &root) == 0)
		return 0;
	out->len = start;
	if (out->data != NULL)
		out->data[start] = '\0';
	return -1;
}

/* A partial name must stay inside the directory. */
static int
safe_name(const char *name)
{
	const char *p = name;

	if (*name == '\0' || *name == '/')
		return 0;
	while (p != NULL) {
		if (p[0] == '.' && p[1] == '.' && (p[2] == '/' || !p[2]))
			return 0;
		p = strchr(p, '/');
		if (p != NULL)
			p++;
	}
	return 1;
}

int
mustache_partials_from_dir(void *ud, const char *name, char **text,
			   size_t *len)
{
	const char *dir = ud;
	char path[4096];
	int n;

	*text = NULL;
	*len = 0;
	if (!safe_name(name)) {
		errno = EINVAL;
		return -1;
	}
	n = snprintf(path, sizeof(path), "%s/%s.mustache", dir, name);
	if (n < 0 || (size_t)n >= sizeof(path)) {
		errno = ENAMETOOLONG;
		return -1;
	}
	if (file_read_all(path, BUF_MAX_DEFAULT, text, len) == 0)
		return 0;
	return errno == ENOENT || errno == ENOTDIR ? 1 : -1;
}
