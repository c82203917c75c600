/*
 * store-revert.c — undo as a new commit, never a rewrite of history. Reverting a commit sets
 * every field it changed back to its value before it, for every record it changed, in one
 * write transaction that becomes one audit commit (Action: record.revert, Reverts: <id>).
 * A field changed again since is never overwritten: the revert is refused, naming the record,
 * the field and both values. A commit that created records cannot be reverted, for records
 * are never deleted. The same walk, in a read transaction, checks a revert before asking.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/store-private.h"

struct revert_state {
	struct store_txn *txn;
	struct store_revert *out;
	bool apply;		/* false: check only */
	struct error *err;
};

static const char *
shown(const struct field *f, const char *value)
{
	if (*value != '\0' && f->private_)
		return store_withheld();	/* a refusal names the field, never its value */
	return *value != '\0' ? field_display(f, value) : _("(empty)");
}

static int
revert_head(void *arg, const struct audit_entry *e)
{
	struct revert_state *st = arg;

	memcpy(st->out->commit, e->oid, sizeof st->out->commit);
	free(st->out->subject);
	st->out->subject = xstrndup(e->message, strcspn(e->message, "\n"));
	return 0;
}

/* Refuses a field whose value is not what the commit left: it changed since. */
static int
changed_since(struct revert_state *st, const struct record *now, const struct record *before,
    const struct record *after, size_t i)
{
	const struct field *f = &now->form->fields[i];

	if (str_eq(now->values[i], before->values[i]))
		return error_set(st->err, ST_REFUSED,
		    _("%s: %s (%s) is %s again: commit %.12s seems undone already; nothing was written"),
		    record_id(now), field_label(f), f->name, shown(f, now->values[i]), st->out->commit);
	return error_set(st->err, ST_REFUSED,
	    _("%s: %s (%s) is %s now, not %s: changed since commit %.12s; nothing was written"),
	    record_id(now), field_label(f), f->name, shown(f, now->values[i]),
	    shown(f, after->values[i]), st->out->commit);
}

/* Sets now's fields that the commit changed (before → after) back to their before values. */
static int
revert_fields(struct revert_state *st, struct record *now, const struct record *before,
    const struct record *after)
{
	for (size_t i = 1; i < now->form->n_fields; i++) {
		if (str_eq(before->values[i], after->values[i]))
			continue;
		if (!str_eq(now->values[i], after->values[i]))
			return changed_since(st, now, before, after, i);
		record_set_raw(now, i, before->values[i]);
	}
	return 0;
}

/* Both texts of a changed record file, parsed; refused when the commit created or removed it. */
static int
parse_sides(struct revert_state *st, const struct form *form, const struct audit_change *c,
    struct record **before, struct record **after)
{
	const char *id = strrchr(c->path, '/') + 1;

	*before = *after = NULL;
	if (c->before == NULL)
		return error_set(st->err, ST_REFUSED,
		    _("%s was created by commit %.12s: a creation cannot be undone, records are never deleted"),
		    id, st->out->commit);
	if (c->after == NULL)
		return error_set(st->err, ST_REFUSED,
		    _("%s was removed by commit %.12s: undoing a removal is not supported"), id,
		    st->out->commit);
	if (record_from_text(form, st->txn->store->seal, c->before, c->before_len, before, st->err) != 0)
		return -1;
	if (record_from_text(form, st->txn->store->seal, c->after, c->after_len, after, st->err) != 0) {
		record_free(*before);
		*before = NULL;
		return -1;
	}
	return 0;
}

static int
revert_change(void *arg, const struct audit_change *c)
{
	struct revert_state *st = arg;
	const struct form *form = record_path_form(st->txn->store->forms, c->path);
	struct record *before, *after, *now = NULL;
	int rc;

	if (form == NULL)
		return 0;	/* the forms and the divisions table are not records */
	st->out->records++;
	if (parse_sides(st, form, c, &before, &after) != 0)
		return -1;
	rc = store_get(st->txn, form, record_id(after), &now, st->err);
	if (rc == 0)
		rc = revert_fields(st, now, before, after);
	if (rc == 0 && st->apply)
		rc = store_update(st->txn, now, st->err);
	record_free(before);
	record_free(after);
	record_free(now);
	return rc;
}

