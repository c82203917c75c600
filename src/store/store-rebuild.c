/*
 * store-rebuild.c — "huitou rebuild": a new LMDB store from the audit repository alone. The
 * divisions, the forms and every record (with its version) come from git HEAD; id counters
 * are raised past every id seen, the outbox continues from HEAD's sequence number and the
 * store is anchored at main's tip (store-trust.c). The new store is built in DIR/rebuild.tmp
 * and swapped in; the old one (if any) is kept, renamed.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/statvfs.h>
#include <unistd.h>

#include "store/store-private.h"

struct rebuild {
	struct audit *audit;
	struct seal *seal;	/* DIR/seal.key: opens the private fields */
	struct formset forms;
	struct division_row *rows;
	size_t n_rows;
	struct store_txn *txn;
	const struct form *form;
	size_t records;
	struct error *err;
};

static int
parse_divisions(struct rebuild *rb, const char *text, size_t len)
{
	const char *p = text, *end = text + len;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		size_t n = nl != NULL ? (size_t)(nl - p) : (size_t)(end - p);
		char *line = xstrndup(p, n), *c1 = strchr(line, ','), *c2;
		struct division_row *r;

		p += n + 1;
		if (c1 == NULL || (c2 = strchr(c1 + 1, ',')) == NULL) {
			free(line);
			continue;
		}
		*c1 = *c2 = '\0';
		rb->rows = xrealloc(rb->rows, (rb->n_rows + 1) * sizeof *rb->rows);
		r = &rb->rows[rb->n_rows++];
		memset(r, 0, sizeof *r);
		snprintf(r->code, sizeof r->code, "%s", line);
		snprintf(r->parent, sizeof r->parent, "%s", c1 + 1);
		r->name = xstrdup(c2 + 1);
		free(line);
	}
	return rb->n_rows > 0 ? 0 : error_set(rb->err, ST_FAILED,
	    _("the audit repository has no divisions.csv; it cannot be rebuilt from"));
}

static int
collect_form(void *arg, const char *path, const char *content, size_t len)
{
	struct rebuild *rb = arg;
	size_t n = strlen(path);
	char *text, *label;
	struct form *form;
	int rc;

	if (n < 5 || !str_eq(path + n - 5, ".form"))
		return 0;	/* the casework's rules files (states, deadlines) are no forms */
	text = xstrndup(content, len);
	label = xasprintf("audit.git:forms/%s", path);
	rc = form_parse(label, text, &form, rb->err);
	free(text);
	free(label);
	if (rc != 0)
		return -1;
	rb->forms.forms = xrealloc(rb->forms.forms, (rb->forms.n + 1) * sizeof *rb->forms.forms);
	rb->forms.forms[rb->forms.n++] = form;
	return 0;
}

static int
restore_record(void *arg, const char *path, const char *content, size_t len)
{
	struct rebuild *rb = arg;
	struct record *rec;
	uint64_t version;
	int rc;

	if (record_from_text(rb->form, rb->seal, content, len, &rec, rb->err) != 0)
		return error_prefix(rb->err, "%s/%s: ", rb->form->name, path);
	version = rec->version;
	rc = store_insert(rb->txn, rec, rb->err);
	if (rc == 0 && version != 1) {	/* keep the version git recorded */
		rec->version = version;
		rc = store_restore_version(rb->txn, rec, rb->err);
	}
	if (rc != 0)
		error_prefix(rb->err, "%s/%s: ", rb->form->name, path);
	rb->records++;
	record_free(rec);
	return rc;
}

static int
write_forms(const char *dir, const struct formset *forms, struct error *err)
{
	for (size_t i = 0; i < forms->n; i++) {
		char *path = xasprintf("%s/forms/%s.form", dir, forms->forms[i]->name);
		FILE *fp = fopen(path, "w");
		int bad = fp == NULL || fputs(forms->forms[i]->text, fp) == EOF;

		if (fp != NULL && fclose(fp) != 0)
			bad = 1;
		if (bad) {
			error_set(err, ST_FAILED, _("cannot write %s"), path);
			free(path);
			return -1;
		}
		free(path);
	}
	return 0;
}

