/* cmd-batch.c - personaforge batch: an OpenAI Batch API input file in, a
 * Batch API output file out, through the engine's openai backend.
 *
 * Three passes over the input, each streaming:
 *  1. check: every line parses, has a custom_id (unique: a temporary
 *     SQLite table remembers them, so memory stays flat) and a body; a bad
 *     line stops the run before anything is sent (exit 2, with its line);
 *  2. run: lines are read as the backend has room, looked up in the
 *     journal (key custom_id, hash sha256 of the body sent; a done row
 *     with the same hash is reused, not sent), sent, and written in input
 *     order through a reorder ring of W slots. When the ring is full and
 *     its head is still waiting (a slow retry) while the backend could
 *     take more, the run stops writing and keeps sending: results live in
 *     the journal anyway;
 *  3. then, only if pass 2 gave up ordering, the rest of the output is
 *     written in input order from the journal.
 * Both ways of writing a line format the same fields, so a resumed run's
 * output is byte for byte the uninterrupted run's. The output goes to
 * OUT.tmp, fsync, rename; a stopped run (signal, quota, key, budget)
 * leaves no output and keeps the journal: the same command resumes.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <getopt.h>
#include <inttypes.h>
#include <libgen.h>
#include <signal.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <unistd.h>

#include "base/hash.h"
#include "engine/journal.h"
#include "base/jscan.h"
#include "base/json.h"
#include "base/log.h"
#include "engine/interrupt.h"
#include "engine/runner.h"
#include "llm/openai.h"
#include "engine/progress.h"
#include "engine/sqlq.h"
#include "base/status.h"
#include "src/batch-input.h"
#include "src/cmd.h"

#define MAX_BODY_BYTES ((size_t)64 << 20)
#define COMMIT_MS 200          /* journal hand-over period */
#define DEFAULT_MAX_TOKENS 256 /* reserved when a body names none */
#define FULL_MS 1000           /* ring full this long: give up order */
#define SLOT_BLOCK 256         /* slots made at a time */

struct batch_args {
	const char *in, *out, *base_url, *model, *key_env, *journal, *config;
	long long concurrency, rpm;
	int quiet;
};

enum slot_state { SL_FREE = 0, SL_SENT, SL_OK, SL_FAILED, SL_REUSED,
	SL_DEAD };

/* One input line on its way: read, sent, answered, written. */
struct slot {
	struct llm_call call;      /* call.ud == this slot */
	struct batch *bt;
	uint64_t seq;              /* index among the non-blank lines */
	long line;                 /* 1-based line number in the file */
	off_t off;                 /* offset of the line in the file */
	const char *cid;           /* in text, after the body */
	struct buf text;           /* the body sent, a NUL, the custom_id
				      (kept between uses: no allocation
				      once it is big enough) */
	size_t body_len;           /* bytes of the body in text */
	char hash[65];
	enum slot_state st;
	struct slot *next;         /* free list */
};

struct batch {
	struct batch_args a;
	struct engine_config ec;
	struct runner *rn;         /* while the runner runs */
	struct runner_result res;
	sqlite3 *db;               /* reads, and the set-up */
	struct journal *j;
	struct sqlq *q;            /* the journal's writes (own thread) */
	struct batch_input in;
	FILE *out;
	char *out_tmp, *journal_path;
	struct buf ob;             /* one output line */
	struct buf qmodel;         /* --model as a JSON string */
	struct slot **blocks, *free, **ring;
	size_t W;                  /* the reorder ring's size: slots at most */
	size_t n_slots;            /* slots made so far, in blocks */
	unsigned conc;             /* sum of the endpoints' concurrency */
	uint64_t next_seq, head_seq;
	int ordered;               /* 0 once pass 3 will write the tail */
	uint64_t full_since;       /* ms the ring has been full, 0 if not */
	uint64_t fb_seq;           /* first line pass 3 writes */
	off_t fb_off;
	long fb_line;
	int eof, fatal;
	int fresh;                 /* the journal had no rows at the start */
	uint64_t total, done, failed, reused;
};

/* What one output line says, from a call or from a journal row. */
struct outrec {
	const char *cid, *hash;
	int ok;
	const char *content;
	size_t content_len;
	const char *finish, *model, *error;
	uint32_t pt, ct;
};

/* ---- pass 1: check every line ---- */

static int
sql_exec(sqlite3 *db, const char *sql)
{
	if (sqlite3_exec(db, sql, NULL, NULL, NULL) == SQLITE_OK)
		return 0;
	fprintf(stderr, "personaforge batch: journal: %s\n",
		sqlite3_errmsg(db));
	return -1;
}

/* Remember a custom_id; a second one is a bad line naming the first. */
static int
seen_add(struct batch *bt, sqlite3_stmt *ins, sqlite3_stmt *get,
	 const char *cid)
{
	int rc;

	sqlite3_bind_text(ins, 1, cid, -1, SQLITE_STATIC);
	sqlite3_bind_int64(ins, 2, bt->in.lineno);
	rc = sqlite3_step(ins);
	sqlite3_reset(ins);
	if (rc == SQLITE_DONE)
		return 0;
	if ((rc & 0xff) != SQLITE_CONSTRAINT) {
		fprintf(stderr, "personaforge batch: cannot track custom_id "
			"values: %s\n", sqlite3_errmsg(bt->db));
		return -2;
	}
	sqlite3_bind_text(get, 1, cid, -1, SQLITE_STATIC);
	rc = sqlite3_step(get) == SQLITE_ROW ? sqlite3_column_int(get, 0) : 0;
	sqlite3_reset(get);
	return batch_line_error(&bt->in, "duplicate custom_id \"%s\" (first on "
			  "line %d)", cid, rc);
}

