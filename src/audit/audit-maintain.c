/*
 * audit-maintain.c — "huitou maintain": libgit2 has no gc, and every save leaves a few loose
 * objects. This packs everything reachable from main and the tags into one new pack, then
 * removes the loose objects that pack holds and the packs it replaces, packs the refs, and
 * removes what killed processes left: temporary files, and a main.lock (remove_leftovers).
 * It runs under the audit lock, so no commit is half-written meanwhile; a reader that has an
 * old pack open keeps reading it (its file stays until closed).
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <git2/sys/odb_backend.h>


#include "audit/audit-private.h"

static int
push_refs(git_revwalk *walk)
{
	int rc = git_revwalk_push_ref(walk, AUDIT_BRANCH);

	if (rc == GIT_ENOTFOUND)
		return 0;
	if (rc == 0)
		rc = git_revwalk_push_glob(walk, "refs/tags/*");
	return rc;
}

/* Every commit the walk yields, with its tree (git_packbuilder_insert_walk left out the root
 * commit here, so the commits are inserted one by one). */
static int
insert_commits(git_packbuilder *pb, git_revwalk *walk)
{
	git_oid oid;
	int rc;

	while ((rc = git_revwalk_next(&oid, walk)) == 0)
		if ((rc = git_packbuilder_insert_commit(pb, &oid)) < 0)
			return rc;
	return rc == GIT_ITEROVER ? 0 : rc;
}

/* The annotated tags' own objects (a publication's tag, lists/2026-11): the walk yields the
 * commits they name, not them. */
static int
insert_tag_object(git_reference *ref, void *arg)
{
	git_packbuilder *pb = arg;
	const git_oid *oid = git_reference_target(ref);
	git_object *obj = NULL;
	int rc = 0;

	if (oid != NULL && git_object_lookup(&obj, git_reference_owner(ref), oid, GIT_OBJECT_TAG) == 0)
		rc = git_packbuilder_insert(pb, oid, git_reference_name(ref));
	git_object_free(obj);
	git_reference_free(ref);
	return rc;
}

static int
insert_tags(git_repository *repo, git_packbuilder *pb)
{
	git_reference_iterator *it = NULL;
	git_reference *ref;
	int rc = git_reference_iterator_glob_new(&it, repo, "refs/tags/*");

	while (rc == 0 && (rc = git_reference_next(&ref, it)) == 0)
		rc = insert_tag_object(ref, pb);
	git_reference_iterator_free(it);
	return rc == GIT_ITEROVER ? 0 : rc;
}

/* Writes the pack and returns its file name stem ("pack-<hash>"). */
static int
index_pack(struct audit *a, git_buf *pack, char **name, struct error *err)
{
	char *dir = xasprintf("%s/objects/pack", a->path);
	git_indexer *idx = NULL;
	git_indexer_progress stats;
	int rc;

	memset(&stats, 0, sizeof stats);
	if ((rc = git_indexer_new(&idx, dir, 0, NULL, NULL)) == 0 &&
	    (rc = git_indexer_append(idx, pack->ptr, pack->size, &stats)) == 0 &&
	    (rc = git_indexer_commit(idx, &stats)) == 0)
		*name = xasprintf("pack-%s", git_indexer_name(idx));
	git_indexer_free(idx);
	free(dir);
	return rc < 0 ? audit_git_error(err, rc, _("writing the pack")) : 0;
}

/* Removes loose objects that the new pack holds. */
static size_t
remove_loose(struct audit *a, git_odb *packed)
{
	char *objects = xasprintf("%s/objects", a->path);
	size_t removed = 0;
	DIR *top = opendir(objects);
	struct dirent *d, *e;

	while (top != NULL && (d = readdir(top)) != NULL) {
		char *sub;
		DIR *dir;

		if (strlen(d->d_name) != 2 || strspn(d->d_name, "0123456789abcdef") != 2)
			continue;
		sub = xasprintf("%s/%s", objects, d->d_name);
		dir = opendir(sub);
		while (dir != NULL && (e = readdir(dir)) != NULL) {
			char hex[41];
			git_oid oid;

			if (strlen(e->d_name) != 38)
				continue;
			snprintf(hex, sizeof hex, "%s%s", d->d_name, e->d_name);
			if (git_oid_fromstr(&oid, hex) == 0 && git_odb_exists(packed, &oid)) {
				char *file = xasprintf("%s/%s", sub, e->d_name);

				removed += unlink(file) == 0;
				fault_point("maintain-loose-object-removed");
				free(file);
			}
		}
		if (dir != NULL)
			closedir(dir);
		rmdir(sub);	/* only succeeds when empty */
		free(sub);
	}
	if (top != NULL)
		closedir(top);
	free(objects);
	return removed;
}

