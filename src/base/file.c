/*
 * file.c — whole-file reads and directory creation with errors that name the path.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "base.h"

int
file_read_all(const char *path, struct buf *out, struct error *err)
{
	FILE *fp = fopen(path, "rb");
	char chunk[65536];
	size_t n;

	if (fp == NULL)
		return error_set(err, ST_REFUSED, _("cannot open %s: %s"), path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof chunk, fp)) > 0)
		buf_add(out, chunk, n);
	if (ferror(fp)) {
		int e = errno;

		fclose(fp);
		return error_set(err, ST_FAILED, _("cannot read %s: %s"), path, strerror(e));
	}
	fclose(fp);
	if (out->data == NULL)
		buf_add(out, "", 0);
	return 0;
}

int
dir_make(const char *path, struct error *err)
{
	if (mkdir(path, 02770) == 0 || (errno == EEXIST && path_is_dir(path)))
		return 0;
	return error_set(err, ST_FAILED, _("cannot create directory %s: %s"), path, strerror(errno));
}
