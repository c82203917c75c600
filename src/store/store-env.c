/*
 * store-env.c — the LMDB environment of a data directory: creating and opening it, checking
 * its format and city, transactions, and LMDB errors turned into sentences. Follows the LMDB
 * traps of DESIGN.md: a big sparse map, a reader table sized by every process and cleared of
 * dead readers at start, MDB_MAP_RESIZED handled, default (safe) sync, every code checked.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>

#include "store/store-private.h"

#define STORE_MAX_READERS 1024
#define STORE_MAX_DBS 512

int
store_lmdb_error(struct error *err, int rc, const char *what)
{
	if (rc == MDB_MAP_FULL)
		return error_set(err, ST_FAILED,
		    _("%s: the data store's map is full; nothing was written: the administrator raises map-size ('huitou maintain --map-size SIZE', or 'map-size = SIZE' in the site configuration), then try again"),
		    what);
	if (rc == MDB_READERS_FULL)
		return error_set(err, ST_FAILED,
		    _("%s: too many programs are reading the data store at once; try again"), what);
	if (rc == MDB_INVALID || rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND)
		return error_set(err, ST_FAILED,
		    _("%s: the data store is damaged (%s); 'huitou rebuild' recreates it from the audit record"),
		    what, mdb_strerror(rc));
	if (rc == MDB_VERSION_MISMATCH)
		return error_set(err, ST_FAILED,
		    _("%s: the data store was written by another version of LMDB; 'huitou rebuild' recreates it from the audit record"),
		    what);
	return error_set(err, ST_FAILED, _("%s: %s"), what, mdb_strerror(rc));
}

/* Why DIR holds no usable store, before LMDB is let near it: LMDB makes a new, empty store
 * where data.mdb is missing or empty, which would hide the damage. */
static int
check_store_files(const char *dir, struct error *err)
{
	char *store = xasprintf("%s/store", dir), *data = xasprintf("%s/store/data.mdb", dir);
	char *audit = xasprintf("%s/audit.git", dir);
	struct stat st;
	int rc = 0;

	if (!path_is_dir(store) && !path_is_dir(audit))
		rc = error_set(err, ST_REFUSED,
		    _("%s is not a huitou data directory: run 'huitou -d %s init --city CODE' first"),
		    dir, dir);
	else if (!path_is_dir(store))
		rc = error_set(err, ST_FAILED,
		    _("%s: the store is missing but the audit record is there; run 'huitou -d %s rebuild' to recreate the store from it"),
		    store, dir);
	else if (stat(data, &st) != 0 || !S_ISREG(st.st_mode) || st.st_size == 0)
		rc = error_set(err, ST_FAILED,
		    _("%s is missing or empty: the store is damaged; run 'huitou -d %s rebuild' to recreate it from the audit record"),
		    data, dir);
	free(audit);
	free(data);
	free(store);
	return rc;
}

/*
 * LMDB maps data.mdb and trusts it: a page beyond the end of a truncated file is a SIGBUS on
 * first read. The newest meta page names the last page in use; the file must hold it.
 */
static int
check_store_size(MDB_env *env, const char *dir, struct error *err)
{
	MDB_envinfo info;
	MDB_stat stat_;
	struct stat st;
	mdb_filehandle_t fd;
	unsigned long long need;
	int rc;

	if ((rc = mdb_env_info(env, &info)) != 0 || (rc = mdb_env_stat(env, &stat_)) != 0 ||
	    (rc = mdb_env_get_fd(env, &fd)) != 0)
		return store_lmdb_error(err, rc, dir);
	if (fstat(fd, &st) != 0)
		return error_set(err, ST_FAILED, _("cannot read %s/store/data.mdb: %s"), dir,
		    strerror(errno));
	need = ((unsigned long long)info.me_last_pgno + 1) * stat_.ms_psize;
	if ((unsigned long long)st.st_size < need)
		return error_set(err, ST_FAILED,
		    _("%s/store/data.mdb is truncated (%llu bytes; its last page ends at %llu): the store is damaged; run 'huitou -d %s rebuild' to recreate it from the audit record"),
		    dir, (unsigned long long)st.st_size, need, dir);
	return 0;
}

