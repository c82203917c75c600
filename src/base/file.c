/*
 * file.c — whole-file reads and writes and directory creation with errors that name the
 * path; a file the caller names or owns (an import, a keymap, saved views, a review queue) is
 * read and written with the caller's own rights.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
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
 * setgid install the effective ids are dropped around the open, so the caller cannot read or
 * write through huitou what only its group may. The program's ids are taken back after.
 */
int
caller_rights_take(struct caller_rights *r, const char *path, struct error *err)
{
	r->egid = getegid();
	r->euid = geteuid();
	r->dropped = r->egid != getgid() || r->euid != getuid();
	if (r->dropped && (setegid(getgid()) != 0 || seteuid(getuid()) != 0))
		return error_set(err, ST_FAILED, _("cannot take the caller's rights for %s: %s"),
		    path, strerror(errno));
	return 0;
}

void
caller_rights_give_back(const struct caller_rights *r, const char *path)
{
	if (r->dropped && (seteuid(r->euid) != 0 || setegid(r->egid) != 0))
		fatal("cannot take back the program's rights after %s", path);
}

int
file_read_as_caller(const char *path, struct buf *out, struct error *err)
{
	struct caller_rights r;
	int rc;

	if (caller_rights_take(&r, path, err) != 0)
		return -1;
	rc = file_read_all(path, out, err);
	caller_rights_give_back(&r, path);
	return rc;
}

/* The directories above path, each made 0700 where missing. */
static int
make_private_parents(const char *path, struct error *err)
{
	char *dir = xstrdup(path);
	int rc = 0;

	for (char *p = strchr(dir + 1, '/'); p != NULL && rc == 0; p = strchr(p + 1, '/')) {
		*p = '\0';
		if (mkdir(dir, 0700) != 0 && errno != EEXIST)
			rc = error_set(err, ST_FAILED, _("cannot create directory %s: %s"), dir,
			    strerror(errno));
		*p = '/';
	}
	free(dir);
	return rc;
}

static int
write_synced(const char *tmp, const struct buf *text, struct error *err)
{
	int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
	size_t done = 0;
	ssize_t w = 0;
	int rc = 0;

	if (fd < 0)
		return error_set(err, ST_FAILED, _("cannot write %s: %s"), tmp, strerror(errno));
	while (done < text->len && (w = write(fd, text->data + done, text->len - done)) > 0)
		done += (size_t)w;
	if (done < text->len || fsync(fd) != 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), tmp,
		    w == 0 ? strerror(ENOSPC) : strerror(errno));
	if (close(fd) != 0 && rc == 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), tmp, strerror(errno));
	return rc;
}

int
file_write_private(const char *path, const struct buf *text, struct error *err)
{
	char *tmp = xasprintf("%s.%ld.tmp", path, (long)getpid());
	struct caller_rights r;
	int rc = caller_rights_take(&r, path, err);

	if (rc == 0 && (rc = make_private_parents(path, err)) == 0 &&
	    (rc = write_synced(tmp, text, err)) == 0 && rename(tmp, path) != 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), path, strerror(errno));
	if (rc != 0)
		(void)unlink(tmp);
	caller_rights_give_back(&r, path);
	free(tmp);
	return rc;
}
