/* preview.c - build --preview's scratch directory and collected requests
 * (see preview.h). */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/log.h"
#include "src/preview.h"

struct req {
	int64_t unit;
	int stage;
	uint32_t idx;
	char *id;
	char *body;
	size_t len;
};

struct preview_reqs {
	struct req *v;
	size_t n, cap;
	size_t bytes;             /* ids and bodies kept */
	int failed;               /* out of memory or over the bound */
};

int
preview_reqs_new(struct preview_reqs **out)
{
	*out = calloc(1, sizeof(**out));
	return *out != NULL ? 0 : -1;
}

/* Room for one more request; 0, or -1 when out of memory. */
static int
grow(struct preview_reqs *r)
{
	size_t cap = r->cap ? r->cap * 2 : 64;
	struct req *v;

	if (r->n < r->cap)
		return 0;
	if ((v = realloc(r->v, cap * sizeof(*v))) == NULL)
		return -1;
	r->v = v;
	r->cap = cap;
	return 0;
}

void
preview_reqs_add(void *ud, int64_t unit, int stage, uint32_t idx,
		 const char *item_id, const char *body, size_t len)
{
	struct preview_reqs *r = ud;
	struct req *q;

	if (r->failed || r->bytes + len + strlen(item_id) >
	    PREVIEW_REQ_MAX_BYTES || grow(r) != 0) {
		r->failed = 1;
		return;
	}
	q = &r->v[r->n];
	q->id = strdup(item_id);
	q->body = malloc(len + 1);
	if (q->id == NULL || q->body == NULL) {
		free(q->id);
		free(q->body);
		r->failed = 1;
		return;
	}
	memcpy(q->body, body, len);
	q->body[len] = '\0';
	q->len = len;
	q->unit = unit;
	q->stage = stage;
	q->idx = idx;
	r->bytes += len + strlen(item_id);
	r->n++;
}

static int
by_item(const void *a, const void *b)
{
	const struct req *x = a, *y = b;

	if (x->unit != y->unit)
		return x->unit < y->unit ? -1 : 1;
	if (x->stage != y->stage)
		return x->stage < y->stage ? -1 : 1;
	return x->idx < y->idx ? -1 : x->idx > y->idx;
}

char *
preview_reqs_json(struct preview_reqs *r)
{
	struct buf b;
	size_t i;
	int rc;

	if (r->failed)
		return NULL;
	qsort(r->v, r->n, sizeof(*r->v), by_item);
	buf_init(&b, r->bytes + 64 * (r->n + 1));
	rc = buf_puts(&b, "\"requests\":[");
	for (i = 0; rc == 0 && i < r->n; i++) {
		rc |= buf_puts(&b, i ? ",\n{\"item_id\":" : "\n{\"item_id\":");
		rc |= json_quote(&b, r->v[i].id, strlen(r->v[i].id));
		rc |= buf_puts(&b, ",\"request\":");
		rc |= buf_append(&b, r->v[i].body, r->v[i].len);
		rc |= buf_putc(&b, '}');
	}
	rc |= buf_putc(&b, ']');
	if (rc != 0) {
		buf_free(&b);
		return NULL;
	}
	return b.data;
}

void
preview_reqs_free(struct preview_reqs *r)
{
	size_t i;

	if (r == NULL)
		return;
	for (i = 0; i < r->n; i++) {
		free(r->v[i].id);
		free(r->v[i].body);
	}
	free(r->v);
	free(r);
}

int
preview_dir_make(char **dir)
{
	const char *tmp = getenv("TMPDIR");

	if (tmp == NULL || *tmp == '\0')
		tmp = "/tmp";
	if (asprintf(dir, "%s/personaforge-preview.XXXXXX", tmp) < 0) {
		*dir = NULL;
		return -1;
	}
	if (mkdtemp(*dir) != NULL)
		return 0;
	log_error("%s: cannot create the preview's scratch directory: %s",
		  *dir, strerror(errno));
	free(*dir);
	*dir = NULL;
	return -1;
}

void
preview_dir_remove(const char *dir)
{
	struct dirent *de;
	char path[4096];
	DIR *d;

	if (dir == NULL || (d = opendir(dir)) == NULL)
		return;
	while ((de = readdir(d)) != NULL) {
		if (strcmp(de->d_name, ".") == 0 ||
		    strcmp(de->d_name, "..") == 0)
			continue;
		if (snprintf(path, sizeof(path), "%s/%s", dir, de->d_name) <
		    (int)sizeof(path))
			unlink(path);
	}
	closedir(d);
	rmdir(dir);
}
