/* journal.h - one SQLite row per work item: the crash-safe resume and the
 * response cache.
 *
 * A row is keyed by the item's stable id and holds the hash of its fully
 * rendered request, its state, attempts, the reply and token usage. A
 * stored reply is reused only while the hash still matches, so a changed
 * template re-runs exactly the items it touches. An item is done when its
 * row is committed. Every write goes through the write queue
 * (engine/sqlq.h), which groups them into transactions on its own thread
 * (a few milliseconds or a few thousand rows per commit), so a crash
 * re-sends at most what was in flight since the last commit; reads run on
 * the caller's connection.
 *
 * The journal works on any SQLite connection: the dataset file holds one,
 * and `batch` keeps one in its own file.
 */
#ifndef PF_JOURNAL_H
#define PF_JOURNAL_H

#include <stddef.h>
#include <stdint.h>
#include <sqlite3.h>

#include "base/error.h"

/* The states rows are written with. The table's CHECK also allows
 * 'inflight', which nothing writes (it stays for files and `stats`
 * output that name it); such a row reads as JOURNAL_NONE. */
enum journal_state {
	JOURNAL_NONE = 0,    /* no row */
	JOURNAL_PENDING,
	JOURNAL_DONE,
	JOURNAL_FAILED
};

struct journal;

/* What a lookup finds. Strings are copies in a buffer owned by the
 * journal, valid until the next journal_item_get(). */
struct journal_row {
	enum journal_state state;
	const char *req_hash;       /* NULL if never rendered */
	const char *reply;          /* NULL unless done; NULL on a done row
				     * written with reply_in_hash too: the
				     * reply is the one the caller renders
				     * with a request of this req_hash */
	size_t reply_len;
	const char *finish_reason;
	const char *model;
	const char *last_error;
	uint32_t attempts;
	uint32_t prompt_tokens;
	uint32_t completion_tokens;
	int damaged;                /* a done row whose reply_sum did not
				     * match: read as pending (state), so
				     * the item is sent again */
};

/* Result of one completed item, for journal_item_done(). */
struct journal_result {
	const char *req_hash;
	const char *model_hash;     /* SHA-256 hex of the model asked for,
				     * or NULL */
	const char *template_hash;  /* SHA-256 hex of the stage's templates
				     * and schema (engine/prompts.h), or
				     * NULL */
	const char *reply;
	size_t reply_len;
	int reply_in_hash;          /* req_hash covers the reply (offline:
				     * it was rendered with the request and
				     * hashed with it), so the row keeps
				     * only its checksum: reply is NULL */
	const char *finish_reason;
	const char *model;
	uint32_t attempts;
	uint32_t prompt_tokens;
	uint32_t completion_tokens;
};

/* The state a row's `state` text names; JOURNAL_NONE for NULL or any
 * text no state is written as (a damaged byte, or 'inflight'). */
enum journal_state journal_state_parse(const unsigned char *s);

/* The checksum (base/sum64.h) a done row carries in reply_sum: over its
 * item id, request hash, reply, finish reason and model, the values a
 * resume trusts. */
int64_t journal_reply_sum(const char *item_id, const char *req_hash,
			  const char *reply, size_t reply_len,
			  const char *finish_reason, const char *model);

/* SQL that creates the journal table; run inside the schema transaction. */
extern const char journal_schema_sql[];

/* Add the columns a journal table made before model_hash and
 * template_hash lacks (a `batch` journal file of personaforge 0.1.0;
 * datasets are versioned instead and refuse an older schema). Returns 0,
 * or -1 on an SQL error. */
int journal_add_columns(sqlite3 *db);

/* Wrap an open connection whose schema has the journal table. Prepares
 * the read statements; the connection stays the caller's and must
 * outlive the journal. Writes need journal_attach_queue() next. Returns 0
 * or -1 with err filled. */
int journal_open(sqlite3 *db, struct journal **out, struct pf_error *err);

/* Finalize statements and free; accepts NULL. Does not commit. */
void journal_close(struct journal *j);

struct sqlq;

/* Send every write (plan, done, fail, record) through the write queue `q`
 * (engine/sqlq.h; it stays the caller's and must outlive the journal);
 * reads stay on the connection. Until this is called every write returns
 * -1. Call during set-up, before the queue's first hand-over. A journal
 * empty now keeps its plans back (engine/jplan.h: one pending row per
 * unit, each item's row written once, with its outcome), which a run
 * that stops must write (journal_plans_write). Returns 0, or -1 with err
 * filled when the queue refuses a statement or the journal cannot be
 * read. */
int journal_attach_queue(struct journal *j, struct sqlq *q,
			 struct pf_error *err);