static int
check_lines(struct batch *bt, sqlite3_stmt *ins, sqlite3_stmt *get)
{
	struct batch_line p;
	char *text, cid[BATCH_CID_MAX + 1];
	size_t len;
	int rc;

	while ((rc = batch_input_next(&bt->in, &text, &len)) == 1) {
		if (batch_line_check_fast(&bt->in, text, len, cid) == 0) {
			rc = seen_add(bt, ins, get, cid);
		} else {
			if (batch_line_parse(&bt->in, text, len, &p) != 0)
				return PF_EXIT_USAGE;
			rc = seen_add(bt, ins, get, p.cid);
			cJSON_Delete(p.root);
		}
		if (rc != 0)
			return rc == -2 ? PF_EXIT_RUNTIME : PF_EXIT_USAGE;
		bt->total++;
	}
	return rc == 0 ? 0 : PF_EXIT_USAGE;
}

static int
pass_check(struct batch *bt)
{
	sqlite3_stmt *ins = NULL, *get = NULL;
	int rc = PF_EXIT_RUNTIME;

	if (sql_exec(bt->db, "CREATE TEMP TABLE IF NOT EXISTS batch_seen("
		     "cid TEXT PRIMARY KEY, line INTEGER) WITHOUT ROWID;"
		     "DELETE FROM batch_seen; BEGIN") != 0)
		return PF_EXIT_RUNTIME;
	if (sqlite3_prepare_v2(bt->db, "INSERT INTO batch_seen VALUES(?1,?2)",
			       -1, &ins, NULL) != SQLITE_OK ||
	    sqlite3_prepare_v2(bt->db, "SELECT line FROM batch_seen WHERE "
			       "cid = ?1", -1, &get, NULL) != SQLITE_OK)
		goto out;
	rc = check_lines(bt, ins, get);
out:
	sqlite3_finalize(ins);
	sqlite3_finalize(get);
	if (sql_exec(bt->db, "COMMIT; DROP TABLE batch_seen") != 0 && rc == 0)
		rc = PF_EXIT_RUNTIME;
	if (rc == 0 && batch_input_seek(&bt->in, 0, 0) != 0)
		rc = PF_EXIT_RUNTIME;
	return rc;
}

/* ---- output ---- */

/* Append the decimal digits of v. */
static int
put_u64(struct buf *o, uint64_t v)
{
	char d[24], *p = d + sizeof(d);

	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	return buf_append(o, p, (size_t)(d + sizeof(d) - p));
}

/* Append 24 hex digits of the request hash, from digit k. */
static int
put_hash24(struct buf *o, const char *hash, int k)
{
	return buf_append(o, hash + k, 24);
}

static int
out_success(struct buf *o, const struct outrec *r)
{
	return buf_puts(o, "{\"status_code\":200,\"request_id\":\"req_") ||
	       put_hash24(o, r->hash, 24) ||
	       buf_puts(o, "\",\"body\":{\"id\":\"chatcmpl-") ||
	       put_hash24(o, r->hash, 0) ||
	       buf_puts(o, "\",\"object\":\"chat.completion\",\"model\":") ||
	       json_quote(o, r->model, strlen(r->model)) ||
	       buf_puts(o, ",\"choices\":[{\"index\":0,\"message\":{\"role\":"
			"\"assistant\",\"content\":") ||
	       json_quote(o, r->content, r->content_len) ||
	       buf_puts(o, "},\"finish_reason\":") ||
	       json_quote(o, r->finish, strlen(r->finish)) ||
	       buf_puts(o, "}],\"usage\":{\"prompt_tokens\":") ||
	       put_u64(o, r->pt) || buf_puts(o, ",\"completion_tokens\":") ||
	       put_u64(o, r->ct) || buf_puts(o, ",\"total_tokens\":") ||
	       put_u64(o, (uint64_t)r->pt + r->ct) ||
	       buf_puts(o, "}}},\"error\":null}\n");
}

/* Format and write one output line. */
static int
out_write(struct batch *bt, const struct outrec *r)
{
	struct buf *o = &bt->ob;
	int rc;

	buf_reset(o);
	rc = buf_puts(o, "{\"id\":\"batch_req_") ||
	     put_hash24(o, r->hash, 0) ||
	     buf_puts(o, "\",\"custom_id\":") ||
	     json_quote(o, r->cid, strlen(r->cid)) ||
	     buf_puts(o, ",\"response\":");
	if (rc == 0 && r->ok)
		rc = out_success(o, r);
	else if (rc == 0)
		rc = buf_puts(o, "null,\"error\":{\"code\":\"request_failed\","
			      "\"message\":") ||
		     json_quote(o, r->error, strlen(r->error)) ||
		     buf_puts(o, "}}\n");
	if (rc != 0 || fwrite(o->data, 1, o->len, bt->out) != o->len) {
		fprintf(stderr, "personaforge batch: %s: cannot write: %s\n",
			bt->out_tmp, rc ? "line too long" : strerror(errno));
		return -1;
	}
	return 0;
}

