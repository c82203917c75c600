/*
 * credit-update.c — "huitou credit --update": every institution's effective tier (its
 * override, else the tier credit.rules computes) compared with the stored credit_tier, and
 * those that differ written in one store transaction and one audit commit (Action
 * credit.update; the counts in the subject, each change in the body). Only records that
 * change are read whole; the policy decides for each as for any write, a refusal stops all.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/credit.h"

struct update {
	struct buf body;		/* "JG-… B → C" a line */
	size_t changed;
	size_t to_tier[8];		/* changed records by their new tier, per option */
	const struct field *tier;
};

/* The effective tier of book's institution i: its override, else the computed one. */
static const char *
effective(const struct credit_book *book, size_t i)
{
	return *book->override[i] != '\0' ? book->override[i] : credit_book_tier(book, i);
}

static int
write_tier(struct store_txn *txn, const struct credit_book *book, size_t i,
    const char *tier, struct update *u, struct error *err)
{
	struct record *rec = NULL;
	int field = form_field_index(book->form, CREDIT_TIER_FIELD);
	int rc = store_get(txn, book->form, book->ids[i], &rec, err);

	if (rc == 0) {
		record_set_raw(rec, (size_t)field, tier);
		rc = store_update(txn, rec, err);
	}
	if (rc == 0) {
		buf_printf(&u->body, "%s %s → %s\n", book->ids[i],
		    *book->stored[i] != '\0' ? book->stored[i] : "-", tier);
		u->changed++;
		for (size_t k = 0; k < u->tier->n_options && k < 8; k++)
			if (str_eq(u->tier->options[k].value, tier))
				u->to_tier[k]++;
	}
	if (rc != 0 && err->message != NULL && strstr(err->message, book->ids[i]) == NULL)
		error_prefix(err, "%s: ", book->ids[i]);
	record_free(rec);
	return rc;
}

/* "信用等级更新 12 家：A 3、B 5、C 4" — how many changed, by the tier they now have. */
static char *
update_subject(const struct update *u)
{
	struct buf s = BUF_INIT;
	const char *sep = "：";

	buf_printf(&s, "信用等级更新 %zu 家", u->changed);
	for (size_t k = 0; k < u->tier->n_options && k < 8; k++)
		if (u->to_tier[k] > 0) {
			buf_printf(&s, "%s%s %zu", sep, u->tier->options[k].value, u->to_tier[k]);
			sep = "、";
		}
	return buf_detach(&s);
}

static int
commit_update(struct store_txn *txn, const struct credit_rules *r, struct update *u,
    struct error *err)
{
	char *subject = update_subject(u);
	int rc = store_txn_add_rules_file(txn, "forms/" CREDIT_RULES_FILE, credit_rules_text(r),
	    err);

	if (rc == 0) {
		store_txn_describe(txn, "credit.update", subject, buf_str(&u->body));
		rc = store_txn_commit(txn, err);
	} else {
		store_txn_abort(txn);
	}
	free(subject);
	return rc;
}

int
credit_update(struct store *store, const struct casework *cw, const struct credit_rules *r,
    const char *today, void (*progress)(void *arg, size_t done, size_t total), void *arg,
    size_t *changed, struct error *err)
{
	struct store_txn *txn = NULL;
	struct credit_book book;
	struct update u = { .body = BUF_INIT };
	int rc;

	*changed = 0;
	memset(&book, 0, sizeof book);
	rc = store_txn_begin(store, true, &txn, err);
	if (rc == 0)
		rc = credit_book_fill(store, txn, cw, r, today, &book, progress, arg, err);
	if (rc == 0 && (u.tier = form_field(book.form, CREDIT_TIER_FIELD)) == NULL)
		rc = error_set(err, ST_FAILED, _("form institution has no field credit_tier"));
	for (size_t i = 0; rc == 0 && i < book.n; i++) {
		const char *tier = effective(&book, i);

		if (!str_eq(tier, book.stored[i]))
			rc = write_tier(txn, &book, i, tier, &u, err);
	}
	if (rc == 0 && u.changed > 0)
		rc = commit_update(txn, r, &u, err);
	else if (txn != NULL)
		store_txn_abort(txn);
	if (rc == 0)
		*changed = u.changed;
	credit_book_free(&book);
	buf_free(&u.body);
	return rc;
}
