/*
 * lists-compute.c — who is on which list now: the facts about every institution's filings and
 * orders read from the indexes (store_scan_fields over indexed fields decodes no record), the
 * newest manual decision of each (listing.form), then one pass over the institutions applying
 * the rules (lists-rules.c). At 100,000 institutions it is one scan of each form.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/lists.h"

#define PROGRESS_EVERY 4096

/* Sorted sets of ids, one per fact. */
struct id_set {
	char **ids;
	size_t n, cap;
};

static void
set_add(struct id_set *s, const char *id)
{
	if (s->n == s->cap) {
		s->cap = s->cap ? s->cap * 2 : 256;
		s->ids = xrealloc(s->ids, s->cap * sizeof *s->ids);
	}
	s->ids[s->n++] = xstrdup(id);
}

static int
by_string(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
set_sort(struct id_set *s)
{
	if (s->n > 1)
		qsort(s->ids, s->n, sizeof *s->ids, by_string);
}

static bool
set_has(const struct id_set *s, const char *id)
{
	return s->n > 0 && bsearch(&id, s->ids, s->n, sizeof *s->ids, by_string) != NULL;
}

static void
set_free(struct id_set *s)
{
	for (size_t i = 0; i < s->n; i++)
		free(s->ids[i]);
	free(s->ids);
}

/* A manual decision: the newest of an institution wins. */
struct decision {
	char *institution, *id, *reason;
	enum list_kind list;
};

struct compute {
	struct store *store;
	const struct list_rules *rules;
	struct id_set facts[FACT_COUNT];
	struct decision *decisions;
	size_t n_decisions;
	char today[11];
	struct list_membership *out;
	void (*progress)(void *arg, size_t done, size_t whole);
	void *arg;
	size_t done, whole;
};

static bool *
wanted_fields(const struct form *form, const char *const *names)
{
	bool *w = xcalloc(form->n_fields + 1, sizeof *w);

	for (size_t i = 0; names != NULL && i < form->n_fields; i++)
		for (size_t j = 0; names[j] != NULL; j++)
			if (str_eq(form->fields[i].name, names[j]))
				w[i] = true;
	return w;
}

static int
filing_seen(const struct record *rec, void *arg)
{
	struct compute *c = arg;
	const char *inst = record_get(rec, "institution");

	if (*inst != '\0' && str_eq(record_get(rec, "state"), "approved"))
		set_add(&c->facts[FACT_APPROVED_FILING], inst);
	return 0;
}

static int
order_seen(const struct record *rec, void *arg)
{
	struct compute *c = arg;
	const char *inst = record_get(rec, "institution"), *deadline = record_get(rec, "deadline");

	if (*inst == '\0' || list_rules_closed(c->rules, record_get(rec, "state")))
		return 0;
	set_add(&c->facts[FACT_OPEN_ORDER], inst);
	if (list_rules_serious(c->rules, record_get(rec, "check")))
		set_add(&c->facts[FACT_SERIOUS_ORDER], inst);
	if (*deadline != '\0' && strcmp(deadline, c->today) < 0)
		set_add(&c->facts[FACT_OVERDUE_ORDER], inst);
	return 0;
}

static int
decision_seen(const struct record *rec, void *arg)
{
	struct compute *c = arg;
	struct decision *d;

	c->decisions = xrealloc(c->decisions, (c->n_decisions + 1) * sizeof *c->decisions);
	d = &c->decisions[c->n_decisions++];
	d->institution = xstrdup(record_get(rec, "institution"));
	d->id = xstrdup(record_id(rec));
	d->reason = xstrdup(record_get(rec, "reason"));
	d->list = list_kind_parse(record_get(rec, "list"));
	return 0;
}

/* By institution, then by id: the last of an institution's run is its newest decision. */
static int
by_institution(const void *a, const void *b)
{
	const struct decision *x = a, *y = b;
	int cmp = strcmp(x->institution, y->institution);

	return cmp != 0 ? cmp : strcmp(x->id, y->id);
}

static const struct decision *
newest_decision(const struct compute *c, const char *inst)
{
	size_t lo = 0, hi = c->n_decisions;

	while (lo < hi) {	/* the first decision after inst's */
		size_t mid = (lo + hi) / 2;

		if (strcmp(c->decisions[mid].institution, inst) <= 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo > 0 && str_eq(c->decisions[lo - 1].institution, inst) ?
	    &c->decisions[lo - 1] : NULL;
}

/* fn over every record of form NAME with the named fields, when the form exists. */
static int
scan_form(struct compute *c, struct store_txn *txn, const char *name, const char *const *fields,
    int (*fn)(const struct record *, void *), struct error *err)
{
	const struct form *form = formset_find(store_forms(c->store), name);
	bool *wanted;
	int rc;

	if (form == NULL)
		return 0;
	wanted = wanted_fields(form, fields);
	if (fields == NULL)	/* every field */
		for (size_t i = 0; i < form->n_fields; i++)
			wanted[i] = true;
	rc = store_scan_fields(txn, form, wanted, fn, c, err);
	free(wanted);
	return rc;
}

static const char *
division_name(struct store *store, const char *code, enum division_level level)
{
	const struct division *d = *code != '\0' ? store_division_find(store, code, level, NULL) :
	    NULL;

	return d != NULL ? d->name : code;
}

static void
member_add(struct compute *c, const struct record *inst, enum list_kind list, char *reason)
{
	struct list_membership *m = c->out;
	struct list_member *x;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->members = xrealloc_big(m->members, m->n * sizeof *m->members,
		    m->cap * sizeof *m->members);
	}
	x = &m->members[m->n++];
	x->id = xstrdup(record_id(inst));
	x->name = xstrdup(record_get(inst, "name"));
	x->district = xstrdup(division_name(c->store, record_get(inst, "district"), DIV_DISTRICT));
	x->street = xstrdup(division_name(c->store, record_get(inst, "street"), DIV_STREET));
	x->district_code = xstrdup(record_get(inst, "district"));
	x->street_code = xstrdup(record_get(inst, "street"));
	x->list = list;
	x->reason = reason;
	if (list == LIST_WHITE)
		m->n_white++;
	else
		m->n_black++;
}

/* A decision keeps the institution off both lists (reason: the caller's). */
static void
off_add(struct list_membership *m, const char *id, char *reason)
{
	m->off = xrealloc(m->off, (m->n_off + 1) * sizeof *m->off);
	m->off[m->n_off].id = xstrdup(id);
	m->off[m->n_off++].reason = reason;
}

static int
institution_seen(const struct record *inst, void *arg)
{
	struct compute *c = arg;
	const struct decision *d = newest_decision(c, record_id(inst));
	const struct list_rule_words *words;
	bool facts[FACT_COUNT];
	enum list_kind list;

	for (int f = 0; f < FACT_COUNT; f++)
		facts[f] = set_has(&c->facts[f], record_id(inst));
	list = list_rules_apply(c->rules, inst, facts, &words);
	if (d != NULL && d->list != LIST_NONE)
		member_add(c, inst, d->list, xasprintf("决定 %s：%s", d->id, d->reason));
	else if (d != NULL)
		off_add(c->out, record_id(inst), xasprintf("决定 %s：%s", d->id, d->reason));
	else if (list != LIST_NONE)
		member_add(c, inst, list, xstrdup(words->zh));
	if (c->progress != NULL && ++c->done % PROGRESS_EVERY == 0)
		c->progress(c->arg, c->done, c->whole);
	return 0;
}

static void
compute_free(struct compute *c)
{
	for (int f = 0; f < FACT_COUNT; f++)
		set_free(&c->facts[f]);
	for (size_t i = 0; i < c->n_decisions; i++) {
		free(c->decisions[i].institution);
		free(c->decisions[i].id);
		free(c->decisions[i].reason);
	}
	free(c->decisions);
}

int
lists_compute(struct store *store, struct store_txn *txn, const struct list_rules *r,
    void (*progress)(void *arg, size_t done, size_t whole), void *arg,
    struct list_membership *out, struct error *err)
{
	static const char *const filing_fields[] = { "institution", "state", NULL };
	static const char *const order_fields[] = { "institution", "check", "state", "deadline",
	    NULL };
	static const char *const decision_fields[] = { "institution", "list", "reason", NULL };
	struct compute c = { .store = store, .rules = r, .out = out, .progress = progress,
	    .arg = arg };
	const struct form *inst = formset_find(store_forms(store), "institution");
	int rc;

	memset(out, 0, sizeof *out);
	out->computed = true;
	clock_format_date(clock_today(), c.today);
	rc = scan_form(&c, txn, "filing", filing_fields, filing_seen, err);
	if (rc == 0)
		rc = scan_form(&c, txn, "rectification", order_fields, order_seen, err);
	if (rc == 0)
		rc = scan_form(&c, txn, "listing", decision_fields, decision_seen, err);
	if (rc == 0 && inst != NULL)
		rc = store_count(txn, inst, &c.whole, err);
	for (int f = 0; f < FACT_COUNT; f++)
		set_sort(&c.facts[f]);
	if (c.n_decisions > 1)
		qsort(c.decisions, c.n_decisions, sizeof *c.decisions, by_institution);
	/* Every field a rule may name; "name" is not indexed, so the records are decoded once. */
	if (rc == 0)
		rc = scan_form(&c, txn, "institution", NULL, institution_seen, err);
	compute_free(&c);
	if (rc != 0)
		list_membership_free(out);
	return rc;
}

void
list_membership_free(struct list_membership *m)
{
	for (size_t i = 0; i < m->n; i++) {
		free(m->members[i].id);
		free(m->members[i].name);
		free(m->members[i].district);
		free(m->members[i].street);
		free(m->members[i].district_code);
		free(m->members[i].street_code);
		free(m->members[i].reason);
	}
	free(m->members);
	for (size_t i = 0; i < m->n_off; i++) {
		free(m->off[i].id);
		free(m->off[i].reason);
	}
	free(m->off);
	memset(m, 0, sizeof *m);
}