/* Opens DIR/store; create: it may be new (store_create), else it must be there and whole. */
static int
env_open(const char *dir, bool create, MDB_env **out, struct error *err)
{
	char *path = xasprintf("%s/store", dir);
	MDB_env *env = NULL;
	int rc, dead = 0;

	if (!create && check_store_files(dir, err) != 0)
		goto fail_checked;
	if ((rc = mdb_env_create(&env)) != 0)
		goto fail;
	if ((rc = mdb_env_set_mapsize(env, store_map_size_for(dir))) != 0 ||
	    (rc = mdb_env_set_maxreaders(env, STORE_MAX_READERS)) != 0 ||
	    (rc = mdb_env_set_maxdbs(env, STORE_MAX_DBS)) != 0)
		goto fail;
	if ((rc = mdb_env_open(env, path, MDB_NOTLS, 0660)) != 0)
		goto fail;
	if (check_store_size(env, dir, err) != 0)
		goto fail_checked;
	if ((rc = mdb_reader_check(env, &dead)) != 0)
		goto fail;
	free(path);
	*out = env;
	return 0;
fail:
	if (rc == ENOENT)
		error_set(err, ST_REFUSED,
		    _("%s is not a huitou data directory: run 'huitou -d %s init --city CODE' first"),
		    dir, dir);
	else
		store_lmdb_error(err, rc, path);
fail_checked:
	if (env != NULL)
		mdb_env_close(env);
	free(path);
	return -1;
}

static bool
is_damage(int rc)
{
	return rc == MDB_INVALID || rc == MDB_CORRUPTED || rc == MDB_PAGE_NOTFOUND ||
	    rc == MDB_VERSION_MISMATCH || rc == MDB_NOTFOUND;
}

/* Whether the store's own files are damaged, read only: missing or empty, truncated, pages
 * LMDB refuses, or no format mark. A store that opens but is refused for another reason (a
 * form or policy file, too many readers, an unknown login) is not damaged. */
bool
store_is_damaged(const char *dir)
{
	char *path = xasprintf("%s/store", dir);
	struct error err = ERROR_INIT;
	MDB_env *env = NULL;
	MDB_txn *txn;
	MDB_dbi meta;
	MDB_val v;
	bool damaged = false;
	int rc;

	if (check_store_files(dir, &err) != 0)
		damaged = err.status == ST_FAILED;
	else if (mdb_env_create(&env) == 0 && mdb_env_set_mapsize(env, store_map_size_for(dir)) == 0 &&
	    mdb_env_set_maxdbs(env, STORE_MAX_DBS) == 0 &&
	    mdb_env_set_maxreaders(env, STORE_MAX_READERS) == 0) {
		if ((rc = mdb_env_open(env, path, MDB_NOTLS | MDB_RDONLY, 0660)) != 0)
			damaged = is_damage(rc);
		else if (check_store_size(env, dir, &err) != 0)
			damaged = true;
		else if ((rc = mdb_txn_begin(env, NULL, MDB_RDONLY, &txn)) != 0)
			damaged = is_damage(rc);
		else {
			if ((rc = mdb_dbi_open(txn, "meta", 0, &meta)) == 0)
				rc = meta_get(txn, meta, "format", &v);
			damaged = is_damage(rc);
			mdb_txn_abort(txn);
		}
	}
	if (env != NULL)
		mdb_env_close(env);
	error_clear(&err);
	free(path);
	return damaged;
}

int
store_env_open(const char *dir, MDB_env **out, struct error *err)
{
	return env_open(dir, false, out, err);
}

int
meta_get(MDB_txn *txn, MDB_dbi meta, const char *key, MDB_val *out)
{
	MDB_val k = { strlen(key), (void *)key };

	return mdb_get(txn, meta, &k, out);
}

int
meta_put(MDB_txn *txn, MDB_dbi meta, const char *key, const void *data, size_t len,
    struct error *err)
{
	MDB_val k = { strlen(key), (void *)key }, v = { len, (void *)data };
	int rc = mdb_put(txn, meta, &k, &v, 0);

	return rc == 0 ? 0 : store_lmdb_error(err, rc, _("writing the store's settings"));
}