/* What the reverting commit says: the original subject in words and the commit it undoes. */
static void
describe_revert(struct store_txn *txn, const struct store_revert *r)
{
	char *subject = xasprintf("撤销 \"%s\"", r->subject);	/* subjects are Chinese */

	store_txn_describe(txn, "record.revert", subject, NULL);
	store_txn_add_trailer(txn, "Reverts", r->commit);
	free(subject);
}

/* Walks the commit in a transaction: checks every record, and with apply also changes them. */
static int
revert_walk(struct store *store, const char *rev, bool apply, struct store_revert *out,
    struct error *err)
{
	struct revert_state st = { NULL, out, apply, err };
	int rc;

	memset(out, 0, sizeof *out);
	/* The commit must be in git, and git open, before the write lock is held. */
	if (store_audit_flush(store, err) != 0 || store_txn_begin(store, apply, &st.txn, err) != 0)
		return -1;
	rc = audit_show(store->audit, rev, revert_head, revert_change, &st, err);
	if (rc == 0 && out->records == 0)
		rc = error_set(err, ST_REFUSED, _("commit %.12s changed no record: there is nothing to undo"),
		    out->commit);
	if (rc == 0 && apply && st.txn->n_changes == 0)
		rc = error_set(err, ST_REFUSED, _("commit %.12s changed no field: there is nothing to undo"),
		    out->commit);
	if (rc != 0 || !apply) {
		store_txn_abort(st.txn);
		return rc != 0 ? -1 : 0;
	}
	describe_revert(st.txn, out);
	return store_txn_commit(st.txn, err);
}

int
store_revert_check(struct store *store, const char *rev, struct store_revert *out,
    struct error *err)
{
	return revert_walk(store, rev, false, out, err);
}

int
store_revert(struct store *store, const char *rev, struct store_revert *out, struct error *err)
{
	return revert_walk(store, rev, true, out, err);
}

void
store_revert_clear(struct store_revert *r)
{
	free(r->subject);
	r->subject = NULL;
}

/* The walk for store_last_action: newest first, so an undo is seen before what it undid. */
struct last_action {
	char *author_prefix;	/* "login@" */
	char **reverted;	/* the Reverts trailers seen so far */
	size_t n_reverted;
	char *found;
};

/* The value of a trailer line "key: value" in a commit message, or NULL; caller frees. */
static char *
trailer_value(const char *message, const char *key)
{
	size_t klen = strlen(key);

	for (const char *p = message; p != NULL && *p != '\0'; p = strchr(p, '\n'), p += p != NULL) {
		if (strncmp(p, key, klen) == 0 && p[klen] == ':' && p[klen + 1] == ' ')
			return xstrndup(p + klen + 2, strcspn(p + klen + 2, "\n"));
	}
	return NULL;
}

static bool
already_reverted(const struct last_action *la, const char *commit)
{
	for (size_t i = 0; i < la->n_reverted; i++)
		if (str_eq(la->reverted[i], commit))
			return true;
	return false;
}

static int
last_action_entry(void *arg, const struct store_history *h)
{
	struct last_action *la = arg;
	char *reverts = trailer_value(h->message, "Reverts");

	if (reverts != NULL) {	/* an undo: what it undid is not undone again */
		la->reverted = xrealloc(la->reverted, (la->n_reverted + 2) * sizeof *la->reverted);
		la->reverted[la->n_reverted++] = reverts;
		la->reverted[la->n_reverted] = NULL;
		return 0;
	}
	if (h->author_email == NULL || !str_starts(h->author_email, la->author_prefix) ||
	    already_reverted(la, h->commit))
		return 0;
	la->found = xstrdup(h->commit);
	return 1;	/* found: stop the walk */
}

int
store_last_action(struct store *store, const char *login, char commit[41], struct error *err)
{
	struct last_action la = { xasprintf("%s@", login), NULL, 0, NULL };
	int rc = store_history(store, NULL, NULL, last_action_entry, &la, err);

	if (rc >= 0 && la.found == NULL)
		rc = error_set(err, ST_REFUSED,
		    _("%s has no change left to undo (an undo is never undone by another; huitou revert COMMIT does that)"),
		    login);
	else if (rc >= 0) {
		snprintf(commit, 41, "%s", la.found);
		rc = 0;
	}
	free(la.author_prefix);
	strv_free(la.reverted);
	free(la.found);
	return rc;
}
