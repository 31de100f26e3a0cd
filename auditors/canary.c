/* canary.c - canaries and the canary auditor (see canary.h). */
#include "auditors/canary.h"

#include <stdlib.h>
#include <string.h>

#include "base/jfield.h"
#include "base/json.h"
#include "base/lines.h"

#define HASH_BASE 1099511628211ull   /* FNV prime: odd, spreads bits */

struct canary {
	char *text;
	size_t len;
	int64_t persona;
	uint64_t hash;
	uint32_t next;     /* next canary in the same slot + 1; 0 ends */
};

struct canary_set {
	struct canary *v;
	size_t n, cap;
	size_t lengths[CANARY_MAX_LENGTHS];
	uint64_t pow[CANARY_MAX_LENGTHS];  /* HASH_BASE^(len-1) */
	size_t nlengths;
	uint32_t *slot;    /* hash table: first canary + 1, 0 empty */
	size_t nslots;     /* a power of two */
};

static uint64_t
hash_of(const char *p, size_t len)
{
	uint64_t h = 0;
	size_t i;

	for (i = 0; i < len; i++)
		h = h * HASH_BASE + (unsigned char)p[i];
	return h;
}

static size_t
slot_of(const struct canary_set *c, uint64_t h)
{
	return (size_t)((h ^ (h >> 29)) & (c->nslots - 1));
}