int
store_create(const char *dir, const struct division_row *city,
    const struct division_row *divisions, size_t n, struct error *err)
{
	if (store_create_store_only(dir, city, divisions, n, err) != 0 ||
	    seal_create(dir, err) != 0)	/* DIR/seal.key, never in git */
		return -1;
	return audit_create(dir, err);
}

int
store_create_store_only(const char *dir, const struct division_row *city,
    const struct division_row *divisions, size_t n, struct error *err)
{
	char *path = xasprintf("%s/store", dir), format[16];
	MDB_env *env = NULL;
	MDB_txn *txn = NULL;
	MDB_dbi meta, divs, outbox;
	struct buf city_val = BUF_INIT;
	int rc;

	if (dir_make(dir, err) != 0 || store_check_room(dir, false, err) != 0 ||
	    dir_make(path, err) != 0)
		goto fail;
	if (env_open(dir, true, &env, err) != 0)
		goto fail;
	if ((rc = mdb_txn_begin(env, NULL, 0, &txn)) != 0 ||
	    (rc = mdb_dbi_open(txn, "meta", MDB_CREATE, &meta)) != 0 ||
	    (rc = mdb_dbi_open(txn, "divisions", MDB_CREATE, &divs)) != 0 ||
	    (rc = mdb_dbi_open(txn, "outbox", MDB_CREATE, &outbox)) != 0) {
		store_lmdb_error(err, rc, path);
		goto fail;
	}
	if (meta_get(txn, meta, "format", &(MDB_val){ 0, NULL }) == 0) {
		error_set(err, ST_REFUSED, _("%s is already a huitou data directory"), dir);
		goto fail;
	}
	snprintf(format, sizeof format, "%d", STORE_FORMAT);
	buf_adds(&city_val, city->code);
	buf_add(&city_val, "", 1);
	buf_adds(&city_val, city->name);
	if (meta_put(txn, meta, "format", format, strlen(format), err) != 0 ||
	    meta_put(txn, meta, "city", city_val.data, city_val.len, err) != 0 ||
	    store_policy_mark_founder(txn, meta, err) != 0 ||
	    store_divisions_write(txn, divs, divisions, n, err) != 0)
		goto fail;
	rc = mdb_txn_commit(txn);
	txn = NULL;
	if (rc != 0) {
		store_lmdb_error(err, rc, path);
		goto fail;
	}
	mdb_env_close(env);
	buf_free(&city_val);
	free(path);
	return 0;
fail:
	if (txn != NULL)
		mdb_txn_abort(txn);
	if (env != NULL)
		mdb_env_close(env);
	buf_free(&city_val);
	free(path);
	return -1;
}

static int
check_format(struct store *store, MDB_txn *txn, const char *dir, struct error *err)
{
	MDB_val v;
	char format[16];
	long have;

	if (meta_get(txn, store->meta, "format", &v) != 0 || v.mv_size >= sizeof format)
		return error_set(err, ST_FAILED, _("%s: the store has no format mark; it is damaged"), dir);
	memcpy(format, v.mv_data, v.mv_size);
	format[v.mv_size] = '\0';
	have = strtol(format, NULL, 10);
	if (have > STORE_FORMAT)
		return error_set(err, ST_FAILED,
		    _("%s was written by a newer huitou (store format %ld, this one reads %d)"),
		    dir, have, STORE_FORMAT);
	if (meta_get(txn, store->meta, "city", &v) != 0)
		return error_set(err, ST_FAILED, _("%s: the store names no city; it is damaged"), dir);
	store->city_code = xstrndup(v.mv_data, strnlen(v.mv_data, v.mv_size));
	store->city_name = strlen(store->city_code) + 1 < v.mv_size ?
	    xstrndup((char *)v.mv_data + strlen(store->city_code) + 1,
	    v.mv_size - strlen(store->city_code) - 1) : xstrdup("");
	return 0;
}

