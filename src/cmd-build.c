/* cmd-build.c - personaforge build: config in, one SQLite dataset out.
 * Running the same command again resumes: done items are reused, failed
 * ones retried. */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/json.h"
#include "engine/journal.h"
#include "base/json.h"
#include "base/log.h"
#include "llm/offline.h"
#include "llm/openai.h"
#include "engine/prompts.h"
#include "engine/interrupt.h"
#include "engine/runner.h"
#include "engine/scheduler.h"
#include "engine/sqlq.h"
#include "base/status.h"
#include "output/ahead.h"
#include "output/audit.h"
#include "output/safetyllm.h"
#include "output/dataset.h"
#include "output/gate.h"
#include "output/jsonl.h"
#include "output/metrics.h"
#include "output/writer.h"
#include "personas/sampler.h"
#include "generators/stages.h"
#include "src/build.h"
#include "src/build-summary.h"
#include "generators/dedup.h"
#include "src/cmd.h"
#include "src/out-path.h"
#include "src/plan.h"
#include "src/preview.h"
#include "src/report-file.h"

struct run {
	struct build_args a;
	struct pf_config *cfg;
	struct engine_config ec;
	int offline;
	char *out;
	struct prompts *prompts;
	struct persona_tables *tables;
	struct dataset *ds;
	struct journal *j;
	struct writer *w;
	struct sqlq *q;
	const char *model;
	struct gen_context g;
	struct sched_opts so;
	struct preview_reqs *reqs;   /* --show-prompts: requests seen */
};

static int
bad_input(const struct pf_error *e)
{
	pf_error_print(e);
	return PF_EXIT_USAGE;
}

static int
choose_backend(const struct build_args *a, struct pf_config *cfg,
	       struct engine_config *ec, int *offline)
{
	struct pf_error e;
	enum config_backend b = cfg->backend;

	pf_error_clear(&e);
	if (a->backend != NULL) {
		if (strcmp(a->backend, "offline") == 0)
			b = BACKEND_OFFLINE;
		else if (strcmp(a->backend, "openai") == 0)
			b = BACKEND_OPENAI;
		else {
			log_print(PF_LOG_ERROR, NULL, "--backend must be "
				  "offline or openai, not '%s'", a->backend);
			return PF_EXIT_USAGE;
		}
	}
	if (b == BACKEND_AUTO)
		b = ec->n_endpoints > 0 ? BACKEND_OPENAI : BACKEND_OFFLINE;
	*offline = b == BACKEND_OFFLINE;
	if (!*offline && ec->n_endpoints == 0) {
		snprintf(e.file, sizeof(e.file), "%s", cfg->path);
		snprintf(e.where, sizeof(e.where), "$.endpoints");
		pf_error_set(&e, "the openai backend needs an endpoint "
			     "(configure one, or pass --base-url and "
			     "--model)");
		return bad_input(&e);
	}
	return 0;
}

int
build_load(const struct build_args *a, struct pf_config **cfg,
	   struct engine_config *ec, int *offline)
{
	struct pf_error e;

	pf_error_clear(&e);
	engine_config_init(ec);
	if (config_load(a->config, cfg, &e) != 0)
		return bad_input(&e);
	config_override(*cfg, a->seed, a->personas);
	switch (gen_config_load_files(*cfg, &e)) {
	case 0: break;
	case GEN_LOAD_BAD_LINES: return PF_EXIT_BADLINES;
	default: return bad_input(&e);
	}
	if (engine_config_parse((*cfg)->root, a->config, ec, &e) != 0 ||
	    engine_config_override(ec, a->base_url, a->model, a->api_key_env,
				   &e) != 0)
		return bad_input(&e);
	return choose_backend(a, *cfg, ec, offline);
}

/* "-o" defaults to the config file's base name with .db, in the current
 * directory. */
static char *
default_out(const char *config)
{
	char *copy = strdup(config), *base, *dot, *out = NULL;

	if (copy == NULL)
		return NULL;
	base = basename(copy);
	dot = strrchr(base, '.');
	if (dot != NULL && dot != base)
		*dot = '\0';
	if (asprintf(&out, "%s.db", base) < 0)
		out = NULL;
	free(copy);
	return out;
}

/* Say which of config hash, seed and persona count differ between the
 * run row `st` (config, config_hash, seed, personas) and this run. */
