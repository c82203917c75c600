/*
 * datafile.c — where the files shipped with huitou are (forms, divisions). An installed
 * binary reads them from the package data directory; a binary run from its build tree reads
 * them from the source tree, so tests and the demo never need "make install". The choice is
 * made from /proc/self/exe, never from the environment. A binary installed under another
 * prefix than the one compiled in (install.sh --prefix DIR) reads them under that prefix when
 * DIR/share/huitou/forms is beside it: the kernel names the executable, and only whoever may
 * write DIR (root, for a setgid install) could put files there.
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

/* DIR of DIR/bin/huitou when DIR/share/huitou/forms exists and DIR is not HUITOU_PREFIX. */
static char *
relocated_prefix(void)
{
	char exe[PATH_MAX], *slash, *forms;
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	bool found;

	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	if ((slash = strrchr(exe, '/')) == NULL)
		return NULL;
	*slash = '\0';		/* DIR/bin */
	if ((slash = strrchr(exe, '/')) == NULL || strcmp(slash, "/bin") != 0)
		return NULL;
	*slash = '\0';		/* DIR ("" for /bin) */
	if (str_eq(exe, HUITOU_PREFIX))
		return NULL;
	forms = xasprintf("%s/share/huitou/forms", exe);
	found = path_is_dir(forms);
	free(forms);
	return found ? xstrdup(exe) : NULL;
}

const char *
installed_prefix(void)
{
	static bool looked;
	static char *prefix;

	if (!looked) {
		looked = true;
		prefix = running_from_build_tree() ? NULL : relocated_prefix();
	}
	return prefix;
}

char *
datafile_find(const char *relpath)
{
	char *path;

	if (running_from_build_tree())
		path = xasprintf("%s/%s", ABS_TOP_SRCDIR, relpath);
	else if (installed_prefix() != NULL)
		path = xasprintf("%s/share/huitou/%s", installed_prefix(), relpath);
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
