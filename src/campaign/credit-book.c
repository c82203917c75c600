/*
 * credit-book.c — the facts credit.rules weighs, read from the store: every institution's
 * orders and complaints in one pass over each form, from their indexes (no record decoded),
 * or one institution's through its references; and "credit --update", which writes the tiers
 * that changed in one transaction and one audit commit through the store's write path.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/credit.h"
#include "campaign/lists.h"

#define ORDER_FORM "rectification"
#define COMPLAINT_FORM "complaint"
#define PROGRESS_EVERY 20000

struct fill {
	struct credit_book *book;
	const struct machine *m;	/* the form's states, or NULL */
	const char *today;
	int inst, check, severity, verified_on, state;	/* field indexes, -1 if none */
	void (*progress)(void *arg, size_t done, size_t total);
	void *arg;
	size_t done, total;
};

static int
compare_id(const void *key, const void *elem)
{
	return strcmp(key, *(char *const *)elem);
}

/* The book's counts of the institution id, made when first needed; NULL: no such one. */
static uint32_t *
counts_of(struct credit_book *book, const char *id)
{
	char **at = bsearch(id, book->ids, book->n, sizeof *book->ids, compare_id);
	size_t i;

	if (at == NULL)
		return NULL;
	i = (size_t)(at - book->ids);
	if (book->counts[i] == NULL)
		book->counts[i] = xcalloc(credit_rules_count(book->rules) + 1, sizeof **book->counts);
	return book->counts[i];
}

static void
tick(struct fill *f)
{
	if (f->progress != NULL && ++f->done % PROGRESS_EVERY == 0)
		f->progress(f->arg, f->done, f->total);
}

static const char *
value_at(const struct record *rec, int field)
{
	return field >= 0 ? rec->values[field] : "";
}

/* An order counts its finding and how it stands: closed on time or late, overdue or open. */
static void
note_order(const struct credit_rules *r, const struct machine *m, const char *today,
    const struct record *rec, int check, int severity, int verified_on, uint32_t *counts)
{
	const struct machine_state *s = m != NULL ? machine_state(m, rec->values[m->field]) : NULL;
	const char *deadline = m != NULL ? value_at(rec, m->deadline_field) : "";
	const char *done_on = value_at(rec, verified_on);

	credit_note_finding(r, counts, value_at(rec, check), value_at(rec, severity));
	if (s != NULL && s->final)
		credit_note_order(r, counts, *done_on != '\0' && *deadline != '\0' &&
		    strcmp(done_on, deadline) > 0 ? CREDIT_ORDER_LATE : CREDIT_ORDER_ON_TIME);
	else if (m != NULL && machine_overdue(m, rec, today))
		credit_note_order(r, counts, CREDIT_ORDER_OVERDUE);
	else
		credit_note_order(r, counts, CREDIT_ORDER_OPEN);
}

static int
fill_order(const struct record *rec, void *arg)
{
	struct fill *f = arg;
	uint32_t *counts = counts_of(f->book, rec->values[f->inst]);

	if (counts != NULL)
		note_order(f->book->rules, f->m, f->today, rec, f->check, f->severity,
		    f->verified_on, counts);
	tick(f);
	return 0;
}

static int
fill_complaint(const struct record *rec, void *arg)
{
	struct fill *f = arg;
	uint32_t *counts = counts_of(f->book, rec->values[f->inst]);

	if (counts != NULL)
		credit_note_complaint(f->book->rules, counts, value_at(rec, f->state));
	tick(f);
	return 0;
}

static int
fill_institution(const struct record *rec, void *arg)
{
	struct fill *f = arg;
	struct credit_book *book = f->book;
	char **at = bsearch(record_id(rec), book->ids, book->n, sizeof *book->ids, compare_id);
	size_t i;

	if (at == NULL)
		return 0;
	i = (size_t)(at - book->ids);
	book->stored[i] = xstrdup(record_get(rec, CREDIT_TIER_FIELD));
	book->override[i] = xstrdup(record_get(rec, CREDIT_OVERRIDE_FIELD));
	book->list[i] = xstrdup(record_get(rec, "list"));
	if (*book->list[i] != '\0')
		credit_note_list(book->rules, counts_of(book, record_id(rec)), book->list[i]);
	tick(f);
	return 0;
}