static void
describe_mismatch(const struct run *r, sqlite3_stmt *st, char *out, size_t n)
{
	const char *hash = (const char *)sqlite3_column_text(st, 1);
	uint64_t seed = (uint64_t)sqlite3_column_int64(st, 2);
	int64_t personas = sqlite3_column_int64(st, 3);
	char keys[256] = "";
	size_t len = 0;

	config_diff_keys(r->cfg, (const char *)sqlite3_column_text(st, 0),
			 keys, sizeof(keys));
	out[0] = '\0';
	if (keys[0] != '\0' || (seed == r->cfg->seed &&
				personas == r->cfg->personas &&
				strcmp(hash, r->cfg->config_hash) != 0))
		len += (size_t)snprintf(out, n, "; config hash %s in the "
					"dataset, %s now%s%s%s", hash,
					r->cfg->config_hash, keys[0] ?
					" (differing: " : "", keys, keys[0] ?
					")" : "");
	if (seed != r->cfg->seed && len < n)
		len += (size_t)snprintf(out + len, n - len, "; seed %" PRIu64
					" in the dataset, %" PRIu64 " now",
					seed, r->cfg->seed);
	if (personas != r->cfg->personas && len < n)
		len += (size_t)snprintf(out + len, n - len, "; persona count %"
					PRId64 " in the dataset, %" PRId64
					" now", personas, r->cfg->personas);
	if ((sqlite3_column_int64(st, 4) != r->a.shard.index ||
	     sqlite3_column_int64(st, 5) != r->a.shard.count) && len < n)
		snprintf(out + len, n - len, "; shard %" PRId64 "/%" PRId64
			 " in the dataset, %" PRId64 "/%" PRId64 " now",
			 (int64_t)sqlite3_column_int64(st, 4),
			 (int64_t)sqlite3_column_int64(st, 5),
			 r->a.shard.index, r->a.shard.count);
}

/* The identity an existing dataset was built with: refuse another one
 * unless --overwrite (then start afresh). */
static int
check_identity(struct run *r)
{
	struct pf_error e;
	sqlite3_stmt *st;
	char why[1024] = "";
	int rc, same = 1;

	pf_error_clear(&e);
	st = dataset_prepare(r->ds, "SELECT config, config_hash, seed, "
			     "personas, shard_index, shard_count FROM run "
			     "WHERE id = 1", &e);
	if (st == NULL)
		return pf_error_print(&e), PF_EXIT_RUNTIME;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		same = strcmp((const char *)sqlite3_column_text(st, 1),
			      r->cfg->config_hash) == 0 &&
		       (uint64_t)sqlite3_column_int64(st, 2) == r->cfg->seed &&
		       sqlite3_column_int64(st, 3) == r->cfg->personas &&
		       sqlite3_column_int64(st, 4) == r->a.shard.index &&
		       sqlite3_column_int64(st, 5) == r->a.shard.count;
	if (!same)
		describe_mismatch(r, st, why, sizeof(why));
	sqlite3_finalize(st);
	if (same)
		return 0;
	if (!r->a.overwrite) {
		log_print(PF_LOG_ERROR, NULL, "%s: this dataset was built "
			  "from another config: %s; use another -o, or "
			  "--overwrite to replace it", r->out,
			  why[0] ? why + 2 : "?");
		return PF_EXIT_USAGE;
	}
	snprintf(e.file, sizeof(e.file), "%s", r->out);
	if (dataset_reset(r->ds, &e) != 0)
		return pf_error_print(&e), PF_EXIT_RUNTIME;
	log_info("%s: replaced (--overwrite)", r->out);
	return 0;
}

/* The exit status of a dataset that could not be opened: 8 when another
 * process writes it, a runtime error when the disk is in the way (or has
 * no working locks) (disk full gives the
 * same status wherever it happens), else bad input (not a dataset, a
 * schema version this program does not read). */
static int
open_status(const struct pf_error *e)
{
	static const int io[] = { SQLITE_FULL, SQLITE_IOERR, SQLITE_CANTOPEN,
		SQLITE_READONLY };
	size_t i;

	if (dataset_error_locked(e))
		return PF_EXIT_LOCKED;
	if (strstr(e->msg, strerror(ENOSPC)) != NULL ||
	    strstr(e->msg, "cannot lock") != NULL)
		return PF_EXIT_RUNTIME;
	for (i = 0; i < sizeof(io) / sizeof(io[0]); i++)
		if (strstr(e->msg, sqlite3_errstr(io[i])) != NULL)
			return PF_EXIT_RUNTIME;
	return PF_EXIT_USAGE;
}

/* The provenance's `stages`: every enabled stage with its version, the
 * backend and model that answer it, and its items per persona. Returns
 * a string the caller frees, or NULL when out of memory. */
