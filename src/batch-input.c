/* batch-input.c - the batch input file: lines, their checks and their
 * scan (see batch-input.h). */
#include "src/batch-input.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/jscan.h"
#include "base/json.h"

int
batch_input_next(struct batch_input *in, char **text, size_t *len)
{
	ssize_t n;

	for (;;) {
		in->off = in->next_off;
		n = getline(&in->line, &in->cap, in->f);
		if (n < 0) {
			if (!ferror(in->f))
				return 0;
			fprintf(stderr, "personaforge batch: %s: %s\n",
				in->path, strerror(errno));
			return -1;
		}
		in->next_off += n;
		in->lineno++;
		while (n > 0 && (in->line[n - 1] == '\n' ||
				 in->line[n - 1] == '\r'))
			n--;
		in->line[n] = '\0';
		if (strspn(in->line, " \t") == (size_t)n)
			continue;
		if ((size_t)n > LINE_MAX_BYTES) {
			fprintf(stderr, "personaforge batch: %s:%ld: line "
				"longer than %zu bytes\n", in->path,
				in->lineno, LINE_MAX_BYTES);
			return -1;
		}
		*text = in->line;
		*len = (size_t)n;
		return 1;
	}
}

int
batch_input_seek(struct batch_input *in, off_t off, long lineno)
{
	if (fseeko(in->f, off, SEEK_SET) != 0)
		return -1;
	in->next_off = off;
	in->lineno = lineno;
	return 0;
}

int
batch_line_error(const struct batch_input *in, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "personaforge batch: %s:%ld: ", in->path, in->lineno);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return -1;
}

/* method and url, when present, must name chat completions. */
static int
check_route(const struct batch_input *in, const cJSON *root)
{
	const cJSON *m = json_get(root, "method"), *u = json_get(root, "url");
	size_t n;

	if (m != NULL && !(cJSON_IsString(m) &&
			   strcmp(m->valuestring, "POST") == 0))
		return batch_line_error(in, "method must be \"POST\"");
	if (u == NULL)
		return 0;
	n = cJSON_IsString(u) ? strlen(u->valuestring) : 0;
	if (n < 17 || strcmp(u->valuestring + n - 17, "/chat/completions"))
		return batch_line_error(in, "url must be /v1/chat/completions (the "
				  "only endpoint batch sends to)");
	return 0;
}

int
batch_line_parse(const struct batch_input *in, const char *text, size_t len,
		 struct batch_line *p)
{
	struct json_error je;
	const cJSON *cid, *model;

	memset(p, 0, sizeof(*p));
	if (json_parse(text, len, &p->root, &je) != 0)
		return batch_line_error(in, "not JSON: %s (column %d)", je.msg,
				  je.col);
	cid = json_get(p->root, "custom_id");
	p->body = json_get(p->root, "body");
	if (!cJSON_IsObject(p->root))
		batch_line_error(in, "expected a JSON object");
	else if (!cJSON_IsString(cid) || cid->valuestring[0] == '\0')
		batch_line_error(in, "missing custom_id (a non-empty string)");
	else if (strlen(cid->valuestring) > BATCH_CID_MAX)
		batch_line_error(in, "custom_id longer than %d bytes", BATCH_CID_MAX);
	else if (!cJSON_IsObject(p->body))
		batch_line_error(in, "missing body (a JSON object)");
	else if (check_route(in, p->root) != 0)
		;
	else if (in->model == NULL &&
		 (!cJSON_IsString(model = json_get(p->body, "model")) ||
		  model->valuestring[0] == '\0'))
		batch_line_error(in, "body has no model (give --model)");
	else {
		p->cid = cid->valuestring;
		return 0;
	}
	cJSON_Delete(p->root);
	p->root = NULL;
	return -1;
}

int
batch_line_scan(const char *text, size_t len, struct batch_scan *ls)
{
	static const char *const top[] = { "custom_id", "body", "method",
		"url" };
	static const char *const in_body[] = { "model",
		"max_completion_tokens", "max_tokens" };
	struct jspan t[4];

	if (jscan_object(text, len, top, 4, t) != 0 ||
	    !jscan_plain_string(&t[0]) || t[0].n <= 2 ||
	    t[0].n - 2 > BATCH_CID_MAX || t[1].p == NULL || t[1].p[0] != '{' ||
	    jscan_object(t[1].p, t[1].n, in_body, 3, ls->in) != 0)
		return -1;
	ls->cid.p = t[0].p + 1;
	ls->cid.n = t[0].n - 2;
	ls->body = t[1];
	ls->method = t[2];
	ls->url = t[3];
	return 0;
}

/* 1 if span v is the plain string s (quotes not included in s). */
static int
span_is(const struct jspan *v, const char *s, size_t n)
{
	return jscan_plain_string(v) && v->n >= n + 2 &&
	       memcmp(v->p + v->n - 1 - n, s, n) == 0;
}

int
batch_line_check_fast(const struct batch_input *in, const char *text,
		      size_t len, char cid[BATCH_CID_MAX + 1])
{
	struct batch_scan ls;
	const struct jspan *m = &ls.in[0];

	if (!jscan_valid(text, len) || batch_line_scan(text, len, &ls) != 0 ||
	    (ls.method.p != NULL && !(span_is(&ls.method, "POST", 4) &&
				      ls.method.n == 6)) ||
	    (ls.url.p != NULL && !span_is(&ls.url, "/chat/completions", 17)) ||
	    (in->model == NULL && (!jscan_plain_string(m) || m->n == 2)))
		return -1;
	memcpy(cid, ls.cid.p, ls.cid.n);
	cid[ls.cid.n] = '\0';
	return 0;
}