/* Scans form with the named fields wanted (NULL-ended), calling fn. A missing form: nothing. */
static int
scan(struct store_txn *txn, const struct form *form, const int *fields, size_t n_fields,
    int (*fn)(const struct record *, void *), struct fill *f, struct error *err)
{
	bool *wanted;
	size_t count = 0;
	int rc;

	if (form == NULL)
		return 0;
	if (store_count(txn, form, &count, err) != 0)
		return -1;
	f->total += count;
	wanted = xcalloc(form->n_fields, sizeof *wanted);
	for (size_t i = 0; i < n_fields; i++)
		if (fields[i] >= 0)
			wanted[fields[i]] = true;
	rc = store_scan_fields(txn, form, wanted, fn, f, err);
	free(wanted);
	return rc;
}

static int
fill_orders(struct store *store, struct store_txn *txn, const struct casework *cw, struct fill *f,
    struct error *err)
{
	const struct form *form = formset_find(store_forms(store), ORDER_FORM);
	int fields[6];

	if (form == NULL)
		return 0;
	f->m = casework_machine(cw, form);
	f->inst = form_field_index(form, CREDIT_INSTITUTION_FORM);
	f->check = form_field_index(form, "check");
	f->severity = form_field_index(form, "severity");
	f->verified_on = form_field_index(form, "verified_on");
	fields[0] = f->inst;
	fields[1] = f->check;
	fields[2] = f->severity;
	fields[3] = f->verified_on;
	fields[4] = f->m != NULL ? (int)f->m->field : -1;
	fields[5] = f->m != NULL ? f->m->deadline_field : -1;
	if (f->inst < 0)
		return 0;
	return scan(txn, form, fields, 6, fill_order, f, err);
}

static int
fill_complaints(struct store *store, struct store_txn *txn, struct fill *f, struct error *err)
{
	const struct form *form = formset_find(store_forms(store), COMPLAINT_FORM);
	int fields[2];

	if (form == NULL)
		return 0;
	f->inst = fields[0] = form_field_index(form, CREDIT_INSTITUTION_FORM);
	f->state = fields[1] = form_field_index(form, "state");
	if (f->inst < 0)
		return 0;
	return scan(txn, form, fields, 2, fill_complaint, f, err);
}

/* Each month's published lists, for every institution on them: one more published month on
 * that list, and the latest publication's list. */
static int
fill_history(struct store *store, struct store_txn *txn, struct credit_book *book,
    struct error *err)
{
	struct list_history h;

	if (!credit_rules_weigh_history(book->rules))
		return 0;
	if (lists_history_read(store, txn, &h, err) != 0)
		return -1;
	for (size_t i = 0; i < h.n; i++)
		for (size_t j = 0; j < h.lists[i].n; j++) {
			const struct list_member *m = &h.lists[i].members[j];
			uint32_t *counts = counts_of(book, m->id);

			if (counts == NULL)
				continue;
			credit_note_published(book->rules, counts, list_kind_value(m->list), false);
			if (i + 1 == h.n)
				credit_note_published(book->rules, counts, list_kind_value(m->list), true);
		}
	lists_history_free(&h);
	return 0;
}

int
credit_book_fill(struct store *store, struct store_txn *txn, const struct casework *cw,
    const struct credit_rules *r, const char *today, struct credit_book *book,
    void (*progress)(void *arg, size_t done, size_t total), void *arg, struct error *err)
{
	const struct formset *forms = store_forms(store);
	struct fill f = { .book = book, .today = today, .progress = progress, .arg = arg };
	const struct form *inst = formset_find(forms, CREDIT_INSTITUTION_FORM);
	int fields[3];

	memset(book, 0, sizeof *book);
	book->rules = r;
	book->form = inst;
	if (inst == NULL)
		return error_set(err, ST_FAILED, _("there is no form institution"));
	if (store_list_ids(txn, inst, &book->ids, &book->n, err) != 0)
		return -1;
	book->counts = xcalloc(book->n + 1, sizeof *book->counts);
	book->stored = xcalloc(book->n + 1, sizeof *book->stored);
	book->override = xcalloc(book->n + 1, sizeof *book->override);
	book->list = xcalloc(book->n + 1, sizeof *book->list);
	fields[0] = form_field_index(inst, CREDIT_TIER_FIELD);
	fields[1] = form_field_index(inst, CREDIT_OVERRIDE_FIELD);
	fields[2] = form_field_index(inst, "list");
	if (scan(txn, inst, fields, 3, fill_institution, &f, err) != 0 ||
	    fill_orders(store, txn, cw, &f, err) != 0 || fill_complaints(store, txn, &f, err) != 0 ||
	    fill_history(store, txn, book, err) != 0)
		return -1;
	if (progress != NULL)
		progress(arg, f.total, f.total);
	return 0;
}

