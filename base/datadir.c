/* datadir.c - the data root search (see datadir.h). */
#include "base/datadir.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* Set by the build (Makefile.am): the installed data, the installed
 * binaries, and the configure-time source folder. */
#ifndef PKGDATADIR
#define PKGDATADIR "/usr/local/share/personaforge"
#endif
#ifndef BINDIR
#define BINDIR "/usr/local/bin"
#endif

#define ENV_NAME "PERSONAFORGE_DATADIR"
#define PLACES_MAX 2

struct place {
	const char *dir;
	const char *what;          /* for the error: "installed", ... */
};

/* The outcome of the one search; filled by search(). */
static struct {
	int searched;
	const char *root;          /* the root found, NULL if none */
	const char *env;           /* $PERSONAFORGE_DATADIR when set */
	struct place tried[PLACES_MAX];
	size_t n_tried;
} dd;

/* 1 if the running binary sits in BINDIR, 0 if it sits elsewhere, -1 if
 * that cannot be told (no /proc). Links are resolved on both sides, so a
 * symlinked prefix still counts as installed. */
static int
running_installed(void)
{
	char *exe = realpath("/proc/self/exe", NULL);
	char *bin = realpath(BINDIR, NULL);
	char *slash = exe != NULL ? strrchr(exe, '/') : NULL;
	int rc = -1;

	if (slash != NULL) {
		*slash = '\0';
		rc = bin != NULL && strcmp(exe, bin) == 0;
	}
	free(exe);
	free(bin);
	return rc;
}

static int
has_marker(const char *dir)
{
	char path[4096];

	if ((size_t)snprintf(path, sizeof(path), "%s/%s", dir,
			     PF_DATADIR_MARKER) >= sizeof(path))
		return 0;
	return access(path, R_OK) == 0;
}

static void
try_place(const char *dir, const char *what)
{
	dd.tried[dd.n_tried].dir = dir;
	dd.tried[dd.n_tried].what = what;
	dd.n_tried++;
	if (dd.root == NULL && has_marker(dir))
		dd.root = dir;
}

/* An installed binary prefers the installed data; any other binary is
 * most likely a build tree's, whose templates may be newer than an
 * install's (and a request hash changes with one byte of a template). */
static void
search(void)
{
	const char *e = getenv(ENV_NAME);
	struct stat st;
	int installed;

	dd.searched = 1;
	if (e != NULL && *e != '\0') {
		dd.env = strdup(e);
		if (dd.env == NULL)
			dd.env = e;
		if (stat(dd.env, &st) == 0 && S_ISDIR(st.st_mode))
			dd.root = dd.env;
		return;
	}
	installed = running_installed() != 0;
	if (installed)
		try_place(PKGDATADIR, "installed data");
#ifdef BUILD_DATADIR
	try_place(BUILD_DATADIR, "build tree");
#endif
	if (!installed)
		try_place(PKGDATADIR, "installed data");
}

const char *
pf_datadir(void)
{
	if (!dd.searched)
		search();
	if (dd.root != NULL)
		return dd.root;
	return dd.env != NULL ? dd.env : dd.tried[0].dir;
}

int
pf_datadir_check(struct pf_error *err)
{
	char places[1024] = "";
	size_t i, n = 0;

	(void)pf_datadir();         /* runs the search once */
	if (dd.root != NULL)
		return 0;
	if (dd.env != NULL)
		snprintf(places, sizeof(places), "$" ENV_NAME "=%s (not a "
			 "directory)", dd.env);
	for (i = 0; i < dd.n_tried && n < sizeof(places); i++)
		n += (size_t)snprintf(places + n, sizeof(places) - n,
				      "%s%s (%s: no %s)", i > 0 ? ", " : "",
				      dd.tried[i].dir, dd.tried[i].what,
				      PF_DATADIR_MARKER);
	return pf_error_set(err, "cannot find the data directory: tried %s; "
			    "set " ENV_NAME " to the folder holding "
			    "templates/ and personas/", places);
}

char *
pf_data_path(const char *user_dir, const char *rel)
{
	const char *user_rel = rel;
	char *p = NULL;

	if (user_dir != NULL) {
		if (strncmp(user_rel, "templates/", 10) == 0)
			user_rel += 10;
		if (asprintf(&p, "%s/%s", user_dir, user_rel) < 0)
			return NULL;
		if (access(p, R_OK) == 0)
			return p;
		free(p);
	}
	if (asprintf(&p, "%s/%s", pf_datadir(), rel) < 0)
		return NULL;
	return p;
}
