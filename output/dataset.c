/* dataset.c - dataset schema, open with writer lock or read-only, version
 * check, finishing into one file. */
#include "output/dataset.h"

#include "base/buf.h"
#include "engine/journal.h"
#include "output/tablesql.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static int
db_fail(struct dataset *ds, struct pf_error *err, const char *what)
{
	return pf_error_set(err, "%s: %s", what,
			    ds->db ? sqlite3_errmsg(ds->db) : "out of memory");
}

int
dataset_exec(struct dataset *ds, const char *sql, struct pf_error *err)
{
	char *msg = NULL;

	if (sqlite3_exec(ds->db, sql, NULL, NULL, &msg) != SQLITE_OK) {
		pf_error_set(err, "database error: %s", msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

sqlite3_stmt *
dataset_prepare(struct dataset *ds, const char *sql, struct pf_error *err)
{
	sqlite3_stmt *st = NULL;

	if (sqlite3_prepare_v3(ds->db, sql, -1, SQLITE_PREPARE_PERSISTENT,
			       &st, NULL) != SQLITE_OK) {
		db_fail(ds, err, "cannot prepare statement");
		return NULL;
	}
	return st;
}

int
dataset_has_table(struct dataset *ds, const char *name, struct pf_error *err)
{
	sqlite3_stmt *st = dataset_prepare(ds, "SELECT count(*) FROM "
					   "sqlite_master WHERE type = 'table' "
					   "AND name = ?1", err);
	int rc;

	if (st == NULL)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	rc = sqlite3_step(st) == SQLITE_ROW ? sqlite3_column_int(st, 0) > 0
	     : db_fail(ds, err, "cannot read the schema");
	sqlite3_finalize(st);
	return rc;
}

static int
user_version(struct dataset *ds, int *v, struct pf_error *err)
{
	sqlite3_stmt *st;
	int rc;

	st = dataset_prepare(ds, "PRAGMA user_version", err);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	*v = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : -1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(ds, err, "not a readable SQLite database");
	return 0;
}

/* 1 if the database has no tables at all (a new file). */
static int
is_empty(struct dataset *ds)
{
	sqlite3_stmt *st;
	int n = 1;

	if (sqlite3_prepare_v2(ds->db, "SELECT count(*) FROM sqlite_master",
			       -1, &st, NULL) != SQLITE_OK)
		return 0;
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n == 0;
}

/* Create every table and set the version; `prelude` (may be NULL) runs
 * first in the same transaction, so replacing a dataset is all or
 * nothing (DDL and user_version are transactional in SQLite). */
static int
create_schema_with(struct dataset *ds, const char *prelude,
		   struct pf_error *err)
{
	char ver[64];
	struct buf ddl;
	int rc;

	/* The dataset tables come from the registry (output/tables.c), the
	 * journal from engine/journal.h. */
	buf_init(&ddl, 1 << 16);
	if (tablesql_schema(&ddl) != 0) {
		buf_free(&ddl);
		return pf_error_set(err, "out of memory");
	}
	if (dataset_exec(ds, "BEGIN IMMEDIATE", err) != 0) {
		buf_free(&ddl);
		return -1;
	}
	snprintf(ver, sizeof(ver), "PRAGMA user_version = %d",
		 DATASET_SCHEMA_VERSION);
	rc = prelude ? dataset_exec(ds, prelude, err) : 0;
	if (rc == 0)
		rc = dataset_exec(ds, ddl.data, err);
	buf_free(&ddl);
	if (rc != 0 || dataset_exec(ds, journal_schema_sql, err) != 0 ||
	    dataset_exec(ds, ver, err) != 0) {
		dataset_exec(ds, "ROLLBACK", NULL);
		return -1;
	}
	return dataset_exec(ds, "COMMIT", err);
}

static int
create_schema(struct dataset *ds, struct pf_error *err)
{
	return create_schema_with(ds, NULL, err);
}

/* "PATH.lock"; NULL when out of memory. */
static char *
owner_path(const char *path)
{
	char *p = NULL;

	return asprintf(&p, "%s.lock", path) < 0 ? NULL : p;
}

/* Say who holds the lock, from the OUT.lock its holder wrote after taking
 * it (absent for a moment after the holder took the lock, or when an
 * older personaforge holds it). */
static int
locked_by(struct dataset *ds, struct pf_error *err)
{
	char line[300] = "", *path = owner_path(ds->path);
	FILE *f = path ? fopen(path, "r") : NULL;

	if (f != NULL && fgets(line, sizeof(line), f) != NULL)
		line[strcspn(line, "\n")] = '\0';
	if (f != NULL)
		fclose(f);
	free(path);
	if (line[0] == '\0')
		snprintf(line, sizeof(line), "a process that has not said "
			 "who it is yet");
	return pf_error_set(err, DATASET_LOCKED " (locked by %.280s); wait "
			    "for it to finish", line);
}

/* Write "pid P on host H since T" to OUT.lock (temp name, fsync,
 * rename), so a second writer can name the holder. */
static int
write_owner(struct dataset *ds, struct pf_error *err)
{
	char host[256] = "?", since[32], *path = owner_path(ds->path);
	char *tmp = NULL;
	time_t now = time(NULL);
	struct tm tm;
	FILE *f = NULL;
	int ok;

	gethostname(host, sizeof(host) - 1);
	strftime(since, sizeof(since), "%Y-%m-%dT%H:%M:%SZ",
		 gmtime_r(&now, &tm));
	ok = path != NULL && asprintf(&tmp, "%s.%ld.tmp", path,
				      (long)getpid()) >= 0 &&
	     (f = fopen(tmp, "w")) != NULL;
	ok = ok && fprintf(f, "pid %ld on host %s since %s\n",
			   (long)getpid(), host, since) > 0;
	ok = f != NULL && fflush(f) == 0 && fsync(fileno(f)) == 0 && ok;
	if (f != NULL && fclose(f) != 0)
		ok = 0;
	ok = ok && rename(tmp, path) == 0;
	if (!ok)
		pf_error_set(err, "cannot write %s: %s", path ? path : "?",
			     strerror(errno));
	if (!ok && tmp != NULL)
		unlink(tmp);
	free(tmp);
	free(path);
	ds->owner_written = ok;
	return ok ? 0 : -1;
}

/* Take the exclusive writer lock on the database file itself. flock()
 * locks are independent of SQLite's own fcntl() locks on Linux, and the
 * kernel drops them when the process dies, so a crash never leaves a
 * stale lock behind (a stale OUT.lock is only overwritten). A file
 * system without working locks (NFS mounted nolock, Lustre without
 * flock) says ENOLCK or ENOSYS: refused, naming the cause, since two
 * writers there would corrupt the dataset. */
static int
take_lock(struct dataset *ds, struct pf_error *err)
{
	ds->lock_fd = open(ds->path, O_RDWR | O_CREAT | O_CLOEXEC, 0644);
	if (ds->lock_fd < 0)
		return pf_error_set(err, "cannot open for writing: %s",
				    strerror(errno));
	if (flock(ds->lock_fd, LOCK_EX | LOCK_NB) == 0)
		return write_owner(ds, err);
	if (errno == EWOULDBLOCK)
		return locked_by(ds, err);
	if (errno == ENOLCK || errno == ENOSYS)
		return pf_error_set(err, "cannot lock: %s (%s): this file "
				    "system has no working locks (NFS "
				    "mounted nolock, Lustre without flock?); "
				    "write the dataset on a local disk",
				    strerror(errno), errno == ENOLCK ?
				    "ENOLCK" : "ENOSYS");
	return pf_error_set(err, "cannot lock: %s", strerror(errno));
}

static int
check_version(struct dataset *ds, enum dataset_mode mode,
	      struct pf_error *err)
{
	int v;

	if (user_version(ds, &v, err) != 0)
		return -1;
	if (v == 0 && mode == DATASET_WRITE && is_empty(ds))
		return create_schema(ds, err);
	if (v == 0)
		return pf_error_set(err, "not a personaforge dataset "
				    "(no schema version)");
	/* An older dataset may have dropped findings (version 1 stored at
	 * most 256 a row and counted no more), has no checksums (version
	 * 2) to show it is intact, or no hashes to say why an item is
	 * sent again (version 3): build it again. */
	if (v < DATASET_SCHEMA_VERSION)
		return pf_error_set(err, "dataset schema version %d is not "
				    "supported by this personaforge (it "
				    "reads version %d): an older personaforge "
				    "wrote it; build it again into a new "
				    "file", v, DATASET_SCHEMA_VERSION);
	if (v != DATASET_SCHEMA_VERSION)
		return pf_error_set(err, "dataset schema version %d is not "
				    "supported by this personaforge (it "
				    "reads version %d)", v,
				    DATASET_SCHEMA_VERSION);
	return 0;
}

int
dataset_error_locked(const struct pf_error *err)
{
	return strncmp(err->msg, DATASET_LOCKED, strlen(DATASET_LOCKED)) == 0;
}

int
dataset_write_ahead(struct dataset *ds, struct pf_error *err)
{
	return dataset_exec(ds, "PRAGMA journal_mode=WAL;", err);
}

int
dataset_reindex(struct dataset *ds, struct pf_error *err)
{
	return dataset_exec(ds, "REINDEX;", err);
}

/* Connection settings of a writer; a new file is switched to WAL at
 * once, an existing one only by dataset_write_ahead (so a dataset that
 * is refused after opening keeps every byte). */
static int
configure(struct dataset *ds, enum dataset_mode mode, int fresh,
	  struct pf_error *err)
{
	if (mode == DATASET_READ)
		return 0;
	if (fresh && dataset_write_ahead(ds, err) != 0)
		return -1;
	/* WAL + NORMAL survives any application crash; each commit records
	 * paid LLM work, but a power loss costs at most the last few
	 * commits, which the journal re-requests. */
	return dataset_exec(ds, "PRAGMA synchronous=NORMAL;"
			    "PRAGMA cache_size=-8192;"
			    "PRAGMA foreign_keys=OFF;", err);
}

/* 1 if the file's header says WAL mode (bytes 18 and 19 are 2) and no
 * write-ahead log with content lies next to it: the file alone holds
 * every committed page. */
static int
wal_without_log(const char *path)
{
	unsigned char h[20];
	struct stat st;
	char *wal = NULL;
	int fd, n, alone;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return 0;
	n = (int)read(fd, h, sizeof(h));
	close(fd);
	if (n != (int)sizeof(h) || h[18] != 2 || h[19] != 2 ||
	    asprintf(&wal, "%s-wal", path) < 0)
		return 0;
	alone = stat(wal, &st) != 0 ? errno == ENOENT : st.st_size == 0;
	free(wal);
	return alone;
}

/* "file:PATH?immutable=1" with PATH percent-escaped for a URI; NULL when
 * out of memory. */
static char *
immutable_uri(const char *path)
{
	static const char hex[] = "0123456789abcdef";
	struct buf b;
	const unsigned char *p;
	int rc;

	buf_init(&b, 3 * strlen(path) + 64);
	rc = buf_puts(&b, "file:");
	for (p = (const unsigned char *)path; *p != '\0' && rc == 0; p++)
		rc = *p == '?' || *p == '#' || *p == '%' || *p < 0x21 ||
		     *p >= 0x7f ? buf_putc(&b, '%') | buf_putc(&b, hex[*p >> 4])
		     | buf_putc(&b, hex[*p & 15]) : buf_putc(&b, (char)*p);
	if (rc != 0 || buf_puts(&b, "?immutable=1") != 0) {
		buf_free(&b);
		return NULL;
	}
	return buf_detach(&b);
}

/* Open for reading without creating anything next to the file. A
 * dataset in rollback mode (every finished build) opens read-only as it
 * is. One in WAL mode whose log is gone or empty would need -shm and
 * -wal files created beside it (impossible in a read-only folder, and
 * left behind otherwise): when no writer holds the file (a shared flock
 * against the writers' exclusive one, kept until close), it is opened
 * immutable, which is exact because the file alone holds every page and
 * no one can change it while the lock is held. Anything else (a build is
 * writing, or a log with content) is opened read-only through SQLite's
 * WAL rules, which read the log. */
static int
open_read(struct dataset *ds)
{
	char *uri;
	int rc, flags = SQLITE_OPEN_READONLY | SQLITE_OPEN_NOMUTEX;

	if (wal_without_log(ds->path)) {
		ds->lock_fd = open(ds->path, O_RDONLY | O_CLOEXEC);
		if (ds->lock_fd >= 0 &&
		    flock(ds->lock_fd, LOCK_SH | LOCK_NB) == 0 &&
		    wal_without_log(ds->path) &&
		    (uri = immutable_uri(ds->path)) != NULL) {
			rc = sqlite3_open_v2(uri, &ds->db, flags |
					     SQLITE_OPEN_URI, NULL);
			free(uri);
			return rc;
		}
		if (ds->lock_fd >= 0)
			close(ds->lock_fd);
		ds->lock_fd = -1;
	}
	return sqlite3_open_v2(ds->path, &ds->db, flags, NULL);
}

static int
open_db(struct dataset *ds, enum dataset_mode mode, struct pf_error *err)
{
	struct stat st;
	int rc;

	if (mode == DATASET_READ && stat(ds->path, &st) != 0)
		return pf_error_set(err, "cannot open: %s", strerror(errno));
	if (mode == DATASET_WRITE && take_lock(ds, err) != 0)
		return -1;
	if (mode == DATASET_READ)
		rc = open_read(ds);
	else
		rc = sqlite3_open_v2(ds->path, &ds->db, SQLITE_OPEN_READWRITE |
				     SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
				     NULL);
	if (rc != SQLITE_OK)
		return db_fail(ds, err, "cannot open database");
	/* Check what the file is before changing anything in it: a refused
	 * file must be left exactly as it was (journal mode included). */
	sqlite3_busy_timeout(ds->db, 5000);
	if (check_version(ds, DATASET_READ, err) == 0)
		return configure(ds, mode, 0, err);
	if (mode == DATASET_READ || !is_empty(ds))
		return -1;
	pf_error_clear(err);
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", ds->path);
	if (configure(ds, mode, 1, err) != 0)
		return -1;
	return create_schema(ds, err);
}

int
dataset_open(const char *path, enum dataset_mode mode, struct dataset **out,
	     struct pf_error *err)
{
	struct dataset *ds;

	*out = NULL;
	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", path);
	ds = calloc(1, sizeof(*ds));
	if (ds == NULL || (ds->path = strdup(path)) == NULL) {
		free(ds);
		return pf_error_set(err, "out of memory");
	}
	ds->lock_fd = -1;
	if (open_db(ds, mode, err) != 0) {
		dataset_close(ds);
		return -1;
	}
	*out = ds;
	return 0;
}

void
dataset_close(struct dataset *ds)
{
	char *owner = NULL;

	if (ds == NULL)
		return;
	if (ds->db != NULL)
		sqlite3_close(ds->db);
	/* OUT.lock goes while the lock is still held: a writer waiting
	 * for it never finds another's name in it */
	if (ds->owner_written && (owner = owner_path(ds->path)) != NULL)
		unlink(owner);
	free(owner);
	if (ds->lock_fd >= 0)
		close(ds->lock_fd);
	free(ds->path);
	free(ds);
}

int
dataset_finish(struct dataset *ds, struct pf_error *err)
{
	/* FULL while leaving WAL: the checkpoint and the header change are
	 * synced before the log is deleted. */
	return dataset_exec(ds, "PRAGMA synchronous=FULL;"
			    "PRAGMA wal_checkpoint(TRUNCATE);"
			    "PRAGMA journal_mode=DELETE;", err);
}

/* Quarantine carried from documents to the facts, QA pairs and
 * multiple-choice items resting on them. */
static const char propagate_sql[] =
	"UPDATE fact SET quarantined = 1 WHERE quarantined = 0 AND"
	" doc_id IN (SELECT doc_id FROM document WHERE quarantined);"
	"UPDATE mcq SET quarantined = 1 WHERE quarantined = 0 AND"
	" doc_id IN (SELECT doc_id FROM document WHERE quarantined);"
	"UPDATE qa SET quarantined = 1 WHERE quarantined = 0 AND"
	" qa_id IN (SELECT e.qa_id FROM qa_evidence e JOIN document d"
	" ON d.doc_id = e.doc_id WHERE d.quarantined);";

static int propagate_tx(struct dataset *ds, struct pf_error *err);

int
dataset_propagate_quarantine(struct dataset *ds, struct pf_error *err)
{
	/* Inside the caller's transaction: the statements alone. */
	if (!sqlite3_get_autocommit(ds->db))
		return dataset_exec(ds, propagate_sql, err);
	return propagate_tx(ds, err);
}

static int
propagate_tx(struct dataset *ds, struct pf_error *err)
{
	if (dataset_exec(ds, "BEGIN IMMEDIATE", err) != 0)
		return -1;
	if (dataset_exec(ds, propagate_sql, err) != 0 ||
	    dataset_exec(ds, "COMMIT", err) != 0) {
		dataset_exec(ds, "ROLLBACK", NULL);
		return -1;
	}
	return 0;
}

int
dataset_reset(struct dataset *ds, struct pf_error *err)
{
	struct buf drop;
	int rc;

	buf_init(&drop, 1 << 16);
	if (tablesql_drop(&drop) != 0 ||
	    buf_puts(&drop, "DROP TABLE IF EXISTS journal;") != 0) {
		buf_free(&drop);
		return pf_error_set(err, "out of memory");
	}
	rc = create_schema_with(ds, drop.data, err);
	buf_free(&drop);
	return rc;
}