static char *
stages_json(const struct run *r)
{
	const struct stage_table *t = &gen_stage_table;
	cJSON *o = cJSON_CreateObject(), *s;
	char *text = NULL;
	int k, n;

	for (k = 0; o != NULL && k < t->n; k++) {
		if ((n = t->stages[k]->count(r->cfg)) <= 0)
			continue;
		s = cJSON_AddObjectToObject(o, t->stages[k]->name);
		if (s == NULL ||
		    !cJSON_AddStringToObject(s, "version",
					     t->stages[k]->version) ||
		    !cJSON_AddStringToObject(s, "backend", r->offline ?
					     "offline" : "openai") ||
		    !cJSON_AddStringToObject(s, "model", r->model) ||
		    !cJSON_AddNumberToObject(s, "items_per_persona", n))
			goto out;
	}
	text = o != NULL ? cJSON_PrintUnformatted(o) : NULL;
out:
	cJSON_Delete(o);
	return text;
}

static int
open_output(struct run *r)
{
	struct writer_run_info ri;
	struct pf_error e;
	char *cfg_json, *st_json;
	int rc;

	pf_error_clear(&e);
	if ((rc = out_path_check(r->out)) != 0)
		return rc;
	if (dataset_open(r->out, DATASET_WRITE, &r->ds, &e) != 0) {
		pf_error_print(&e);
		return open_status(&e);
	}
	if ((rc = check_identity(r)) != 0)
		return rc;
	if (dataset_reindex(r->ds, &e) != 0 ||
	    dataset_write_ahead(r->ds, &e) != 0 ||
	    metrics_journal_fresh(r->ds, &e) != 0)
		return pf_error_print(&e), PF_EXIT_RUNTIME;
	if (sqlq_open(r->out, &r->q, &e) != 0 ||
	    writer_open(r->q, r->cfg->auditors, r->cfg->nauditors, &r->w,
			&e) != 0 ||
	    journal_open(r->ds->db, &r->j, &e) != 0 ||
	    journal_attach_queue(r->j, r->q, &e) != 0)
		return pf_error_print(&e), PF_EXIT_RUNTIME;
	cfg_json = config_canonical(r->cfg);
	st_json = stages_json(r);
	ri.config_json = cfg_json ? cfg_json : "{}";
	ri.backend = r->offline ? "offline" : "openai";
	ri.model = r->model;
	ri.stages_json = st_json ? st_json : "{}";
	ri.shard_index = r->a.shard.index;
	ri.shard_count = r->a.shard.count;
	rc = writer_run(r->w, r->cfg, &ri) != 0 ||
	     (journal_unit_end(r->j), sqlq_sync(r->q)) != 0;
	free(cfg_json);
	free(st_json);
	if (rc) {
		log_print(PF_LOG_ERROR, NULL, "%s: %s", r->out,
			  writer_errmsg(r->w));
		return PF_EXIT_RUNTIME;
	}
	return 0;
}

int
build_personas(const struct pf_config *cfg, struct persona_tables **out)
{
	const char *locale = json_get_str(cfg->root, "locale", "us");
	struct jfield x = { cfg->path, NULL };
	struct persona_quota *q = NULL;
	char *dirs[3] = { NULL, NULL, NULL };
	struct pf_error e;
	int rc;

	pf_error_clear(&e);
	x.err = &e;
	*out = NULL;
	/* A locale's directory holds the tables it replaces; the rest are
	 * the US ones. */
	if (asprintf(&dirs[1], "%s/personas/data", config_datadir()) < 0)
		return PF_EXIT_RUNTIME;
	if (asprintf(&dirs[0], "%s/locales/%s", dirs[1], locale) < 0) {
		free(dirs[1]);
		return PF_EXIT_RUNTIME;
	}
	if (strcmp(locale, "us") == 0)
		rc = persona_tables_load(dirs[1], out, &e);
	else if (access(dirs[0], R_OK | X_OK) != 0)
		rc = jfield_fail(&x, "$.locale", "no tables for locale '%s' "
				 "(%s: %s)", locale, dirs[0], strerror(errno));
	else
		rc = persona_tables_load_layers((const char *const *)dirs, out,
						&e);
	free(dirs[0]);
	free(dirs[1]);
	if (rc == 0)
		rc = persona_quota_parse(&x, json_get(cfg->root, "quotas"), &q);
	/* Phone numbers of persona i depend on the states of the lower
	 * indexes, and quotas on their strata: plan them once. */
	if (rc == 0)
		rc = persona_tables_plan_quota(*out, cfg->seed,
					       (uint64_t)cfg->personas, q, &x);
	persona_quota_free(q);
	if (rc == 0)
		return 0;
	persona_tables_free(*out);
	*out = NULL;
	return bad_input(&e);
}

static int
load_inputs(struct run *r)
{
	struct pf_error e;

	pf_error_clear(&e);
	if (prompts_load(r->cfg, &gen_stage_table, r->offline, &r->prompts,
			 &e) != 0)
		return bad_input(&e);
	return build_personas(r->cfg, &r->tables);
}

