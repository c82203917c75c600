/*
 * audit-ref.c — moving refs/heads/main by compare-and-swap, the way git and libgit2 do it:
 * refs/heads/main.lock, created exclusively (audit_lock_create), is the lock; under it the branch's value is
 * checked, a line is appended to the branch's reflog and to HEAD's (HEAD names the branch),
 * the new value is written to the lock, synced, and the lock renamed over the ref, whose
 * directory is synced. Every file is synced as with GIT_OPT_ENABLE_FSYNC_GITDIR; what is
 * spared is libgit2 1.5's sync of each log's directory after an append to a log that exists
 * already (no directory entry changed), two syncs of a save's nine in git, and the two logs,
 * the lock and the folder of the new pack are synced in parallel (sync.c): the wait of one
 * sync, not four.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit-private.h"

#define FILE_MODE 0666	/* libgit2's GIT_REFS_FILE_MODE and GIT_REFLOG_FILE_MODE */
#define DIR_MODE 0777

static int
sync_dir(const char *path, struct error *err)
{
	int fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC), rc = 0;

	if (fd < 0 || fsync(fd) != 0)
		rc = error_set(err, ST_FAILED, _("cannot sync %s: %s"), path, strerror(errno));
	if (fd >= 0)
		close(fd);
	return rc;
}

static int
write_fully(int fd, const char *data, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, data, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0)
			return -1;
		data += n;
		len -= (size_t)n;
	}
	return 0;
}

/* The line of packed-refs that names the branch, or NULL. */
static const char *
packed_line(const char *text)
{
	size_t name = strlen(AUDIT_BRANCH);

	for (const char *p = text, *end; p != NULL && *p != '\0'; p = end != NULL ? end + 1 : NULL) {
		size_t len;

		end = strchr(p, '\n');
		len = end != NULL ? (size_t)(end - p) : strlen(p);
		if (len == GIT_OID_HEXSZ + 1 + name && p[GIT_OID_HEXSZ] == ' ' &&
		    memcmp(p + GIT_OID_HEXSZ + 1, AUDIT_BRANCH, name) == 0)
			return p;
	}
	return NULL;
}

/* The branch's value: its loose file, else its line in packed-refs; *found false if neither. */
static int
branch_value(struct audit *a, git_oid *oid, bool *found, struct error *err)
{
	const char *gitdir = git_repository_path(a->repo), *value = NULL;
	char *path = xasprintf("%s%s", gitdir, AUDIT_BRANCH);
	struct buf text = BUF_INIT;
	int rc = 0;

	*found = false;
	if (path_exists(path)) {
		if ((rc = file_read_all(path, &text, err)) == 0)
			value = buf_str(&text);
	} else {
		free(path);
		path = xasprintf("%spacked-refs", gitdir);
		if (path_exists(path) && (rc = file_read_all(path, &text, err)) == 0)
			value = packed_line(buf_str(&text));
	}
	if (rc == 0 && value != NULL) {
		if (strlen(value) <= GIT_OID_HEXSZ || git_oid_fromstrn(oid, value, GIT_OID_HEXSZ) != 0 ||
		    strchr("\n ", value[GIT_OID_HEXSZ]) == NULL)
			rc = error_set(err, ST_FAILED, _("%s is damaged"), path);
		else
			*found = true;
	}
	buf_free(&text);
	free(path);
	return rc;
}

/* The reflog line libgit2 writes (serialize_reflog_entry), who being its default signature. */
static int
reflog_line(struct audit *a, const git_oid *from, const git_oid *to, const char *message,
    struct buf *line, struct error *err)
{
	git_signature *who = NULL;
	char hex[GIT_OID_HEXSZ + 1];
	int offset, rc;

	if (git_signature_default(&who, a->repo) < 0 &&
	    (rc = git_signature_now(&who, "unknown", "unknown")) < 0)
		return audit_git_error(err, rc, _("moving the audit branch"));
	offset = who->when.offset < 0 ? -who->when.offset : who->when.offset;
	buf_printf(line, "%s ", git_oid_tostr(hex, sizeof hex, from));
	buf_printf(line, "%s %s <%s> %u %c%02d%02d\t%s", git_oid_tostr(hex, sizeof hex, to),
	    who->name, who->email, (unsigned)who->when.time,
	    who->when.offset < 0 || who->when.sign == '-' ? '-' : '+', offset / 60, offset % 60,
	    message);
	git_signature_free(who);
	for (size_t i = 0; i + 2 < line->len; i++)
		if (line->data[i] == '\n')
			line->data[i] = ' ';
	while (line->len > 0 && strchr(" \t\n\v\f\r", line->data[line->len - 1]) != NULL)
		line->data[--line->len] = '\0';
	buf_addc(line, '\n');
	return 0;
}

/* Makes dir and the folders above it that are missing, as libgit2 makes a log's folders. */
static int
make_dirs(const char *dir, struct error *err)
{
	char *parent;
	int rc = 0;

	if (path_is_dir(dir))
		return 0;
	parent = xstrdup(dir);
	if (strrchr(parent, '/') != NULL && strrchr(parent, '/') != parent) {
		*strrchr(parent, '/') = '\0';
		rc = make_dirs(parent, err);
	}
	if (rc == 0 && mkdir(dir, DIR_MODE) != 0) {
		if (!(errno == EEXIST && path_is_dir(dir)))
			rc = error_set(err, ST_FAILED, _("cannot create directory %s: %s"), dir,
			    strerror(errno));
	} else if (rc == 0 && strrchr(parent, '/') != NULL)
		rc = sync_dir(parent, err);	/* the new folder's name */
	free(parent);
	return rc;
}

