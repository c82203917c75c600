/*
 * audit-repo.c — creating and opening DATA_DIR/audit.git, and the settings that make it an
 * audit record: libgit2 reads no user or system git config (HOME cannot steer it), writes are
 * fsynced, HEAD is refs/heads/main from the start, and every ref update is logged.
 * libgit2 1.5.1 refuses a repository owned by another user (GIT_EOWNER); on a shared server
 * the repository belongs to the deployment's group, not to each coordinator, and the
 * directory's permissions are the protection, so that check is turned off deliberately.
 */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <sys/stat.h>
#include <unistd.h>

#include "audit/audit-private.h"

int
audit_git_error(struct error *err, int rc, const char *what)
{
	const git_error *e = git_error_last();

	return error_set(err, ST_FAILED, _("%s: %s (libgit2 error %d)"), what,
	    e != NULL && e->message != NULL ? e->message : _("unknown error"), rc);
}

int
audit_global_init(struct error *err)
{
	static bool done;
	static const int levels[] = { GIT_CONFIG_LEVEL_PROGRAMDATA, GIT_CONFIG_LEVEL_SYSTEM,
	    GIT_CONFIG_LEVEL_XDG, GIT_CONFIG_LEVEL_GLOBAL };
	int rc;

	if (done)
		return 0;
	if ((rc = git_libgit2_init()) < 0)
		return audit_git_error(err, rc, _("starting libgit2"));
	for (size_t i = 0; i < sizeof levels / sizeof levels[0]; i++)
		if ((rc = git_libgit2_opts(GIT_OPT_SET_SEARCH_PATH, levels[i], "")) < 0)
			return audit_git_error(err, rc, _("isolating libgit2 from git config"));
	if ((rc = git_libgit2_opts(GIT_OPT_ENABLE_FSYNC_GITDIR, 1)) < 0 ||
	    (rc = git_libgit2_opts(GIT_OPT_SET_OWNER_VALIDATION, 0)) < 0)
		return audit_git_error(err, rc, _("configuring libgit2"));
	done = true;
	return 0;
}

int
audit_create(const char *dir, struct error *err)
{
	git_repository_init_options opts;
	git_repository *repo = NULL;
	git_config *cfg = NULL;
	char *path = xasprintf("%s/audit.git", dir);
	int rc;

	if (git_repository_init_options_init(&opts, GIT_REPOSITORY_INIT_OPTIONS_VERSION) < 0) {
		error_set(err, ST_FAILED, _("libgit2 does not know its own options"));
		goto fail;
	}
	opts.flags = GIT_REPOSITORY_INIT_BARE | GIT_REPOSITORY_INIT_MKPATH |
	    GIT_REPOSITORY_INIT_NO_REINIT;
	opts.mode = GIT_REPOSITORY_INIT_SHARED_GROUP;
	opts.initial_head = "main";
	opts.description = "huitou audit record: one commit per change (see contrib/audit/README.md)";
	if (audit_global_init(err) != 0)
		goto fail;
	if ((rc = git_repository_init_ext(&repo, path, &opts)) < 0 ||
	    (rc = git_repository_config(&cfg, repo)) < 0 ||
	    (rc = git_config_set_string(cfg, "core.logAllRefUpdates", "always")) < 0 ||
	    (rc = git_config_set_bool(cfg, "receive.denyNonFastForwards", 1)) < 0 ||
	    (rc = git_config_set_int32(cfg, "gc.auto", 0)) < 0) {	/* git reads a number */
		audit_git_error(err, rc, path);
		goto fail;
	}
	git_config_free(cfg);
	git_repository_free(repo);
	free(path);
	return 0;
fail:
	git_config_free(cfg);
	git_repository_free(repo);
	free(path);
	return -1;
}

int
audit_open(const char *dir, struct audit **out, struct error *err)
{
	struct audit *a;
	char *path = xasprintf("%s/audit.git", dir);
	mode_t mask;
	int rc;

	if (audit_global_init(err) != 0) {
		free(path);
		return -1;
	}
	a = xcalloc(1, sizeof *a);
	a->path = path;
	a->pack_dir = xasprintf("%s/objects/pack", path);
	mask = umask(0);	/* the umask is read by setting it, then set back */
	umask(mask);
	a->file_mode = 0666 & ~mask;
	rc = git_repository_open_ext(&a->repo, path, GIT_REPOSITORY_OPEN_NO_SEARCH |
	    GIT_REPOSITORY_OPEN_BARE | GIT_REPOSITORY_OPEN_NO_DOTGIT, NULL);
	if (rc < 0) {
		audit_git_error(err, rc, path);
		audit_close(a);
		return -1;
	}
	*out = a;
	return 0;
}

void
audit_close(struct audit *a)
{
	if (a == NULL)
		return;
	audit_spares_drop(a);
	git_repository_free(a->writer);	/* frees the mempack with its object store */
	audit_tree_cache_clear(a);
	git_repository_free(a->repo);
	free(a->pack_dir);
	free(a->path);
	free(a);
}

