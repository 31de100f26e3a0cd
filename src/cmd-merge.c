/* cmd-merge.c - personaforge merge: shards into the dataset one machine
 * would have built.
 *
 * The shards must be the N shards of one build (same config hash, seed,
 * persona count, backend, model and version; every index 0..N-1 once;
 * each finished). Their rows are copied verbatim (output/merge.h) into a
 * new file written under a temporary name and renamed into place when
 * complete; then the dataset-wide auditor passes run over the whole of
 * it and quarantine is carried over, as at the end of a build.
 * Nothing is sent: a later `build` of the merged file reuses every item.
 */
#include <errno.h>
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/error.h"
#include "base/log.h"
#include "auditors/policy.h"
#include "base/status.h"
#include "output/complete.h"
#include "output/dataset.h"
#include "output/audit.h"
#include "output/merge.h"
#include "src/cmd.h"
#include "src/shard.h"

/* What a shard's run row says about the build it belongs to. */
struct part {
	const char *path;
	struct dataset *ds;
	char hash[80], backend[32], model[256], version[32];
	int64_t seed, personas, index, count;
};

struct merge_args {
	const char *out;
	char **shards;
	int n;
	int quiet;
};

static const struct option long_opts[] = {
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static int
parse_args(int argc, char **argv, struct merge_args *a)
{
	int c;

	opterr = 0;
	optind = 0;
	while ((c = getopt_long(argc, argv, "qh", long_opts, NULL)) != -1) {
		if (c == 'q') {
			a->quiet = 1;
		} else if (c == 'h') {
			cmd_usage(&cmd_merge_entry, stdout);
			return PF_EXIT_OK;
		} else {
			return cmd_usage_error(&cmd_merge_entry,
				"bad option '%s'", argv[optind - 1]);
		}
	}
	if (argc - optind < 2)
		return cmd_usage_error(&cmd_merge_entry, "merge needs OUT.db "
				       "and at least one SHARD.db");
	a->out = argv[optind];
	a->shards = argv + optind + 1;
	a->n = argc - optind - 1;
	return -1;
}

static void
copy_col(sqlite3_stmt *st, int i, char *out, size_t n)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	snprintf(out, n, "%s", s ? (const char *)s : "");
}

/* Open shard p->path read-only and read its run row and progress.
 * Returns 0, or an exit code after printing why. */
static int
part_open(struct part *p)
{
	struct dataset_progress pr;
	struct pf_error e;
	sqlite3_stmt *st;
	int rc;

	pf_error_clear(&e);
	if (cmd_dataset_read(p->path, &p->ds) != 0)
		return PF_EXIT_USAGE;
	st = dataset_prepare(p->ds, "SELECT config_hash, backend, model, "
			     "version, seed, personas, shard_index, "
			     "shard_count FROM run WHERE id = 1", &e);
	if (st == NULL)
		return pf_error_print(&e), PF_EXIT_RUNTIME;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		copy_col(st, 0, p->hash, sizeof(p->hash));
		copy_col(st, 1, p->backend, sizeof(p->backend));
		copy_col(st, 2, p->model, sizeof(p->model));
		copy_col(st, 3, p->version, sizeof(p->version));
		p->seed = sqlite3_column_int64(st, 4);
		p->personas = sqlite3_column_int64(st, 5);
		p->index = sqlite3_column_int64(st, 6);
		p->count = sqlite3_column_int64(st, 7);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW) {
		fprintf(stderr, "personaforge: %s: no run row: not a built "
			"shard\n", p->path);
		return PF_EXIT_USAGE;
	}
	if (dataset_progress_read(p->ds, &pr, &e) != 0)
		return pf_error_print(&e), PF_EXIT_RUNTIME;
	if (dataset_progress_finished(&pr))
		return 0;
	fprintf(stderr, "personaforge: %s: unfinished shard: %" PRId64 " of %"
		PRId64 " personas complete (%" PRId64 " items not done); run "
		"its build again to finish it before the merge\n", p->path,
		pr.complete, pr.expected, pr.undone);
	return PF_EXIT_USAGE;
}