int64_t
canary_persona_id(const char *s, size_t n)
{
	int64_t v = 0;
	size_t i = 0;

	if (n > 0 && s[0] == 'p')
		i = 1;
	if (i == n || n - i > 18)
		return -1;
	for (; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/* Add one canary (text copied). */
static int
add(struct canary_set *c, const char *text, size_t len, int64_t persona,
    struct pf_error *err)
{
	size_t k;

	for (k = 0; k < c->nlengths && c->lengths[k] != len; k++)
		;
	if (k == c->nlengths) {
		if (k == CANARY_MAX_LENGTHS)
			return pf_error_set(err, "canaries of more than %d "
					    "different lengths",
					    CANARY_MAX_LENGTHS);
		c->lengths[c->nlengths++] = len;
	}
	if (c->n == c->cap) {
		size_t cap = c->cap ? c->cap * 2 : 64;
		struct canary *v = realloc(c->v, cap * sizeof(*v));

		if (v == NULL)
			return pf_error_set(err, "out of memory");
		c->v = v;
		c->cap = cap;
	}
	c->v[c->n].text = malloc(len);
	if (c->v[c->n].text == NULL)
		return pf_error_set(err, "out of memory");
	memcpy(c->v[c->n].text, text, len);
	c->v[c->n].len = len;
	c->v[c->n].persona = persona;
	c->v[c->n].hash = hash_of(text, len);
	c->n++;
	return 0;
}

/* One line of the file: {"persona_id": ..., "canary": "..."}. */
static int
load_line(struct canary_set *c, const char *text, size_t len,
	  struct pf_error *err)
{
	struct json_error je;
	cJSON *root = NULL;
	const cJSON *p, *t;
	int64_t persona = -1;
	int rc = -1;

	if (json_parse(text, len, &root, &je) != 0)
		return pf_error_set(err, "not JSON: %s", je.msg);
	p = json_get(root, "persona_id");
	t = json_get(root, "canary");
	if (cJSON_IsNumber(p) && p->valuedouble >= 0 &&
	    p->valuedouble < 1e15)
		persona = (int64_t)p->valuedouble;
	else if (cJSON_IsString(p))
		persona = canary_persona_id(p->valuestring,
					    strlen(p->valuestring));
	if (!cJSON_IsObject(root) || persona < 0)
		pf_error_set(err, "expected {\"persona_id\": 42 or "
			     "\"p000042\", \"canary\": \"...\"}");
	else if (!cJSON_IsString(t) || strlen(t->valuestring) <
		 CANARY_MIN_LEN || strlen(t->valuestring) > CANARY_MAX_LEN)
		pf_error_set(err, "\"canary\" must be a string of %d to %d "
			     "bytes", CANARY_MIN_LEN, CANARY_MAX_LEN);
	else if (c->n == CANARY_MAX)
		pf_error_set(err, "more than %d canaries", CANARY_MAX);
	else
		rc = add(c, t->valuestring, strlen(t->valuestring), persona,
			 err);
	cJSON_Delete(root);
	return rc;
}

/* Chain every canary into the hash table. */
static int
index_all(struct canary_set *c, struct pf_error *err)
{
	size_t i, k;

	for (c->nslots = 64; c->nslots < 2 * c->n; c->nslots *= 2)
		;
	c->slot = calloc(c->nslots, sizeof(*c->slot));
	if (c->slot == NULL)
		return pf_error_set(err, "out of memory");
	for (i = 0; i < c->n; i++) {
		size_t s = slot_of(c, c->v[i].hash);

		c->v[i].next = c->slot[s];
		c->slot[s] = (uint32_t)i + 1;
	}
	for (k = 0; k < c->nlengths; k++) {
		c->pow[k] = 1;
		for (i = 1; i < c->lengths[k]; i++)
			c->pow[k] *= HASH_BASE;
	}
	return 0;
}

int
canary_set_load(const char *path, struct canary_set **out,
		struct pf_error *err)
{
	struct canary_set *c = calloc(1, sizeof(*c));
	struct lines *l = NULL;
	struct line ln;
	enum lines_result r;
	int rc = 0;

	*out = NULL;
	if (c == NULL || lines_open(path, 64 * 1024, &l, err) != 0) {
		free(c);
		return c == NULL ? pf_error_set(err, "out of memory") : -1;
	}
	while (rc == 0 && (r = lines_next(l, &ln, err)) != LINES_END) {
		if (r == LINES_ERROR)
			rc = -1;
		else if (r == LINES_LONG)
			rc = pf_error_set(err, "line longer than 64 KiB");
		else if (strspn(ln.text, " \t") != ln.len)
			rc = load_line(c, ln.text, ln.len, err);
		if (rc != 0 && err != NULL)
			err->line = (int)ln.lineno;
	}
	lines_close(l);
	if (rc == 0)
		rc = index_all(c, err);
	if (rc != 0) {
		canary_set_free(c);
		return -1;
	}
	*out = c;
	return 0;
}

void
canary_set_free(struct canary_set *c)
{
	size_t i;

	if (c == NULL)
		return;
	for (i = 0; i < c->n; i++)
		free(c->v[i].text);
	free(c->v);
	free(c->slot);
	free(c);
}

size_t
canary_set_size(const struct canary_set *c)
{
	return c != NULL ? c->n : 0;
}

/* Report the canaries of length len whose hash is h at text[off]. */
static void
probe(const struct canary_set *c, const char *text, size_t off, size_t len,
      uint64_t h, void (*fn)(void *, int64_t, size_t, size_t), void *ud)
{
	uint32_t k = c->slot[slot_of(c, h)];

	for (; k != 0; k = c->v[k - 1].next) {
		const struct canary *cy = &c->v[k - 1];

		if (cy->hash == h && cy->len == len &&
		    memcmp(cy->text, text + off, len) == 0)
			fn(ud, cy->persona, off, len);
	}
}

void
canary_set_find(const struct canary_set *c, const char *text, size_t n,
		void (*fn)(void *ud, int64_t persona, size_t off, size_t len),
		void *ud)
{
	size_t k, i, len;
	uint64_t h;

	for (k = 0; c != NULL && k < c->nlengths; k++) {
		len = c->lengths[k];
		if (n < len)
			continue;
		h = hash_of(text, len);
		for (i = 0;; i++) {
			probe(c, text, i, len, h, fn, ud);
			if (i + len >= n)
				break;
			h = (h - (unsigned char)text[i] * c->pow[k]) *
			    HASH_BASE + (unsigned char)text[i + len];
		}
	}
}

/* ---- the auditor ---- */

static const char *const canary_keys[] = { "file", NULL };

static int
canary_parse(const cJSON *section, const char *path, void **cfg,
	     struct pf_error *err)
{
	struct jfield x = { NULL, err };
	char *file = NULL;
	struct canary_set *c;
	int rc;

	*cfg = NULL;
	if (jfield_str(&x, section, path, "file", &file) != 0)
		return -1;
	if (file == NULL)
		return 0;
	rc = canary_set_load(file, &c, err);
	free(file);
	if (rc == 0)
		*cfg = c;
	return rc;
}

static void
canary_free(void *cfg)
{
	canary_set_free(cfg);
}

/* A row is a persona's own private document when it is a document (or a
 * scanned input row) of that persona. */
static int
own_private(const struct audit_row *row, int64_t persona)
{
	return row->persona_id == persona &&
	       (strcmp(row->table, "document") == 0 ||
		strcmp(row->table, "input") == 0);
}

static void
on_canary(void *ud, int64_t persona, size_t off, size_t len)
{
	const struct audit_relay *r = ud;
	int own = own_private(r->row, persona);
	char masked[64];
	struct audit_hit h = {
		.table = r->row->table, .row_id = r->row->id,
		.field = r->field, .kind = own ? "canary" : "canary_leak",
		.severity = own ? AUDIT_INFO : AUDIT_HIGH, .synthetic = own,
		.masked = masked, .offset = off, .len = len,
		.reason = own ? "the persona's canary in its own private "
			  "document" : "a persona's canary outside its own "
			  "private documents: private text leaked",
	};

	snprintf(masked, sizeof(masked), "canary of p%06lld",
		 (long long)persona);
	r->report(r->ud, &h);
}

static void
canary_scan_field(struct audit_relay *r, const char *text, size_t len)
{
	canary_set_find(r->cfg, text, len, on_canary, r);
}

static int
canary_scan_row(const void *cfg, const struct audit_row *row,
		audit_emit_fn report, void *ud)
{
	if (cfg != NULL && report != NULL)
		audit_row_fields(row, cfg, report, ud, canary_scan_field);
	return 0;
}

const struct auditor auditor_canary = {
	.name = "canary",
	.version = "1",
	.label = "canary",
	.defaults = { .enabled = 1, .quarantine = AUDIT_HIGH,
		      .gate_severity = AUDIT_HIGH, .gate_max = -1 },
	.keys = canary_keys,
	.parse = canary_parse,
	.free_config = canary_free,
	.scan_row = canary_scan_row,
};
