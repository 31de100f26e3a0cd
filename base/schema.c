/* schema.c - JSON Schema (subset) compiler and validator (see schema.h).
 *
 * A schema compiles to a graph of struct node, one per schema object, each
 * holding its constraints in ready-to-test form: a type bit mask, numeric
 * limits, copied property names with their child nodes, required names,
 * enum scalars. $ref edges point straight at the target node, so
 * recursive schemas are cyclic graphs; a cycle that consumes no input
 * ($ref, anyOf and oneOf edges only) is rejected at compile time, which
 * bounds validation by the depth of the instance.
 *
 * Validation walks the instance and the graph together without
 * allocating. The JSON path of the current value is kept as a stack of
 * borrowed key pointers and indices (struct trail) and only printed when
 * a check fails. Compilation reuses the same trail for schema paths.
 */
#include "base/schema.h"

#include <math.h>
#include <regex.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/json.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

/* Instance kinds and type-keyword bits. An integral number is both T_NUM
 * and T_INT; "number" in a schema sets both bits, "integer" only T_INT. */
enum {
	T_NULL = 1 << 0,
	T_BOOL = 1 << 1,
	T_INT = 1 << 2,
	T_NUM = 1 << 3,
	T_STR = 1 << 4,
	T_ARR = 1 << 5,
	T_OBJ = 1 << 6,
};

/* Node flags. */
enum {
	F_MIN = 1 << 0,      /* minimum is set */
	F_MAX = 1 << 1,      /* maximum is set */
	F_CLOSED = 1 << 2,   /* additionalProperties: false */
	F_CONST = 1 << 3,    /* konst is set */
	F_ENUM = 1 << 4,     /* enums is set (possibly after a failed copy) */
	F_FALSE = 1 << 5,    /* the boolean schema false: nothing is valid */
	F_PATTERN = 1 << 6,  /* pattern is compiled into re */
};

/* One enum/const value. */
struct scalar {
	int type;            /* T_NULL, T_BOOL, T_NUM or T_STR */
	double num;          /* T_NUM value; T_BOOL 0 or 1 */
	char *str;           /* T_STR value, owned */
};

struct node;

/* A list of child nodes (anyOf, oneOf); the nodes belong to the schema. */
struct nodes {
	struct node **v;
	size_t n;
};

struct prop {
	char *name;          /* owned copy of the property name */
	struct node *node;   /* its schema */
};

struct node {
	size_t id;           /* index in schema->nodes */
	unsigned types;      /* T_* mask; 0 accepts every type */
	unsigned flags;      /* F_* */
	double minimum, maximum;
	size_t min_len, max_len;      /* code points; max_len SIZE_MAX = none */
	size_t min_items, max_items;  /* max_items SIZE_MAX = none */
	struct prop *props;
	size_t nprops;
	char **required;     /* owned names */
	size_t nrequired;
	struct node *items;  /* schema of every array element, or NULL */
	struct nodes any, one;
	struct scalar *enums;
	size_t nenums;
	struct scalar konst;
	regex_t re;          /* pattern, when F_PATTERN */
	struct node *ref;    /* $ref target, or NULL */
	char *ref_where;     /* schema path of the $ref, for cycle errors */
};

struct schema {
	struct node **nodes; /* every node, owned; nodes[0] is the root */
	size_t nnodes, cap;
};

/* A JSON path as a stack of segments. Keys are borrowed from the tree
 * being walked; only the first SCHEMA_MAX_DEPTH + 1 segments are stored,
 * `n` counts them all so depth checks see the truth. */
struct seg {
	const char *key;     /* object member name, or NULL for an index */
	size_t idx;          /* array index when key is NULL */
};

struct trail {
	struct seg seg[SCHEMA_MAX_DEPTH + 2];
	int n;
};

/* A root-level $defs/definitions entry, known before compiling so that
 * $ref can point at it from anywhere, including from earlier entries. */
struct def {
	const cJSON *json;   /* the member in the schema being compiled */
	const char *kind;    /* "$defs" or "definitions" */
	struct node *node;
};

/* Compiler state. */
struct cc {
	struct schema *s;
	struct pf_error *err;
	struct def *defs;
	size_t ndefs;
	struct trail t;
};

/* Validator state; err is NULL while alternatives are being tried. */
struct vc {
	struct pf_error *err;
	struct trail t;
};

/* ---- paths and errors ------------------------------------------------ */

static void
push_key(struct trail *t, const char *key)
{
	if (t->n < (int)NELEM(t->seg))
		t->seg[t->n] = (struct seg){ .key = key };
	t->n++;
}

static void
push_idx(struct trail *t, size_t idx)
{
	if (t->n < (int)NELEM(t->seg))
		t->seg[t->n] = (struct seg){ .idx = idx };
	t->n++;
}

/* True if `k` can be printed as ".k" rather than ["k"]. */
static int
plain_key(const char *k)
{
	if (*k == '\0')
		return 0;
	for (; *k != '\0'; k++) {
		if (!(*k >= 'a' && *k <= 'z') && !(*k >= 'A' && *k <= 'Z') &&
		    !(*k >= '0' && *k <= '9') && *k != '_' && *k != '$' &&
		    *k != '-')
			return 0;
	}
	return 1;
}

