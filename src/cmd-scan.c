/* cmd-scan.c - personaforge scan: run auditors over any JSONL file.
 *
 * Each line is one JSON object; the string at --text-field (and the one
 * at --query-field) is handed to the in-stream pass of every auditor
 * named by --auditors as one row (table "input"). Every finding is one
 * JSON object a line on stdout: the line number, the input's id (its JSON
 * value as written, or null), auditor, version, rule, severity,
 * synthetic, field, span ([start, end) byte offsets into the decoded
 * string), masked (never a real value in full), reason and threshold
 * (the gates in force for that auditor). A line that cannot be audited
 * (over 16 MiB, not a JSON object, no text field, a text that is not a
 * string) is a finding of the pseudo-auditor "input" with its line
 * number, and the scan goes on. A summary goes to stderr; gates
 * (--gate AUDITOR:SEVERITY=MAX) fail the run with exit 3.
 *
 * It streams: a line is read into a buffer that grows only while lines
 * are longer, up to 16 MiB (base/lines.h); a field is decoded in place
 * when it holds no escape, else into one allocation freed with the line;
 * no JSON tree is built (base/jscan.h). Peak memory is about twice the
 * longest line, whatever the number of lines.
 */
#include <getopt.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "auditors/auditor.h"
#include "auditors/canary.h"
#include "auditors/policy.h"
#include "base/buf.h"
#include "base/error.h"
#include "base/jscan.h"
#include "base/json.h"
#include "base/lines.h"
#include "base/status.h"
#include "base/suggest.h"
#include "src/cmd.h"

#define SCAN_MAX_LINE (16u << 20)   /* longer lines are findings */
#define SCAN_MAX_AUDITORS 16
#define INPUT_AUDITOR "input"      /* findings about the input itself */
#define INPUT_VERSION "1"
#define OUT_MAX (1u << 16)         /* one output line */

struct scan_args {
	const char *in, *auditors, *text, *id, *persona, *query, *canaries;
	struct audit_gate gates[AUDIT_MAX_GATES];
	int ngates;
};

/* Real-looking findings per auditor (index; the last is "input") and
 * severity, for the gates and the summary. */
struct scan_run {
	const struct scan_args *a;
	struct audit_instance inst[SCAN_MAX_AUDITORS];
	int ninst;
	char threshold[SCAN_MAX_AUDITORS + 1][128];
	int64_t real[SCAN_MAX_AUDITORS + 1][AUDIT_NSEVERITY];
	int64_t synthetic, lines, skipped;
	struct buf out;
	/* The line being scanned. */
	long lineno;
	struct jspan id;
	int cur;                         /* instance reporting now */
};

static const struct option long_opts[] = {
	{ "auditors", required_argument, NULL, 'a' },
	{ "text-field", required_argument, NULL, 't' },
	{ "id-field", required_argument, NULL, 'i' },
	{ "persona-field", required_argument, NULL, 'p' },
	{ "query-field", required_argument, NULL, 'q' },
	{ "canaries", required_argument, NULL, 'c' },
	{ "gate", required_argument, NULL, 'g' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 },
};

static const char *const input_extra[] = { INPUT_AUDITOR, NULL };

/* ---- output ---- */

/* Write the output line in r->out to stdout and clear it. */
static void
out_flush_line(struct scan_run *r)
{
	buf_putc(&r->out, '\n');
	fwrite(r->out.data, 1, r->out.len, stdout);
	buf_reset(&r->out);
}

/* The head every finding shares: line, id, auditor, version, rule,
 * severity, synthetic. */