/* Removes every pack but keep (their reachable objects are all in keep). */
static void
remove_old_packs(struct audit *a, const char *keep)
{
	char *dir = xasprintf("%s/objects/pack", a->path);
	DIR *d = opendir(dir);
	struct dirent *e;

	while (d != NULL && (e = readdir(d)) != NULL) {
		if (!str_starts(e->d_name, "pack-") || str_starts(e->d_name, keep))
			continue;
		char *file = xasprintf("%s/%s", dir, e->d_name);

		if (unlink(file) != 0)
			fprintf(stderr, "huitou: %s: %s\n", file, _("cannot remove an old pack"));
		free(file);
	}
	if (d != NULL)
		closedir(d);
	free(dir);
}

/*
 * Temporary files. huitou's own (the spares of audit-spare.c, and packs written into them) get
 * content only under the audit lock, which maintain holds: one with content was left by a
 * process killed while writing it. An empty one is a spare: a running process holds it with a
 * shared flock, so one nobody holds was left by a killed process. Both go now. Those of
 * libgit2 and git (a temporary object or pack, a config or packed-refs lock) may belong to a
 * git command run by hand, which no lock orders: they go once older than any such command
 * takes.
 */
#define FOREIGN_TMP_EXPIRY (15 * 60)

static const char *const own_pack_tmp[] = { "tmp_huitou_pack_", "tmp_huitou_idx_", NULL };
static const char *const own_gitdir_tmp[] = { "tmp_huitou_lock_", NULL };
/* git's own (pack-objects, index-pack) and libgit2's: a git gc may be running */
static const char *const foreign_pack_tmp[] = { "pack_git2_", "tmp_pack_", "tmp_idx_", NULL };
static const char *const foreign_objects_tmp[] = { "tmp_obj_", "tmp_object", NULL };

enum tmp_rule { TMP_OWN, TMP_FOREIGN };

static bool
name_matches(const char *name, const char *const *prefixes, const char *suffix)
{
	for (size_t i = 0; prefixes != NULL && prefixes[i] != NULL; i++)
		if (str_starts(name, prefixes[i]))
			return true;
	return suffix != NULL && strlen(name) > strlen(suffix) &&
	    str_eq(name + strlen(name) - strlen(suffix), suffix);
}

/* Whether no process holds the file (a running huitou holds its spares). */
static bool
held_by_nobody(const char *file)
{
	int fd = open(file, O_RDONLY | O_CLOEXEC | O_NOFOLLOW);
	bool free_ = fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) == 0;

	if (fd >= 0)
		close(fd);
	return free_;
}

static bool
tmp_file_expired(const char *file, const struct stat *st, enum tmp_rule rule, time_t now)
{
	if (!S_ISREG(st->st_mode))
		return false;
	if (rule == TMP_OWN)
		return st->st_size > 0 || held_by_nobody(file);
	return st->st_mtime + FOREIGN_TMP_EXPIRY < now;
}

/* Removes the files of dir whose names match and that have expired; returns how many. */
static size_t
remove_tmp_files(const char *dir, const char *const *prefixes, const char *suffix,
    enum tmp_rule rule)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	size_t removed = 0;
	time_t now = time(NULL);

	while (d != NULL && (e = readdir(d)) != NULL) {
		struct stat st;
		char *file;

		if (!name_matches(e->d_name, prefixes, suffix))
			continue;
		file = xasprintf("%s/%s", dir, e->d_name);
		if (lstat(file, &st) == 0 && tmp_file_expired(file, &st, rule, now) &&
		    unlink(file) == 0)
			removed++;
		free(file);
	}
	if (d != NULL)
		closedir(d);
	return removed;
}

/* What killed processes left: main.lock (with the log lines of a move never made, see
 * audit-ref.c), then temporary files and locks. The caller holds the audit lock. */