/* The runner's backend_new: offline or OpenAI-compatible. */
static int
make_backend(void *ud, uv_loop_t *loop, struct backend **out)
{
	struct run *r = ud;
	struct pf_error e;

	pf_error_clear(&e);
	if (r->offline)
		return offline_backend_new(loop, 4096, out) == 0
		       ? 0 : PF_EXIT_RUNTIME;
	if (openai_backend_new(loop, &r->ec, out, &e) != 0) {
		pf_error_print(&e);
		return PF_EXIT_USAGE;
	}
	return 0;
}

/* Wait for the writer thread to commit everything queued. */
static int
close_queue(struct run *r)
{
	struct pf_error e;
	int rc;

	pf_error_clear(&e);
	rc = sqlq_close(r->q, &e);
	r->q = NULL;
	if (rc != 0) {
		snprintf(e.file, sizeof(e.file), "%s", r->out);
		pf_error_print(&e);
	}
	return rc;
}

static void
free_run(struct run *r)
{
	close_queue(r);
	writer_close(r->w);
	journal_close(r->j);
	dataset_close(r->ds);
	persona_tables_free(r->tables);
	prompts_free(r->prompts);
	preview_reqs_free(r->reqs);
	engine_config_free(&r->ec);
	config_free(r->cfg);
	free(r->out);
}

static const struct runner_exits build_exits = {
	.quota = "stopped: the server says the quota is exhausted",
	.auth = "stopped: authentication failed (check the API key variable)",
	.budget = "stopped: the budget is reached; raise it and run the "
		  "same command to resume",
	.unreachable = "stopped: no endpoint could be reached; nothing was "
		       "marked failed, run the same command again once the "
		       "server is up",
};

/* The exit status of a run the loop went through, from its stops and
 * the journal's counts. */
static int
outcome(struct run *r, const struct sched_result *res,
	const struct build_tally *t)
{
	int code = runner_exit_code(&res->run, &build_exits), failed;
	struct pf_error e;

	code = status_merge(code, build_tally_code(t));
	if (!res->run.interrupted && (res->run.stop == LLM_OK ||
	    res->run.stop == LLM_ABANDONED) && t->unfinished > 0) {
		log_error("the run ended with %" PRId64 " of %" PRId64
			  " items unfinished; run the same command again",
			  t->unfinished, res->total);
		code = status_merge(code, PF_EXIT_RUNTIME);
	}
	pf_error_clear(&e);
	if (dataset_gates_judge(r->ds, r->cfg->auditors, r->cfg->nauditors,
				r->a.gates, (size_t)r->a.ngates, &failed,
				&e) != 0) {
		log_error("%s: %s", r->out, e.msg);
		return status_merge(code, PF_EXIT_RUNTIME);
	}
	if (failed > 0)
		code = status_merge(code, PF_EXIT_GATE);
	return code;
}

/* The narratives' near-duplicate line (generators/dedup.h), when any
 * narrative was checked in this run. */
static void
print_dedup(FILE *out, const struct run *r)
{
	struct gen_dedup_counts n;

	gen_dedup_counts(r->cfg, &n);
	if (n.checked == 0)
		return;
	fprintf(out, "  near-duplicate narratives: %" PRId64 " of %" PRId64
		" first drafts (%.2f%%), %" PRId64 " redraws, %" PRId64
		" kept after the last redraw (%.2f%%)\n", n.duplicates,
		n.checked, 100.0 * (double)n.duplicates / (double)n.checked,
		n.redraws, n.kept, 100.0 * (double)n.kept / (double)n.checked);
}

/* Count what the journal holds into *t (unless `counted`: *t holds it,
 * read while the end passes ran) and say it (unless -q). Returns 0, or
 * PF_EXIT_RUNTIME when the journal cannot be read. */
static int
summary(const struct run *r, const struct sched_result *res, int counted,
	struct build_tally *t)
{
	struct pf_error e;
	FILE *out;

	pf_error_clear(&e);
	if (!counted && build_tally(r->j, &r->so, t, &e) != 0) {
		snprintf(e.file, sizeof(e.file), "%s", r->out);
		pf_error_print(&e);
		return PF_EXIT_RUNTIME;
	}
	if (r->a.quiet)
		return 0;
	/* with --log-format json each line becomes one JSON message */
	if ((out = log_stream_open()) == NULL)
		return PF_EXIT_RUNTIME;
	build_tally_print(out, r->out, &r->so, t, res);
	print_dedup(out, r);
	if (res->sent == 0 && res->failed == 0 && res->reused > 0 &&
	    t->done == res->total && !res->run.interrupted)
		fprintf(out, "personaforge: nothing new to send: every item "
			"was reused from the journal\n");
	log_stream_close(out, PF_LOG_INFO);
	return 0;
}

/* The runner's prepare: the backend could be made, so open the dataset
 * (nothing is created for a run that cannot start). */