/* Append up to `n` bytes of `s` to the NUL-terminated `out`, truncating
 * at `size`. */
static void
put(char *out, size_t size, size_t *used, const char *s, size_t n)
{
	if (*used + n >= size)
		n = size - 1 - *used;
	memcpy(out + *used, s, n);
	*used += n;
	out[*used] = '\0';
}

/* Append the key as ["..."], escaping quotes, backslashes and controls. */
static void
put_quoted(char *out, size_t size, size_t *used, const char *k)
{
	char esc[8];

	put(out, size, used, "[\"", 2);
	for (; *k != '\0'; k++) {
		if (*k == '"' || *k == '\\') {
			esc[0] = '\\';
			esc[1] = *k;
			put(out, size, used, esc, 2);
		} else if ((unsigned char)*k < 0x20) {
			snprintf(esc, sizeof(esc), "\\u%04x", (unsigned)*k);
			put(out, size, used, esc, 6);
		} else {
			put(out, size, used, k, 1);
		}
	}
	put(out, size, used, "\"]", 2);
}

/* Print the path as "$.a.b[2]" into out (truncated to fit). Allocates
 * nothing, so a failing validation stays allocation-free too. */
static void
trail_format(const struct trail *t, char *out, size_t size)
{
	char num[32];
	size_t used = 0;
	int i, n = t->n;

	if (n > (int)NELEM(t->seg))
		n = (int)NELEM(t->seg);
	out[0] = '\0';
	put(out, size, &used, "$", 1);
	for (i = 0; i < n; i++) {
		const struct seg *g = &t->seg[i];

		if (g->key == NULL) {
			snprintf(num, sizeof(num), "[%zu]", g->idx);
			put(out, size, &used, num, strlen(num));
		} else if (plain_key(g->key)) {
			put(out, size, &used, ".", 1);
			put(out, size, &used, g->key, strlen(g->key));
		} else {
			put_quoted(out, size, &used, g->key);
		}
	}
}

/* Report a failure at the current path. Returns -1; does nothing but
 * return when err is NULL (quiet mode). */
