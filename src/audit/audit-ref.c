/*
 * audit-ref.c — moving refs/heads/main by compare-and-swap, the way git and libgit2 do it:
 * refs/heads/main.lock, created exclusively (audit_lock_create), is the lock; under it the
 * branch's value is checked, the new value written to the lock, a line appended to the
 * branch's reflog and to HEAD's (HEAD names the branch), all synced, and the lock renamed
 * over the ref, whose directory is synced. Every file is synced as with
 * GIT_OPT_ENABLE_FSYNC_GITDIR; what is spared is libgit2 1.5's sync of each log's directory
 * after an append to a log that exists already (no directory entry changed), and the two
 * logs, the lock and the folder of the new pack are synced in parallel (sync.c): the wait of
 * one sync, not four. The move can be locked and logged first and finished later (a save
 * locks while the store commits), or abandoned, its log lines taken back; a lock left by a
 * killed process is cleared the same way.
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
		rc = dir_sync(parent, err);	/* the new folder's name */
	free(parent);
	return rc;
}

/* A log being appended to: its file, and whether it is new (its folder is then synced). */
struct log_append {
	char *path;
	int fd;
	bool created;
	off_t size;		/* before the line; -1 before it is written */
};

/* Appends line to the log at rel (under the repository); the caller syncs it. */
static int
log_append(struct audit *a, const char *rel, const struct buf *line, struct log_append *log,
    struct error *err)
{
	struct stat st;
	char *dir;
	int rc;

	log->path = xasprintf("%s%s", git_repository_path(a->repo), rel);
	dir = xstrdup(log->path);
	*strrchr(dir, '/') = '\0';
	rc = make_dirs(dir, err);
	free(dir);
	log->created = !path_exists(log->path);
	if (rc == 0 && ((log->fd = open(log->path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC,
	    FILE_MODE)) < 0 || fstat(log->fd, &st) != 0 ||
	    (log->size = st.st_size, write_fully(log->fd, line->data, line->len)) != 0))
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
	log->fd = -1;
	if (rc == 0 && synced && log->created) {
		char *dir = xstrdup(log->path);

		*strrchr(dir, '/') = '\0';
		rc = dir_sync(dir, err);
		free(dir);
	}
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

/* main.lock taken, holding the new value, with a line in each log, all synced. */
struct audit_ref_lock {
	char *ref, *lock, *dir;	/* refs/heads/main, its lock, refs/heads */
	int fd;
	struct log_append logs[2];	/* the branch's and HEAD's; path NULL when not appended */
};

static void
ref_lock_free(struct audit_ref_lock *lk)
{
	if (lk->fd >= 0)
		close(lk->fd);
	for (size_t i = 0; i < 2; i++)
		free(lk->logs[i].path);
	free(lk->dir);
	free(lk->lock);
	free(lk->ref);
	free(lk);
}

/* Under the lock: the new value in the lock file, a line in each log, the three synced
 * together with the objects' folder. */
static int
write_under_lock(struct audit *a, struct audit_ref_lock *lk, const git_oid *from,
    const git_oid *to, const char *message, struct error *err)
{
	struct buf line = BUF_INIT;
	char hex[GIT_OID_HEXSZ + 2];
	int objects_fd = open(a->pack_dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	int fds[4] = { lk->fd, objects_fd };
	size_t n = 2;
	git_oid zero;
	int rc = 0;

	memset(&zero, 0, sizeof zero);
	git_oid_tostr(hex, GIT_OID_HEXSZ + 1, to);
	hex[GIT_OID_HEXSZ] = '\n';
	if (objects_fd < 0 || write_fully(lk->fd, hex, GIT_OID_HEXSZ + 1) != 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"),
		    objects_fd < 0 ? a->pack_dir : lk->lock, strerror(errno));
	if (rc == 0 &&
	    (rc = reflog_line(a, from != NULL ? from : &zero, to, message, &line, err)) == 0 &&
	    (rc = log_append(a, "logs/" AUDIT_BRANCH, &line, &lk->logs[0], err)) == 0)
		fds[n++] = lk->logs[0].fd;
	if (rc == 0 && head_names_branch(a) &&
	    (rc = log_append(a, "logs/HEAD", &line, &lk->logs[1], err)) == 0)
		fds[n++] = lk->logs[1].fd;
	if (rc == 0 && file_sync_together(fds, n) != 0)
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), lk->lock, strerror(errno));
	for (size_t i = 0; i < 2; i++)
		if (lk->logs[i].path != NULL && log_close(&lk->logs[i], rc == 0, err) != 0)
			rc = -1;
	if (objects_fd >= 0)
		close(objects_fd);
	buf_free(&line);
	return rc;
}

/* Takes back a log's lines after size. Best effort: a line that stays logs a move never made,
 * which git reads without complaint. */
static void
log_take_back(const char *path, off_t size)
{
	if (size >= 0 && truncate(path, size) != 0)
		return;
}