/* A log being appended to: its file, and whether it is new (its folder is then synced). */
struct log_append {
	char *path;
	int fd;
	bool created;
};

/* Appends line to the log at rel (under the repository); the caller syncs it. */
static int
log_append(struct audit *a, const char *rel, const struct buf *line, struct log_append *log,
    struct error *err)
{
	char *dir;
	int rc;

	log->path = xasprintf("%s%s", git_repository_path(a->repo), rel);
	dir = xstrdup(log->path);
	*strrchr(dir, '/') = '\0';
	rc = make_dirs(dir, err);
	free(dir);
	log->created = !path_exists(log->path);
	if (rc == 0 && ((log->fd = open(log->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    FILE_MODE)) < 0 || write_fully(log->fd, line->data, line->len) != 0))
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), log->path, strerror(errno));
	return rc;
}

/* Closes a log, and syncs its folder when the log is new (its data is synced already). */
static int
log_close(struct log_append *log, bool synced, struct error *err)
{
	int rc = 0;

	if (log->fd >= 0 && close(log->fd) != 0 && synced)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), log->path, strerror(errno));
	if (rc == 0 && synced && log->created) {
		*strrchr(log->path, '/') = '\0';
		rc = sync_dir(log->path, err);
	}
	free(log->path);
	return rc;
}

/* Whether HEAD names the branch (its updates are then logged in HEAD's reflog too). */
static bool
head_names_branch(struct audit *a)
{
	char *path = xasprintf("%sHEAD", git_repository_path(a->repo));
	struct buf text = BUF_INIT;
	struct error err = ERROR_INIT;
	bool yes = file_read_all(path, &text, &err) == 0 &&
	    str_eq(buf_str(&text), "ref: " AUDIT_BRANCH "\n");

	error_clear(&err);
	buf_free(&text);
	free(path);
	return yes;
}

/* Under the lock: a line in each log, the new value in the lock file, the three synced
 * together with the objects' folder. */
static int
write_under_lock(struct audit *a, int fd, const char *lock, const git_oid *from,
    const git_oid *to, const char *message, struct error *err)
{
	struct log_append logs[2] = { { NULL, -1, false }, { NULL, -1, false } };
	struct buf line = BUF_INIT;
	char hex[GIT_OID_HEXSZ + 2];
	int objects_fd = open(a->pack_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fds[4] = { fd, objects_fd };
	size_t n = 2;
	git_oid zero;
	int rc = 0;

	if (objects_fd < 0)
		rc = error_set(err, ST_FAILED, _("cannot sync %s: %s"), a->pack_dir, strerror(errno));
	memset(&zero, 0, sizeof zero);
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, to);
	hex[GIT_OID_HEXSZ] = '\n';
	if (rc == 0 &&
	    (rc = reflog_line(a, from != NULL ? from : &zero, to, message, &line, err)) == 0 &&
	    (rc = log_append(a, "logs/" AUDIT_BRANCH, &line, &logs[0], err)) == 0)
		fds[n++] = logs[0].fd;
	if (rc == 0 && head_names_branch(a) &&
	    (rc = log_append(a, "logs/HEAD", &line, &logs[1], err)) == 0)
		fds[n++] = logs[1].fd;
	if (rc == 0 && (write_fully(fd, hex, GIT_OID_HEXSZ + 1) != 0 || file_sync_together(fds, n)
	    != 0))
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), lock, strerror(errno));
	for (size_t i = 0; i < 2; i++)
		if (logs[i].path != NULL && log_close(&logs[i], rc == 0, err) != 0)
			rc = -1;
	if (objects_fd >= 0)
		close(objects_fd);
	buf_free(&line);
	return rc;
}

int
audit_ref_move(struct audit *a, const git_oid *from, const git_oid *to, const char *message,
    struct error *err)
{
	const char *gitdir = git_repository_path(a->repo);
	char *ref = xasprintf("%s%s", gitdir, AUDIT_BRANCH), *lock = xasprintf("%s.lock", ref);
	char *dir = xasprintf("%srefs/heads", gitdir);
	git_oid now;
	bool found;
	int fd = audit_lock_create(a, lock), rc;

	if (fd < 0)
		rc = errno == EEXIST ? 1 : error_set(err, ST_FAILED, _("cannot write %s: %s"), lock,
		    strerror(errno));
	else if ((rc = branch_value(a, &now, &found, err)) == 0 && (found != (from != NULL) ||
	    (found && !git_oid_equal(&now, from))))
		rc = 1;		/* someone else moved it first */
	else if (rc == 0 && (rc = write_under_lock(a, fd, lock, from, to, message, err)) == 0) {
		if (close(fd) != 0 || rename(lock, ref) != 0) {
			rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), ref, strerror(errno));
			unlink(lock);
		}
		fd = -1;
		if (rc == 0)
			rc = sync_dir(dir, err);
	}
	if (fd >= 0) {
		close(fd);
		unlink(lock);
	}
	free(dir);
	free(lock);
	free(ref);
	return rc;
}