/* Opens the sub-databases; creates missing ones and rebuilds changed indexes if it must. */
static int
open_databases(struct store *store, const char *dir, struct error *err)
{
	MDB_txn *txn;
	int rc, need_write;

	for (int pass = 0; pass < 2; pass++) {
		if ((rc = mdb_txn_begin(store->env, NULL, pass == 0 ? MDB_RDONLY : 0, &txn)) != 0)
			return store_lmdb_error(err, rc, dir);
		if ((rc = mdb_dbi_open(txn, "meta", 0, &store->meta)) != 0 ||
		    (rc = mdb_dbi_open(txn, "divisions", 0, &store->divisions)) != 0 ||
		    (rc = mdb_dbi_open(txn, "outbox", 0, &store->outbox)) != 0) {
			mdb_txn_abort(txn);
			if (rc == MDB_NOTFOUND)
				return error_set(err, ST_FAILED,
				    _("%s: the store lacks its tables; it is damaged: run 'huitou -d %s rebuild' to recreate it from the audit record"),
				    dir, dir);
			return store_lmdb_error(err, rc, dir);
		}
		if (pass == 0 && (check_format(store, txn, dir, err) != 0 ||
		    store_divisions_load(store, txn, err) != 0)) {
			mdb_txn_abort(txn);
			return -1;
		}
		need_write = store_index_open(store, txn, pass == 1, err);
		if (need_write < 0) {
			mdb_txn_abort(txn);
			return -1;
		}
		if ((rc = mdb_txn_commit(txn)) != 0)
			return store_lmdb_error(err, rc, dir);
		if (need_write == 0)
			return 0;
	}
	return error_set(err, ST_FAILED, _("%s: cannot prepare the store's tables"), dir);
}

/* Where LMDB mapped data.mdb: it does not say unless the map is fixed (me_mapaddr), so
 * /proc/self/maps does, once; the map stays where it is while the environment is open. */
static void
find_map(struct store *store)
{
	char *data = xasprintf("%s/store/data.mdb", store->dir), *real = realpath(data, NULL);
	FILE *maps = real != NULL ? fopen("/proc/self/maps", "r") : NULL;
	char line[4096];

	store->map_looked = true;
	while (maps != NULL && fgets(line, sizeof line, maps) != NULL) {
		unsigned long from, to;
		char *path = strchr(line, '/');

		if (path == NULL || sscanf(line, "%lx-%lx", &from, &to) != 2)
			continue;
		path[strcspn(path, "\n")] = '\0';
		if (str_eq(path, real)) {
			store->map_at = (void *)from;
			store->map_len = to - from;
			break;
		}
	}
	if (maps != NULL)
		fclose(maps);
	free(real);
	free(data);
}

/*
 * Gives the pages of the map a scan touched back to the kernel. The map is a shared, read-only
 * file mapping, so they stay in the page cache and come back on the next read; the process's
 * resident memory stays within its budget after reading 100,000 records.
 */
void
store_release_pages(struct store *store)
{
	if (!store->map_looked)
		find_map(store);
	if (store->map_at != NULL)	/* failing, only memory is kept longer */
		(void)madvise(store->map_at, store->map_len, MADV_DONTNEED);
}

int
store_open(const char *dir, const struct formset *forms, struct store **out, struct error *err)
{
	struct store *store = xcalloc(1, sizeof *store);

	store->dir = xstrdup(dir);
	store->forms = forms;
	store->dbs = xcalloc(forms->n, sizeof *store->dbs);
	for (size_t i = 0; i < forms->n; i++) {
		store->dbs[i].form = forms->forms[i];
		store->dbs[i].field_dbi = xcalloc(forms->forms[i]->n_fields, sizeof(MDB_dbi));
		store->dbs[i].pair_dbi = xcalloc(forms->forms[i]->n_fields, sizeof(MDB_dbi));
	}
	if (store_env_open(dir, &store->env, err) != 0 ||
	    open_databases(store, dir, err) != 0) {
		store_close(store);
		return -1;
	}
	audit_hint_load(store);
	if (seal_load(dir, &store->seal, err) != 0 ||	/* private fields in git */
	    store_policy_open(store, err) != 0) {	/* who acts: refused unless registered */
		store_close(store);
		return -1;
	}
	*out = store;
	return 0;
}

void
store_close(struct store *store)
{
	if (store == NULL)
		return;
	audit_hint_close(store);
	store_policy_close(store);
	if (store->env != NULL)
		mdb_env_close(store->env);
	for (size_t i = 0; i < store->forms->n; i++) {
		free(store->dbs[i].field_dbi);
		free(store->dbs[i].pair_dbi);
	}
	free(store->dbs);
	store_divisions_free(store);
	audit_close(store->audit);
	seal_free(store->seal);
	free(store->audit_warning);
	free(store->dir);
	free(store->city_code);
	free(store->city_name);
	free(store);
}