/* Write the line of `cid` from its journal row. */
static int
out_from_journal(struct batch *bt, const char *cid)
{
	struct journal_row row;
	struct outrec r;

	if (journal_item_get(bt->j, cid, &row) != 0 ||
	    (row.state != JOURNAL_DONE && row.state != JOURNAL_FAILED) ||
	    row.req_hash == NULL || strlen(row.req_hash) != 64) {
		fprintf(stderr, "personaforge batch: %s: no result in the "
			"journal for custom_id \"%s\"\n", bt->journal_path, cid);
		return -1;
	}
	memset(&r, 0, sizeof(r));
	r.cid = cid;
	r.hash = row.req_hash;
	r.ok = row.state == JOURNAL_DONE;
	r.content = row.reply ? row.reply : "";
	r.content_len = row.reply ? row.reply_len : 0;
	r.finish = row.finish_reason ? row.finish_reason : "";
	r.model = row.model ? row.model : "";
	r.error = row.last_error ? row.last_error : "request failed";
	r.pt = row.prompt_tokens;
	r.ct = row.completion_tokens;
	return out_write(bt, &r);
}

static int
out_slot(struct batch *bt, struct slot *s)
{
	const struct llm_call *c = &s->call;
	struct outrec r;

	if (s->st == SL_REUSED)
		return out_from_journal(bt, s->cid);
	memset(&r, 0, sizeof(r));
	r.cid = s->cid;
	r.hash = s->hash;
	r.ok = s->st == SL_OK;
	r.content = c->content ? c->content : "";
	r.content_len = c->content ? c->content_len : 0;
	r.finish = c->finish_reason;
	r.model = c->model;
	r.error = c->error ? c->error : "request failed";
	r.pt = c->prompt_tokens;
	r.ct = c->completion_tokens;
	return out_write(bt, &r);
}

/* ---- journal ---- */

static void
fatal(struct batch *bt, const char *what)
{
	if (!bt->fatal)
		fprintf(stderr, "personaforge batch: %s: %s: %s\n",
			bt->journal_path, what, journal_errmsg(bt->j));
	bt->fatal = 1;
	if (bt->rn != NULL)
		runner_fatal(bt->rn);
}

/* Hand the queued journal rows to the writer thread (no waiting). */
static void
commit(struct batch *bt)
{
	if (!bt->fatal && journal_tx_commit(bt->j) != 0)
		fatal(bt, "commit failed");
}

/* The runner's commit tick (it fills after it, so the ring looks again
 * whether to give up its order). */
static void
op_commit(struct runner *rn, void *ud)
{
	(void)rn;
	commit(ud);
}

/* Both connections to the journal file. synchronous=NORMAL in WAL mode
 * survives any crash of the process; a power loss may lose the last few
 * commits, which is fine: their lines have no row, so the next run simply
 * requests them again. A small page cache: batch writes append-only rows
 * and reads each row at most once. */
#define JOURNAL_PRAGMAS "PRAGMA synchronous=NORMAL; PRAGMA cache_size=-512;"

/* The journal's writes go through a write queue with its own thread and
 * connection (engine/sqlq.h), so commits and their syncs never stop the
 * event loop; reads stay on bt->db (pass 3 reads after sqlq_sync). */
static int
journal_writer_start(struct batch *bt, struct pf_error *e)
{
	if (sqlq_open(bt->journal_path, &bt->q, e) != 0)
		return -1;
	return sqlq_setup_sql(bt->q, JOURNAL_PRAGMAS
			      "PRAGMA ignore_check_constraints=ON;", e) ||
	       journal_attach_queue(bt->j, bt->q, e);
}

static int
journal_file_open(struct batch *bt)
{
	struct pf_error e;
	int64_t counts[5];

	pf_error_clear(&e);
	/* one thread uses the connection: no mutexes */
	if (sqlite3_open_v2(bt->journal_path, &bt->db, SQLITE_OPEN_READWRITE |
			    SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
			    NULL) != SQLITE_OK) {
		fprintf(stderr, "personaforge batch: %s: %s\n",
			bt->journal_path, sqlite3_errmsg(bt->db));
		return PF_EXIT_RUNTIME;
	}
	sqlite3_busy_timeout(bt->db, 5000);
	/* The schema's CHECK on state codes its IN list as a temporary
	 * b-tree built on every write (most of a write's cost); batch only
	 * ever writes the literal states 'done' and 'failed'. */
	if (sql_exec(bt->db, "PRAGMA journal_mode=WAL") != 0 ||
	    sql_exec(bt->db, journal_schema_sql) != 0 ||
	    journal_add_columns(bt->db) != 0 ||
	    sql_exec(bt->db, "PRAGMA ignore_check_constraints=ON") != 0)
		return PF_EXIT_RUNTIME;
	if (sql_exec(bt->db, JOURNAL_PRAGMAS) != 0)
		return PF_EXIT_RUNTIME;
	if (journal_open(bt->db, &bt->j, &e) != 0 ||
	    journal_writer_start(bt, &e) != 0) {
		pf_error_print(&e);
		return PF_EXIT_RUNTIME;
	}
	if (journal_count(bt->j, counts) != 0)
		return PF_EXIT_RUNTIME;
	bt->fresh = counts[1] + counts[2] + counts[3] + counts[4] == 0;
	return 0;
}

/* ---- pass 2: send ---- */

/* Make up to SLOT_BLOCK more slots (never over W in all). Slots are made
 * as lines need them: the ring is sized for the worst spread of answer
 * times, while a run with even latencies uses little more than the
 * backend's window. */
