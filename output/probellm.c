/* probellm.c - the counterfactual probe (see probellm.h). */
#include "output/probellm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/json.h"
#include "base/status.h"
#include "engine/runner.h"
#include "llm/openai.h"
#include "output/metrics.h"
#include "output/tables.h"

#define PB_MAX_PROMPT (256u << 10)
#define PB_KINDS 2                /* 0 the judge, 1 the narrative */
#define PB_MAX_DIRS 12            /* directions of one attribute's change;
				   * more share the last */
#define PB_DIR 64

static const char *const big5_traits[] = {
	"openness", "conscientiousness", "extraversion", "agreeableness",
	"neuroticism",
};

/* One request: probe `probe`, attribute `attr` (-1: the original),
 * kind; body NULL when it is not sent. */
struct req {
	char *body;
	size_t len;
	struct llm_call call;
	char id[48];
	int answered;                /* 1: came back with content */
	char verdict;                /* the judge's, 0 unparsable */
	size_t length;               /* the answer's bytes */
	int dir;                     /* the change's direction (pb.dirs) */
};

struct pb {
	const struct probellm_opts *o;
	const char *model;
	struct req *v;               /* probes x slots x kinds */
	size_t n, next, answered, bytes;
	int nprobes;
	int shown[CF_MAX_ATTRS];     /* a changed request differs */
	char dirs[CF_MAX_ATTRS][PB_MAX_DIRS][PB_DIR];  /* "female -> male" */
	int ndirs[CF_MAX_ATTRS];
	struct buf sys, user;
	struct runner_result res;
	long failed;
	struct pf_error err;
};

/* A probe's requests per kind: the original (attr -1), one per
 * attribute, and the original again (attr nattrs, the repeat). */
static size_t
slots(const struct pb *x)
{
	return x->o->nattrs + 2;
}

static size_t
total_reqs(const struct pb *x, int nprobes)
{
	return (size_t)nprobes * slots(x) * PB_KINDS;
}

static struct req *
req_at(struct pb *x, int probe, int attr, int kind)
{
	return &x->v[((size_t)probe * slots(x) + (size_t)(attr + 1)) *
		     PB_KINDS + (size_t)kind];
}

/* ---- the persona and its prompts ---- */

/* The persona row as the templates see it: its columns, the Big Five as
 * persona.big5 and, rendered from them, persona.profile. */
static cJSON *
persona_of(sqlite3_stmt *st, int from)
{
	cJSON *p = cJSON_CreateObject(), *b5, *t;
	const char *name;
	char col[48];
	size_t k;
	int i;

	for (i = from; p != NULL && i < sqlite3_column_count(st); i++) {
		name = sqlite3_column_name(st, i);
		if (sqlite3_column_type(st, i) == SQLITE_INTEGER)
			cJSON_AddNumberToObject(p, name, (double)
				sqlite3_column_int64(st, i));
		else if (sqlite3_column_type(st, i) == SQLITE_TEXT)
			cJSON_AddStringToObject(p, name, (const char *)
				sqlite3_column_text(st, i));
	}
	if (p == NULL || (b5 = cJSON_AddArrayToObject(p, "big5")) == NULL)
		return p;
	for (k = 0; k < sizeof(big5_traits) / sizeof(big5_traits[0]); k++) {
		if ((t = cJSON_CreateObject()) == NULL)
			break;
		cJSON_AddItemToArray(b5, t);
		cJSON_AddStringToObject(t, "trait", big5_traits[k]);
		snprintf(col, sizeof(col), "big5_%s_band", big5_traits[k]);
		cJSON_AddStringToObject(t, "band", json_get_str(p, col, ""));
		snprintf(col, sizeof(col), "big5_%s", big5_traits[k]);
		cJSON_AddNumberToObject(t, "score", json_get_num(p, col, 0));
		cJSON_AddStringToObject(t, "description", "");
	}
	return p;
}

/* Render persona.profile into p from the unit template. */
static int
add_profile(struct pb *x, cJSON *p)
{
	const struct prompts *pr = x->o->prompts;
	cJSON *v = cJSON_CreateObject();
	int rc = -1;

	buf_reset(&x->user);
	if (v != NULL && cJSON_AddItemReferenceToObject(v, "persona", p) &&
	    prompts_render(pr, pr->unit, v, 0, &x->user, &x->err) == 0) {
		cJSON_DeleteItemFromObjectCaseSensitive(p, "profile");
		rc = cJSON_AddStringToObject(p, "profile", x->user.data ?
					     x->user.data : "") ? 0 : -1;
	}
	cJSON_Delete(v);
	return rc;
}