static void
out_head(struct scan_run *r, const char *auditor, const char *version,
	 const char *rule, enum audit_severity sev, int synthetic)
{
	struct buf *b = &r->out;

	buf_printf(b, "{\"line\":%ld,\"id\":", r->lineno);
	if (r->id.p != NULL)
		buf_append(b, r->id.p, r->id.n);
	else
		buf_puts(b, "null");
	buf_puts(b, ",\"auditor\":");
	json_quote(b, auditor, strlen(auditor));
	buf_puts(b, ",\"version\":");
	json_quote(b, version, strlen(version));
	buf_puts(b, ",\"rule\":");
	json_quote(b, rule, strlen(rule));
	buf_printf(b, ",\"severity\":\"%s\",\"synthetic\":%s",
		   audit_severity_name(sev), synthetic ? "true" : "false");
}

/* The gates in force for counts k (null when none) and the closing
 * brace. */
static void
out_threshold(struct scan_run *r, int k)
{
	buf_puts(&r->out, ",\"threshold\":");
	if (r->threshold[k][0] == '\0')
		buf_puts(&r->out, "null");
	else
		json_quote(&r->out, r->threshold[k], strlen(r->threshold[k]));
	buf_putc(&r->out, '}');
}

/* A finding about the input line itself (auditor "input"). */
static void
input_finding(struct scan_run *r, const char *rule, enum audit_severity sev,
	      const char *reason)
{
	out_head(r, INPUT_AUDITOR, INPUT_VERSION, rule, sev, 0);
	buf_puts(&r->out, ",\"reason\":");
	json_quote(&r->out, reason, strlen(reason));
	out_threshold(r, r->ninst);
	out_flush_line(r);
	r->real[r->ninst][sev]++;
}

/* audit_emit_fn: one auditor finding as one output line. */
static void
on_hit(void *ud, const struct audit_hit *h)
{
	struct scan_run *r = ud;
	const struct auditor *a = r->inst[r->cur].auditor;
	enum audit_severity sev = (unsigned)h->severity < AUDIT_NSEVERITY ?
				  h->severity : AUDIT_CRITICAL;
	struct buf *b = &r->out;

	out_head(r, a->name, a->version, h->kind, sev, h->synthetic);
	buf_puts(b, ",\"field\":");
	json_quote(b, h->field, strlen(h->field));
	buf_printf(b, ",\"span\":[%zu,%zu],\"masked\":", h->offset,
		   h->offset + h->len);
	json_quote(b, h->masked, strlen(h->masked));
	buf_puts(b, ",\"reason\":");
	json_quote(b, h->reason, strlen(h->reason));
	out_threshold(r, r->cur);
	out_flush_line(r);
	if (h->synthetic)
		r->synthetic++;
	else
		r->real[r->cur][sev]++;
}

/* ---- one line ---- */

/* A decoded string field: in place when it has no escape (text points
 * into the line and its closing quote is replaced by a NUL, put back by
 * field_done), else a new allocation. */
struct field {
	char *text;
	size_t len;
	char *owned;
	char *quote;
};

/* Decode the string span v into f. Returns 0, or -1 when it holds \u0000
 * or memory runs out. */
static int
field_decode(const struct jspan *v, struct field *f)
{
	memset(f, 0, sizeof(*f));
	if (jscan_plain_string(v)) {
		f->text = (char *)v->p + 1;
		f->len = v->n - 2;
		f->quote = (char *)v->p + v->n - 1;
		*f->quote = '\0';
		return 0;
	}
	f->owned = jscan_string(v, &f->len);
	f->text = f->owned;
	return f->text != NULL ? 0 : -1;
}

static void
field_done(struct field *f)
{
	if (f->quote != NULL)
		*f->quote = '"';
	free(f->owned);
	memset(f, 0, sizeof(*f));
}

/* The persona a row belongs to: the persona field itself when it is a
 * string or a number ("p000042", 42: personaforge's JSONL files), else
 * the "id" or "persona_id" member of its object; -1 when there is none. */
