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
#include "campaign/lists-orders.h"

#define PROGRESS_EVERY 4096

/* The facts of each institution that has any: open addressing, each id kept once with its
 * hash (a probe compares the hash before the id) and a bit per fact. */
struct fact_slot {
	char *id;		/* NULL where empty */
	uint32_t hash;
	unsigned facts;		/* 1 << enum list_fact */
};

struct fact_table {
	struct fact_slot *slots;	/* cap a power of 2 */
	size_t n, cap;
};

static uint32_t
id_hash(const char *id)
{
	uint64_t h = 1469598103934665603ULL;	/* FNV-1a */

	for (; *id != '\0'; id++)
		h = (h ^ (unsigned char)*id) * 1099511628211ULL;
	h ^= h >> 33;	/* the low bits, masked for a slot, from every byte */
	h *= 0xff51afd7ed558ccdULL;
	h ^= h >> 33;
	return (uint32_t)h;
}

/* The slot of id: where it is, or the empty one where it would go. */
static size_t
fact_slot(const struct fact_table *t, const char *id, uint32_t hash)
{
	size_t at = hash & (t->cap - 1);

	while (t->slots[at].id != NULL && !(t->slots[at].hash == hash &&
	    str_eq(t->slots[at].id, id)))
		at = (at + 1) & (t->cap - 1);
	return at;
}

static void
fact_add(struct fact_table *t, const char *id, enum list_fact fact)
{
	uint32_t hash = id_hash(id);
	size_t at;

	if (2 * (t->n + 1) > t->cap) {	/* at most half full */
		size_t cap = t->cap ? t->cap * 2 : 1024;
		struct fact_slot *slots = xcalloc(cap, sizeof *slots);

		for (size_t i = 0; i < t->cap; i++)
			if (t->slots[i].id != NULL) {
				size_t to = t->slots[i].hash & (cap - 1);

				while (slots[to].id != NULL)
					to = (to + 1) & (cap - 1);
				slots[to] = t->slots[i];
			}
		free(t->slots);
		t->slots = slots;
		t->cap = cap;
	}
	at = fact_slot(t, id, hash);
	if (t->slots[at].id == NULL) {
		t->slots[at] = (struct fact_slot){ xstrdup(id), hash, 0 };
		t->n++;
	}
	t->slots[at].facts |= 1u << fact;
}

/* The facts of id, one bit each. */
static unsigned
facts_of(const struct fact_table *t, const char *id)
{
	return t->n > 0 ? t->slots[fact_slot(t, id, id_hash(id))].facts : 0;
}

static void
facts_free(struct fact_table *t)
{
	for (size_t i = 0; i < t->cap; i++)
		free(t->slots[i].id);
	free(t->slots);
}

/* A manual decision: the newest of an institution wins. */
struct decision {
	char *institution, *id, *reason;
	enum list_kind list;
};

struct compute {
	struct store *store;
	const struct list_rules *rules;
	struct fact_table facts;	/* the filings' and orders' facts by institution */
	struct decision *decisions;
	size_t n_decisions;
	char today[11];
	struct list_membership *out;
	void (*progress)(void *arg, size_t done, size_t whole);
	void *arg;
	size_t done, whole;
	size_t at[4];		/* the scanned form's fields named by scan_form, by position */
};

/* The flags of the fields named, each found (by position) in c->at; a form lacking one is
 * refused. */
static int
wanted_fields(struct compute *c, const struct form *form, const char *const *names,
    bool **out, struct error *err)
{
	bool *w = xcalloc(form->n_fields + 1, sizeof *w);

	for (size_t j = 0; names[j] != NULL; j++) {
		int i = form_field_index(form, names[j]);

		if (i < 0) {
			free(w);
			return error_set(err, ST_FAILED, _("%s: the lists need field %s"), form->path,
			    names[j]);
		}
		w[i] = true;
		c->at[j] = (size_t)i;
	}
	*out = w;
	return 0;
}

static int
filing_seen(const struct record *rec, void *arg)
{
	struct compute *c = arg;
	const char *inst = rec->values[c->at[0]];

	if (*inst != '\0' && str_eq(rec->values[c->at[1]], "approved"))
		fact_add(&c->facts, inst, FACT_APPROVED_FILING);
	return 0;
}