static int
slots_more(struct batch *bt)
{
	size_t i, n = bt->W - bt->n_slots;
	struct slot *b;

	if (n == 0)
		return -1;
	n = n < SLOT_BLOCK ? n : SLOT_BLOCK;
	b = calloc(n, sizeof(*b));
	if (b == NULL)
		return -1;
	bt->blocks[bt->n_slots / SLOT_BLOCK] = b;
	bt->n_slots += n;
	for (i = n; i-- > 0;) {
		buf_init(&b[i].text, MAX_BODY_BYTES + BATCH_CID_MAX + 1);
		b[i].next = bt->free;
		bt->free = &b[i];
	}
	return 0;
}

static struct slot *
slot_get(struct batch *bt)
{
	struct slot *s;

	if (bt->free == NULL && slots_more(bt) != 0)
		return NULL;
	s = bt->free;

	if (s != NULL)
		bt->free = s->next;
	return s;
}

static void
slot_put(struct batch *bt, struct slot *s)
{
	llm_call_clear(&s->call);
	s->st = SL_FREE;
	s->next = bt->free;
	bt->free = s;
}

/* The text of slot s: the body to send, then a NUL and the custom_id. */
static int
text_end(struct slot *s, const char *cid, size_t cid_len)
{
	struct buf *t = &s->text;

	s->body_len = t->len;
	if (buf_putc(t, '\0') != 0 || buf_append(t, cid, cid_len) != 0)
		return -1;
	s->cid = t->data + s->body_len + 1;
	return 0;
}

/* The parsed way (pass 1's parser): the body printed again, with --model
 * written into it; for the lines the scan below cannot take. */
static int
body_render(struct batch *bt, struct slot *s, const struct batch_line *p)
{
	char *text;
	int rc;

	if (bt->a.model != NULL) {
		cJSON_DeleteItemFromObjectCaseSensitive(p->body, "model");
		if (cJSON_AddStringToObject(p->body, "model", bt->a.model) ==
		    NULL)
			return -1;
	}
	text = cJSON_PrintUnformatted(p->body);
	if (text == NULL)
		return -1;
	buf_reset(&s->text);
	rc = buf_puts(&s->text, text) ||
	     text_end(s, p->cid, strlen(p->cid));
	free(text);
	return rc;
}

/* The body to send: the line's own bytes; --model is written over the
 * body's model, or first in the body when it names none. */
static int
body_splice(struct batch *bt, struct slot *s, const struct batch_scan *ls)
{
	const char *b = ls->body.p, *end = b + ls->body.n, *p = b + 1;
	const struct jspan *m = &ls->in[0];
	struct buf *t = &s->text;

	buf_reset(t);
	if (bt->a.model == NULL)
		return buf_append(t, b, ls->body.n);
	if (m->p != NULL)
		return buf_append(t, b, (size_t)(m->p - b)) ||
		       buf_append(t, bt->qmodel.data, bt->qmodel.len) ||
		       buf_append(t, m->p + m->n, (size_t)(end - m->p - m->n));
	while (p < end && strchr(" \t\r\n", *p) != NULL)
		p++;
	return buf_puts(t, "{\"model\":") ||
	       buf_append(t, bt->qmodel.data, bt->qmodel.len) ||
	       (*p != '}' && buf_putc(t, ',') != 0) ||
	       buf_append(t, p, (size_t)(end - p));
}

/* The number a member holds, or def when absent or not a number. */
static double
span_num(const struct jspan *v, double def)
{
	char *e;
	double d;

	if (v->p == NULL || strchr("-0123456789", v->p[0]) == NULL)
		return def;
	d = strtod(v->p, &e);
	return e == v->p ? def : d;
}

static void
call_setup(struct batch *bt, struct slot *s, double mt)
{
	struct llm_call *c = &s->call;

	memset(c, 0, sizeof(*c));
	c->id = s->cid;
	c->body = s->text.data;
	c->body_len = s->body_len;
	c->max_tokens = mt >= 1 && mt < 1e9 ? (uint32_t)mt : DEFAULT_MAX_TOKENS;
	c->est_prompt_tokens = (uint32_t)(s->body_len / 4 + 1);
	c->ud = s;
	s->bt = bt;
}

/* Take the line into s->text the parsed way; mt gets the max tokens. */
static int
line_take_parsed(struct batch *bt, struct slot *s, const char *text,
		 size_t len, double *mt)
{
	struct batch_line p;
	int rc;

	if (batch_line_parse(&bt->in, text, len, &p) != 0)
		return -1;
	*mt = json_get_num(p.body, "max_completion_tokens",
			   json_get_num(p.body, "max_tokens", 0));
	rc = body_render(bt, s, &p);
	cJSON_Delete(p.root);
	return rc != 0 ? batch_line_error(&bt->in, "body too large to send") : 0;
}

/* Take the line into s->text: scanned, or parsed when the scan cannot. */
static int
line_take(struct batch *bt, struct slot *s, const char *text, size_t len,
	  double *mt)
{
	struct batch_scan ls;

	if (batch_line_scan(text, len, &ls) != 0)
		return line_take_parsed(bt, s, text, len, mt);
	*mt = span_num(&ls.in[1], span_num(&ls.in[2], 0));
	if (body_splice(bt, s, &ls) != 0 ||
	    text_end(s, ls.cid.p, ls.cid.n) != 0)
		return batch_line_error(&bt->in, "body too large to send");
	return 0;
}

/* A done row with the same hash is this line's answer already. A fresh
 * journal (no rows at the start) needs no look-ups: ids are unique. */