static int
fill_store(struct rebuild *rb, const char *tmp, uint64_t head_seq)
{
	struct store *store = NULL;
	unsigned char seq[8];
	int rc = -1;

	if (store_open(tmp, &rb->forms, &store, rb->err) != 0)
		goto out;
	store->unaudited = true;	/* it has no git: main is checked by the next write */
	if (store_txn_begin(store, true, &rb->txn, rb->err) != 0 ||
	    audit_tip_hex(rb->audit, store->anchor_next, rb->err) != 0)
		goto out;
	rb->txn->no_audit = true;
	for (size_t i = 0; i < rb->forms.n; i++) {
		rb->form = rb->forms.forms[i];
		if (audit_head_files(rb->audit, rb->form->name, restore_record, rb, rb->err) != 0) {
			rc = -1;	/* a form before it has set rc */
			goto out;
		}
		char *key = xasprintf("formtext/%s", rb->form->name);

		rc = meta_put(rb->txn->txn, store->meta, key, rb->form->text, strlen(rb->form->text),
		    rb->err);
		free(key);
		if (rc != 0)
			goto out;
	}
	be64_put(seq, head_seq);
	store->anchor_next_seq = head_seq;	/* the store equals main's tip: its anchor */
	if ((rb->seal != NULL &&	/* the key opened git's seals: a lost one is refused */
	    meta_put(rb->txn->txn, store->meta, SEAL_META_KEY, "1", 1, rb->err) != 0) ||
	    meta_put(rb->txn->txn, store->meta, "outbox/seq", seq, sizeof seq, rb->err) != 0 ||
	    anchor_write(rb->txn, rb->err) != 0)
		goto out;
	rc = store_txn_commit(rb->txn, rb->err);
	rb->txn = NULL;
out:
	store_txn_abort(rb->txn);
	store_close(store);
	return rc;
}

/* Puts the new store in place of the live one, which is kept renamed (a damaged or missing
 * one too: nothing is lost by a rebuild). */
static int
swap_in(const char *dir, const char *tmp, char **kept_as, struct error *err)
{
	char *tmp_store = xasprintf("%s/store", tmp), *live = xasprintf("%s/store", dir);
	struct stat st;
	int rc = 0;

	if (lstat(live, &st) == 0) {
		long long now = (long long)clock_real();

		/* a name of its own, even for a second rebuild within the same second */
		*kept_as = xasprintf("%s/store.before-rebuild.%lld", dir, now);
		for (int n = 2; rename(live, *kept_as) != 0; n++) {
			if ((errno != EEXIST && errno != ENOTEMPTY) || n > 100) {
				rc = error_set(err, ST_FAILED, _("cannot move %s aside: %s"), live,
				    strerror(errno));
				break;
			}
			free(*kept_as);
			*kept_as = xasprintf("%s/store.before-rebuild.%lld.%d", dir, now, n);
		}
	}
	if (rc == 0 && rename(tmp_store, live) != 0) {
		rc = error_set(err, ST_FAILED, _("cannot swap %s into place: %s"), tmp_store,
		    strerror(errno));
		if (*kept_as != NULL && rename(*kept_as, live) == 0) {	/* as it was */
			free(*kept_as);
			*kept_as = NULL;
		}
	}
	free(tmp_store);
	free(live);
	return rc;
}

/*
 * A new store on a full disk is worse than an error: LMDB maps its new lock file, and the
 * first touch of a page the disk has no room for is a SIGBUS. So init and rebuild check the
 * room first: a margin, and for a rebuild the size of DIR's store (the new one holds as much).
 */