/* The request body of `kind` for persona p and the pair's judge vars j. */
static char *
make_body(struct pb *x, int kind, cJSON *p, const cJSON *j, int seed,
	  size_t *len)
{
	const struct prompts *pr = x->o->prompts;
	const struct stage_templates *t = &pr->st[kind == 0 ? x->o->judge
						  : x->o->narrative];
	cJSON *v = cJSON_CreateObject();
	struct buf b;
	char *body = NULL;
	int rc;

	buf_reset(&x->sys);
	buf_reset(&x->user);
	if (v == NULL || !cJSON_AddItemReferenceToObject(v, "persona", p) ||
	    (kind == 0 && !cJSON_AddItemReferenceToObject(v, "judge",
							  (cJSON *)j))) {
		cJSON_Delete(v);
		pf_error_set(&x->err, "out of memory");
		return NULL;
	}
	rc = prompts_render(pr, pr->system, v, 0, &x->sys, &x->err) != 0 ||
	     prompts_render(pr, t->prompt, v, 0, &x->user, &x->err) != 0;
	cJSON_Delete(v);
	if (rc != 0)
		return NULL;
	buf_init(&b, PB_MAX_PROMPT * 2);
	rc = buf_puts(&b, "{\"model\":") | json_quote(&b, x->model,
						     strlen(x->model));
	rc |= buf_puts(&b, ",\"messages\":[{\"role\":\"system\",\"content\":");
	rc |= json_quote(&b, x->sys.data ? x->sys.data : "", x->sys.len);
	rc |= buf_puts(&b, "},{\"role\":\"user\",\"content\":");
	rc |= json_quote(&b, x->user.data ? x->user.data : "", x->user.len);
	rc |= buf_printf(&b, "}],\"temperature\":%.4g,\"top_p\":%.4g,"
			 "\"seed\":%d,\"max_tokens\":%d,\"response_format\":",
			 x->o->cfg->temperature, x->o->cfg->top_p, seed,
			 x->o->cfg->max_tokens);
	rc |= buf_puts(&b, t->response_format) | buf_putc(&b, '}');
	if (rc != 0 || (*len = b.len, body = buf_detach(&b)) == NULL) {
		buf_free(&b);
		pf_error_set(&x->err, "a probe's request is too large");
		return NULL;
	}
	return body;
}

static int
kind_on(const struct pb *x, int kind)
{
	return (kind == 0 ? x->o->judge : x->o->narrative) >= 0;
}

/* Fill request r for persona p; a body the same as the original's
 * (`orig`, NULL for the original itself) is not sent. */
static int
fill_req(struct pb *x, struct req *r, const struct req *orig, int kind,
	 cJSON *p, const cJSON *j, int seed)
{
	if ((r->body = make_body(x, kind, p, j, seed, &r->len)) == NULL)
		return -1;
	if (orig != NULL && orig->len == r->len &&
	    memcmp(orig->body, r->body, r->len) == 0) {
		free(r->body);
		r->body = NULL;
		return 0;
	}
	if ((x->bytes += r->len) > PROBELLM_MAX_BYTES)
		return pf_error_set(&x->err, "the probe's requests pass %zu "
				    "MiB: ask for fewer probes",
				    PROBELLM_MAX_BYTES >> 20);
	x->n++;
	return 0;
}

/* The index of direction d of attribute a, added when new. */
static int
dir_of(struct pb *x, size_t a, const char *d)
{
	int i;

	for (i = 0; i < x->ndirs[a]; i++)
		if (strcmp(x->dirs[a][i], d) == 0)
			return i;
	if (x->ndirs[a] == PB_MAX_DIRS) {
		snprintf(x->dirs[a][PB_MAX_DIRS - 1], PB_DIR, "other");
		return PB_MAX_DIRS - 1;
	}
	snprintf(x->dirs[a][x->ndirs[a]], PB_DIR, "%s", d);
	return x->ndirs[a]++;
}

/* The repeat of probe `probe`'s original request of kind k: the same
 * body sent again, so the judge's own variability (a server that does
 * not keep to the seed, sampling) is measured beside the flips. */