static int
order_seen(const struct record *rec, void *arg)
{
	struct compute *c = arg;
	const char *inst = rec->values[c->at[0]], *deadline = rec->values[c->at[3]];

	if (*inst == '\0' || list_rules_closed(c->rules, rec->values[c->at[2]]))
		return 0;
	fact_add(&c->facts, inst, FACT_OPEN_ORDER);
	if (list_rules_serious(c->rules, rec->values[c->at[1]]))
		fact_add(&c->facts, inst, FACT_SERIOUS_ORDER);
	if (*deadline != '\0' && strcmp(deadline, c->today) < 0)
		fact_add(&c->facts, inst, FACT_OVERDUE_ORDER);
	return 0;
}

static void
order_fact(void *arg, enum list_fact fact, const char *inst)
{
	struct compute *c = arg;

	fact_add(&c->facts, inst, fact);
}

static int
decision_seen(const struct record *rec, void *arg)
{
	struct compute *c = arg;
	struct decision *d;

	c->decisions = xrealloc(c->decisions, (c->n_decisions + 1) * sizeof *c->decisions);
	d = &c->decisions[c->n_decisions++];
	d->institution = xstrdup(rec->values[c->at[0]]);
	d->id = xstrdup(record_id(rec));
	d->reason = xstrdup(rec->values[c->at[2]]);
	d->list = list_kind_parse(rec->values[c->at[1]]);
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
	if (wanted_fields(c, form, fields, &wanted, err) != 0)
		return -1;
	rc = store_scan_fields(txn, form, wanted, fn, c, err);
	free(wanted);
	return rc;
}

/* The orders' facts: from the indexes, only the open orders joined, when the form has them;
 * else from every order's fields. */
static int
scan_orders(struct compute *c, struct store_txn *txn, struct error *err)
{
	static const char *const order_fields[] = { "institution", "check", "state", "deadline",
	    NULL };
	const struct form *form = formset_find(store_forms(c->store), "rectification");

	if (form != NULL && lists_orders_indexed(form))
		return lists_order_facts(txn, form, c->rules, c->today, order_fact, c, err);
	return scan_form(c, txn, "rectification", order_fields, order_seen, err);
}

static const char *
division_name(struct store *store, const char *code, enum division_level level)
{
	const struct division *d = *code != '\0' ? store_division_find(store, code, level, NULL) :
	    NULL;

	return d != NULL ? d->name : code;
}

#define TEXT_BLOCK ((size_t)1 << 20)

/* A copy of len bytes of text and a NUL, kept in m's blocks until list_membership_free: the
 * 3.6 million texts of 500,000 members at 1,000,000 institutions without a malloc each. */
static char *
member_text(struct list_membership *m, const char *text, size_t len)
{
	return text_blocks_add(&m->texts, text, len);
}

static char *
member_str(struct list_membership *m, const char *text)
{
	return member_text(m, text, strlen(text));
}

/* A member with its id and district; its name and street come after (members_fill). */
static void
member_add(struct compute *c, const struct record *inst, enum list_kind list,
    const char *reason)
{
	struct list_membership *m = c->out;
	struct list_member *x;

	if (m->n == m->cap) {
		m->cap = m->cap ? m->cap * 2 : 1024;
		m->members = xrealloc_big(m->members, m->n * sizeof *m->members,
		    m->cap * sizeof *m->members);
	}
	x = &m->members[m->n++];
	memset(x, 0, sizeof *x);
	x->id = member_str(m, record_id(inst));
	x->district_code = member_str(m, inst->values[c->at[0]]);
	x->district = member_str(m, division_name(c->store, x->district_code, DIV_DISTRICT));
	x->list = list;
	x->reason = member_str(m, reason);
	if (list == LIST_WHITE)
		m->n_white++;
	else
		m->n_black++;
}