int
store_check_room(const char *dir, bool as_big_as_store, struct error *err)
{
	char *data = xasprintf("%s/store/data.mdb", dir);
	struct statvfs fs;
	struct stat st;
	uint64_t need = (uint64_t)16 << 20, have;
	int rc = 0;

	if (as_big_as_store && stat(data, &st) == 0)
		need += (uint64_t)st.st_blocks * 512;
	if (statvfs(dir, &fs) == 0 && (have = (uint64_t)fs.f_bavail * fs.f_frsize) < need)
		rc = error_set(err, ST_FAILED,
		    _("the disk holding %s is full: a new store needs about %llu MB free and it has %llu MB; nothing was changed"),
		    dir, (unsigned long long)(need >> 20), (unsigned long long)(have >> 20));
	free(data);
	return rc;
}

/*
 * The rebuild holds the audit lock from start to end: no huitou process commits meanwhile,
 * and a rebuild.tmp found under it was left by a rebuild that was killed (a running one would
 * hold the lock), so it is removed. A failed rebuild removes its own.
 */
int
store_rebuild(const char *dir, char **kept_as, size_t *records, struct error *err)
{
	struct rebuild rb = { .err = err };
	char *tmp = xasprintf("%s/rebuild.tmp", dir), *text = NULL;
	size_t len;
	uint64_t head = 0;
	int rc = -1, lock = -1;

	*kept_as = NULL;
	*records = 0;
	if (audit_lock(dir, &lock, err) != 0)
		goto out;
	if (dir_remove_tree(tmp) != 0) {
		error_set(err, ST_FAILED, _("cannot remove %s, left by an interrupted rebuild: %s"),
		    tmp, strerror(errno));
		goto out;
	}
	if (store_check_room(dir, true, err) != 0 || seal_load(dir, &rb.seal, err) != 0 ||
	    audit_open(dir, &rb.audit, err) != 0 || audit_head_seq(rb.audit, &head, err) != 0 ||
	    audit_head_file(rb.audit, "divisions.csv", &text, &len, err) != 0)
		goto out;
	if (text == NULL || parse_divisions(&rb, text, len) != 0 ||
	    audit_head_files(rb.audit, "forms", collect_form, &rb, err) != 0 ||
	    dir_make(tmp, err) != 0 || store_map_size_copy(dir, tmp, err) != 0 ||
	    store_create_store_only(tmp, &rb.rows[0], rb.rows + 1, rb.n_rows - 1, err) != 0 ||
	    fill_store(&rb, tmp, head) != 0)
		goto out;
	fault_point("rebuild-filled");
	if (swap_in(dir, tmp, kept_as, err) != 0)
		goto out;
	fault_point("rebuild-swapped");
	*records = rb.records;
	rc = write_forms(dir, &rb.forms, err);
out:
	if (lock >= 0 && dir_remove_tree(tmp) != 0 && rc == 0)
		rc = error_set(err, ST_FAILED, _("cannot remove %s: %s"), tmp, strerror(errno));
	audit_unlock(lock);
	for (size_t i = 0; i < rb.n_rows; i++)
		free(rb.rows[i].name);
	free(rb.rows);
	formset_free(&rb.forms);
	audit_close(rb.audit);
	seal_free(rb.seal);
	free(text);
	free(tmp);
	return rc;
}

int
store_rebuild_undo(const char *dir, const char *kept_as, struct error *err)
{
	char *live = xasprintf("%s/store", dir), *failed = NULL;
	int lock = -1, rc = -1;

	if (kept_as == NULL || audit_lock(dir, &lock, err) != 0)
		goto out;
	failed = xasprintf("%s/store.failed-recovery.%lld", dir, (long long)clock_real());
	if (rename(live, failed) != 0)
		error_set(err, ST_FAILED, _("cannot move %s aside: %s"), live, strerror(errno));
	else if (rename(kept_as, live) != 0)
		error_set(err, ST_FAILED, _("cannot put %s back: %s"), kept_as, strerror(errno));
	else
		rc = 0;
out:
	audit_unlock(lock);
	free(failed);
	free(live);
	return rc;
}