static size_t
remove_leftovers(struct audit *a)
{
	char *objects = xasprintf("%s/objects", a->path), *heads = xasprintf("%s/refs/heads", a->path);
	size_t n;

	audit_ref_clear_stale(a);
	n = remove_tmp_files(a->pack_dir, own_pack_tmp, NULL, TMP_OWN);
	n += remove_tmp_files(a->path, own_gitdir_tmp, NULL, TMP_OWN);
	n += remove_tmp_files(a->pack_dir, foreign_pack_tmp, NULL, TMP_FOREIGN);
	n += remove_tmp_files(objects, foreign_objects_tmp, NULL, TMP_FOREIGN);
	n += remove_tmp_files(a->path, NULL, ".lock", TMP_FOREIGN);
	n += remove_tmp_files(heads, NULL, ".lock", TMP_FOREIGN);
	free(heads);
	free(objects);
	return n;
}

/* gc.auto must be a number for git: repositories made before it was written as 0 said
 * "false", which makes a plain "git gc" fail. */
static int
fix_gc_auto(struct audit *a, struct error *err)
{
	git_config *cfg = NULL;
	int32_t v;
	int rc;

	if ((rc = git_repository_config(&cfg, a->repo)) == 0 &&
	    git_config_get_int32(&v, cfg, "gc.auto") != 0) {
		git_error_clear();
		rc = git_config_set_int32(cfg, "gc.auto", 0);
	}
	git_config_free(cfg);
	return rc < 0 ? audit_git_error(err, rc, _("setting gc.auto")) : 0;
}

static int
open_one_pack(struct audit *a, const char *name, git_odb **out, struct error *err)
{
	char *idx = xasprintf("%s/objects/pack/%s.idx", a->path, name);
	git_odb_backend *backend = NULL;
	int rc;

	if ((rc = git_odb_new(out)) == 0 && (rc = git_odb_backend_one_pack(&backend, idx)) == 0 &&
	    (rc = git_odb_add_backend(*out, backend, 1)) < 0)
		backend->free(backend);
	free(idx);
	return rc < 0 ? audit_git_error(err, rc, _("reading the new pack")) : 0;
}

int
audit_maintain(struct audit *a, size_t *packed, struct error *err)
{
	git_packbuilder *pb = NULL;
	git_revwalk *walk = NULL;
	git_refdb *refdb = NULL;
	git_odb *new_pack = NULL;
	git_buf pack = { NULL, 0, 0 };
	char *name = NULL;
	int rc;

	*packed = 0;
	remove_leftovers(a);
	if (audit_check_writable(a, 0, err) != 0 || fix_gc_auto(a, err) != 0)
		return -1;	/* a full disk: a sentence, not libgit2's failing write */
	if ((rc = git_packbuilder_new(&pb, a->repo)) < 0 || (rc = git_revwalk_new(&walk, a->repo)) < 0 ||
	    (rc = push_refs(walk)) < 0 || (rc = insert_commits(pb, walk)) < 0 ||
	    (rc = insert_tags(a->repo, pb)) < 0 || (rc = git_packbuilder_write_buf(&pack, pb)) < 0) {
		audit_git_error(err, rc, _("packing the audit repository"));
		goto out;
	}
	if (index_pack(a, &pack, &name, err) != 0 || open_one_pack(a, name, &new_pack, err) != 0)
		goto out;
	*packed = git_packbuilder_object_count(pb);
	fault_point("maintain-pack-written");	/* a kill at each step leaves a valid repository */
	remove_loose(a, new_pack);
	fault_point("maintain-loose-removed");
	remove_old_packs(a, name);
	fault_point("maintain-old-packs-removed");
	if ((rc = git_repository_refdb(&refdb, a->repo)) < 0 || (rc = git_refdb_compress(refdb)) < 0)
		audit_git_error(err, rc, _("packing the refs"));
	fault_point("maintain-refs-packed");
out:
	git_refdb_free(refdb);
	git_odb_free(new_pack);
	git_buf_dispose(&pack);
	git_revwalk_free(walk);
	git_packbuilder_free(pb);
	free(name);
	return err->message != NULL ? -1 : 0;
}

/* What a push knows while libgit2 talks to the remote. */
struct push_state {
	struct error *err;
	const char *url;
	bool agent_offered;
};

