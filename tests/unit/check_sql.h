/* check_sql.h - reading a number back from a SQLite file in Check tests.
 * check_sql_int(db, sql): the first column of the first row of `sql` as
 * an int, -1 when there is no row; a statement that does not prepare
 * fails the test. */
#ifndef PF_CHECK_SQL_H
#define PF_CHECK_SQL_H

#include <check.h>
#include <sqlite3.h>

static inline int
check_sql_int(sqlite3 *db, const char *sql)
{
	sqlite3_stmt *st;
	int n = -1;

	ck_assert_int_eq(sqlite3_prepare_v2(db, sql, -1, &st, NULL),
			 SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		n = sqlite3_column_int(st, 0);
	sqlite3_finalize(st);
	return n;
}

#endif
