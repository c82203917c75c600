/*
 * bulk.c — one action over many records: the same assignments set on every record named, in
 * one store transaction and one audit commit ("one user action = one commit", a batch of
 * thousands included). All or nothing: a record the values do not fit, or that the policy
 * refuses, stops the batch, and the message names it; bulk_split_allowed says before which
 * records the policy would refuse, so they can be left out, and how many would change, with a
 * few of them before → after. The commit's body lists every id changed, one a line.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"

/* What a batch did: the ids changed, one a line, and the first record changed (its values
 * as stored name what was set, in the subject). */
struct bulk_done {
	struct buf ids;
	size_t changed;
	struct record *first;
};

static int
set_one(struct store_txn *txn, const struct form *form, const char *id,
    const struct assignments *a, struct bulk_done *done, struct error *err)
{
	struct record *rec = NULL;
	uint64_t before;
	int rc = store_get(txn, form, id, &rec, err);

	if (rc == 0) {
		before = rec->version;
		rc = assignments_apply(a, txn, rec, err);
		if (rc == 0)
			rc = store_update(txn, rec, err);
		if (rc == 0 && rec->version != before) {
			if (done->changed++ == 0)
				done->first = record_copy(rec);
			buf_printf(&done->ids, "%s\n", id);
		}
	}
	if (rc != 0 && err->message != NULL && strstr(err->message, id) == NULL)
		error_prefix(err, "%s: ", id);
	record_free(rec);
	return rc;
}

static const char *
shown(const struct field *f, const char *value)
{
	return *value != '\0' ? field_display(f, value) : _("(empty)");
}

char *
bulk_describe_change(const struct record *was, const struct record *now)
{
	struct buf out = BUF_INIT;

	buf_adds(&out, record_id(was));
	for (size_t i = 1; i < was->form->n_fields; i++) {
		const struct field *f = &was->form->fields[i];

		if (!str_eq(was->values[i], now->values[i]))
			buf_printf(&out, "  %s %s → %s", field_label(f), shown(f, was->values[i]),
			    shown(f, now->values[i]));
	}
	return buf_detach(&out);
}

static bool
record_differs(const struct record *a, const struct record *b)
{
	for (size_t i = 1; i < a->form->n_fields; i++)
		if (!str_eq(a->values[i], b->values[i]))
			return true;
	return false;
}

/* Whether the policy lets the actor set a on the record id; 1 refused (why set), 0 allowed,
 * with *differs whether it would change and, if want_sample, the record as it is and as it
 * would be in *was and *now (else NULL). */
static int
may_set_one(struct store *store, struct store_txn *txn, const struct form *form, const char *id,
    const struct assignments *a, const char **rule, bool want_sample, bool *differs,
    struct record **was, struct record **now, struct error *why, struct error *err)
{
	struct record *rec = NULL, *changed = NULL;
	int rc = store_get(txn, form, id, &rec, err);

	*was = *now = NULL;
	if (rc == 0) {
		changed = record_copy(rec);
		rc = assignments_apply(a, txn, changed, err);
	}
	if (rc == 0 && store_may_write(store, rec, changed, why) != 0) {
		*rule = store_refusing_rule(store, rec, changed);
		rc = 1;
	}
	*differs = rc == 0 && record_differs(rec, changed);
	if (*differs && want_sample) {
		*was = rec;
		*now = changed;
		rec = changed = NULL;
	}
	if (rc < 0 && err->message != NULL && strstr(err->message, id) == NULL)
		error_prefix(err, "%s: ", id);
	record_free(rec);
	record_free(changed);
	return rc;
}

/* An allowed record: counted as changing or not, its change kept among the first few. */
static void
note_allowed(struct bulk_split *out, const char *id, bool differs, struct record *was,
    struct record *now)
{
	out->allowed[out->n_allowed++] = xstrdup(id);
	out->n_changing += differs;
	if (was != NULL) {
		out->before[out->n_sample] = was;
		out->after[out->n_sample++] = now;
	}
}

int
bulk_split_allowed(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, struct bulk_split *out, struct error *err)
{
	struct store_txn *txn = NULL;
	struct error why = ERROR_INIT;
	int rc = store_txn_begin(store, false, &txn, err);

	memset(out, 0, sizeof *out);
	out->allowed = xcalloc(n + 1, sizeof *out->allowed);
	out->refused = xcalloc(n + 1, sizeof *out->refused);
	out->before = xcalloc(BULK_SAMPLE, sizeof *out->before);
	out->after = xcalloc(BULK_SAMPLE, sizeof *out->after);
	for (size_t i = 0; i < n && rc == 0; i++) {
		const char *rule = NULL;
		struct record *was, *now;
		bool differs = false;
		int r = may_set_one(store, txn, form, ids[i], a, &rule, out->n_sample < BULK_SAMPLE,
		    &differs, &was, &now, &why, err);

		if (r < 0)
			rc = -1;
		else if (r == 0)
			note_allowed(out, ids[i], differs, was, now);
		else {
			out->refused[out->n_refused++] = xstrdup(ids[i]);
			if (out->why == NULL) {
				out->why = xstrdup(why.message);
				out->rule = xstrdup(rule != NULL ? rule : "?");
			}
		}
		error_clear(&why);
	}
	store_txn_abort(txn);
	if (rc != 0)
		bulk_split_free(out);
	return rc;
}

void
bulk_split_free(struct bulk_split *s)
{
	strv_free(s->allowed);
	strv_free(s->refused);
	for (size_t i = 0; i < s->n_sample; i++) {
		record_free(s->before[i]);
		record_free(s->after[i]);
	}
	free(s->before);
	free(s->after);
	free(s->why);
	free(s->rule);
	memset(s, 0, sizeof *s);
}

int
bulk_set_reason(struct store *store, const struct form *form, char *const *ids, size_t n,
    const struct assignments *a, const char *reason, size_t *changed, struct error *err)
{
	struct store_txn *txn = NULL;
	struct bulk_done done = { BUF_INIT, 0, NULL };
	char *what, *subject;
	int rc = store_txn_begin(store, true, &txn, err);

	for (size_t i = 0; i < n && rc == 0; i++)
		rc = set_one(txn, form, ids[i], a, &done, err);
	*changed = rc == 0 ? done.changed : 0;
	if (rc != 0 || done.changed == 0) {
		store_txn_abort(txn);
		buf_free(&done.ids);
		record_free(done.first);
		return rc != 0 ? -1 : 0;
	}
	what = assignments_describe(a, done.first);
	subject = xasprintf("批量修改%s %zu 条：%s", form->label_zh, done.changed, what);
	/* The body names every record changed, one id a line, however many (git's own
	 * summary of the first changes follows it). */
	store_txn_describe(txn, "record.bulk-update", subject, buf_str(&done.ids));
	if (reason != NULL)
		store_txn_add_trailer(txn, "Reason", reason);
	rc = store_txn_commit(txn, err);
	buf_free(&done.ids);
	record_free(done.first);
	free(what);
	free(subject);
	return rc;
}
