/* report-file.c - a dataset's report into a file (see report-file.h). */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cjson/cJSON.h>

#include "base/json.h"
#include "base/status.h"
#include "engine/config.h"
#include "output/export.h"
#include "output/report.h"
#include "src/out-path.h"
#include "src/report-file.h"

/* $.locale of the stored config into out ("us" without one). */
static void
stored_locale(struct dataset *ds, char *out, size_t n)
{
	struct pf_error e;
	sqlite3_stmt *st;
	cJSON *c = NULL;

	pf_error_clear(&e);
	snprintf(out, n, "us");
	st = dataset_prepare(ds, "SELECT config FROM run WHERE id = 1", &e);
	if (st != NULL && sqlite3_step(st) == SQLITE_ROW)
		c = cJSON_Parse((const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	snprintf(out, n, "%s", json_get_str(c, "locale", "us"));
	cJSON_Delete(c);
}

int
report_file_write(struct dataset *ds, const char *path)
{
	char locale[64], base[4096], loc[4200];
	const char *dirs[3] = { NULL, NULL, NULL };
	struct export_file f;
	struct pf_error e;
	int rc;

	if ((rc = out_path_check(path)) != 0)
		return rc;
	stored_locale(ds, locale, sizeof(locale));
	snprintf(base, sizeof(base), "%s/personas/data", config_datadir());
	snprintf(loc, sizeof(loc), "%s/locales/%s", base, locale);
	dirs[0] = strcmp(locale, "us") != 0 ? loc : base;
	dirs[1] = strcmp(locale, "us") != 0 ? base : NULL;
	memset(&f, 0, sizeof(f));
	pf_error_clear(&e);
	if (export_file_open(&f, path, &e) != 0 ||
	    report_write(ds, f.fp, dirs, &e) != 0 ||
	    export_file_close(&f, &e) != 0 ||
	    export_file_rename(&f, &e) != 0) {
		pf_error_print(&e);
		rc = PF_EXIT_RUNTIME;
	}
	export_file_abort(&f);
	return rc;
}