static int
journal_check(struct batch *bt, struct slot *s)
{
	struct journal_row row;

	if (!bt->fresh) {
		if (journal_item_get(bt->j, s->cid, &row) != 0)
			return -1;
		if (row.state == JOURNAL_DONE && row.req_hash != NULL &&
		    strcmp(row.req_hash, s->hash) == 0)
			return 1;
	}
	return 0;
}

/* Take the line just read into slot s: reuse its journal row or send. */
static int
line_start(struct batch *bt, struct slot *s, const char *text, size_t len)
{
	double mt;
	int rc;

	if (line_take(bt, s, text, len, &mt) != 0)
		return -1;
	s->seq = bt->next_seq++;
	s->line = bt->in.lineno;
	s->off = bt->in.off;
	hash_hex(s->text.data, s->body_len, s->hash);
	call_setup(bt, s, mt);
	if (bt->ordered)
		bt->ring[s->seq % bt->W] = s;
	if ((rc = journal_check(bt, s)) < 0) {
		fatal(bt, "read failed");
		return -1;
	}
	if (rc == 1) {
		s->st = SL_REUSED;
		bt->done++;
		bt->reused++;
		if (!bt->ordered)
			slot_put(bt, s);
		return 0;
	}
	s->st = SL_SENT;
	if (runner_submit(bt->rn, &s->call) == 0)
		return 0;
	s->st = SL_DEAD;
	return -1;
}

/* Write the finished lines at the head of the ring, in order. */
static void
flush_head(struct batch *bt)
{
	struct slot *s;

	while (bt->ordered && !bt->fatal && bt->head_seq < bt->next_seq) {
		s = bt->ring[bt->head_seq % bt->W];
		if (s->st == SL_SENT || s->st == SL_DEAD)
			break;
		if (out_slot(bt, s) != 0) {
			bt->fatal = 1;
			runner_fatal(bt->rn);
			return;
		}
		bt->head_seq++;
		slot_put(bt, s);
	}
}

/* The ring is full behind a slow head: stop writing, free what is done
 * (it is in the journal), and let pass 3 write from the head on. */
static void
ordering_give_up(struct batch *bt)
{
	struct slot *s = bt->ring[bt->head_seq % bt->W];
	uint64_t q;

	bt->ordered = 0;
	bt->fb_seq = bt->head_seq;
	bt->fb_off = s->off;
	bt->fb_line = s->line - 1;
	for (q = bt->head_seq; q < bt->next_seq; q++) {
		s = bt->ring[q % bt->W];
		if (s->st != SL_SENT && s->st != SL_DEAD)
			slot_put(bt, s);
	}
	log_debug("batch: reorder ring full behind line %ld; the rest is "
		  "written from the journal", bt->fb_line + 1);
}

/* Room for one more line now? A ring that stays full for FULL_MS while
 * the backend could send more gives up its order. */
static int
room(struct batch *bt)
{
	uint64_t now;

	if (bt->ordered && bt->next_seq - bt->head_seq >= bt->W) {
		if (runner_inflight(bt->rn) >= bt->conc)
			return 0;
		now = runner_now(bt->rn);
		if (bt->full_since == 0)
			bt->full_since = now;
		if (now - bt->full_since < FULL_MS)
			return 0;
		ordering_give_up(bt);
	}
	bt->full_since = 0;
	return (bt->free != NULL || bt->n_slots < bt->W) &&
	       runner_capacity(bt->rn) > 0;
}

/* Every line is read: the run ends once the calls in flight are back. */
static int
op_idle(void *ud)
{
	struct batch *bt = ud;

	return bt->eof;
}

static void
op_fill(struct runner *rn, void *ud)
{
	struct batch *bt = ud;
	struct slot *s;
	char *text;
	size_t len;
	int rc;

	bt->rn = rn;
	while (!runner_stopping(rn) && !bt->eof && room(bt)) {
		rc = batch_input_next(&bt->in, &text, &len);
		if (rc == 0) {
			bt->eof = 1;
		} else if (rc < 0 || (s = slot_get(bt)) == NULL ||
			   line_start(bt, s, text, len) != 0) {
			if (!bt->fatal)
				fatal(bt, "stopping");
		}
	}
	flush_head(bt);
}

/* Record a finished call in the journal. */
static void
call_record(struct batch *bt, struct slot *s)
{
	const struct llm_call *c = &s->call;
	struct journal_result r = {
		.req_hash = s->hash, .reply = c->content ? c->content : "",
		.reply_len = c->content ? c->content_len : 0,
		.finish_reason = c->finish_reason, .model = c->model,
		.attempts = c->attempts, .prompt_tokens = c->prompt_tokens,
		.completion_tokens = c->completion_tokens,
	};
	struct journal_item it = {
		.id = s->cid, .stage = "batch", .idx = s->line,
		.req_hash = s->hash, .attempts = c->attempts,
	};

	/* queued for the writer thread: one row is one unit */
	if (journal_item_record(bt->j, &it, c->result == LLM_OK ? &r : NULL,
				c->error ? c->error : "request failed") != 0)
		fatal(bt, "write failed");
	journal_unit_end(bt->j);
}

static void
op_done(struct runner *rn, void *ud, struct llm_call *c)
{
	struct slot *s = c->ud;
	struct batch *bt = ud;

	(void)rn;
	if (c->result == LLM_OK || c->result == LLM_FAILED) {
		call_record(bt, s);
		s->st = c->result == LLM_OK ? SL_OK : SL_FAILED;
		bt->done++;
		bt->failed += c->result == LLM_FAILED;
		if (!bt->ordered)
			slot_put(bt, s);
	} else {
		s->st = SL_DEAD;
		/* a line not answered stops the run: no output without it */
		runner_stop(rn, LLM_OK);
	}
}