static int64_t
persona_of(const struct jspan *v)
{
	static const char *const keys[] = { "id", "persona_id" };
	struct jspan m[2];
	int k;

	if (v->p != NULL && v->n >= 2 && v->p[0] == '"')
		return canary_persona_id(v->p + 1, v->n - 2);
	if (v->p != NULL && v->n > 0 && v->p[0] >= '0' && v->p[0] <= '9')
		return canary_persona_id(v->p, v->n);
	if (v->p == NULL || jscan_object(v->p, v->n, keys, 2, m) != 0)
		return -1;
	for (k = 0; k < 2; k++) {
		if (m[k].p == NULL)
			continue;
		if (m[k].p[0] == '"' && m[k].n >= 2)
			return canary_persona_id(m[k].p + 1, m[k].n - 2);
		return canary_persona_id(m[k].p, m[k].n);
	}
	return -1;
}

/* The persona field's object (span v, or none) as a JSON tree for the
 * auditors that judge a text against its persona: an empty object when
 * the line has none or it is not an object (every attribute is then
 * "Not specified"); NULL only when memory runs out. */
static cJSON *
persona_attrs(const struct jspan *v)
{
	struct json_error je;
	cJSON *o = NULL;

	if (v != NULL && v->p != NULL && v->p[0] == '{' &&
	    json_parse(v->p, v->n, &o, &je) == 0 && cJSON_IsObject(o))
		return o;
	cJSON_Delete(o);
	return cJSON_CreateObject();
}

/* Check the text and query members; decode them into f[]. Returns the
 * number of fields decoded, or -1 after an input finding. */
static int
line_fields(struct scan_run *r, const struct jspan *m, struct field *f,
	    const char **names)
{
	const char *want[2] = { r->a->text, r->a->query };
	const struct jspan *v[2] = { &m[0], &m[3] };
	int n = 0, k;

	if (m[0].p == NULL) {
		input_finding(r, "missing_field", AUDIT_LOW, "no text field: "
			      "the line was not audited");
		return -1;
	}
	for (k = 0; k < 2; k++) {
		if (want[k] == NULL || v[k]->p == NULL)
			continue;
		if (v[k]->p[0] != '"') {
			input_finding(r, "not_string", AUDIT_LOW, "a text "
				      "field that is not a string: the line "
				      "was not audited");
			goto fail;
		}
		if (field_decode(v[k], &f[n]) != 0) {
			input_finding(r, "nul_in_text", AUDIT_LOW, "a text "
				      "field holding \\u0000: the line was "
				      "not audited");
			goto fail;
		}
		names[n++] = want[k];
	}
	return n;
fail:
	while (n > 0)
		field_done(&f[--n]);
	return -1;
}

/* Audit one line (NUL-terminated, writable). */
static void
scan_line(struct scan_run *r, char *text, size_t len)
{
	const struct scan_args *a = r->a;
	const char *keys[4] = { a->text, a->id ? a->id : "id",
		a->persona ? a->persona : "", a->query ? a->query : "" };
	struct jspan m[4];
	struct field f[2];
	const char *names[2], *texts[2];
	struct audit_row row = { "input", "", -1, 0, names, texts, NULL,
				 a->query };
	cJSON *persona;
	int n, i;

	r->id.p = NULL;
	if (!jscan_valid(text, len) || jscan_object(text, len, keys, 4, m)) {
		input_finding(r, "not_json", AUDIT_MEDIUM, "not a JSON object: "
			      "the line was not audited");
		return;
	}
	r->id = m[1];
	if ((n = line_fields(r, m, f, names)) < 0)
		return;
	row.persona_id = a->persona != NULL ? persona_of(&m[2]) : -1;
	row.persona = persona = persona_attrs(a->persona != NULL ? &m[2]
					      : NULL);
	row.nfields = (size_t)n;
	for (i = 0; i < n; i++)
		texts[i] = f[i].text;
	for (r->cur = 0; r->cur < r->ninst; r->cur++)
		r->inst[r->cur].auditor->scan_row(r->inst[r->cur].cfg, &row,
						  on_hit, r);
	cJSON_Delete(persona);
	for (i = 0; i < n; i++)
		field_done(&f[i]);
}