static int
prepare(void *ud)
{
	struct run *r = ud;
	int rc = open_output(r);

	r->so.journal = r->j;
	r->so.sink = r->w;
	return rc;
}

/* Drive the scheduler through the runner; the dataset is complete and
 * committed when this returns 0. */
static int
run_sched(struct run *r, struct sched_result *res)
{
	struct sched_opts o = {
		.cfg = r->cfg, .table = &gen_stage_table, .hooks_ud = &r->g,
		.prompts = r->prompts, .model = r->model,
		.offline = r->offline,
		.window = r->offline ? 4096 : 16384,
	};
	struct runner_opts ro = {
		.label = "build", .backend_new = make_backend,
		.prepare = prepare, .backend_ud = r,
		.grace_ms = r->offline ? 0 : r->ec.grace_ms,
		/* Paid replies are committed within milliseconds of
		 * arriving. */
		.commit_ms = r->offline ? 100 : 5,
		.progress = !r->a.quiet, .out_name = r->out,
		.own_summary = 1,
	};
	struct sched *s;
	struct pf_error e;
	int rc;

	r->g = (struct gen_context){
		.cfg = r->cfg, .tables = r->tables, .prompts = r->prompts,
		.offline = r->offline,
	};
	r->so = o;
	shard_range(&r->a.shard, r->cfg->personas, &r->so.first, &r->so.end);
	/* a preview runs the first N personas of the run as it would */
	if (r->a.preview > 0 && r->so.end - r->so.first > r->a.preview)
		r->so.end = r->so.first + r->a.preview;
	if (r->reqs != NULL) {
		r->so.on_request = preview_reqs_add;
		r->so.request_ud = r->reqs;
	}
	pf_error_clear(&e);
	if (sched_new(&r->so, res, &e, &s) != 0)
		return PF_EXIT_RUNTIME;
	ro.ud = s;
	rc = runner_run(&ro, &sched_runner_ops, &res->run);
	if (sched_free(s) != 0) {
		pf_error_print(&e);
		rc = PF_EXIT_RUNTIME;
	}
	if (r->q != NULL && close_queue(r) != 0 && rc == 0)
		rc = PF_EXIT_RUNTIME;
	return rc;
}

/* A disk full or another write error after the dataset opened: say what
 * the journal holds, and keep the error's exit status. */
static int
after_error(struct run *r, const struct sched_result *res, int rc)
{
	struct build_tally t;

	if (r->j != NULL && summary(r, res, 0, &t) == 0 && !r->a.quiet)
		log_error("%s: the build stopped on a write error; the "
			  "counts above are what the dataset holds, and the "
			  "same command resumes once it is fixed", r->out);
	return rc;
}

/* The dataset-wide passes of the auditors that have one, over the whole
 * dataset once every row has landed (output/audit.h reruns such an
 * auditor whole, replacing its findings). Returns 0, or -1 with e. */
static int
wide_pass(struct run *r, struct pf_error *e)
{
	return dataset_audit_wide(r->ds, r->cfg->auditors, r->cfg->nauditors,
				  e);
}

/* The safety auditor's LLM judge when its config asks for it
 * (output/safetyllm.h), after the offline passes. Returns 0 or an exit
 * code. */
static int
judge_pass(struct run *r)
{
	struct safetyllm_counts c;
	struct pf_error e;
	int rc = safetyllm_run(r->ds, r->cfg->auditors, r->cfg->nauditors,
			       &r->ec, r->a.quiet, &c);

	if (rc != 0 || c.calls == 0)
		return rc;
	/* The measures read what the pass stored: the judge auditor's
	 * calibration of its pairwise comparisons, the quarantine it
	 * added. */
	pf_error_clear(&e);
	if (dataset_exec(r->ds, "BEGIN IMMEDIATE", &e) != 0 ||
	    dataset_measure(r->ds, r->cfg->auditors, r->cfg->nauditors,
			    &e) != 0 ||
	    dataset_exec(r->ds, "COMMIT", &e) != 0) {
		dataset_exec(r->ds, "ROLLBACK", NULL);
		pf_error_print(&e);
		return PF_EXIT_RUNTIME;
	}
	return 0;
}

/* build --report FILE: the dataset's report once the build ended. */
static int
report_written(const struct run *r)
{
	int rc = report_file_write(r->ds, r->a.report);

	if (rc == 0 && !r->a.quiet)
		log_info("%s: wrote the report %s", r->out, r->a.report);
	return rc;
}