/* 0 if q belongs to the same build as p, else 2 after naming the field. */
static int
same_build(const struct part *p, const struct part *q)
{
	const char *what = NULL;
	char a[300], b[300];

	if (strcmp(p->hash, q->hash) != 0)
		what = "config hash", snprintf(a, sizeof(a), "%s", p->hash),
		snprintf(b, sizeof(b), "%s", q->hash);
	else if (p->seed != q->seed || p->personas != q->personas ||
		 p->count != q->count)
		what = "seed, persona count or shard count",
		snprintf(a, sizeof(a), "%" PRId64 ", %" PRId64 ", %" PRId64,
			 p->seed, p->personas, p->count),
		snprintf(b, sizeof(b), "%" PRId64 ", %" PRId64 ", %" PRId64,
			 q->seed, q->personas, q->count);
	else if (strcmp(p->backend, q->backend) != 0 ||
		 strcmp(p->model, q->model) != 0)
		what = "backend and model",
		snprintf(a, sizeof(a), "%s %s", p->backend, p->model),
		snprintf(b, sizeof(b), "%s %s", q->backend, q->model);
	else if (strcmp(p->version, q->version) != 0)
		what = "personaforge version",
		snprintf(a, sizeof(a), "%s", p->version),
		snprintf(b, sizeof(b), "%s", q->version);
	if (what == NULL)
		return 0;
	fprintf(stderr, "personaforge: %s and %s are not shards of one build: "
		"%s %s and %s\n", p->path, q->path, what, a, b);
	return PF_EXIT_USAGE;
}

/* Every index 0..N-1 exactly once; else 2 after naming the shards. */
static int
complete_set(struct part *parts, int n)
{
	int64_t count = parts[0].count, i;
	int k, j, found, rc = 0;

	for (k = 0; k < n; k++)
		for (j = k + 1; j < n; j++)
			if (parts[k].index == parts[j].index) {
				fprintf(stderr, "personaforge: %s and %s "
					"overlap: both are shard %" PRId64
					"/%" PRId64 "\n", parts[k].path,
					parts[j].path, parts[k].index, count);
				rc = PF_EXIT_USAGE;
			}
	for (i = 0; i < count && rc == 0; i++) {
		for (found = 0, k = 0; k < n; k++)
			found |= parts[k].index == i;
		if (!found) {
			fprintf(stderr, "personaforge: shard %" PRId64 "/%"
				PRId64 " is missing (the build has %" PRId64
				" shards; %d given)\n", i, count, count, n);
			rc = PF_EXIT_USAGE;
		}
	}
	return rc;
}

/* Open and check every shard; sort them by index. */
static int
check_parts(struct part *parts, int n)
{
	struct part tmp;
	int k, j, rc;

	for (k = 0; k < n; k++)
		if ((rc = part_open(&parts[k])) != 0)
			return rc;
	for (k = 1; k < n; k++)
		if ((rc = same_build(&parts[0], &parts[k])) != 0)
			return rc;
	for (k = 1; k < n; k++)
		for (j = k; j > 0 && parts[j - 1].index > parts[j].index;
		     j--) {
			tmp = parts[j];
			parts[j] = parts[j - 1];
			parts[j - 1] = tmp;
		}
	return complete_set(parts, n);
}

/* The dataset-wide passes of the build's auditors over the merged
 * dataset, as a single build runs them at its end: each shard saw only
 * its own rows. Returns 0, or -1 with e. */
static int
wide_pass(struct dataset *dst, struct pf_error *e)
{
	struct audit_instance *v = NULL;
	size_t nv = 0;
	int rc;

	if (dataset_stored_auditors(dst, &v, &nv, e) != 0)
		return -1;
	rc = dataset_audit_wide(dst, v, nv, e);
	audit_instances_free(v, nv);
	return rc;
}