const struct formset *
store_forms(const struct store *store)
{
	return store->forms;
}

const char *
store_city_code(const struct store *store)
{
	return store->city_code;
}

const char *
store_city_name(const struct store *store)
{
	return store->city_name;
}

struct form_dbs *
store_form_dbs(struct store *store, const struct form *form)
{
	for (size_t i = 0; i < store->forms->n; i++)
		if (store->dbs[i].form == form)
			return &store->dbs[i];
	fatal("form %s is not one of the store's", form->name);
}

/* A trust event in DIR/security.log; a log that cannot be written costs the line only. */
static void
log_event(struct store *store, const char *event, const char *detail)
{
	security_log(store->dir, event, detail != NULL ? detail : "?");
}

/* Checks main and makes the commits the outbox holds (the caller holds the audit lock); a
 * failure says why in err and store->audit_warning. */
static int
catch_up_audit(struct store *store, struct error *err)
{
	free(store->audit_warning);
	store->audit_warning = NULL;
	if (store_audit_flush_locked(store, err) == 0)
		return 0;
	store->audit_warning = xstrdup(err->message != NULL ? err->message : "?");
	return -1;
}

/*
 * Before a write, under the audit lock: main is trusted and every commit the outbox holds is
 * in git, so a backlog never grows and an entry that takes its texts from the store is made
 * before anything changes them; and a commit could be written now. Otherwise nothing is
 * written, err says why and what to run, and the security log has a line.
 */
static int
ready_to_write(struct store *store, struct error *err)
{
	struct error why = ERROR_INIT;
	const char *event;

	store->untrusted = store->anchor_ready = false;
	if ((store->audit != NULL || audit_open(store->dir, &store->audit, &why) == 0) &&
	    audit_check_writable(store->audit, 0, &why) == 0 && catch_up_audit(store, &why) == 0)
		return 0;
	if (store->untrusted) {
		event = "audit.untrusted";
		error_set(err, ST_FAILED, "%s", why.message);
	} else if (store->anchor_ready) {
		event = "audit.backlog";
		error_set(err, ST_FAILED,
		    _("nothing was written: changes already saved wait for their audit commits, which cannot be made (%s); every change is refused until they are made: fix the audit repository, then try again"),
		    why.message);
	} else {
		event = "audit.unwritable";
		error_set(err, ST_FAILED, _("nothing was written: %s"), why.message);
	}
	log_event(store, event, err->message);
	error_clear(&why);
	return -1;
}

/* A write takes the audit lock first; rebuild's new store checks nothing (it has no git).
 * The audit record is opened before (libgit2's start and the repository's files: 2-3 ms that
 * every other writer would wait for); if it cannot be, ready_to_write says why, under the lock. */
static int
lock_for_write(struct store *store, int *fd, struct error *err)
{
	struct error later = ERROR_INIT;

	if (!store->unaudited && store->audit == NULL &&
	    audit_open(store->dir, &store->audit, &later) != 0)
		error_clear(&later);
	if (audit_lock(store->dir, fd, err) != 0)
		return -1;
	if (store->unaudited ||
	    (store_seal_ensure(store, err) == 0 && ready_to_write(store, err) == 0))
		return 0;
	audit_unlock(*fd);
	*fd = -1;
	return -1;
}

static int
txn_begin_mode(struct store *store, bool write, int fd, struct store_txn **out,
    struct error *err)
{
	MDB_txn *txn;
	int rc;

	rc = mdb_txn_begin(store->env, NULL, write ? 0 : MDB_RDONLY, &txn);
	if (rc == MDB_MAP_RESIZED) {	/* another process grew the map: adopt its size */
		if ((rc = mdb_env_set_mapsize(store->env, 0)) == 0)
			rc = mdb_txn_begin(store->env, NULL, write ? 0 : MDB_RDONLY, &txn);
	}
	if (rc != 0) {
		audit_unlock(fd);
		store->anchor_ready = false;
		return store_lmdb_error(err, rc, _("starting a transaction"));
	}
	*out = xcalloc(1, sizeof **out);
	(*out)->store = store;
	(*out)->txn = txn;
	(*out)->write = write;
	(*out)->lock_fd = fd;
	return 0;
}