/* ---- the run ---- */

static int
scan_file(struct scan_run *r)
{
	struct lines *l;
	struct line ln;
	struct pf_error err;
	enum lines_result lr;
	char why[128];

	pf_error_clear(&err);
	if (lines_open(r->a->in, SCAN_MAX_LINE, &l, &err) != 0) {
		pf_error_print(&err);
		return PF_EXIT_USAGE;
	}
	while ((lr = lines_next(l, &ln, &err)) != LINES_END &&
	       lr != LINES_ERROR) {
		r->lineno = ln.lineno;
		r->lines++;
		r->id.p = NULL;
		if (lr == LINES_LONG) {
			snprintf(why, sizeof(why), "line of %zu bytes, over "
				 "the %u-byte limit: not audited", ln.len,
				 SCAN_MAX_LINE);
			input_finding(r, "line_too_long", AUDIT_MEDIUM, why);
		} else if (strspn(ln.text, " \t") == ln.len) {
			r->lines--;
			r->skipped++;
		} else {
			scan_line(r, ln.text, ln.len);
		}
	}
	lines_close(l);
	if (lr == LINES_ERROR) {
		pf_error_print(&err);
		return PF_EXIT_RUNTIME;
	}
	return PF_EXIT_OK;
}

/* Index of the counts of auditor `name`, or -1 when it did not run. */
static int
counts_of(const struct scan_run *r, const char *name)
{
	int i;

	if (strcmp(name, INPUT_AUDITOR) == 0)
		return r->ninst;
	for (i = 0; i < r->ninst; i++)
		if (strcmp(r->inst[i].auditor->name, name) == 0)
			return i;
	return -1;
}

/* Judge every gate; returns how many failed. */
static int
judge_gates(const struct scan_run *r)
{
	int g, k, s, failed = 0;
	int64_t hits;

	for (g = 0; g < r->a->ngates; g++) {
		const struct audit_gate *gt = &r->a->gates[g];

		k = counts_of(r, gt->auditor);
		hits = 0;
		for (s = gt->severity; k >= 0 && s < AUDIT_NSEVERITY; s++)
			hits += r->real[k][s];
		failed += audit_gate_spec_verdict(gt, hits);
	}
	return failed;
}

/* "pii: 3 high, 1 medium real-looking" per auditor, on stderr. */
static void
summary(const struct scan_run *r)
{
	int k, s;

	fprintf(stderr, "personaforge scan: %s: %" PRId64 " lines read "
		"(and %" PRId64 " blank), %" PRId64 " synthetic findings "
		"(info)\n",
		r->a->in, r->lines, r->skipped, r->synthetic);
	for (k = 0; k <= r->ninst; k++) {
		fprintf(stderr, "  %-8s", k < r->ninst ?
			r->inst[k].auditor->name : INPUT_AUDITOR);
		for (s = AUDIT_CRITICAL; s >= AUDIT_INFO; s--)
			fprintf(stderr, " %s %" PRId64 "%s",
				audit_severity_name((enum audit_severity)s),
				r->real[k][s], s > AUDIT_INFO ? "," : "");
		fprintf(stderr, " real-looking\n");
	}
}

/* ---- setup ---- */

/* The gates in force for auditor `name`, as "pii:high=0 pii:low=9". */
static void
thresholds(struct scan_run *r, int k, const char *name)
{
	char one[64];
	size_t used = 0;
	int g;

	r->threshold[k][0] = '\0';
	for (g = 0; g < r->a->ngates; g++) {
		if (strcmp(r->a->gates[g].auditor, name) != 0)
			continue;
		audit_gate_format(&r->a->gates[g], one, sizeof(one));
		used += (size_t)snprintf(r->threshold[k] + used,
			sizeof(r->threshold[k]) - used, "%s%s",
			used ? " " : "", one);
		if (used >= sizeof(r->threshold[k]))
			break;
	}
}