int
audit_tip(struct audit *a, git_oid *tip, bool *found, struct error *err)
{
	int rc = git_reference_name_to_id(tip, a->repo, AUDIT_BRANCH);

	*found = rc == 0;
	if (rc == GIT_ENOTFOUND)
		return 0;
	return rc < 0 ? audit_git_error(err, rc, _("reading the audit branch")) : 0;
}

int
audit_head_commit(struct audit *a, git_commit **out, struct error *err)
{
	git_oid oid;
	int rc = git_reference_name_to_id(&oid, a->repo, AUDIT_BRANCH);

	*out = NULL;
	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc < 0 || (rc = git_commit_lookup(out, a->repo, &oid)) < 0)
		return audit_git_error(err, rc, _("reading the audit branch"));
	return 0;
}

/* The Outbox-Seq trailer of a message, 0 when it has none. */
static uint64_t
message_seq(const char *msg)
{
	uint64_t seq = 0;

	for (const char *p = msg; (p = strstr(p, "Outbox-Seq: ")) != NULL; p++)
		if (p == msg || p[-1] == '\n')
			seq = strtoull(p + strlen("Outbox-Seq: "), NULL, 10);
	return seq;
}

/*
 * The sequence number git has reached: that of the newest commit huitou made, found along
 * first parents, so a commit someone made on main behind huitou's back does not reset it.
 */
int
audit_head_seq(struct audit *a, uint64_t *seq, struct error *err)
{
	git_commit *c, *parent;
	git_oid tip;
	bool found;
	int rc = 0;

	*seq = 0;
	if (audit_tip(a, &tip, &found, err) != 0)
		return -1;
	if (found && a->made && git_oid_equal(&tip, &a->made_commit)) {
		*seq = a->made_seq;	/* the commit this process made last */
		return 0;
	}
	if (audit_head_commit(a, &c, err) != 0)
		return -1;
	while (c != NULL && (*seq = message_seq(git_commit_message(c))) == 0) {
		parent = NULL;
		if (git_commit_parentcount(c) > 0 && (rc = git_commit_parent(&parent, c, 0)) < 0)
			audit_git_error(err, rc, _("reading the audit history"));
		git_commit_free(c);
		c = parent;
	}
	git_commit_free(c);
	return rc < 0 ? -1 : 0;
}

static atomic_int locks_held;	/* audit_lock, less audit_unlock */

bool
audit_lock_held(void)
{
	return atomic_load(&locks_held) > 0;
}

/* How long a writer waits for another's audit lock: 60 s, or HUITOU_LOCK_WAIT seconds (for
 * tests; secure_getenv, so a setgid install ignores it). A bulk import or a rebuild of a big
 * store holds it longer: a save then fails with a sentence rather than hanging. */
static long
lock_wait_ms(void)
{
	const char *env = secure_getenv("HUITOU_LOCK_WAIT");
	long s = env != NULL ? strtol(env, NULL, 10) : 60;

	return (s >= 0 && s <= 3600 ? s : 60) * 1000;
}

/* flock(LOCK_EX) given up after wait_ms: tries again and again, sleeping 0.2 ms doubling to 5. */
static int
flock_bounded(int fd, long wait_ms)
{
	struct timespec nap = { 0, 200000 };
	uint64_t until = clock_us() + (uint64_t)wait_ms * 1000;

	for (;;) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return 0;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return -1;
		if (clock_us() >= until) {
			errno = EWOULDBLOCK;
			return -1;
		}
		(void)nanosleep(&nap, NULL);
		if (nap.tv_nsec < 5000000)
			nap.tv_nsec *= 2;
	}
}

int
audit_lock(const char *dir, int *fd, struct error *err)
{
	char *path = xasprintf("%s/audit.lock", dir);
	long wait_ms = lock_wait_ms();

	*fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0660);
	if (*fd < 0) {
		error_set(err, ST_FAILED, _("cannot open %s: %s"), path, strerror(errno));
		free(path);
		return -1;
	}
	if (flock_bounded(*fd, wait_ms) != 0) {
		if (errno == EWOULDBLOCK)
			error_set(err, ST_FAILED,
			    _("nothing was written: another process has held %s for %ld s (a long import, rebuild or publication, or a stuck process); try again when it is done"),
			    path, wait_ms / 1000);
		else
			error_set(err, ST_FAILED, _("cannot lock %s: %s"), path, strerror(errno));
		close(*fd);
		*fd = -1;
		free(path);
		return -1;
	}
	atomic_fetch_add(&locks_held, 1);
	free(path);
	return 0;
}

void
audit_unlock(int fd)
{
	if (fd < 0)
		return;
	atomic_fetch_sub(&locks_held, 1);
	close(fd);	/* closing releases the flock */
}