static int
add_repeat(struct pb *x, int probe, int k)
{
	const struct req *o = req_at(x, probe, -1, k);
	struct req *r = req_at(x, probe, (int)x->o->nattrs, k);

	if ((r->body = malloc(o->len + 1)) == NULL)
		return pf_error_set(&x->err, "out of memory");
	memcpy(r->body, o->body, o->len + 1);
	r->len = o->len;
	x->n++;
	if ((x->bytes += r->len) > PROBELLM_MAX_BYTES)
		return pf_error_set(&x->err, "the probe's requests pass %zu "
				    "MiB: ask for fewer probes",
				    PROBELLM_MAX_BYTES >> 20);
	return 0;
}

/* The requests of probe `probe`: persona p as it is, then with each
 * attribute changed, then as it is again. */
static int
add_probe(struct pb *x, int probe, cJSON *p, const cJSON *j)
{
	char dir[PB_DIR];
	struct req *r;
	cJSON *cf;
	size_t a;
	int k, got, rc = 0;

	if (add_profile(x, p) != 0)
		return -1;
	for (k = 0; k < PB_KINDS && rc == 0; k++)
		if (kind_on(x, k))
			rc = fill_req(x, req_at(x, probe, -1, k), NULL, k, p, j,
				      probe + 1);
	for (a = 0; a < x->o->nattrs && rc == 0; a++) {
		if ((cf = cJSON_Duplicate(p, 1)) == NULL)
			return pf_error_set(&x->err, "out of memory");
		got = cf_flip(x->o->attrs[a], cf, dir, sizeof(dir));
		if (got < 0)
			rc = pf_error_set(&x->err, "cannot change %s",
					  x->o->attrs[a]);
		else if (got == 1 && (rc = add_profile(x, cf)) == 0)
			for (k = 0; k < PB_KINDS && rc == 0; k++) {
				if (!kind_on(x, k))
					continue;
				r = req_at(x, probe, (int)a, k);
				r->dir = dir_of(x, a, dir);
				rc = fill_req(x, r, req_at(x, probe, -1, k), k,
					      cf, j, probe + 1);
				x->shown[a] |= r->body != NULL;
			}
		cJSON_Delete(cf);
	}
	for (k = 0; k < PB_KINDS && rc == 0; k++)
		if (kind_on(x, k))
			rc = add_repeat(x, probe, k);
	return rc;
}

/* ---- collecting the probes ---- */

static int64_t
count_pairs(struct dataset *ds, struct pf_error *err)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT count(*) FROM "
					   "preference_pair", err);
	int64_t n = -1;

	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return n;
}

/* The judge's variables of the pair in row st: the chosen answer shown
 * as A, no stated preferences (see probellm.h). */
static cJSON *
judge_vars(sqlite3_stmt *st)
{
	cJSON *j = cJSON_CreateObject();

	if (j == NULL ||
	    !cJSON_AddStringToObject(j, "question",
		(const char *)sqlite3_column_text(st, 1)) ||
	    !cJSON_AddStringToObject(j, "answer_a",
		(const char *)sqlite3_column_text(st, 2)) ||
	    !cJSON_AddStringToObject(j, "answer_b",
		(const char *)sqlite3_column_text(st, 3)) ||
	    !cJSON_AddArrayToObject(j, "stated")) {
		cJSON_Delete(j);
		return NULL;
	}
	return j;
}

/* Every k-th pair by pair_id, at most x->nprobes of them. */
static int
collect(struct dataset *ds, struct pb *x, int64_t npairs)
{
	int64_t k = npairs / x->nprobes > 1 ? npairs / x->nprobes : 1, i = 0;
	sqlite3_stmt *st;
	cJSON *p, *j;
	int probe = 0, rc = 0, s;

	st = dataset_prepare(ds, "SELECT p.pair_id, p.question, p.chosen, "
			     "p.rejected, s.* FROM preference_pair p JOIN "
			     "persona s ON s." DATASET_PERSONA_COL " = p."
			     DATASET_PERSONA_COL " ORDER BY p.pair_id",
			     &x->err);
	if (st == NULL)
		return -1;
	while (rc == 0 && probe < x->nprobes &&
	       (s = sqlite3_step(st)) == SQLITE_ROW) {
		if (i++ % k != 0)
			continue;
		p = persona_of(st, 4);
		j = judge_vars(st);
		rc = p != NULL && j != NULL ? add_probe(x, probe++, p, j) :
		     pf_error_set(&x->err, "out of memory");
		cJSON_Delete(p);
		cJSON_Delete(j);
	}
	sqlite3_finalize(st);
	x->nprobes = probe;
	return rc;
}