static int
run_build(struct run *r)
{
	struct build_tally_ahead *ahead;
	struct sched_result res;
	struct build_tally t;
	struct pf_error e;
	int rc, counted;

	if ((rc = load_inputs(r)) != 0)
		return rc;
	r->model = r->offline ? OFFLINE_MODEL : r->ec.endpoints[0].model;
	memset(&res, 0, sizeof(res));
	if ((rc = run_sched(r, &res)) != 0)
		return after_error(r, &res, rc);
	pf_error_clear(&e);
	/* The journal is counted on the other core meanwhile; the passes
	 * scan whole tables, which the file's mapping serves cheaper than
	 * pread (a setting of the connection: no byte changes). */
	ahead = build_tally_ahead_start(r->out, &r->so);
	(void)dataset_exec(r->ds, AHEAD_MMAP_PRAGMA, NULL);
	if (wide_pass(r, &e) != 0 ||
	    dataset_propagate_quarantine(r->ds, &e) != 0) {
		build_tally_ahead_end(ahead, &t);
		pf_error_print(&e);
		return after_error(r, &res, PF_EXIT_RUNTIME);
	}
	if ((rc = judge_pass(r)) != 0) {
		build_tally_ahead_end(ahead, &t);
		return after_error(r, &res, rc);
	}
	counted = build_tally_ahead_end(ahead, &t) == 0;
	/* One file from here on: readers need not create -wal/-shm. */
	if (dataset_finish(r->ds, &e) != 0)
		log_warn("%s: left in WAL mode (%s); it is intact", r->out,
			 e.msg);
	if ((rc = summary(r, &res, counted, &t)) != 0)
		return rc;
	rc = outcome(r, &res, &t);
	if (r->a.report != NULL)
		rc = status_merge(rc, report_written(r));
	return rc;
}

static const char build_help[] =
	"  -o, --output FILE     dataset to write (default: CONFIG's base "
	"name + .db)\n"
	"      --personas N      number of personas (overrides the config)\n"
	"      --seed S          run seed (overrides the config)\n"
	"      --backend B       offline or openai (default: openai when an "
	"endpoint\n"
	"                        is configured, else offline)\n"
	"      --base-url URL    send requests to this OpenAI-compatible "
	"server\n"
	"      --model NAME      model name to request (with --base-url)\n"
	"      --api-key-env V   environment variable holding the API key\n"
	"      --overwrite       replace a dataset built from another config\n"
	"      --shard I/N       build shard I (from 0) of N: the personas\n"
	"                        floor(I*P/N) .. floor((I+1)*P/N)-1, as a whole\n"
	"                        build makes them; 'slurm' takes I and N from\n"
	"                        a Slurm array job; 'personaforge merge' joins\n"
	"                        the shards\n"
	"      --gate A:SEV=MAX  fail (exit 3) when auditor A has more than MAX\n"
	"                        real-looking findings at or above SEV (besides\n"
	"                        the config's gates); repeatable\n"
	"      --dry-run         print the plan (items per stage, requests,\n"
	"                        estimated tokens and cost) and stop\n"
	"      --preview N       build the first N personas in a scratch file,\n"
	"                        print their records to stdout as one JSON\n"
	"                        document and remove it: writes nothing\n"
	"      --show-prompts    with --preview: add the rendered requests\n"
	"      --report FILE     write the dataset's HTML report (as\n"
	"                        'personaforge report') at the end\n"
	"  -q, --quiet           no progress or summary\n"
	"  -v, --verbose         also log retries and why items are sent "
	"again\n"
	"      --log-format F    text (default) or json: every message on "
	"stderr\n"
	"                        as one JSON object a line (ts, level, item, "
	"msg)\n"
	"  -h, --help            this help\n\n"
	"Running the same command again resumes: finished items are reused,\n"
	"failed ones retried. Exit codes: see personaforge(1).\n";

enum { O_PERSONAS = 256, O_SEED, O_BACKEND, O_BASE_URL, O_MODEL, O_KEYENV,
	O_OVERWRITE, O_SHARD, O_GATE, O_LOG_FORMAT, O_DRY_RUN, O_PREVIEW,
	O_SHOW_PROMPTS, O_REPORT };

static const struct option build_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "personas", required_argument, NULL, O_PERSONAS },
	{ "seed", required_argument, NULL, O_SEED },
	{ "backend", required_argument, NULL, O_BACKEND },
	{ "base-url", required_argument, NULL, O_BASE_URL },
	{ "model", required_argument, NULL, O_MODEL },
	{ "api-key-env", required_argument, NULL, O_KEYENV },
	{ "overwrite", no_argument, NULL, O_OVERWRITE },
	{ "shard", required_argument, NULL, O_SHARD },
	{ "gate", required_argument, NULL, O_GATE },
	{ "quiet", no_argument, NULL, 'q' },
	{ "verbose", no_argument, NULL, 'v' },
	{ "log-format", required_argument, NULL, O_LOG_FORMAT },
	{ "dry-run", no_argument, NULL, O_DRY_RUN },
	{ "preview", required_argument, NULL, O_PREVIEW },
	{ "show-prompts", no_argument, NULL, O_SHOW_PROMPTS },
	{ "report", required_argument, NULL, O_REPORT },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

