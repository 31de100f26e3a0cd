/* report-file.h - write a dataset's HTML report (output/report.h) to a
 * file: `personaforge report` and `build --report` share it. */
#ifndef PF_SRC_REPORT_FILE_H
#define PF_SRC_REPORT_FILE_H

#include "output/dataset.h"

/* Write the report of ds to `path`, under a temporary name renamed over
 * it when complete, comparing the attributes with the persona tables of
 * the data directory (the locale of the dataset's config first).
 * Returns 0, or an exit code after printing the error: PF_EXIT_USAGE
 * when path cannot be written, PF_EXIT_RUNTIME on a read or write
 * error. */
int report_file_write(struct dataset *ds, const char *path);

#endif