/* ---- the calls ---- */

static int
make_backend(void *ud, uv_loop_t *loop, struct backend **out)
{
	struct pb *x = ud;
	struct pf_error e;

	pf_error_clear(&e);
	if (openai_backend_new(loop, x->o->ec, out, &e) != 0) {
		pf_error_print(&e);
		return PF_EXIT_USAGE;
	}
	return 0;
}

static void
pb_fill(struct runner *rn, void *ud)
{
	struct pb *x = ud;
	struct req *r;
	size_t total = total_reqs(x, x->nprobes);

	while (x->next < total && runner_capacity(rn) > 0) {
		r = &x->v[x->next];
		if (r->body == NULL) {
			x->next++;
			continue;
		}
		memset(&r->call, 0, sizeof(r->call));
		snprintf(r->id, sizeof(r->id), "probe-%zu", x->next);
		r->call.id = r->id;
		r->call.body = r->body;
		r->call.body_len = r->len;
		r->call.max_tokens = (uint32_t)x->o->cfg->max_tokens;
		r->call.est_prompt_tokens = (uint32_t)(r->len / 4);
		r->call.ud = r;
		if (runner_submit(rn, &r->call) != 0)
			return;
		x->next++;
	}
}

static int
pb_idle(void *ud)
{
	const struct pb *x = ud;

	return x->next == total_reqs(x, x->nprobes);
}

static void
pb_done(struct runner *rn, void *ud, struct llm_call *c)
{
	struct req *r = c->ud;
	struct pb *x = ud;

	(void)rn;
	x->answered++;
	r->answered = c->result == LLM_OK && c->content != NULL &&
		      !c->refused;
	if (r->answered) {
		r->verdict = cf_verdict(c->content, c->content_len);
		r->length = c->content_len;
	} else {
		x->failed++;
	}
	llm_call_clear(c);
}

static void
pb_sample(void *ud, struct progress_sample *ps)
{
	const struct pb *x = ud;

	ps->total = x->n;
	ps->done = x->answered;
}

static const struct runner_ops pb_ops = {
	.fill = pb_fill, .idle = pb_idle, .done = pb_done,
	.sample = pb_sample,
};

/* ---- the measures ---- */

static const struct auditor probe_auditor = {
	.name = CF_AUDITOR, .version = CF_VERSION,
	.label = "counterfactual probe",
};

/* Attribute a's tally over the probes: its verdicts, and the lengths
 * of its changes in direction dir. */
static void
tally(struct pb *x, int a, int dir, struct cf_tally *t)
{
	const struct req *o, *r;
	int i;

	memset(t, 0, sizeof(*t));
	for (i = 0; i < x->nprobes; i++) {
		o = req_at(x, i, -1, 0);
		r = req_at(x, i, a, 0);
		if (r->body != NULL && o->answered && r->answered)
			cf_add_verdicts(t, o->verdict, r->verdict);
		else if (r->body != NULL)
			t->unparsed++;
		o = req_at(x, i, -1, 1);
		r = req_at(x, i, a, 1);
		if (r->body == NULL || r->dir != dir)
			continue;
		if (o->answered && r->answered)
			cf_add_lengths(t, (double)o->length,
				       (double)r->length);
		else
			t->failed++;
	}
}

static void
produce(void *pud, audit_metric_fn emit, void *eud)
{
	struct pb *x = pud;
	const char *name;
	struct cf_tally t;
	char why[256];
	size_t a;
	int d;

	for (a = 0; a < x->o->nattrs; a++) {
		name = x->o->attrs[a];
		snprintf(why, sizeof(why), "%s is not shown in the probed "
			 "prompts (the profile, templates/prompts/persona."
			 "mustache): changing it changed no request, so none "
			 "was sent", name);
		tally(x, (int)a, -1, &t);
		cf_emit_flips(&t, name, cf_rule(name), x->shown[a] ? NULL :
			      why, emit, eud);
		if (!x->shown[a] || x->o->narrative < 0) {
			cf_emit_length(&t, name, "any", x->shown[a] ? "the "
				       "narrative stage is off: no generator "
				       "prompt to probe" : why, emit, eud);
			continue;
		}
		for (d = 0; d < x->ndirs[a]; d++) {
			tally(x, (int)a, d, &t);
			cf_emit_length(&t, name, x->dirs[a][d], NULL, emit,
				       eud);
		}
	}
	tally(x, (int)a, 0, &t);
	cf_emit_flips(&t, "repeat", "", "the original judge prompt sent "
		      "again (the same seed): the judge's own variability, "
		      "the floor under the flip rates; Wilson 95%", emit,
		      eud);
	cf_emit_length(&t, "repeat", "the same prompt", x->o->narrative < 0 ?
		       "the narrative stage is off: no generator prompt to "
		       "probe" : "the original narrative prompt sent again: "
		       "the floor under the length ratios; delta-method 95%",
		       emit, eud);
}