static int
fail(const struct trail *t, struct pf_error *err, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(const struct trail *t, struct pf_error *err, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return -1;
	trail_format(t, err->where, sizeof(err->where));
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
	return -1;
}

/* ---- freeing --------------------------------------------------------- */

static void
node_free(struct node *n)
{
	size_t i;

	if (n == NULL)
		return;
	for (i = 0; i < n->nprops; i++)
		free(n->props[i].name);
	for (i = 0; i < n->nrequired; i++)
		free(n->required[i]);
	for (i = 0; i < n->nenums; i++)
		free(n->enums[i].str);
	free(n->props);
	free(n->required);
	free(n->enums);
	free(n->any.v);
	free(n->one.v);
	free(n->konst.str);
	free(n->ref_where);
	if (n->flags & F_PATTERN)
		regfree(&n->re);
	free(n);
}

void
schema_free(struct schema *s)
{
	size_t i;

	if (s == NULL)
		return;
	for (i = 0; i < s->nnodes; i++)
		node_free(s->nodes[i]);
	free(s->nodes);
	free(s);
}

/* ---- compiling: helpers ---------------------------------------------- */

static int
no_memory(struct cc *c)
{
	return fail(&c->t, c->err, "out of memory");
}

/* Allocate an empty node owned by the schema; NULL if memory ran out. */
static struct node *
node_new(struct cc *c)
{
	struct schema *s = c->s;
	struct node **v, *n;

	if (s->nnodes == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;

		v = realloc(s->nodes, cap * sizeof(*v));
		if (v == NULL)
			return NULL;
		s->nodes = v;
		s->cap = cap;
	}
	n = calloc(1, sizeof(*n));
	if (n == NULL)
		return NULL;
	n->id = s->nnodes;
	n->max_len = SIZE_MAX;
	n->max_items = SIZE_MAX;
	s->nodes[s->nnodes++] = n;
	return n;
}

/* Allocate a zeroed array of `n` elements of `size` (at least one, so
 * that an empty list is not mistaken for a failure). */
static void *
array_new(struct cc *c, size_t n, size_t size)
{
	void *p = calloc(n ? n : 1, size);

	if (p == NULL)
		no_memory(c);
	return p;
}

static char *
copy_str(struct cc *c, const char *s)
{
	char *d = strdup(s);

	if (d == NULL)
		no_memory(c);
	return d;
}

static int compile_node(struct cc *c, const cJSON *j, struct node *n);

/* Compile the subschema `j` into a new node stored in *out; the caller
 * has pushed j's path. */
static int
compile_new(struct cc *c, const cJSON *j, struct node **out)
{
	*out = node_new(c);
	if (*out == NULL)
		return no_memory(c);
	return compile_node(c, j, *out);
}

/* Compile the non-empty array of schemas `v` (anyOf, oneOf) into *l. */
static int
compile_list(struct cc *c, const cJSON *v, struct nodes *l)
{
	const cJSON *m;
	int rc = 0;

	if (!cJSON_IsArray(v) || v->child == NULL)
		return fail(&c->t, c->err, "%s must be a non-empty array of "
			    "schemas", v->string);
	l->v = array_new(c, (size_t)cJSON_GetArraySize(v), sizeof(*l->v));
	if (l->v == NULL)
		return -1;
	for (m = v->child; m != NULL && rc == 0; m = m->next) {
		push_idx(&c->t, l->n);
		rc = compile_new(c, m, &l->v[l->n++]);
		c->t.n--;
	}
	return rc;
}

/* Read the non-negative integer keyword value `v` into *out. */
static int
get_count(struct cc *c, const cJSON *v, size_t *out)
{
	if (!cJSON_IsNumber(v) || v->valuedouble < 0 ||
	    v->valuedouble != floor(v->valuedouble) ||
	    v->valuedouble > 9007199254740992.0)
		return fail(&c->t, c->err, "%s must be a non-negative integer",
			    v->string);
	*out = (size_t)v->valuedouble;
	return 0;
}

/* Copy the scalar `v` (enum entry or const) into *out. */
static int
get_scalar(struct cc *c, const cJSON *v, const char *kw,
	   struct scalar *out)
{
	if (cJSON_IsNull(v)) {
		out->type = T_NULL;
	} else if (cJSON_IsBool(v)) {
		out->type = T_BOOL;
		out->num = cJSON_IsTrue(v);
	} else if (cJSON_IsNumber(v)) {
		out->type = T_NUM;
		out->num = v->valuedouble;
	} else if (cJSON_IsString(v)) {
		out->type = T_STR;
		out->str = copy_str(c, v->valuestring);
		if (out->str == NULL)
			return -1;
	} else {
		return fail(&c->t, c->err, "%s values must be strings, "
			    "numbers, booleans or null", kw);
	}
	return 0;
}

/* ---- compiling: keywords --------------------------------------------- */

static const struct {
	const char *name;
	unsigned bits;
} type_names[] = {
	{ "null", T_NULL },
	{ "boolean", T_BOOL },
	{ "integer", T_INT },
	{ "number", T_NUM | T_INT },
	{ "string", T_STR },
	{ "array", T_ARR },
	{ "object", T_OBJ },
};

/* Bits of one type name, or 0 if it is not a type. */
static unsigned
type_bits(const cJSON *v)
{
	size_t i;

	if (!cJSON_IsString(v))
		return 0;
	for (i = 0; i < NELEM(type_names); i++)
		if (strcmp(v->valuestring, type_names[i].name) == 0)
			return type_names[i].bits;
	return 0;
}

static int
kw_type(struct cc *c, struct node *n, const cJSON *v)
{
	const cJSON *m;
	unsigned bits;

	if (cJSON_IsString(v)) {
		n->types = type_bits(v);
		if (n->types == 0)
			return fail(&c->t, c->err, "unknown type '%s'",
				    v->valuestring);
		return 0;
	}
	if (!cJSON_IsArray(v) || v->child == NULL)
		return fail(&c->t, c->err, "type must be a type name or a "
			    "non-empty array of them");
	for (m = v->child; m != NULL; m = m->next) {
		bits = type_bits(m);
		if (bits == 0)
			return fail(&c->t, c->err, "unknown type '%s'",
				    cJSON_IsString(m) ? m->valuestring : "?");
		n->types |= bits;
	}
	return 0;
}

static int
kw_properties(struct cc *c, struct node *n, const cJSON *v)
{
	const cJSON *m;
	size_t i = 0;
	int rc = 0;

	if (!cJSON_IsObject(v))
		return fail(&c->t, c->err, "properties must be an object");
	n->props = array_new(c, (size_t)cJSON_GetArraySize(v),
			     sizeof(*n->props));
	if (n->props == NULL)
		return -1;
	for (m = v->child; m != NULL && rc == 0; m = m->next, i++) {
		n->props[i].name = copy_str(c, m->string);
		n->nprops = i + 1;
		if (n->props[i].name == NULL)
			return -1;
		push_key(&c->t, m->string);
		rc = compile_new(c, m, &n->props[i].node);
		c->t.n--;
	}
	return rc;
}

static int
kw_required(struct cc *c, struct node *n, const cJSON *v)
{
	const cJSON *m;
	size_t i = 0;

	if (!cJSON_IsArray(v))
		return fail(&c->t, c->err, "required must be an array of "
			    "strings");
	n->required = array_new(c, (size_t)cJSON_GetArraySize(v),
				sizeof(*n->required));
	if (n->required == NULL)
		return -1;
	for (m = v->child; m != NULL; m = m->next, i++) {
		if (!cJSON_IsString(m))
			return fail(&c->t, c->err, "required must be an "
				    "array of strings");
		n->required[i] = copy_str(c, m->valuestring);
		n->nrequired = i + 1;
		if (n->required[i] == NULL)
			return -1;
	}
	return 0;
}

static int
kw_additional(struct cc *c, struct node *n, const cJSON *v)
{
	if (!cJSON_IsBool(v))
		return fail(&c->t, c->err, "additionalProperties must be a "
			    "boolean (schemas are not supported)");
	if (cJSON_IsFalse(v))
		n->flags |= F_CLOSED;
	return 0;
}

static int
kw_items(struct cc *c, struct node *n, const cJSON *v)
{
	if (!cJSON_IsObject(v) && !cJSON_IsBool(v))
		return fail(&c->t, c->err, "items must be a schema "
			    "(the tuple form is not supported)");
	return compile_new(c, v, &n->items);
}

static int
kw_min_items(struct cc *c, struct node *n, const cJSON *v)
{
	return get_count(c, v, &n->min_items);
}

static int
kw_max_items(struct cc *c, struct node *n, const cJSON *v)
{
	return get_count(c, v, &n->max_items);
}

static int
kw_min_length(struct cc *c, struct node *n, const cJSON *v)
{
	return get_count(c, v, &n->min_len);
}

static int
kw_max_length(struct cc *c, struct node *n, const cJSON *v)
{
	return get_count(c, v, &n->max_len);
}

static int
kw_enum(struct cc *c, struct node *n, const cJSON *v)
{
	const cJSON *m;
	size_t i = 0;
	int rc = 0;

	if (!cJSON_IsArray(v) || v->child == NULL)
		return fail(&c->t, c->err, "enum must be a non-empty array");
	n->flags |= F_ENUM;
	n->enums = array_new(c, (size_t)cJSON_GetArraySize(v),
			     sizeof(*n->enums));
	if (n->enums == NULL)
		return -1;
	for (m = v->child; m != NULL && rc == 0; m = m->next, i++) {
		n->nenums = i + 1;
		push_idx(&c->t, i);
		rc = get_scalar(c, m, "enum", &n->enums[i]);
		c->t.n--;
	}
	return rc;
}

static int
kw_const(struct cc *c, struct node *n, const cJSON *v)
{
	n->flags |= F_CONST;
	return get_scalar(c, v, "const", &n->konst);
}

static int
kw_minimum(struct cc *c, struct node *n, const cJSON *v)
{
	if (!cJSON_IsNumber(v))
		return fail(&c->t, c->err, "minimum must be a number");
	n->flags |= F_MIN;
	n->minimum = v->valuedouble;
	return 0;
}

static int
kw_maximum(struct cc *c, struct node *n, const cJSON *v)
{
	if (!cJSON_IsNumber(v))
		return fail(&c->t, c->err, "maximum must be a number");
	n->flags |= F_MAX;
	n->maximum = v->valuedouble;
	return 0;
}

#define PATTERN_MAX_BYTES 1024
#define PATTERN_MAX_BOUND 255

/* 1 if p starts a quantifier; a bound "{N" whose N is over
 * PATTERN_MAX_BOUND sets *big. */
static int
quantifier(const char *p, int *big)
{
	if (*p == '{')
		*big |= atol(p + 1) > PATTERN_MAX_BOUND;
	return *p == '*' || *p == '+' || *p == '?' || *p == '{';
}

/* True if `p` is in the part of ECMA-262 regex syntax that POSIX extended
 * regular expressions read the same way: no backslash escapes but of
 * punctuation outside brackets, no "(?" groups, no quantifier on a
 * quantifier ("a++" is an ECMA syntax error, and glibc's regcomp() builds
 * a tree exponential in the run: fuzzing found 45 '+' taking 2 GB), bounds
 * up to PATTERN_MAX_BOUND and patterns up to PATTERN_MAX_BYTES. */
static int
pattern_portable(const char *p)
{
	int in_class = 0, after_quant = 0, big = 0;

	if (strlen(p) > PATTERN_MAX_BYTES)
		return 0;
	for (; *p != '\0'; p++) {
		if (!in_class && quantifier(p, &big) && after_quant)
			return 0;
		after_quant = !in_class && (*p == '*' || *p == '+' ||
					    *p == '?' || *p == '}');
		if (*p == '\\' && (in_class || p[1] == '\0' ||
				    (p[1] >= '0' && p[1] <= '9') ||
				    ((p[1] | 0x20) >= 'a' && (p[1] | 0x20) <= 'z')))
			return 0;
		if (*p == '\\') {
			p++;
			continue;
		}
		if (*p == '(' && p[1] == '?')
			return 0;
		if (*p == '[')
			in_class = 1;
		else if (*p == ']')
			in_class = 0;
	}
	return !big;
}

static int
kw_pattern(struct cc *c, struct node *n, const cJSON *v)
{
	if (!cJSON_IsString(v))
		return fail(&c->t, c->err, "pattern must be a string");
	if (!pattern_portable(v->valuestring))
		return fail(&c->t, c->err, "unsupported pattern syntax (class "
			    "escapes such as \\d, \\p{..}, backreferences, "
			    "(? groups, a quantifier on a quantifier, bounds "
			    "over 255 and patterns over 1024 bytes are not "
			    "supported)");
	if (regcomp(&n->re, v->valuestring, REG_EXTENDED | REG_NOSUB) != 0)
		return fail(&c->t, c->err, "pattern is not a valid regular "
			    "expression");
	n->flags |= F_PATTERN;
	return 0;
}

static int
kw_any_of(struct cc *c, struct node *n, const cJSON *v)
{
	return compile_list(c, v, &n->any);
}

static int
kw_one_of(struct cc *c, struct node *n, const cJSON *v)
{
	return compile_list(c, v, &n->one);
}

/* The pre-allocated node of a root-level definition member, or NULL. */
static struct node *
def_by_json(const struct cc *c, const cJSON *m)
{
	size_t i;

	for (i = 0; i < c->ndefs; i++)
		if (c->defs[i].json == m)
			return c->defs[i].node;
	return NULL;
}

/* $defs and definitions: root-level entries compile into the nodes that
 * $ref already points at; nested ones are compiled only to be checked. */
static int
kw_defs(struct cc *c, struct node *n, const cJSON *v)
{
	const cJSON *m;
	struct node *d;
	int rc = 0;

	(void)n;
	if (!cJSON_IsObject(v))
		return fail(&c->t, c->err, "%s must be an object of schemas",
			    v->string);
	for (m = v->child; m != NULL && rc == 0; m = m->next) {
		d = def_by_json(c, m);
		push_key(&c->t, m->string);
		rc = d != NULL ? compile_node(c, m, d) : compile_new(c, m, &d);
		c->t.n--;
	}
	return rc;
}

/* Decode the JSON Pointer token `tok` (~0 and ~1 escapes) into out;
 * returns -1 if it is too long or holds a '/'. */
static int
pointer_token(const char *tok, char *out, size_t size)
{
	size_t o = 0;

	for (; *tok != '\0'; tok++) {
		if (o + 1 >= size || *tok == '/')
			return -1;
		if (tok[0] == '~' && (tok[1] == '0' || tok[1] == '1'))
			out[o++] = *++tok == '0' ? '~' : '/';
		else
			out[o++] = *tok;
	}
	out[o] = '\0';
	return 0;
}

/* The node a local reference names, or NULL. */
static struct node *
resolve_ref(const struct cc *c, const char *ref)
{
	char name[256];
	const char *kind, *tok;
	size_t i;

	if (strcmp(ref, "#") == 0)
		return c->s->nodes[0];
	if (strncmp(ref, "#/$defs/", 8) == 0) {
		kind = "$defs";
		tok = ref + 8;
	} else if (strncmp(ref, "#/definitions/", 14) == 0) {
		kind = "definitions";
		tok = ref + 14;
	} else {
		return NULL;
	}
	if (pointer_token(tok, name, sizeof(name)) != 0)
		return NULL;
	for (i = 0; i < c->ndefs; i++)
		if (strcmp(c->defs[i].kind, kind) == 0 &&
		    strcmp(c->defs[i].json->string, name) == 0)
			return c->defs[i].node;
	return NULL;
}

static int
kw_ref(struct cc *c, struct node *n, const cJSON *v)
{
	char where[256];

	if (!cJSON_IsString(v))
		return fail(&c->t, c->err, "$ref must be a string");
	n->ref = resolve_ref(c, v->valuestring);
	if (n->ref == NULL)
		return fail(&c->t, c->err, "$ref '%s' does not resolve (only "
			    "'#', '#/$defs/<name>' and '#/definitions/<name>' "
			    "at the top level are supported)",
			    v->valuestring);
	trail_format(&c->t, where, sizeof(where));
	n->ref_where = copy_str(c, where);
	return n->ref_where != NULL ? 0 : -1;
}

/* $id at the root names the document; a nested one would change what its
 * subschemas' "#" references mean, which we do not follow. */
static int
kw_id(struct cc *c, struct node *n, const cJSON *v)
{
	if (n != c->s->nodes[0])
		return fail(&c->t, c->err, "$id is supported at the top level "
			    "only");
	return cJSON_IsString(v) ? 0 :
	       fail(&c->t, c->err, "$id must be a string");
}

/* Keywords: a NULL handler marks an annotation that is accepted and
 * ignored (see schema.h for why pattern is one). */
static const struct keyword {
	const char *name;
	int (*compile)(struct cc *, struct node *, const cJSON *);
} keywords[] = {
	{ "type", kw_type },
	{ "properties", kw_properties },
	{ "required", kw_required },
	{ "additionalProperties", kw_additional },
	{ "items", kw_items },
	{ "minItems", kw_min_items },
	{ "maxItems", kw_max_items },
	{ "minLength", kw_min_length },
	{ "maxLength", kw_max_length },
	{ "enum", kw_enum },
	{ "const", kw_const },
	{ "minimum", kw_minimum },
	{ "maximum", kw_maximum },
	{ "anyOf", kw_any_of },
	{ "oneOf", kw_one_of },
	{ "$defs", kw_defs },
	{ "definitions", kw_defs },
	{ "$ref", kw_ref },
	{ "title", NULL },
	{ "description", NULL },
	{ "$schema", NULL },
	{ "$id", kw_id },
	{ "$comment", NULL },
	{ "default", NULL },
	{ "examples", NULL },
	{ "format", NULL },
	{ "pattern", kw_pattern },
};

static const struct keyword *
keyword_find(const char *name)
{
	size_t i;

	for (i = 0; i < NELEM(keywords); i++)
		if (strcmp(keywords[i].name, name) == 0)
			return &keywords[i];
	return NULL;
}

/* True if a member before `m` in its object has the same name. */
static int
seen_before(const cJSON *obj, const cJSON *m)
{
	const cJSON *p;

	for (p = obj->child; p != m; p = p->next)
		if (strcmp(p->string, m->string) == 0)
			return 1;
	return 0;
}

/* Contradictory limits are an error: no reply could ever pass. */
static int
check_limits(struct cc *c, const struct node *n)
{
	if (n->min_len > n->max_len)
		return fail(&c->t, c->err, "minLength %zu exceeds maxLength "
			    "%zu", n->min_len, n->max_len);
	if (n->min_items > n->max_items)
		return fail(&c->t, c->err, "minItems %zu exceeds maxItems %zu",
			    n->min_items, n->max_items);
	if ((n->flags & (F_MIN | F_MAX)) == (F_MIN | F_MAX) &&
	    n->minimum > n->maximum)
		return fail(&c->t, c->err, "minimum %.15g exceeds maximum "
			    "%.15g", n->minimum, n->maximum);
	return 0;
}

/* Compile the schema object `j` into `n` (already allocated). */
static int
compile_node(struct cc *c, const cJSON *j, struct node *n)
{
	const struct keyword *k;
	const cJSON *m;
	int rc = 0;

	if (c->t.n > SCHEMA_MAX_DEPTH)
		return fail(&c->t, c->err, "schema nested deeper than %d "
			    "levels", SCHEMA_MAX_DEPTH);
	if (cJSON_IsBool(j)) {
		if (cJSON_IsFalse(j))
			n->flags |= F_FALSE;
		return 0;
	}
	if (!cJSON_IsObject(j))
		return fail(&c->t, c->err, "a schema must be a JSON object "
			    "or a boolean");
	for (m = j->child; m != NULL && rc == 0; m = m->next) {
		push_key(&c->t, m->string);
		k = keyword_find(m->string);
		if (k == NULL)
			rc = fail(&c->t, c->err, "unsupported keyword '%s'",
				  m->string);
		else if (seen_before(j, m))
			rc = fail(&c->t, c->err, "duplicate keyword '%s'",
				  m->string);
		else if (k->compile != NULL)
			rc = k->compile(c, n, m);
		c->t.n--;
	}
	return rc == 0 ? check_limits(c, n) : -1;
}

/* ---- compiling: driver ----------------------------------------------- */

/* Allocate a node for every root-level $defs/definitions entry before
 * anything is compiled, so $ref resolves in one pass. Malformed sections
 * are left for kw_defs to report with their path. */
static int
defs_collect(struct cc *c, const cJSON *root)
{
	static const char *const kinds[] = { "$defs", "definitions" };
	const cJSON *v, *m;
	size_t k, total = 0;

	for (k = 0; k < NELEM(kinds); k++) {
		v = json_get(root, kinds[k]);
		if (cJSON_IsObject(v))
			total += (size_t)cJSON_GetArraySize(v);
	}
	c->defs = array_new(c, total, sizeof(*c->defs));
	if (c->defs == NULL)
		return -1;
	for (k = 0; k < NELEM(kinds); k++) {
		v = json_get(root, kinds[k]);
		for (m = cJSON_IsObject(v) ? v->child : NULL; m != NULL;
		     m = m->next) {
			struct def *d = &c->defs[c->ndefs++];

			d->json = m;
			d->kind = kinds[k];
			d->node = node_new(c);
			if (d->node == NULL)
				return no_memory(c);
		}
	}
	return 0;
}

static int cycle_visit(struct cc *c, const struct node *n,
		       unsigned char *color);

/* Follow the edge from `from` to `to`: reaching a node still on the
 * search stack (color 1) closes a cycle. Every such cycle contains a
 * $ref, and its closing edge is one, since only $ref reaches a node
 * other than through its parent. */
static int
cycle_edge(struct cc *c, const struct node *from, const struct node *to,
	   unsigned char *color)
{
	if (color[to->id] == 0)
		return cycle_visit(c, to, color);
	if (color[to->id] == 2)
		return 0;
	if (c->err != NULL) {
		snprintf(c->err->where, sizeof(c->err->where), "%s",
			 from->ref_where != NULL ? from->ref_where : "$");
		snprintf(c->err->msg, sizeof(c->err->msg), "$ref cycle that "
			 "consumes no input (it would recurse forever)");
	}
	return -1;
}

/* Depth-first search over the edges that do not consume input: $ref,
 * anyOf, oneOf. */
static int
cycle_visit(struct cc *c, const struct node *n, unsigned char *color)
{
	size_t i;

	color[n->id] = 1;
	if (n->ref != NULL && cycle_edge(c, n, n->ref, color) != 0)
		return -1;
	for (i = 0; i < n->any.n; i++)
		if (cycle_edge(c, n, n->any.v[i], color) != 0)
			return -1;
	for (i = 0; i < n->one.n; i++)
		if (cycle_edge(c, n, n->one.v[i], color) != 0)
			return -1;
	color[n->id] = 2;
	return 0;
}

static int
cycle_check(struct cc *c)
{
	unsigned char *color;
	size_t i;
	int rc = 0;

	color = array_new(c, c->s->nnodes, 1);
	if (color == NULL)
		return -1;
	for (i = 0; i < c->s->nnodes && rc == 0; i++)
		if (color[i] == 0)
			rc = cycle_visit(c, c->s->nodes[i], color);
	free(color);
	return rc;
}

int
schema_compile(const cJSON *root, struct schema **out, struct pf_error *err)
{
	struct cc c = { .err = err };
	int rc = -1;

	*out = NULL;
	c.s = calloc(1, sizeof(*c.s));
	if (c.s == NULL)
		return no_memory(&c);
	if (node_new(&c) == NULL) {
		no_memory(&c);
		goto done;
	}
	if (!cJSON_IsObject(root) && !cJSON_IsBool(root)) {
		fail(&c.t, err, "a schema must be a JSON object or a boolean");
		goto done;
	}
	if (defs_collect(&c, root) != 0 ||
	    compile_node(&c, root, c.s->nodes[0]) != 0 ||
	    cycle_check(&c) != 0)
		goto done;
	*out = c.s;
	c.s = NULL;
	rc = 0;
done:
	free(c.defs);
	schema_free(c.s);
	return rc;
}

int
schema_load_file(const char *path, struct schema **out, struct pf_error *err)
{
	struct json_error jerr;
	cJSON *root = NULL;
	int rc;

	*out = NULL;
	pf_error_clear(err);
	if (json_parse_file(path, SCHEMA_FILE_MAX, &root, &jerr) != 0) {
		if (err != NULL) {
			err->line = jerr.line;
			err->col = jerr.col;
			snprintf(err->msg, sizeof(err->msg), "%s", jerr.msg);
		}
		rc = -1;
	} else {
		rc = schema_compile(root, out, err);
		cJSON_Delete(root);
	}
	if (rc != 0 && err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", path);
	return rc;
}

/* ---- validating ------------------------------------------------------ */

static int check(struct vc *v, const struct node *n, const cJSON *x);

/* The T_* kind of an instance value (T_NUM | T_INT for integral numbers;
 * -0 and -10e-0 are integral). */
static unsigned
kind_of(const cJSON *x)
{
	switch (x->type & 0xff) {
	case cJSON_NULL:
		return T_NULL;
	case cJSON_False:
	case cJSON_True:
		return T_BOOL;
	case cJSON_Number:
		return isfinite(x->valuedouble) &&
		       x->valuedouble == floor(x->valuedouble) ?
		       T_NUM | T_INT : T_NUM;
	case cJSON_String:
		return T_STR;
	case cJSON_Array:
		return T_ARR;
	case cJSON_Object:
		return T_OBJ;
	default:
		return 0;
	}
}

static int
type_fail(struct vc *v, unsigned types)
{
	static const char *const article[] = {
		"null", "a boolean", "an integer", "a number", "a string",
		"an array", "an object",
	};
	char list[128] = "";
	size_t i, used = 0;

	if (v->err == NULL)
		return -1;
	if (types & T_NUM)
		types &= ~(unsigned)T_INT;
	for (i = 0; i < NELEM(article); i++) {
		if (!(types & (1u << i)))
			continue;
		if (types == (1u << i))
			return fail(&v->t, v->err, "expected %s", article[i]);
		used += (size_t)snprintf(list + used, sizeof(list) - used,
					 "%s%s", used ? " or " : "",
					 type_names[i].name);
	}
	return fail(&v->t, v->err, "expected %s", list);
}

static int
scalar_eq(const struct scalar *a, unsigned kind, const cJSON *x)
{
	if (!(a->type & kind))
		return 0;
	switch (a->type) {
	case T_BOOL:
		return a->num == (cJSON_IsTrue(x) ? 1 : 0);
	case T_NUM:
		return a->num == x->valuedouble;
	case T_STR:
		return strcmp(a->str, x->valuestring) == 0;
	default:
		return 1;
	}
}

static int
check_values(struct vc *v, const struct node *n, unsigned kind,
	     const cJSON *x)
{
	size_t i;

	if ((n->flags & F_CONST) && !scalar_eq(&n->konst, kind, x))
		return fail(&v->t, v->err, "value does not equal const");
	if (!(n->flags & F_ENUM))
		return 0;
	for (i = 0; i < n->nenums; i++)
		if (scalar_eq(&n->enums[i], kind, x))
			return 0;
	return fail(&v->t, v->err, "value not in enum");
}

static int
check_number(struct vc *v, const struct node *n, double d)
{
	if ((n->flags & F_MIN) && d < n->minimum)
		return fail(&v->t, v->err, "%.15g is below minimum %.15g", d,
			    n->minimum);
	if ((n->flags & F_MAX) && d > n->maximum)
		return fail(&v->t, v->err, "%.15g is above maximum %.15g", d,
			    n->maximum);
	return 0;
}

static int
check_pattern(struct vc *v, const struct node *n, const char *s)
{
	if (!(n->flags & F_PATTERN) || regexec(&n->re, s, 0, NULL, 0) == 0)
		return 0;
	return fail(&v->t, v->err, "does not match the pattern");
}

static int
check_string(struct vc *v, const struct node *n, const char *s)
{
	const unsigned char *p = (const unsigned char *)s;
	size_t len = 0;

	if (n->min_len == 0 && n->max_len == SIZE_MAX)
		return check_pattern(v, n, s);
	for (; *p != '\0'; p++)
		len += (*p & 0xc0) != 0x80;
	if (len < n->min_len)
		return fail(&v->t, v->err, "length %zu is below minLength %zu",
			    len, n->min_len);
	if (len > n->max_len)
		return fail(&v->t, v->err, "length %zu is above maxLength %zu",
			    len, n->max_len);
	return check_pattern(v, n, s);
}

static int
check_array(struct vc *v, const struct node *n, const cJSON *x)
{
	const cJSON *m;
	size_t count = 0;
	int rc;

	for (m = x->child; m != NULL; m = m->next)
		count++;
	if (count < n->min_items)
		return fail(&v->t, v->err, "%zu items is below minItems %zu",
			    count, n->min_items);
	if (count > n->max_items)
		return fail(&v->t, v->err, "%zu items is above maxItems %zu",
			    count, n->max_items);
	if (n->items == NULL)
		return 0;
	for (m = x->child, count = 0; m != NULL; m = m->next, count++) {
		push_idx(&v->t, count);
		rc = check(v, n->items, m);
		v->t.n--;
		if (rc != 0)
			return -1;
	}
	return 0;
}

static const struct node *
prop_find(const struct node *n, const char *name)
{
	size_t i;

	for (i = 0; i < n->nprops; i++)
		if (strcmp(n->props[i].name, name) == 0)
			return n->props[i].node;
	return NULL;
}

static int
check_object(struct vc *v, const struct node *n, const cJSON *x)
{
	const struct node *p;
	const cJSON *m;
	size_t i;
	int rc;

	for (i = 0; i < n->nrequired; i++) {
		for (m = x->child; m != NULL; m = m->next)
			if (strcmp(m->string, n->required[i]) == 0)
				break;
		if (m == NULL)
			return fail(&v->t, v->err, "missing required property "
				    "'%s'", n->required[i]);
	}
	for (m = x->child; m != NULL; m = m->next) {
		p = prop_find(n, m->string);
		if (p == NULL && (n->flags & F_CLOSED))
			return fail(&v->t, v->err, "unexpected property '%s'",
				    m->string);
		if (p == NULL)
			continue;
		push_key(&v->t, m->string);
		rc = check(v, p, m);
		v->t.n--;
		if (rc != 0)
			return -1;
	}
	return 0;
}

/* Number of alternatives in `l` that `x` matches, stopping at `stop`
 * (at most 2); their indices go to hit[]. Runs quietly. */
static size_t
count_matches(struct vc *v, const struct nodes *l, const cJSON *x,
	      size_t stop, size_t hit[2])
{
	struct pf_error *saved = v->err;
	size_t i, hits = 0;

	v->err = NULL;
	for (i = 0; i < l->n && hits < stop; i++)
		if (check(v, l->v[i], x) == 0)
			hit[hits++] = i;
	v->err = saved;
	return hits;
}

static int
check_choices(struct vc *v, const struct node *n, const cJSON *x)
{
	size_t hits, hit[2];

	if (n->ref != NULL && check(v, n->ref, x) != 0)
		return -1;
	if (n->any.n > 0 && count_matches(v, &n->any, x, 1, hit) == 0)
		return fail(&v->t, v->err, "matches none of the anyOf "
			    "alternatives");
	if (n->one.n == 0)
		return 0;
	hits = count_matches(v, &n->one, x, 2, hit);
	if (hits == 0)
		return fail(&v->t, v->err, "matches none of the oneOf "
			    "alternatives");
	if (hits > 1)
		return fail(&v->t, v->err, "matches more than one oneOf "
			    "alternative (%zu and %zu)", hit[0], hit[1]);
	return 0;
}

/* Check `x` against node `n` at the current path. */
static int
check(struct vc *v, const struct node *n, const cJSON *x)
{
	unsigned kind = kind_of(x);

	if (v->t.n > SCHEMA_MAX_DEPTH)
		return fail(&v->t, v->err, "nested deeper than %d levels",
			    SCHEMA_MAX_DEPTH);
	if (n->flags & F_FALSE)
		return fail(&v->t, v->err, "no value is allowed here");
	if (n->types != 0 && !(n->types & kind))
		return type_fail(v, n->types);
	if (check_values(v, n, kind, x) != 0)
		return -1;
	if ((kind & T_NUM) && check_number(v, n, x->valuedouble) != 0)
		return -1;
	if (kind == T_STR && check_string(v, n, x->valuestring) != 0)
		return -1;
	if (kind == T_ARR && check_array(v, n, x) != 0)
		return -1;
	if (kind == T_OBJ && check_object(v, n, x) != 0)
		return -1;
	return check_choices(v, n, x);
}

int
schema_validate(const struct schema *s, const cJSON *instance,
		struct pf_error *err)
{
	struct vc v;

	v.err = err;
	v.t.n = 0;
	if (instance == NULL)
		return fail(&v.t, err, "no value");
	return check(&v, s->nodes[0], instance);
}