/* One member's name and street, as the store holds them. */
static void
member_fill(void *arg, size_t i, const char *const *v)
{
	struct compute *c = arg;
	struct list_membership *m = c->out;
	struct list_member *x = &m->members[i];

	x->name = member_str(m, v[0]);
	x->street_code = member_str(m, v[1]);
	x->street = member_str(m, division_name(c->store, x->street_code, DIV_STREET));
}

/* The members' names and streets, read from their records: only the members' records are
 * read, the rules having read the indexes, and of each only those two fields; the members come
 * in id order, so one cursor walks forward through the records' pages. */
static int
members_fill(struct compute *c, struct store_txn *txn, const struct form *form,
    struct error *err)
{
	int at[2] = { form_field_index(form, "name"), form_field_index(form, "street") };
	const char **ids;
	int rc;

	if (at[0] < 0 || at[1] < 0)
		return error_set(err, ST_FAILED, _("%s: the lists need fields name and street"),
		    form->path);
	ids = xcalloc(c->out->n + 1, sizeof *ids);
	for (size_t i = 0; i < c->out->n; i++)
		ids[i] = c->out->members[i].id;
	rc = store_get_values_many(txn, form, ids, c->out->n, at, 2, member_fill, c, err);
	free(ids);
	return rc;
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
	unsigned bits = facts_of(&c->facts, record_id(inst));
	bool facts[FACT_COUNT];
	enum list_kind list;

	for (int f = 0; f < FACT_COUNT; f++)
		facts[f] = (bits & (1u << f)) != 0;
	list = list_rules_apply(c->rules, inst, facts, &words);
	if (d != NULL && d->list != LIST_NONE) {
		char *why = xasprintf("决定 %s：%s", d->id, d->reason);

		member_add(c, inst, d->list, why);
		free(why);
	} else if (d != NULL)
		off_add(c->out, record_id(inst), xasprintf("决定 %s：%s", d->id, d->reason));
	else if (list != LIST_NONE)
		member_add(c, inst, list, words->zh);
	if (c->progress != NULL && ++c->done % PROGRESS_EVERY == 0)
		c->progress(c->arg, c->done, c->whole);
	return 0;
}

/* Every institution with the fields the rules read and its district: from the indexes alone
 * when those are indexed (forms/README.md, "List rules"). */
static int
scan_institutions(struct compute *c, struct store_txn *txn, const struct form *form,
    struct error *err)
{
	bool *wanted;
	int rc;

	if (wanted_fields(c, form, (const char *const[]){ "district", NULL }, &wanted, err) != 0)
		return -1;
	list_rules_fields(c->rules, wanted);
	rc = store_scan_fields(txn, form, wanted, institution_seen, c, err);
	free(wanted);
	return rc == 0 ? members_fill(c, txn, form, err) : rc;
}

static void
compute_free(struct compute *c)
{
	facts_free(&c->facts);
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
	static const char *const decision_fields[] = { "institution", "list", "reason", NULL };
	struct compute c = { .store = store, .rules = r, .out = out, .progress = progress,
	    .arg = arg };
	const struct form *inst = formset_find(store_forms(store), "institution");
	int rc;

	memset(out, 0, sizeof *out);
	out->computed = true;
	out->texts = (struct text_blocks)TEXT_BLOCKS_INIT(TEXT_BLOCK);
	clock_format_date(clock_today(), c.today);
	rc = scan_form(&c, txn, "filing", filing_fields, filing_seen, err);
	if (rc == 0)
		rc = scan_orders(&c, txn, err);
	if (rc == 0)
		rc = scan_form(&c, txn, "listing", decision_fields, decision_seen, err);
	if (rc == 0 && inst != NULL)
		rc = store_count(txn, inst, &c.whole, err);
	if (c.n_decisions > 1)
		qsort(c.decisions, c.n_decisions, sizeof *c.decisions, by_institution);
	if (rc == 0 && inst != NULL)
		rc = scan_institutions(&c, txn, inst, err);
	compute_free(&c);
	if (rc != 0)
		list_membership_free(out);
	return rc;
}

void
list_membership_free(struct list_membership *m)
{
	for (size_t i = 0; i < m->n && m->texts.v == NULL; i++) {
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
	text_blocks_free(&m->texts);
	memset(m, 0, sizeof *m);
}