/* --log-format F. Returns -1 to go on, else an exit code. */
static int
log_format_opt(const struct cmd_entry *c, const char *arg)
{
	enum pf_log_format f;

	if (log_format_parse(arg, &f) != 0)
		return cmd_usage_error(c, "--log-format must be text or json, "
				       "not '%s'", arg);
	log_set_format(f);
	return -1;
}

/* A count from 0 to max for option `name` (the config file's range for
 * the same value), or a usage error. */
static int
count_opt(const struct cmd_entry *c, const char *name, const char *arg,
	  int64_t max, int64_t *out)
{
	if ((*out = cmd_parse_count(arg)) >= 0 && *out <= max)
		return -1;
	if (*out >= 0 || (arg[0] >= '0' && arg[0] <= '9' &&
			  strspn(arg, "0123456789") == strlen(arg)))
		return cmd_usage_error(c, "%s must be from 0 to %" PRId64
				       ", not '%s'", name, max, arg);
	return cmd_usage_error(c, "%s needs a non-negative integer, not '%s'",
			       name, arg);
}

/* --shard I/N or slurm; returns -1 to go on, else an exit code. */
static int
shard_opt(const struct cmd_entry *c, const char *arg, struct shard *s)
{
	char msg[256];

	if (shard_parse(arg, s, msg, sizeof(msg)) == 0)
		return -1;
	return cmd_usage_error(c, "%s", msg);
}

/* --preview N: 1 to PREVIEW_MAX personas. */
static int
preview_opt(const struct cmd_entry *c, const char *arg, int64_t *out)
{
	int rc = count_opt(c, "--preview", arg, PREVIEW_MAX, out);

	if (rc < 0 && *out == 0)
		return cmd_usage_error(c, "--preview must be from 1 to %d, "
				       "not '%s'", PREVIEW_MAX, arg);
	return rc;
}

/* One option; returns -1 to go on, else an exit code. */
static int
one_opt(const struct cmd_entry *c, int opt, int build_only,
	struct build_args *a, char **argv)
{
	if (!build_only && (opt == 'o' || opt == 'q' || opt == 'v' ||
			    opt == O_OVERWRITE || opt == O_GATE ||
			    opt == O_LOG_FORMAT || opt == O_DRY_RUN ||
			    opt == O_PREVIEW || opt == O_SHOW_PROMPTS ||
			    opt == O_REPORT))
		opt = '?';
	switch (opt) {
	case 'o': a->out = optarg; return -1;
	case 'q': a->quiet = 1; return -1;
	case 'v': log_set_level(PF_LOG_DEBUG); return -1;
	case O_OVERWRITE: a->overwrite = 1; return -1;
	case O_GATE: return cmd_parse_gate(c, optarg, NULL, a->gates,
					   &a->ngates);
	case O_LOG_FORMAT: return log_format_opt(c, optarg);
	case O_DRY_RUN: a->dry_run = 1; return -1;
	case O_PREVIEW: return preview_opt(c, optarg, &a->preview);
	case O_SHOW_PROMPTS: a->show_prompts = 1; return -1;
	case O_REPORT: a->report = optarg; return -1;
	case 'h': cmd_usage(c, stdout); return PF_EXIT_OK;
	case O_PERSONAS: return count_opt(c, "--personas", optarg,
					  CONFIG_PERSONAS_MAX, &a->personas);
	case O_SEED: return count_opt(c, "--seed", optarg, CONFIG_SEED_MAX,
				      &a->seed);
	case O_BACKEND:
		a->backend = optarg;
		if (strcmp(optarg, "offline") == 0 ||
		    strcmp(optarg, "openai") == 0)
			return -1;
		return cmd_usage_error(c, "--backend must be offline or "
				       "openai, not '%s'", optarg);
	case O_BASE_URL: a->base_url = optarg; return -1;
	case O_MODEL: a->model = optarg; return -1;
	case O_KEYENV: a->api_key_env = optarg; return -1;
	case O_SHARD: return shard_opt(c, optarg, &a->shard);
	default:
		return cmd_usage_error(c, "unknown or incomplete option '%s'",
				       argv[optind - 1]);
	}
}

/* Options that do not go together; -1 to go on, else the exit code. */
static int
mode_conflicts(const struct cmd_entry *c, const struct build_args *a)
{
	if (a->show_prompts && a->preview < 0)
		return cmd_usage_error(c, "--show-prompts needs --preview N");
	if (a->dry_run && a->preview >= 0)
		return cmd_usage_error(c, "--dry-run and --preview do not go "
				       "together");
	if ((a->dry_run || a->preview >= 0) &&
	    (a->out != NULL || a->overwrite || a->shard.count > 1 ||
	     a->report != NULL))
		return cmd_usage_error(c, "--%s writes no dataset: it takes "
				       "no -o, --overwrite, --shard or --report",
				       a->dry_run ? "dry-run" : "preview");
	return -1;
}

