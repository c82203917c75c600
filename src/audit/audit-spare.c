/*
 * audit-spare.c — the files a commit creates, made ahead: the temporary files its pack and
 * index are written to, and the one that becomes refs/heads/main.lock. Creating a file costs
 * 0.3–0.7 ms on the project's virtual machine (ext4 looks for an inode not recently freed),
 * three a save, on the path a user waits on; so after each commit a thread makes the next
 * commit's files while the process does other things, and the next commit takes them. The
 * lock is taken by renaming its spare into place with RENAME_NOREPLACE, which fails when the
 * lock exists exactly as git's O_EXCL creation does. A spare removed meanwhile (by hand) is
 * noticed and replaced. Each spare is held with a shared flock while its process lives; at
 * close the spares are removed, and "huitou maintain" removes those of a killed process (no
 * one holds them), as git's own tmp_pack_* files are left for prune.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit-private.h"

/* Names of huitou's own: git's pack-objects and index-pack name theirs tmp_pack_ and tmp_idx_. */
static const char *const spare_prefix[AUDIT_SPARES] = { "tmp_huitou_pack", "tmp_huitou_idx",
    "tmp_huitou_lock" };

/* mkostemp's template: the lock's spare waits in the repository's folder (gitdir), where git
 * looks for no ref; the others in the pack folder. */
static char *
spare_template(const char *gitdir, const char *pack_dir, enum audit_spare kind)
{
	return xasprintf("%s/%s_XXXXXX", kind == AUDIT_SPARE_LOCK ? gitdir : pack_dir,
	    spare_prefix[kind]);
}

/* In the thread: fills the empty slots; it alone touches them until joined. */
static void *
make_spares(void *arg)
{
	struct audit *a = arg;

	for (int k = 0; k < AUDIT_SPARES; k++) {
		char *path;
		int fd;

		if (a->spare_path[k] != NULL)
			continue;
		path = spare_template(a->path, a->pack_dir, (enum audit_spare)k);
		if ((fd = mkostemp(path, O_CLOEXEC)) < 0 ||
		    (k == AUDIT_SPARE_LOCK && fchmod(fd, a->file_mode) != 0)) {
			if (fd >= 0) {
				close(fd);
				unlink(path);
			}
			free(path);	/* the commit makes its own file then */
			continue;
		}
		(void)flock(fd, LOCK_SH);	/* held while this process lives: maintain keeps it */
		a->spare_fd[k] = fd;
		a->spare_path[k] = path;
	}
	return NULL;
}

static void
spares_join(struct audit *a)
{
	pool_join(a->spare_job);
	a->spare_job = NULL;
}

void
audit_spares_make(struct audit *a)
{
	bool all = true;

	for (int k = 0; k < AUDIT_SPARES; k++)
		all = all && a->spare_path[k] != NULL;
	if (a->spare_job != NULL || all)
		return;
	a->spare_job = pool_start(make_spares, a);
}

int
audit_spare_take(struct audit *a, enum audit_spare kind, const char *pack_dir, char **path)
{
	struct stat st;
	int fd;

	if (a != NULL) {
		spares_join(a);
		if ((fd = a->spare_fd[kind]) >= 0 && a->spare_path[kind] != NULL) {
			*path = a->spare_path[kind];
			a->spare_path[kind] = NULL;
			a->spare_fd[kind] = -1;
			if (fstat(fd, &st) == 0 && st.st_nlink > 0)
				return fd;
			close(fd);	/* removed meanwhile: a new one */
			free(*path);
		}
	}
	*path = spare_template(a != NULL ? a->path : NULL, pack_dir, kind);
	return mkostemp(*path, O_CLOEXEC);
}

static void
drop_spare(struct audit *a, int k)
{
	close(a->spare_fd[k]);
	unlink(a->spare_path[k]);
	free(a->spare_path[k]);
	a->spare_path[k] = NULL;
	a->spare_fd[k] = -1;
}

int
audit_lock_create(struct audit *a, const char *lock)
{
	int fd;

	spares_join(a);
	if (a->spare_path[AUDIT_SPARE_LOCK] != NULL) {
		fd = a->spare_fd[AUDIT_SPARE_LOCK];
		if (renameat2(AT_FDCWD, a->spare_path[AUDIT_SPARE_LOCK], AT_FDCWD, lock,
		    RENAME_NOREPLACE) == 0) {
			free(a->spare_path[AUDIT_SPARE_LOCK]);
			a->spare_path[AUDIT_SPARE_LOCK] = NULL;
			a->spare_fd[AUDIT_SPARE_LOCK] = -1;
			return fd;
		}
		if (errno == EEXIST)
			return -1;	/* held by someone: the spare waits for the next try */
		drop_spare(a, AUDIT_SPARE_LOCK);	/* removed meanwhile, or no such rename */
	}
	return open(lock, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, a->file_mode);
}

void
audit_spares_drop(struct audit *a)
{
	spares_join(a);
	for (int k = 0; k < AUDIT_SPARES; k++)
		if (a->spare_path[k] != NULL)
			drop_spare(a, k);
}