/* The writes since the last call form one unit (one item's journal row
 * and dataset rows): they commit together. After a unit's plans, this
 * queues the pending row that stands for them. No-op without a queue. */
void journal_unit_end(struct journal *j);

/* Queue, as one unit, the pending rows of the plans kept back (the
 * items neither done nor failed yet), so that a run that stops leaves
 * the journal as if every plan had been written at once. Returns 0, or
 * -1 without a queue. */
int journal_plans_write(struct journal *j);

/* 1 if some committed item id starts with `prefix` ("" for any), 0 if
 * none, -1 on a read error. Lets a resumed run skip per-item look-ups for
 * units that have no history. */
int journal_prefix_exists(struct journal *j, const char *prefix);

/* Queue: record an item as pending unless it already has a row (kept
 * back in a journal that was empty: journal_attach_queue). Returns 0
 * (whether a row existed is not known until the queue commits), or -1
 * without a queue. The queue reports write errors (journal_tx_commit). */
int journal_item_plan(struct journal *j, const char *id, const char *stage,
		      int64_t persona, int64_t idx);

/* Read the item's row into *row (state JOURNAL_NONE when absent). */
int journal_item_get(struct journal *j, const char *id,
		     struct journal_row *row);

/* Queue: mark done with its reply; the row is durable once the
 * transaction that holds this write commits. The strings are copied.
 * A reply_in_hash reply is not stored (NULL; reply_sum is taken over
 * NULL, so `verify` checks such a row like any other): an offline
 * reply is most of a dataset's journal bytes, and it is the text the
 * output rows hold. Returns 0, or -1 without a queue. */
int journal_item_done(struct journal *j, const char *id,
		      const struct journal_result *r);

/* The model and template hashes stored with the item's last done reply
 * (journal_result), "" each when there are none, so a resume can say
 * why a changed request is sent again. They are not under reply_sum:
 * they explain, a resume never trusts them. Returns 0, or -1 on a read
 * error (a journal without the columns included). */
int journal_item_hashes(struct journal *j, const char *id,
			char model_hash[65], char template_hash[65]);

/* Queue: mark failed with the reason and attempts made. Returns 0, or -1
 * without a queue. */
int journal_item_fail(struct journal *j, const char *id, const char *hash,
		      uint32_t attempts, const char *reason);

/* Identity of an item for journal_item_record(). */
struct journal_item {
	const char *id;             /* item id (the row's key) */
	const char *stage;          /* stage name, for a new row */
	int64_t idx;                /* index within the stage, for a new row */
	const char *req_hash;       /* hash of the request sent */
	uint32_t attempts;          /* transport attempts made */
};

/* Record an item's outcome in one write, whether or not it has a row:
 * done with reply r when r is not NULL, else failed with `reason`. A new
 * row gets persona 0. For callers that plan nothing ahead (batch): a
 * plan row plus an update costs two writes per item. Returns 0, or -1
 * without a queue. */
int journal_item_record(struct journal *j, const struct journal_item *it,
			const struct journal_result *r, const char *reason);

/* Hand the queued writes over to the writer thread now. Returns 0, or -1
 * once the queue has failed (journal_errmsg says why). */
int journal_tx_commit(struct journal *j);

/* Counts by state, into counts[JOURNAL_PENDING..JOURNAL_FAILED]; the
 * other entries of the five are zero, or for counts[JOURNAL_NONE] rows
 * in a state nothing writes. Returns 0, or -1 on a read error. */
int journal_count(struct journal *j, int64_t counts[5]);

/* The reason a failed item's dependents are recorded with starts with
 * this: they were never sent, a prerequisite failed. */
#define JOURNAL_BLOCKED "blocked: "

/* What the journal holds for the items of one stage. */
struct journal_outcome {
	int64_t done;
	int64_t failed;             /* failed itself */
	int64_t blocked;            /* failed because a prerequisite did */
	int64_t other;              /* pending, or a state nothing writes */
};

/* Count the items of units [first, end) by stage and outcome: out[i] for
 * the stage named stages[i] (n of them; rows of other stages are not
 * counted). Reads committed rows only. Returns 0, or -1 on a read error
 * (journal_errmsg says why). */
int journal_outcomes(struct journal *j, int64_t first, int64_t end,
		     const char *const *stages, int n,
		     struct journal_outcome *out);

/* How many units of [first, end) have `per_unit` items or more in the
 * journal and every one of them done; -1 on a read error. */
int64_t journal_units_complete(struct journal *j, int64_t first,
			       int64_t end, int64_t per_unit);

/* The connection's last error message, for reports. */
const char *journal_errmsg(const struct journal *j);

#endif