static void
op_interrupted(void *ud, int signum)
{
	struct batch *bt = ud;

	log_info("signal %d: stopping; finished lines are kept in %s, run "
		 "the same command again to resume", signum, bt->journal_path);
}

static void
op_sample(void *ud, struct progress_sample *s)
{
	struct batch *bt = ud;

	s->done = bt->done;
	s->total = bt->total;
	s->failed = bt->failed;
	s->reused = bt->reused;
}

static const struct runner_ops batch_ops = {
	.fill = op_fill,
	.idle = op_idle,
	.done = op_done,
	.commit = op_commit,
	.sample = op_sample,
	.interrupted = op_interrupted,
};

static int
slots_alloc(struct batch *bt)
{
	/* in flight + reorder room: while the slowest answer (up to about
	 * twice the mean latency, on any spread) is at the head, about two
	 * rounds of the others finish behind it */
	bt->W = (size_t)bt->conc * 3 + 256;
	bt->ring = calloc(bt->W, sizeof(*bt->ring));
	bt->blocks = calloc(bt->W / SLOT_BLOCK + 1, sizeof(*bt->blocks));
	return bt->ring != NULL && bt->blocks != NULL ? 0 : -1;
}

/* The runner's backend_new: the OpenAI-compatible backend. */
static int
make_backend(void *ud, uv_loop_t *loop, struct backend **out)
{
	struct batch *bt = ud;
	struct pf_error e;

	pf_error_clear(&e);
	if (openai_backend_new(loop, &bt->ec, out, &e) != 0) {
		pf_error_print(&e);
		return PF_EXIT_USAGE;
	}
	return 0;
}

/* Pass 2: the runner until every line is answered or the run stops. */
static int
pass_send(struct batch *bt)
{
	struct runner_opts ro = {
		.label = "batch", .backend_new = make_backend,
		.backend_ud = bt, .ud = bt, .grace_ms = bt->ec.grace_ms,
		.commit_ms = COMMIT_MS, .progress = !bt->a.quiet,
		.out_name = bt->a.out,
	};
	int rc;

	if (slots_alloc(bt) != 0)
		return PF_EXIT_RUNTIME;
	bt->ordered = 1;
	rc = runner_run(&ro, &batch_ops, &bt->res);
	bt->rn = NULL;
	if (rc != 0)
		return rc;
	return bt->fatal ? PF_EXIT_RUNTIME : 0;
}

/* Pass 3: the lines from the first one not written, from the journal. */
static int
pass_tail(struct batch *bt)
{
	struct batch_line p;
	char *text;
	size_t len;
	int rc;

	if (bt->ordered)
		return 0;
	if (batch_input_seek(&bt->in, bt->fb_off, bt->fb_line) != 0)
		return PF_EXIT_RUNTIME;
	while ((rc = batch_input_next(&bt->in, &text, &len)) == 1) {
		if (batch_line_parse(&bt->in, text, len, &p) != 0)
			break;
		rc = out_from_journal(bt, p.cid);
		cJSON_Delete(p.root);
		if (rc != 0)
			break;
	}
	if (journal_tx_commit(bt->j) != 0)
		rc = -1;
	return rc == 0 ? 0 : PF_EXIT_RUNTIME;
}

/* ---- set-up and the end ---- */

/* Many requests in flight need as many sockets: raise the soft limit on
 * open files to the hard one. */
static void
raise_nofile(void)
{
	struct rlimit rl;

	if (getrlimit(RLIMIT_NOFILE, &rl) == 0 && rl.rlim_cur < rl.rlim_max) {
		rl.rlim_cur = rl.rlim_max;
		if (setrlimit(RLIMIT_NOFILE, &rl) != 0)
			log_debug("cannot raise the open-file limit: %s",
				  strerror(errno));
	}
}

/* The engine settings: --config's engine sections, then the options. */
static int
engine_setup(struct batch *bt)
{
	const struct batch_args *a = &bt->a;
	struct pf_error e;
	const char *key = a->key_env;
	cJSON *root = NULL;
	struct json_error je;
	size_t i;

	pf_error_clear(&e);
	engine_config_init(&bt->ec);
	if (a->config != NULL) {
		if (json_parse_file(a->config, (size_t)16 << 20, &root,
				    &je) != 0) {
			fprintf(stderr, "personaforge batch: %s:%d:%d: %s\n",
				a->config, je.line, je.col, je.msg);
			return PF_EXIT_USAGE;
		}
		if (engine_config_parse(root, a->config, &bt->ec, &e) != 0)
			goto bad;
	}
	/* the default key variable only when it is set: none is fine */
	if (key == NULL && (bt->ec.n_endpoints == 0 ||
			    bt->ec.endpoints[0].api_key_env == NULL)) {
		const char *v = getenv("OPENAI_API_KEY");

		key = v != NULL && v[0] != '\0' ? "OPENAI_API_KEY" : NULL;
	}
	if (a->base_url == NULL && bt->ec.n_endpoints == 0) {
		cJSON_Delete(root);
		return cmd_usage_error(&cmd_batch_entry, "--base-url is "
				       "required (or endpoints in --config)");
	}
	/* the endpoint's model is only a fallback: bodies carry their own */
	if (engine_config_override(&bt->ec, a->base_url, a->model ? a->model :
				   bt->ec.n_endpoints ? NULL : "default", key,
				   &e) != 0)
		goto bad;
	for (i = 0; i < bt->ec.n_endpoints; i++) {
		struct endpoint_cfg *ep = &bt->ec.endpoints[i];

		if (a->concurrency > 0)
			ep->concurrency = (unsigned)a->concurrency;
		if (a->rpm > 0)
			ep->rpm = (double)a->rpm;
		bt->conc += ep->concurrency;
	}
	cJSON_Delete(root);
	return 0;
bad:
	cJSON_Delete(root);
	pf_error_print(&e);
	return PF_EXIT_USAGE;
}

