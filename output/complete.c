/* complete.c - finished datasets and complete personas (see complete.h). */
#include "output/complete.h"

#include <stdio.h>

#include "output/tables.h"

/* A shard expects its slice of the personas (src/shard.h). */
static const char progress_sql[] =
	"SELECT (SELECT coalesce(max(personas * (shard_index + 1) /"
	" shard_count - personas * shard_index / shard_count), 0) FROM run),"
	" (SELECT count(*) FROM persona),"
	" (SELECT count(*) FROM persona WHERE "
	DATASET_COMPLETE("persona." DATASET_PERSONA_COL) "),"
	" (SELECT count(*) FROM journal WHERE state != 'done')";

int
dataset_progress_read(struct dataset *ds, struct dataset_progress *p,
		      struct pf_error *err)
{
	sqlite3_stmt *st;
	int rc;

	if (err != NULL)
		snprintf(err->file, sizeof(err->file), "%s", ds->path);
	st = dataset_prepare(ds, progress_sql, err);
	if (st == NULL)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		p->expected = sqlite3_column_int64(st, 0);
		p->personas = sqlite3_column_int64(st, 1);
		p->complete = sqlite3_column_int64(st, 2);
		p->undone = sqlite3_column_int64(st, 3);
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return pf_error_set(err, "database error: %s",
				    sqlite3_errmsg(ds->db));
	return 0;
}

int
dataset_progress_finished(const struct dataset_progress *p)
{
	return p->undone == 0 && p->personas >= p->expected;
}