/* Add the auditor called name (length len) to the run. */
static int
add_auditor(struct scan_run *r, const char *name, size_t len)
{
	const char *names[SCAN_MAX_AUDITORS + 1], *near;
	char want[64];
	size_t i, k;

	snprintf(want, sizeof(want), "%.*s", (int)len, name);
	for (i = 0, k = 0; i < auditor_count && k < SCAN_MAX_AUDITORS; i++)
		if (auditor_registry[i]->scan_row != NULL)
			names[k++] = auditor_registry[i]->name;
	names[k] = NULL;
	if (auditor_find(want) != NULL && auditor_find(want)->scan_row == NULL)
		return cmd_usage_error(&cmd_scan_entry, "auditor '%s' measures "
				       "a whole dataset and scans no rows",
				       want);
	if (auditor_find(want) == NULL) {
		near = suggest_closest(want, names);
		return cmd_usage_error(&cmd_scan_entry, "unknown auditor '%s'"
				       "%s%s%s", want, near ? "; did you mean '"
				       : "", near ? near : "", near ? "'?" : "");
	}
	if (counts_of(r, want) >= 0 || r->ninst == SCAN_MAX_AUDITORS)
		return cmd_usage_error(&cmd_scan_entry, "auditor '%s' named "
				       "twice", want);
	r->inst[r->ninst].auditor = auditor_find(want);
	r->inst[r->ninst].policy = r->inst[r->ninst].auditor->defaults;
	r->ninst++;
	return 0;
}

/* The auditors of --auditors (default: pii, and canary with
 * --canaries), the canary set, the thresholds. */
static int
setup(struct scan_run *r)
{
	const char *list = r->a->auditors, *p, *c;
	struct canary_set *cs = NULL;
	struct pf_error err;
	int k;

	if (list == NULL)
		list = r->a->canaries != NULL ? "pii,canary" : "pii";
	for (p = list; *p != '\0'; p = *c ? c + 1 : c) {
		c = p + strcspn(p, ",");
		if (c > p && add_auditor(r, p, (size_t)(c - p)) != 0)
			return PF_EXIT_USAGE;
	}
	for (k = 0; k < r->ninst; k++)
		thresholds(r, k, r->inst[k].auditor->name);
	thresholds(r, r->ninst, INPUT_AUDITOR);
	k = counts_of(r, "canary");
	if (k >= 0 && r->a->canaries == NULL)
		return cmd_usage_error(&cmd_scan_entry, "the canary auditor "
				       "needs --canaries FILE");
	if (k < 0 && r->a->canaries != NULL)
		return cmd_usage_error(&cmd_scan_entry, "--canaries needs the "
				       "canary auditor in --auditors");
	pf_error_clear(&err);
	if (k >= 0 && canary_set_load(r->a->canaries, &cs, &err) != 0) {
		pf_error_print(&err);
		return PF_EXIT_USAGE;
	}
	if (k >= 0)
		r->inst[k].cfg = cs;
	return PF_EXIT_OK;
}

/* Returns -1 to go on, else the exit code. */
static int
parse_args(int argc, char **argv, struct scan_args *a)
{
	int c, rc;

	optind = 1;
	opterr = 0;
	while ((c = getopt_long(argc, argv, "h", long_opts, NULL)) != -1) {
		switch (c) {
		case 'a': a->auditors = optarg; break;
		case 't': a->text = optarg; break;
		case 'i': a->id = optarg; break;
		case 'p': a->persona = optarg; break;
		case 'q': a->query = optarg; break;
		case 'c': a->canaries = optarg; break;
		case 'g':
			if ((rc = cmd_parse_gate(&cmd_scan_entry, optarg,
						 input_extra, a->gates,
						 &a->ngates)) >= 0)
				return rc;
			break;
		case 'h':
			cmd_usage(&cmd_scan_entry, stdout);
			return PF_EXIT_OK;
		default:
			return cmd_usage_error(&cmd_scan_entry, "unknown or "
					       "incomplete option '%s'",
					       argv[optind - 1]);
		}
	}
	if (optind + 1 != argc)
		return cmd_usage_error(&cmd_scan_entry, optind >= argc ?
				       "scan needs an input file (JSONL, or - "
				       "for standard input)" :
				       "too many arguments");
	if (a->text == NULL || a->text[0] == '\0')
		return cmd_usage_error(&cmd_scan_entry, "scan needs "
				       "--text-field F");
	a->in = argv[optind];
	return -1;
}