int
txn_begin_locked(struct store *store, int fd, struct store_txn **out, struct error *err)
{
	return txn_begin_mode(store, true, fd, out, err);
}

int
store_txn_begin(struct store *store, bool write, struct store_txn **out, struct error *err)
{
	int fd = -1;

	if (write && lock_for_write(store, &fd, err) != 0)
		return -1;
	return txn_begin_mode(store, write, fd, out, err);
}

/* After the store committed: the commit is made, or the change is not acknowledged. */
static int
commit_to_git(struct store *store, struct error *err)
{
	struct error why = ERROR_INIT;

	fault_point("store-committed");
	if (catch_up_audit(store, &why) == 0)
		return 0;
	error_set(err, ST_FAILED,
	    _("not saved in the audit record: the change is in the store but its audit commit could not be made (%s); every change is refused until it is made: fix the audit repository, then run any command"),
	    why.message);
	log_event(store, "audit.failed", err->message);
	error_clear(&why);
	return -1;
}

/* A change of a "reason" field is refused without a Reason trailer. An undo (Reverts) puts
 * back a value whose change gave one, a rebuild restores what git holds, and a move asks for
 * its reason by its states file's "reason" guard (every move that sets a status does). */
static int
check_reason_given(const struct store_txn *txn, struct error *err)
{
	char *reason, *reverts;
	int rc = 0;

	if (txn->unreasoned == NULL || txn->no_audit || txn->moving)
		return 0;
	reason = store_message_trailer(txn->trailers != NULL ? txn->trailers : "", "Reason");
	reverts = store_message_trailer(txn->trailers != NULL ? txn->trailers : "", "Reverts");
	if (reason == NULL && reverts == NULL)
		rc = error_set(err, ST_REFUSED,
		    _("a change of %s needs a reason (--reason TEXT); nothing was written"),
		    txn->unreasoned);
	free(reason);
	free(reverts);
	return rc;
}

int
store_txn_commit(struct store_txn *txn, struct error *err)
{
	struct store *store = txn->store;
	bool audited = txn->write && !txn->no_audit;
	struct audit_prepare_job *job;
	int rc, fd;

	store->last_stored = false;
	if (txn->write && (check_reason_given(txn, err) != 0 || stage_flush(txn, err) != 0 || id_counters_flush(txn, err) != 0 ||
	    tally_flush(txn, err) != 0 ||
	    (audited && outbox_write(txn, err) != 0))) {
		store_txn_abort(txn);
		return -1;
	}
	audited = audited && (txn->n_changes > 0 || txn->extra.n_files > 0 || txn->always_commit);
	job = audited && !store->audit_deferred ? audit_prepare_start(store, txn->outbox_commit) :
	    NULL;	/* the git objects are written while LMDB syncs */
	fault_point("store-before-commit");
	rc = mdb_txn_commit(txn->txn);
	store->last_stored = rc == 0;
	audit_prepare_join(store, job);
	fd = txn->lock_fd;
	stage_free(txn);
	buf_free(&txn->encoded);
	id_counters_free(txn);
	tally_free(txn);
	txn_changes_free(txn);
	free(txn);
	store->anchor_ready = false;
	if (rc != 0)
		rc = store_lmdb_error(err, rc, _("saving to the store"));
	else if (audited && !store->audit_deferred)
		rc = commit_to_git(store, err);
	audit_prepared_free(store->audit_prepared);	/* used, or of a change not made */
	store->audit_prepared = NULL;
	audit_unlock(fd);
	audit_fold_if_due(store->audit);
	return rc;
}

bool
store_txn_stored(const struct store *store)
{
	return store->last_stored;
}

void
store_txn_bulk(struct store_txn *txn, size_t input_bytes)
{
	stage_begin(txn, input_bytes);
}

void
store_txn_abort(struct store_txn *txn)
{
	if (txn == NULL)
		return;
	mdb_txn_abort(txn->txn);
	if (txn->write)
		txn->store->anchor_ready = false;
	audit_unlock(txn->lock_fd);
	stage_free(txn);
	buf_free(&txn->encoded);
	id_counters_free(txn);
	tally_free(txn);
	txn_changes_free(txn);
	free(txn);
}