int
build_parse_args(const struct cmd_entry *c, int argc, char **argv,
		 int build_only, struct build_args *a)
{
	int opt, rc = -1;

	memset(a, 0, sizeof(*a));
	a->personas = a->seed = a->preview = -1;
	a->shard.count = 1;
	optind = 1;
	opterr = 0;
	while (rc < 0 &&
	       (opt = getopt_long(argc, argv, "o:qvh", build_opts, NULL)) != -1)
		rc = one_opt(c, opt, build_only, a, argv);
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return cmd_usage_error(c, "expected exactly one CONFIG");
	a->config = argv[optind];
	return mode_conflicts(c, a);
}

/* build --dry-run: validate's checks and plan. */
static int
dry_run(const struct build_args *a)
{
	struct pf_config *cfg = NULL;
	struct engine_config ec;
	struct prompts *p = NULL;
	int offline = 1, rc;

	engine_config_init(&ec);
	if ((rc = plan_load(a, &cfg, &ec, &offline, &p)) == 0)
		plan_print(cfg, &ec, offline, p, "dry run (no request sent, "
			   "no file written)");
	prompts_free(p);
	engine_config_free(&ec);
	config_free(cfg);
	return rc;
}

/* Print the preview's dataset (and requests) to stdout. */
static int
print_preview(struct run *r)
{
	struct pf_error e;
	char *reqs = NULL;
	int rc = 0;

	pf_error_clear(&e);
	if (r->reqs != NULL && (reqs = preview_reqs_json(r->reqs)) == NULL) {
		log_error("cannot keep the rendered requests (out of memory, "
			  "or over %zu bytes)", PREVIEW_REQ_MAX_BYTES);
		return PF_EXIT_RUNTIME;
	}
	if (jsonl_export_stream(r->ds, stdout, EXPORT_QUARANTINED, reqs,
				&e) != 0) {
		pf_error_print(&e);
		rc = PF_EXIT_RUNTIME;
	}
	free(reqs);
	return rc;
}

/* build --preview N: a build of the first N personas into a scratch
 * directory, printed and removed. Returns the build's exit status. */
static int
preview(struct run *r)
{
	char *dir = NULL;
	int rc;

	r->a.quiet = 1;
	if (preview_dir_make(&dir) != 0 ||
	    asprintf(&r->out, "%s/preview.db", dir) < 0) {
		r->out = NULL;
		preview_dir_remove(dir);
		free(dir);
		return PF_EXIT_RUNTIME;
	}
	rc = r->a.show_prompts && preview_reqs_new(&r->reqs) != 0 ?
	     PF_EXIT_RUNTIME : run_build(r);
	if (r->ds != NULL && rc != PF_EXIT_RUNTIME && rc != PF_EXIT_USAGE)
		rc = status_merge(rc, print_preview(r));
	free_run(r);
	preview_dir_remove(dir);
	free(dir);
	return rc;
}

static int
exec_build(int argc, char **argv)
{
	struct run r;
	int rc;

	memset(&r, 0, sizeof(r));
	if ((rc = build_parse_args(&cmd_build_entry, argc, argv, 1,
				   &r.a)) >= 0)
		return rc;
	if (r.a.dry_run)
		return dry_run(&r.a);
	/* From here a signal stops the build, whenever it comes (a
	 * background job of a script starts with SIGINT ignored). */
	interrupt_catch();
	rc = build_load(&r.a, &r.cfg, &r.ec, &r.offline);
	if (rc == 0 && r.a.preview > 0) {
		rc = preview(&r);   /* frees r */
	} else {
		if (rc == 0) {
			r.out = r.a.out ? strdup(r.a.out) :
			    default_out(r.a.config);
			rc = r.out ? run_build(&r) : PF_EXIT_RUNTIME;
		}
		free_run(&r);
	}
	if (interrupt_caught() != 0)
		rc = status_merge(rc, PF_EXIT_INTERRUPTED);
	return rc;
}

const struct cmd_entry cmd_build_entry = {
	.name = "build",
	.usage = "CONFIG [-o OUT.db] [--personas N] [--seed S] "
		 "[--backend offline|openai]\n"
		 "       [--base-url URL --model NAME] [--api-key-env VAR] "
		 "[--shard I/N|slurm] [--overwrite]\n       [--gate AUDITOR:SEVERITY=MAX ...] [-q]",
	.summary = "build (or resume) a persona dataset from a config",
	.help = build_help,
	.exec = exec_build,
};