static int
exec_scan(int argc, char **argv)
{
	static struct scan_run r;
	struct scan_args a;
	int rc, k;

	memset(&a, 0, sizeof(a));
	if ((rc = parse_args(argc, argv, &a)) >= 0)
		return rc;
	memset(&r, 0, sizeof(r));
	r.a = &a;
	buf_init(&r.out, OUT_MAX);
	rc = setup(&r);
	if (rc == PF_EXIT_OK)
		rc = scan_file(&r);
	if (rc == PF_EXIT_OK) {
		if (fflush(stdout) != 0) {
			perror("personaforge scan: standard output");
			rc = PF_EXIT_RUNTIME;
		}
		summary(&r);
		if (rc == PF_EXIT_OK && judge_gates(&r) > 0)
			rc = PF_EXIT_GATE;
	}
	for (k = 0; k < r.ninst; k++)
		if (r.inst[k].auditor->free_config != NULL)
			r.inst[k].auditor->free_config(r.inst[k].cfg);
	buf_free(&r.out);
	return rc;
}

const struct cmd_entry cmd_scan_entry = {
	.name = "scan",
	.usage = "IN.jsonl --text-field F [--auditors LIST] [--id-field I]\n"
		"       [--persona-field P] [--query-field Q] [--canaries FILE]"
		"\n       [--gate AUDITOR:SEVERITY=MAX ...]",
	.summary = "run auditors over any JSONL file: one finding a line",
	.help =
	"Options:\n"
	"  --text-field F      the string member audited in each line\n"
	"  --query-field Q     a second string member audited with it: the\n"
	"                      user's query the text answers\n"
	"  --id-field I        the member naming a line in findings "
	"(default id)\n"
	"  --persona-field P   the line's persona id (\"p000042\" or 42),\n"
	"                      or an object of persona attributes whose id\n"
	"                      or persona_id names it (for canaries); the\n"
	"                      safety auditor judges the text against its\n"
	"                      PENGUIN attributes (age, ..., emotional_state;\n"
	"                      Title Case keys accepted)\n"
	"  --auditors LIST     comma-separated: pii, canary, safety\n"
	"                      (default pii, and canary with --canaries)\n"
	"  --canaries FILE     JSONL {\"persona_id\": .., \"canary\": \"..\"}:\n"
	"                      a canary outside its persona's rows is a high\n"
	"                      leak finding\n"
	"  --gate A:SEV=MAX    fail (exit 3) when auditor A has more than MAX\n"
	"                      real-looking findings at or above SEV; A may be\n"
	"                      \"input\" (lines that could not be audited);\n"
	"                      repeat for more gates\n"
	"  -h, --help          show this help\n"
	"\n"
	"Each finding is a JSON object on stdout: line, id, auditor, version,\n"
	"rule, severity, synthetic, field, span [start, end) in bytes of the\n"
	"decoded string, masked, reason, threshold. Lines over 16 MiB or not\n"
	"JSON objects are findings of auditor \"input\". A summary goes to\n"
	"stderr.\n"
	"\n"
	"Exit status: 0 done, 1 read or write error, 2 bad usage or an\n"
	"unreadable input or canary file, 3 a gate failed.\n",
	.exec = exec_scan,
};