/* Copy the shards into dst in index order, in one transaction. */
static int
copy_all(struct dataset *dst, struct part *parts, int n)
{
	struct pf_error e;
	int k, rc;

	pf_error_clear(&e);
	if (dataset_exec(dst, "BEGIN", &e) != 0)
		return pf_error_print(&e), PF_EXIT_RUNTIME;
	rc = dataset_merge_run(dst, parts[0].ds, &e);
	for (k = 0; rc == 0 && k < n; k++)
		rc = dataset_merge_copy(dst, parts[k].ds, &e);
	if (rc == 0 && dataset_exec(dst, "COMMIT", &e) == 0 &&
	    wide_pass(dst, &e) == 0 &&
	    dataset_propagate_quarantine(dst, &e) == 0)
		return 0;
	pf_error_print(&e);
	return rc == 1 ? PF_EXIT_DAMAGED : PF_EXIT_RUNTIME;
}

/* Remove a failed merge's file and whatever SQLite left beside it. */
static void
remove_tmp(const char *tmp)
{
	static const char *const tails[] = { "", "-wal", "-shm", "-journal" };
	char p[4200];
	size_t i;

	for (i = 0; i < sizeof(tails) / sizeof(tails[0]); i++) {
		snprintf(p, sizeof(p), "%s%s", tmp, tails[i]);
		unlink(p);
	}
}

/* Write the merge to a temporary file beside out, then rename it. */
static int
write_merge(const struct merge_args *a, struct part *parts)
{
	struct dataset *dst = NULL;
	struct pf_error e;
	char tmp[4096];
	int rc;

	if (snprintf(tmp, sizeof(tmp), "%s.merge-%ld", a->out,
		     (long)getpid()) >= (int)sizeof(tmp))
		return cmd_usage_error(&cmd_merge_entry, "OUT path too long");
	pf_error_clear(&e);
	if (dataset_open(tmp, DATASET_WRITE, &dst, &e) != 0)
		return pf_error_print(&e), PF_EXIT_RUNTIME;
	rc = copy_all(dst, parts, a->n);
	if (rc == 0 && dataset_finish(dst, &e) != 0)
		rc = (pf_error_print(&e), PF_EXIT_RUNTIME);
	dataset_close(dst);
	if (rc == 0 && rename(tmp, a->out) != 0) {
		fprintf(stderr, "personaforge: %s: %s\n", a->out,
			strerror(errno));
		rc = PF_EXIT_RUNTIME;
	}
	if (rc != 0)
		remove_tmp(tmp);
	return rc;
}

static int
exec_merge(int argc, char **argv)
{
	struct merge_args a = { NULL, NULL, 0, 0 };
	struct part *parts;
	int k, rc;

	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	if (access(a.out, F_OK) == 0) {
		fprintf(stderr, "personaforge: %s: exists; merge writes a new "
			"file\n", a.out);
		return PF_EXIT_USAGE;
	}
	parts = calloc((size_t)a.n, sizeof(*parts));
	if (parts == NULL)
		return PF_EXIT_RUNTIME;
	for (k = 0; k < a.n; k++)
		parts[k].path = a.shards[k];
	rc = check_parts(parts, a.n);
	if (rc == 0)
		rc = write_merge(&a, parts);
	if (rc == 0 && !a.quiet)
		fprintf(stderr, "personaforge: merged %d shards into %s\n",
			a.n, a.out);
	for (k = 0; k < a.n; k++)
		dataset_close(parts[k].ds);
	free(parts);
	return rc;
}

const struct cmd_entry cmd_merge_entry = {
	.name = "merge",
	.usage = "OUT.db SHARD.db... [-q]",
	.summary = "join the shards of a build (build --shard I/N) into one "
		"dataset",
	.help =
	"The shards must be all N shards of one build: the same config,\n"
	"seed, persona count, backend, model and personaforge version, each\n"
	"finished. Their rows are copied as they are (each row's checksum is\n"
	"checked) into OUT.db, a new file; it exports byte-identical to a\n"
	"single build of the same config, and a later build of it sends\n"
	"nothing.\n"
	"\n"
	"Options:\n"
	"  -q, --quiet  say nothing on success\n"
	"  -h, --help   show this help\n"
	"\n"
	"Exit status: 0 merged, 2 shards that do not belong together (or\n"
	"overlap, are missing or unfinished) or OUT exists, 11 a damaged\n"
	"row in a shard, 1 an I/O error. A failed merge leaves no OUT.\n",
	.exec = exec_merge,
};