/* Takes back the last line of the log at path if it logs the move from (hex) to (hex). */
static void
drop_logged_move(const char *path, const char *from, const char *to)
{
	struct buf text = BUF_INIT;
	struct error err = ERROR_INIT;
	const char *last;

	if (file_read_all(path, &text, &err) == 0 && text.len > 0 &&
	    text.data[text.len - 1] == '\n') {
		text.data[text.len - 1] = '\0';
		last = strrchr(text.data, '\n');
		last = last != NULL ? last + 1 : text.data;
		if (strlen(last) > 2 * GIT_OID_HEXSZ + 1 &&
		    memcmp(last, from, GIT_OID_HEXSZ) == 0 &&
		    memcmp(last + GIT_OID_HEXSZ + 1, to, GIT_OID_HEXSZ) == 0)
			log_take_back(path, (off_t)(last - text.data));
	}
	error_clear(&err);
	buf_free(&text);
}

/*
 * A main.lock found while this process holds the audit lock (audit_lock) was left by a
 * process killed before it moved main: every huitou commit is made under the audit lock. The
 * log lines it wrote for the move that never happened (from main's value to the lock's) are
 * dropped, and the lock removed; the change itself is still in the outbox and is committed
 * again. A lock that holds main's own value logs no move that did not happen: the last line,
 * which logs how main got there, stays.
 */
static void
clear_stale_lock(struct audit *a, const char *lock)
{
	struct buf value = BUF_INIT;
	struct error err = ERROR_INIT;
	const char *gitdir = git_repository_path(a->repo);
	char from[GIT_OID_HEXSZ + 1];
	git_oid now, to;
	bool found;

	if (file_read_all(lock, &value, &err) == 0 && value.len == GIT_OID_HEXSZ + 1 &&
	    git_oid_fromstrn(&to, value.data, GIT_OID_HEXSZ) == 0 &&
	    branch_value(a, &now, &found, &err) == 0 && !(found && git_oid_equal(&now, &to))) {
		char *logs[2] = { xasprintf("%slogs/%s", gitdir, AUDIT_BRANCH),
		    xasprintf("%slogs/HEAD", gitdir) };

		if (found)
			git_oid_tostr(from, sizeof from, &now);
		else
			memset(from, '0', GIT_OID_HEXSZ), from[GIT_OID_HEXSZ] = '\0';
		for (size_t i = 0; i < 2; i++) {
			drop_logged_move(logs[i], from, value.data);
			free(logs[i]);
		}
	}
	unlink(lock);
	error_clear(&err);
	buf_free(&value);
}

/* Clears a main.lock left by a killed process; the caller holds the audit lock. */
void
audit_ref_clear_stale(struct audit *a)
{
	char *lock = xasprintf("%s%s.lock", git_repository_path(a->repo), AUDIT_BRANCH);

	if (path_exists(lock))
		clear_stale_lock(a, lock);
	free(lock);
}

static int
create_lock(struct audit *a, const char *lock)
{
	int fd = audit_lock_create(a, lock);

	if (fd < 0 && errno == EEXIST && audit_lock_held()) {
		clear_stale_lock(a, lock);
		fd = audit_lock_create(a, lock);
	}
	return fd;
}

int
audit_ref_lock(struct audit *a, const git_oid *from, const git_oid *to, const char *message,
    struct audit_ref_lock **out, struct error *err)
{
	const char *gitdir = git_repository_path(a->repo);
	struct audit_ref_lock *lk = xcalloc(1, sizeof *lk);
	git_oid now;
	bool found;
	int rc;

	*out = NULL;
	lk->ref = xasprintf("%s%s", gitdir, AUDIT_BRANCH);
	lk->lock = xasprintf("%s.lock", lk->ref);
	lk->dir = xasprintf("%srefs/heads", gitdir);
	lk->logs[0].fd = lk->logs[1].fd = -1;
	lk->logs[0].size = lk->logs[1].size = -1;	/* nothing appended yet */
	if ((lk->fd = create_lock(a, lk->lock)) < 0) {
		rc = errno == EEXIST ? 1 : error_set(err, ST_FAILED, _("cannot write %s: %s"),
		    lk->lock, strerror(errno));
		ref_lock_free(lk);
		return rc;
	}
	if ((rc = branch_value(a, &now, &found, err)) == 0 && (found != (from != NULL) ||
	    (found && !git_oid_equal(&now, from))))
		rc = 1;		/* someone else moved it first */
	else if (rc == 0)
		rc = write_under_lock(a, lk, from, to, message, err);
	if (rc != 0)
		audit_ref_abandon(lk);
	else
		*out = lk;
	return rc;
}

int
audit_ref_finish(struct audit_ref_lock *lk, struct error *err)
{
	int rc = 0;

	if (close(lk->fd) != 0 || rename(lk->lock, lk->ref) != 0) {
		rc = error_set(err, ST_FAILED, _("cannot write %s: %s"), lk->ref, strerror(errno));
		lk->fd = -1;
		audit_ref_abandon(lk);
		return rc;
	}
	lk->fd = -1;
	rc = dir_sync(lk->dir, err);
	ref_lock_free(lk);
	return rc;
}

void
audit_ref_abandon(struct audit_ref_lock *lk)
{
	if (lk == NULL)
		return;
	for (size_t i = 0; i < 2; i++)
		if (lk->logs[i].path != NULL)
			log_take_back(lk->logs[i].path, lk->logs[i].size);
	unlink(lk->lock);
	ref_lock_free(lk);
}

int
audit_ref_move(struct audit *a, const git_oid *from, const git_oid *to, const char *message,
    struct error *err)
{
	struct audit_ref_lock *lk;
	int rc = audit_ref_lock(a, from, to, message, &lk, err);

	return rc == 0 ? audit_ref_finish(lk, err) : rc;
}
