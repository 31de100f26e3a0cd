/* datadir.h - finding the data root: the folder holding templates/ and
 * personas/data/ (the installed $(pkgdatadir), or a source tree).
 *
 * The root is, in this order:
 *   1. $PERSONAFORGE_DATADIR when set and not empty: the user's choice,
 *      taken as long as it is a directory (a file missing inside it is
 *      then named by whoever fails to open it);
 *   2. for a binary running from the configure-time $(bindir): the
 *      installed $(pkgdatadir), then the build tree's data;
 *   3. for any other binary (an uninstalled one in a build tree): the
 *      build tree's data (the configure-time source folder), then the
 *      installed $(pkgdatadir).
 * A place of 2 and 3 counts only when it holds PF_DATADIR_MARKER, so a
 * missing or partial install is passed over rather than used.
 *
 * The search runs once, at the first call of any function below; make
 * that call before starting threads (later calls only read).
 */
#ifndef PF_DATADIR_H
#define PF_DATADIR_H

#include "base/error.h"

/* A file every data root holds, relative to it. */
#define PF_DATADIR_MARKER "templates/prompts/system.mustache"

/* The data root found; when none was found, the first place tried (so
 * paths made from it still name a plausible file). Never NULL; the string
 * lives until exit. */
const char *pf_datadir(void);

/* 0 if a data root was found; else -1 with err's msg naming
 * PERSONAFORGE_DATADIR and every place tried. err may be NULL. */
int pf_datadir_check(struct pf_error *err);

/* Resolve a data file: `user_dir/rel` (with a leading "templates/" of rel
 * dropped) when user_dir is not NULL and that file is readable, else
 * `<data root>/rel`. Returns a malloc'd path the caller frees, or NULL
 * when out of memory. */
char *pf_data_path(const char *user_dir, const char *rel);

#endif
