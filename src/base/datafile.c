/*
 * datafile.c — where the files shipped with huitou are (forms, divisions). An installed
 * binary reads them from the package data directory; a binary run from its build tree reads
 * them from the source tree, so tests and the demo never need "make install". The choice is
 * made from /proc/self/exe, never from the environment.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

bool
running_from_build_tree(void)
{
	static int cached = -1;
	char exe[PATH_MAX];
	ssize_t n;

	if (cached >= 0)
		return cached;
	n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	cached = 0;
	if (n > 0) {
		exe[n] = '\0';
		cached = str_starts(exe, ABS_TOP_BUILDDIR "/") ? 1 : 0;
	}
	return cached;
}

char *
datafile_find(const char *relpath)
{
	char *path;

	if (running_from_build_tree())
		path = xasprintf("%s/%s", ABS_TOP_SRCDIR, relpath);
	else
		path = xasprintf("%s/%s", PKGDATADIR, relpath);
	if (path_exists(path))
		return path;
	free(path);
	return NULL;
}

bool
path_exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

bool
path_is_dir(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}