/* Named crash points while a push talks to the remote, for the resumption tests. */
static int
push_packing(int stage, uint32_t current, uint32_t total, void *payload)
{
	(void)stage, (void)current, (void)total, (void)payload;
	fault_point("push-packing");
	return 0;
}

static int
push_sending(unsigned int current, unsigned int total, size_t bytes, void *payload)
{
	(void)current, (void)total, (void)bytes, (void)payload;
	fault_point("push-sending");
	return 0;
}

/* A rejected reference update is reported here; libgit2 returns success for it. */
static int
push_update(const char *refname, const char *status, void *data)
{
	struct error *err = ((struct push_state *)data)->err;

	if (status != NULL)
		error_set(err, ST_REFUSED, _("the remote refused %s: %s"), refname, status);
	return 0;
}

/*
 * An ssh:// server asks who we are: the user the URL names, else the login of the real uid
 * (never $USER), with the keys of the caller's ssh-agent, offered once: libgit2 asks again
 * after a refusal, and then the push is refused with a sentence saying what to do. The
 * server's host key is checked by libgit2 against ~/.ssh/known_hosts.
 */
static int
push_credentials(git_credential **out, const char *url, const char *user_from_url,
    unsigned int allowed, void *payload)
{
	struct push_state *st = payload;
	struct passwd *pw = getpwuid(getuid());
	const char *user = user_from_url != NULL && *user_from_url != '\0' ? user_from_url :
	    pw != NULL ? pw->pw_name : NULL;

	(void)url;
	if (user != NULL && (allowed & GIT_CREDENTIAL_USERNAME) != 0)
		return git_credential_username_new(out, user);
	if (user != NULL && (allowed & GIT_CREDENTIAL_SSH_KEY) != 0 && !st->agent_offered &&
	    getenv("SSH_AUTH_SOCK") != NULL && *getenv("SSH_AUTH_SOCK") != '\0') {
		st->agent_offered = true;
		return git_credential_ssh_key_from_agent(out, user);
	}
	error_set(st->err, ST_REFUSED, _("%s refused the keys of your ssh-agent (or none is running): "
	    "start one with ssh-agent and add the key the server knows with ssh-add"), st->url);
	return GIT_EUSER;
}

/* main and one refspec per tag: libgit2 does not expand patterns when pushing. */
static int
push_refspecs(struct audit *a, git_strarray *out)
{
	git_strarray tags = { NULL, 0 };
	int rc = git_tag_list(&tags, a->repo);

	if (rc < 0)
		return rc;
	out->strings = xcalloc(tags.count + 1, sizeof *out->strings);
	out->strings[0] = xstrdup("refs/heads/main:refs/heads/main");	/* never forced */
	for (size_t i = 0; i < tags.count; i++)
		out->strings[i + 1] = xasprintf("refs/tags/%s:refs/tags/%s", tags.strings[i],
		    tags.strings[i]);
	out->count = tags.count + 1;
	git_strarray_dispose(&tags);
	return 0;
}

/* The local path a URL names (a path or file://), or NULL for a remote transport or
 * scp-like "host:path". Caller frees. */
static char *
url_local_path(const char *url)
{
	const char *colon = strchr(url, ':'), *slash = strchr(url, '/');

	if (str_starts(url, "file://"))
		return xstrdup(url + strlen("file://"));
	if (strstr(url, "://") != NULL || (colon != NULL && (slash == NULL || colon < slash)))
		return NULL;
	return xstrdup(url);
}

/* Whether url names this repository: a push there could only take history back into main. */
static bool
push_target_is_self(struct audit *a, const char *url)
{
	char *path = url_local_path(url), *dotgit = path != NULL ? xasprintf("%s/.git", path) : NULL;
	struct stat self, st;
	bool same = false;

	if (path != NULL && stat(a->path, &self) == 0)
		same = (stat(path, &st) == 0 && st.st_dev == self.st_dev &&
		    st.st_ino == self.st_ino) || (stat(dotgit, &st) == 0 &&
		    st.st_dev == self.st_dev && st.st_ino == self.st_ino);
	free(dotgit);
	free(path);
	return same;
}

/* The objects directory of a local repository (bare or not), or NULL with errno set. */
static char *
replica_objects_dir(const char *path)
{
	char *objects = xasprintf("%s/objects", path);
	struct stat st;

	if (stat(objects, &st) == 0 && S_ISDIR(st.st_mode))
		return objects;
	free(objects);
	objects = xasprintf("%s/.git/objects", path);
	if (stat(objects, &st) == 0 && S_ISDIR(st.st_mode))
		return objects;
	free(objects);
	return NULL;
}

