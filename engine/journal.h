/* journal.h - one SQLite row per work item: the crash-safe resume and the
 * response cache.
 *
 * A row is keyed by the item's stable id and holds the hash of its fully
 * rendered request, its state, attempts, the reply and token usage. A
 * stored reply is reused only while the hash still matches, so a changed
 * template re-runs exactly the items it touches. An item is done when its
 * row is committed; writes are grouped into transactions by the caller
 * through journal_tx_begin()/journal_tx_commit() (a few milliseconds or a
 * few thousand rows per commit), so a crash re-sends at most what was in
 * flight since the last commit.
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

enum journal_state {
	JOURNAL_NONE = 0,    /* no row */
	JOURNAL_PENDING,
	JOURNAL_INFLIGHT,
	JOURNAL_DONE,
	JOURNAL_FAILED
};

struct journal;

/* What a lookup finds. Strings are copies in a buffer owned by the
 * journal, valid until the next journal_item_get(). */
struct journal_row {
	enum journal_state state;
	const char *req_hash;       /* NULL if never rendered */
	const char *reply;          /* NULL unless done */
	size_t reply_len;
	const char *finish_reason;
	const char *model;
	const char *last_error;
	uint32_t attempts;
	uint32_t prompt_tokens;
	uint32_t completion_tokens;
};

/* Result of one completed item, for journal_item_done(). */
struct journal_result {
	const char *req_hash;
	const char *reply;
	size_t reply_len;
	const char *finish_reason;
	const char *model;
	uint32_t attempts;
	uint32_t prompt_tokens;
	uint32_t completion_tokens;
};

/* SQL that creates the journal table; run inside the schema transaction. */
extern const char journal_schema_sql[];

/* Wrap an open connection whose schema has the journal table. Prepares
 * the statements; the connection stays the caller's and must outlive the
 * journal. Returns 0 or -1 with err filled. */
int journal_open(sqlite3 *db, struct journal **out, struct pf_error *err);

/* Finalize statements and free; accepts NULL. Does not commit. */
void journal_close(struct journal *j);

struct sqlq;

/* Send every write (plan, done, fail) through the write queue `q`
 * (engine/sqlq.h) instead of the connection; reads stay on the
 * connection. Then journal_tx_begin does nothing, journal_tx_commit hands
 * the queued writes over, and journal_unit_end marks where a commit may
 * fall. Call during set-up, before the queue's first hand-over. */
int journal_attach_queue(struct journal *j, struct sqlq *q,
			 struct pf_error *err);

/* The writes since the last call form one unit (one item's journal row
 * and dataset rows): they commit together. No-op without a queue. */
void journal_unit_end(struct journal *j);

/* 1 if some committed item id starts with `prefix` ("" for any), 0 if
 * none, -1 on a read error. Lets a resumed run skip per-item look-ups for
 * units that have no history. */
int journal_prefix_exists(struct journal *j, const char *prefix);

/* Record an item as pending unless it already has a row. Returns 1 if a
 * new row was made (the item has no history), 0 if one existed (or, with a
 * queue, when it cannot tell yet), -1 on a write error. */
int journal_item_plan(struct journal *j, const char *id, const char *stage,
		      int64_t persona, int64_t idx);

/* Read the item's row into *row (state JOURNAL_NONE when absent). */
int journal_item_get(struct journal *j, const char *id,
		     struct journal_row *row);

/* Mark done with its reply; the row is durable once the transaction that
 * holds this write commits. */
int journal_item_done(struct journal *j, const char *id,
		      const struct journal_result *r);

/* Mark failed with the reason and attempts made. */
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
 * plan row plus an update costs two writes per item. Returns 0 or -1. */
int journal_item_record(struct journal *j, const struct journal_item *it,
			const struct journal_result *r, const char *reason);

/* Begin a write transaction (BEGIN IMMEDIATE) if none is open. */
int journal_tx_begin(struct journal *j);

/* Commit the open transaction, if any. */
int journal_tx_commit(struct journal *j);

/* Writes since the open transaction began (for commit batching). */
unsigned journal_tx_pending(const struct journal *j);

/* Counts by state, into counts[JOURNAL_PENDING..JOURNAL_FAILED]. */
int journal_count(struct journal *j, int64_t counts[5]);

/* The connection's last error message, for reports. */
const char *journal_errmsg(const struct journal *j);

#endif