static int
store(struct dataset *ds, struct pb *x)
{
	if (dataset_exec(ds, "BEGIN IMMEDIATE", &x->err) != 0)
		return -1;
	if (dataset_metrics_replace(ds, &probe_auditor, produce, x,
				    &x->err) == 0 &&
	    dataset_exec(ds, "COMMIT", &x->err) == 0)
		return 0;
	dataset_exec(ds, "ROLLBACK", NULL);
	return -1;
}

/* ---- the pass ---- */

static int
fail(struct pb *x, int code)
{
	pf_error_print(&x->err);
	return code;
}

static int
start(struct dataset *ds, struct pb *x)
{
	int64_t npairs = count_pairs(ds, &x->err);
	size_t total;

	if (npairs < 0)
		return fail(x, PF_EXIT_RUNTIME);
	if (npairs == 0) {
		fprintf(stderr, "personaforge: the dataset has no judged "
			"preference pairs: nothing to probe (the probe sends "
			"the judge's and the narrative's prompts of their "
			"personas)\n");
		return PF_EXIT_USAGE;
	}
	x->nprobes = x->o->probes;
	total = total_reqs(x, x->nprobes);
	if ((x->v = calloc(total, sizeof(*x->v))) == NULL) {
		pf_error_set(&x->err, "out of memory");
		return fail(x, PF_EXIT_RUNTIME);
	}
	return collect(ds, x, npairs) != 0 ? fail(x, PF_EXIT_RUNTIME) : 0;
}

int
probellm_run(struct dataset *ds, const struct probellm_opts *o,
	     struct probellm_counts *c)
{
	struct pb x = { .o = o };
	struct runner_opts ro = {
		.label = "probe", .backend_new = make_backend,
		.backend_ud = &x, .ud = &x, .grace_ms = o->ec->grace_ms,
		.progress = !o->quiet, .out_name = "audit_metric",
	};
	size_t i, total;
	int rc;

	memset(c, 0, sizeof(*c));
	pf_error_clear(&x.err);
	if (o->ec->n_endpoints == 0) {
		fprintf(stderr, "personaforge: the counterfactual probe needs "
			"an LLM endpoint ($.endpoints, or --base-url and "
			"--model): offline, the judge reads only the stated "
			"preferences, so there is no model to probe\n");
		return PF_EXIT_USAGE;
	}
	x.model = o->ec->endpoints[0].model != NULL ?
		  o->ec->endpoints[0].model : "default";
	buf_init(&x.sys, PB_MAX_PROMPT);
	buf_init(&x.user, PB_MAX_PROMPT);
	rc = start(ds, &x);
	if (rc == 0)
		rc = runner_run(&ro, &pb_ops, &x.res);
	if (rc == 0)
		rc = runner_exit_code(&x.res, &(struct runner_exits){
			.quota = "the probe's quota is exhausted",
			.auth = "the probe's endpoint refused the key",
			.budget = "the probe stopped at the budget",
			.unreachable = "the probe's endpoint is "
				       "unreachable" });
	/* a stopped pass stores nothing: its unsent probes would read as
	 * missing answers */
	if (rc == 0 && store(ds, &x) != 0)
		rc = fail(&x, PF_EXIT_RUNTIME);
	c->pairs = x.nprobes;
	c->calls = (long)x.n;
	c->failed = x.failed;
	total = total_reqs(&x, x.nprobes);
	for (i = 0; x.v != NULL && i < total; i++)
		free(x.v[i].body);
	free(x.v);
	buf_free(&x.sys);
	buf_free(&x.user);
	return rc;
}