/* A local replica this account cannot write — an auditors' mirror only the push timer's
 * account writes (contrib/deploy/) — said plainly before libgit2 calls it "could not find
 * repository". Access as the process's effective ids, as huitou runs setgid. A path that
 * is no repository is left for libgit2 to report. */
static int
replica_check_access(const char *url, struct error *err)
{
	char *path = url_local_path(url), *objects;
	struct passwd *owner;
	struct stat st;
	int rc = 0;

	if (path == NULL)
		return 0;
	if (stat(path, &st) != 0) {
		rc = errno == ENOENT ? error_set(err, ST_REFUSED, _("%s does not exist: a replica "
		    "is a repository made before the first push (git init --bare)"), url) : 0;
		free(path);
		return rc;
	}
	objects = replica_objects_dir(path);
	if ((objects == NULL && errno == EACCES) ||
	    (objects != NULL && faccessat(AT_FDCWD, objects, W_OK | X_OK, AT_EACCESS) != 0)) {
		owner = getpwuid(st.st_uid);
		rc = error_set(err, ST_REFUSED, _("%s cannot be written by your account: only its "
		    "owner %s pushes to it (the replica's push timer runs as that account); "
		    "huitou status shows how far behind it is"), url,
		    owner != NULL ? owner->pw_name : "?");
	}
	free(objects);
	free(path);
	return rc;
}

/* A push killed while sending leaves libgit2's temporary pack in a local replica: the next
 * push removes those older than any push still running could be. */
static void
replica_remove_leftovers(const char *url)
{
	char *path = url_local_path(url), *pack, *objects;

	if (path == NULL)
		return;
	pack = xasprintf("%s/objects/pack", path);
	objects = xasprintf("%s/objects", path);
	(void)remove_tmp_files(pack, foreign_pack_tmp, NULL, TMP_FOREIGN);
	(void)remove_tmp_files(objects, foreign_objects_tmp, NULL, TMP_FOREIGN);
	free(objects);
	free(pack);
	free(path);
}

int
audit_push(struct audit *a, const char *url, struct error *err)
{
	git_strarray refspecs = { NULL, 0 };
	git_push_options opts;
	git_remote *remote = NULL;
	struct push_state st = { err, url, false };
	mode_t old_mask;
	int rc;

	if (push_target_is_self(a, url))
		return error_set(err, ST_REFUSED,
		    _("%s is this data directory's own audit record: a push only sends main out"),
		    url);
	if (replica_check_access(url, err) != 0)
		return -1;
	if ((rc = git_push_options_init(&opts, GIT_PUSH_OPTIONS_VERSION)) < 0 ||
	    (rc = push_refspecs(a, &refspecs)) < 0)
		return audit_git_error(err, rc, url);
	opts.callbacks.push_update_reference = push_update;
	opts.callbacks.credentials = push_credentials;
	opts.callbacks.pack_progress = push_packing;
	opts.callbacks.push_transfer_progress = push_sending;
	opts.callbacks.payload = &st;
	/* A replica is for readers: what a push writes into a local repository (an auditors'
	 * mirror, contrib/deploy/) is readable by its group, never writable by it. */
	old_mask = umask(027);
	replica_remove_leftovers(url);
	if ((rc = git_remote_create_anonymous(&remote, a->repo, url)) < 0 ||
	    (rc = git_remote_push(remote, &refspecs, &opts)) < 0) {
		if (rc == GIT_ENONFASTFORWARD)
			error_set(err, ST_REFUSED,
			    _("%s refused the push: its history has diverged from this audit record"), url);
		else if (rc == GIT_ECERTIFICATE && err->message == NULL)
			error_set(err, ST_REFUSED, _("%s: the server's host key is not the one "
			    "~/.ssh/known_hosts has for it (or it has none); check the key and add it there"), url);
		else if (err->message == NULL)
			audit_git_error(err, rc, url);
	}
	umask(old_mask);
	for (size_t i = 0; i < refspecs.count; i++)
		free(refspecs.strings[i]);
	free(refspecs.strings);
	git_remote_free(remote);
	return err->message != NULL ? -1 : 0;
}