static int
files_open(struct batch *bt)
{
	bt->in.path = bt->a.in;
	bt->in.model = bt->a.model;
	bt->in.f = fopen(bt->a.in, "r");
	if (bt->in.f == NULL) {
		fprintf(stderr, "personaforge batch: %s: %s\n", bt->a.in,
			strerror(errno));
		return PF_EXIT_USAGE;
	}
	if (asprintf(&bt->out_tmp, "%s.tmp", bt->a.out) < 0 ||
	    (bt->a.journal == NULL ? asprintf(&bt->journal_path, "%s.journal",
					      bt->a.out) < 0 :
	     (bt->journal_path = strdup(bt->a.journal)) == NULL))
		return PF_EXIT_RUNTIME;
	bt->out = fopen(bt->out_tmp, "w");
	if (bt->out == NULL) {
		fprintf(stderr, "personaforge batch: %s: %s\n", bt->out_tmp,
			strerror(errno));
		return PF_EXIT_USAGE;
	}
	setvbuf(bt->out, NULL, _IOFBF, (size_t)1 << 20);
	buf_init(&bt->ob, MAX_BODY_BYTES);
	buf_init(&bt->qmodel, (size_t)64 << 10);
	if (bt->a.model != NULL && json_quote(&bt->qmodel, bt->a.model,
					      strlen(bt->a.model)) != 0)
		return cmd_usage_error(&cmd_batch_entry, "--model too long");
	return journal_file_open(bt);
}

/* fsync the directory holding `path`, so a rename in it is durable. */
static void
dir_sync(const char *path)
{
	char *copy = strdup(path);
	int fd;

	if (copy == NULL)
		return;
	fd = open(dirname(copy), O_RDONLY | O_DIRECTORY);
	if (fd >= 0) {
		fsync(fd);
		close(fd);
	}
	free(copy);
}

/* Make the output durable and put it in place. */
static int
output_commit(struct batch *bt)
{
	FILE *f = bt->out;

	bt->out = NULL;
	if (fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fprintf(stderr, "personaforge batch: %s: %s\n", bt->out_tmp,
			strerror(errno));
		fclose(f);
		return PF_EXIT_RUNTIME;
	}
	if (fclose(f) != 0 || rename(bt->out_tmp, bt->a.out) != 0) {
		fprintf(stderr, "personaforge batch: %s: %s\n", bt->a.out,
			strerror(errno));
		return PF_EXIT_RUNTIME;
	}
	dir_sync(bt->a.out);
	return 0;
}

static void
batch_free(struct batch *bt)
{
	struct pf_error e;
	size_t i;

	pf_error_clear(&e);
	if (bt->j != NULL && journal_tx_commit(bt->j) != 0)
		log_error("%s: final commit failed", bt->journal_path);
	if (sqlq_close(bt->q, &e) != 0)
		log_error("%s: %s", bt->journal_path, e.msg);
	journal_close(bt->j);
	sqlite3_close(bt->db);
	if (bt->out != NULL) {
		fclose(bt->out);
		unlink(bt->out_tmp);
	}
	if (bt->in.f != NULL)
		fclose(bt->in.f);
	free(bt->in.line);
	for (i = 0; i < bt->n_slots; i++) {
		struct slot *s = &bt->blocks[i / SLOT_BLOCK][i % SLOT_BLOCK];

		llm_call_clear(&s->call);
		buf_free(&s->text);
	}
	for (i = 0; bt->blocks != NULL && i * SLOT_BLOCK < bt->n_slots; i++)
		free(bt->blocks[i]);
	free(bt->blocks);
	free(bt->ring);
	buf_free(&bt->ob);
	buf_free(&bt->qmodel);
	engine_config_free(&bt->ec);
	free(bt->out_tmp);
	free(bt->journal_path);
}

static const struct runner_exits batch_exits = {
	.quota = "stopped: the server says the quota is exhausted",
	.auth = "stopped: authentication failed (check the API key variable)",
	.budget = "stopped: the budget is reached",
	.unreachable = "stopped: no endpoint could be reached; nothing was "
		       "recorded, run the same command again once the server "
		       "is up",
};

/* The exit code of a run that got through pass 2. */
static int
outcome(struct batch *bt)
{
	int code = runner_exit_code(&bt->res, &batch_exits);

	if (code != PF_EXIT_OK) {
		log_error("%s not written; finished lines are kept in %s: run "
			  "the same command again to resume", bt->a.out,
			  bt->journal_path);
		return code;
	}
	return bt->failed > 0 ? PF_EXIT_PARTIAL : PF_EXIT_OK;
}

static int
run_batch(struct batch *bt)
{
	int rc;

	raise_nofile();
	if ((rc = engine_setup(bt)) != 0 || (rc = files_open(bt)) != 0 ||
	    (rc = pass_check(bt)) != 0 || (rc = pass_send(bt)) != 0)
		return rc;
	/* every row committed before pass 3 reads them */
	if (!bt->fatal && sqlq_sync(bt->q) != 0)
		fatal(bt, "commit failed");
	if (bt->fatal)
		return PF_EXIT_RUNTIME;
	rc = outcome(bt);
	if (rc != PF_EXIT_OK && rc != PF_EXIT_PARTIAL)
		return rc;
	if (pass_tail(bt) != 0)
		return PF_EXIT_RUNTIME;
	return output_commit(bt) != 0 ? PF_EXIT_RUNTIME : rc;
}

