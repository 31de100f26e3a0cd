/* out-path.h - may a command write its output here? One rule, one
 * message and one exit code for `build` (the dataset) and `export` (the
 * XML file or the JSONL directory).
 *
 * Checked before anything is created, so a refused run leaves no trace.
 */
#ifndef PF_OUT_PATH_H
#define PF_OUT_PATH_H

/* 0 when out's directory can be written and out is absent or can be read
 * and written; else prints "personaforge: OUT: cannot write the output
 * here: REASON" on stderr and returns PF_EXIT_USAGE (PF_EXIT_RUNTIME when
 * out of memory). */
int out_path_check(const char *out);

#endif
