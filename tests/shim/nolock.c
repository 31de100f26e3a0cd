/* nolock.c - an LD_PRELOAD shim for tests: flock() fails with ENOLCK, as
 * it does on NFS mounted nolock, so the refusal can be tested on any
 * file system. PF_SHIM_ERRNO=ENOSYS makes it fail with ENOSYS instead. */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>

int
flock(int fd, int op)
{
	const char *e = getenv("PF_SHIM_ERRNO");

	(void)fd;
	(void)op;
	errno = e != NULL && strcmp(e, "ENOSYS") == 0 ? ENOSYS : ENOLCK;
	return -1;
}