/* ---- command line ---- */

static const char batch_help[] =
	"  -o, --output FILE       output file (Batch API output format)\n"
	"      --base-url URL      OpenAI-compatible server (.../v1)\n"
	"      --model NAME        model to request (overrides each body's)\n"
	"      --api-key-env VAR   environment variable holding the API key\n"
	"                          (default OPENAI_API_KEY when set; none is\n"
	"                          fine for local servers)\n"
	"      --concurrency N     requests in flight at most\n"
	"      --rpm N             requests per minute at most\n"
	"      --journal FILE      resume journal (default OUT.journal)\n"
	"      --config FILE       engine settings: endpoints, retry, engine,\n"
	"                          budget sections of a run config\n"
	"  -q, --quiet             no progress or summary\n"
	"  -h, --help              this help\n\n"
	"Each input line is {\"custom_id\", \"method\", \"url\", \"body\"}; "
	"each output\nline, in input order, is {\"id\", \"custom_id\", "
	"\"response\": {\"status_code\",\n\"body\"}, \"error\"}. Running the "
	"same command again resumes: answered\nlines are reused from the "
	"journal. Exit codes: 0, 2 bad input line,\n4 some lines failed, 5 "
	"budget, 6 quota, 7 key rejected, 9 no endpoint\nreached, 130 "
	"interrupted.\n";

enum { O_BASE_URL = 256, O_MODEL, O_KEYENV, O_CONC, O_RPM, O_JOURNAL,
	O_CONFIG };

static const struct option batch_opts[] = {
	{ "output", required_argument, NULL, 'o' },
	{ "base-url", required_argument, NULL, O_BASE_URL },
	{ "model", required_argument, NULL, O_MODEL },
	{ "api-key-env", required_argument, NULL, O_KEYENV },
	{ "concurrency", required_argument, NULL, O_CONC },
	{ "rpm", required_argument, NULL, O_RPM },
	{ "journal", required_argument, NULL, O_JOURNAL },
	{ "config", required_argument, NULL, O_CONFIG },
	{ "quiet", no_argument, NULL, 'q' },
	{ "help", no_argument, NULL, 'h' },
	{ NULL, 0, NULL, 0 }
};

static int
count_opt(const char *name, const char *v, long long *out)
{
	*out = cmd_parse_count(v);
	if (*out < 1 || *out > 1000000)
		return cmd_usage_error(&cmd_batch_entry, "--%s needs an "
				       "integer from 1 to 1000000, not '%s'",
				       name, v);
	return -1;
}

/* Parse options into *a. Returns -1 to go on, else an exit code. */
static int
parse_args(int argc, char **argv, struct batch_args *a)
{
	int c, rc = -1;

	memset(a, 0, sizeof(*a));
	optind = 1;
	opterr = 0;
	while (rc < 0 && (c = getopt_long(argc, argv, "o:qh", batch_opts,
					  NULL)) != -1) {
		switch (c) {
		case 'o': a->out = optarg; break;
		case 'q': a->quiet = 1; break;
		case 'h':
			cmd_usage(&cmd_batch_entry, stdout);
			return PF_EXIT_OK;
		case O_BASE_URL: a->base_url = optarg; break;
		case O_MODEL: a->model = optarg; break;
		case O_KEYENV: a->key_env = optarg; break;
		case O_CONC: rc = count_opt("concurrency", optarg,
					    &a->concurrency); break;
		case O_RPM: rc = count_opt("rpm", optarg, &a->rpm); break;
		case O_JOURNAL: a->journal = optarg; break;
		case O_CONFIG: a->config = optarg; break;
		default:
			return cmd_usage_error(&cmd_batch_entry,
				"unknown or incomplete option '%s'",
				argv[optind - 1]);
		}
	}
	if (rc >= 0)
		return rc;
	if (optind != argc - 1)
		return cmd_usage_error(&cmd_batch_entry,
				       "expected exactly one IN.jsonl");
	a->in = argv[optind];
	if (a->out == NULL)
		return cmd_usage_error(&cmd_batch_entry, "-o OUT is required");
	return -1;
}

static int
exec_batch(int argc, char **argv)
{
	struct batch bt;
	int rc;

	memset(&bt, 0, sizeof(bt));
	if ((rc = parse_args(argc, argv, &bt.a)) >= 0)
		return rc;
	/* From here a signal stops the batch, whenever it comes (a
	 * background job of a script starts with SIGINT ignored). */
	interrupt_catch();
	rc = run_batch(&bt);
	batch_free(&bt);
	if (interrupt_caught() != 0)
		rc = status_merge(rc, PF_EXIT_INTERRUPTED);
	return rc;
}

const struct cmd_entry cmd_batch_entry = {
	.name = "batch",
	.usage = "IN.jsonl -o OUT.jsonl --base-url URL [--model NAME] "
		 "[--api-key-env VAR] [--concurrency N] [--rpm N] "
		 "[--journal FILE] [--config FILE] [-q]",
	.summary = "send an OpenAI Batch API file through the engine "
		   "(resumable)",
	.help = batch_help,
	.exec = exec_batch,
};