void
credit_book_free(struct credit_book *book)
{
	for (size_t i = 0; i < book->n; i++) {
		free(book->counts[i]);
		free(book->stored[i]);
		free(book->override[i]);
		free(book->list[i]);
	}
	free(book->counts);
	free(book->stored);
	free(book->override);
	free(book->list);
	strv_free(book->ids);
	memset(book, 0, sizeof *book);
}

const char *
credit_book_tier(const struct credit_book *book, size_t i)
{
	return credit_tier_of(book->rules, credit_score(book->rules, book->counts[i]));
}

struct each_ids {
	char **ids;
	size_t n;
};

static void
collect_id(void *arg, const char *id, size_t len)
{
	struct each_ids *e = arg;

	e->ids = xrealloc(e->ids, (e->n + 2) * sizeof *e->ids);
	e->ids[e->n++] = xstrndup(id, len);
	e->ids[e->n] = NULL;
}

/* Each record of form whose field institution names id, read whole, passed to fn. */
static int
each_about(struct store_txn *txn, const struct form *form, const char *id,
    int (*fn)(const struct record *, void *), struct fill *f, struct error *err)
{
	struct each_ids e = { NULL, 0 };
	int rc = 0;

	if (form == NULL || form_field(form, CREDIT_INSTITUTION_FORM) == NULL)
		return 0;
	if (store_each_by(txn, form, CREDIT_INSTITUTION_FORM, id, collect_id, &e, err) != 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < e.n; i++) {
		struct record *rec = NULL;

		rc = store_get(txn, form, e.ids[i], &rec, err);
		if (rc == 0)
			rc = fn(rec, f);
		record_free(rec);
	}
	strv_free(e.ids);
	return rc;
}

/* One institution's months on the published lists, each named in the explanation. */
static int
facts_history(struct store *store, struct store_txn *txn, const struct credit_rules *r,
    const char *id, struct credit_facts *facts, struct error *err)
{
	struct list_history h;

	if (!credit_rules_weigh_history(r))
		return 0;
	if (lists_history_read(store, txn, &h, err) != 0)
		return -1;
	for (size_t i = 0; i < h.n; i++) {
		enum list_kind k = lists_history_on(&h, i, id);

		if (k == LIST_NONE)
			continue;
		credit_facts_name_month(r, facts, credit_note_published(r, facts->counts,
		    list_kind_value(k), false), h.months[i]);
		if (i + 1 == h.n)
			credit_facts_name_month(r, facts, credit_note_published(r, facts->counts,
			    list_kind_value(k), true), h.names[i]);
	}
	lists_history_free(&h);
	return 0;
}

int
credit_facts_of(struct store *store, struct store_txn *txn, const struct casework *cw,
    const struct credit_rules *r, const char *today, const struct record *inst,
    struct credit_facts *facts, struct error *err)
{
	uint32_t *counts = facts->counts;
	const struct formset *forms = store_forms(store);
	const struct form *orders = formset_find(forms, ORDER_FORM);
	const struct form *complaints = formset_find(forms, COMPLAINT_FORM);
	char *ids[2] = { (char *)record_id(inst), NULL };
	struct credit_book one = { .rules = r, .ids = ids, .n = 1, .counts = &counts };
	struct fill f = { .book = &one, .today = today };

	credit_note_list(r, counts, record_get(inst, "list"));
	if (orders != NULL) {
		f.m = casework_machine(cw, orders);
		f.inst = form_field_index(orders, CREDIT_INSTITUTION_FORM);
		f.check = form_field_index(orders, "check");
		f.severity = form_field_index(orders, "severity");
		f.verified_on = form_field_index(orders, "verified_on");
		if (each_about(txn, orders, ids[0], fill_order, &f, err) != 0)
			return -1;
	}
	if (complaints != NULL) {
		f.inst = form_field_index(complaints, CREDIT_INSTITUTION_FORM);
		f.state = form_field_index(complaints, "state");
		if (each_about(txn, complaints, ids[0], fill_complaint, &f, err) != 0)
			return -1;
	}
	return facts_history(store, txn, r, ids[0], facts, err);
}
