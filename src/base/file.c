/*
 * file.c — whole-file reads and directory creation with errors that name the path.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "base.h"

/* A regular file's size, so a big file is read into a buffer grown once (read a chunk at a
 * time it would be copied each time the buffer doubles); else a chunk. */
static size_t
size_to_read(int fd)
{
	struct stat st;

	if (fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (uintmax_t)st.st_size < SIZE_MAX / 2)
		return (size_t)st.st_size + 1;	/* + 1: the end is seen without growing */
	return 65536;
}

int
file_read_all(const char *path, struct buf *out, struct error *err)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	ssize_t n;

	if (fd < 0)
		return error_set(err, ST_REFUSED, _("cannot open %s: %s"), path, strerror(errno));
	buf_grow(out, size_to_read(fd));
	for (;;) {
		if (out->cap - out->len <= 1)
			buf_grow(out, 65536);
		n = read(fd, out->data + out->len, out->cap - out->len - 1);
		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			break;
		out->len += (size_t)n;
	}
	if (n < 0) {
		int e = errno;

		close(fd);
		return error_set(err, ST_FAILED, _("cannot read %s: %s"), path, strerror(e));
	}
	close(fd);
	buf_add(out, "", 0);	/* NUL-terminated, and data set for an empty file */
	return 0;
}

int
dir_make(const char *path, struct error *err)
{
	if (mkdir(path, 02770) == 0 || (errno == EEXIST && path_is_dir(path)))
		return 0;
	return error_set(err, ST_FAILED, _("cannot create directory %s: %s"), path, strerror(errno));
}

/*
 * A file the caller names (an import, a keymap) is opened with the caller's own rights: in a
 * setgid install the effective group is dropped around the open, so the caller cannot read
 * through huitou what only its group may read. The real ids are taken back after.
 */
int
file_read_as_caller(const char *path, struct buf *out, struct error *err)
{
	gid_t egid = getegid();
	uid_t euid = geteuid();
	bool drop = egid != getgid() || euid != getuid();
	int rc;

	if (drop && (setegid(getgid()) != 0 || seteuid(getuid()) != 0))
		return error_set(err, ST_FAILED, _("cannot take the caller's rights to read %s: %s"),
		    path, strerror(errno));
	rc = file_read_all(path, out, err);
	if (drop && (seteuid(euid) != 0 || setegid(egid) != 0))
		fatal("cannot take back the program's rights after reading %s", path);
	return rc;
}
