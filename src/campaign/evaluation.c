/*
 * evaluation.c — counts the measures of the districts' evaluation over a period: the
 * institutions (one pass over them: district, status, platform entry), the period's closed
 * inspections (from their tally, else the state's date index and the indexes of their
 * district, failed checks and institution: evaluation-indexed.c; else those records are
 * read), the institutions each district inspected (evaluation-covered.c), the orders (district,
 * state and deadline from the orders' tally, else their indexes: no order is decoded), the
 * complaints and the publications. Fields are found by name once per pass, not per record.
 * What each number means is in forms/README.md ("evaluation.rules").
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "campaign/campaign.h"
#include "campaign/casework.h"
#include "campaign/evaluation.h"

#define INSTITUTION_FORM "institution"
#define INSPECTION_FORM "inspection"
#define ORDER_FORM "rectification"
#define COMPLAINT_FORM "complaint"
#define PUBLICATION_FORM "publication"

struct count {
	struct evaluation *ev;
	const struct eval_rules *rules;
	const struct form *form;
	int f_district, f_a, f_b, f_c;	/* the fields a pass reads */
	char **ids;			/* collected by a walk */
	size_t n_ids;
	char **months;			/* the months published on time so far */
	double **days;			/* per district: response days */
	size_t *n_days;
	size_t weight;			/* the records a tally's combination stands for */
};

long
eval_days_between(const char *a, const char *b)
{
	struct tm ta = { 0 }, tb = { 0 };
	int y, m, d;

	if (sscanf(a, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	ta.tm_year = y - 1900, ta.tm_mon = m - 1, ta.tm_mday = d, ta.tm_hour = 12;
	if (sscanf(b, "%4d-%2d-%2d", &y, &m, &d) != 3)
		return 0;
	tb.tm_year = y - 1900, tb.tm_mon = m - 1, tb.tm_mday = d, tb.tm_hour = 12;
	return (long)((timegm(&tb) - timegm(&ta)) / 86400);
}

struct eval_district *
eval_district_of(struct evaluation *ev, const char *code)
{
	if (ev->hint < ev->n && str_eq(ev->d[ev->hint].code, code))
		return &ev->d[ev->hint];
	for (size_t i = 0; i < ev->n; i++)
		if (str_eq(ev->d[i].code, code)) {
			ev->hint = i;
			return &ev->d[i];
		}
	return NULL;
}

static bool
in_period(const struct evaluation *ev, const char *date)
{
	return *date != '\0' && strcmp(date, ev->from) >= 0 && strcmp(date, ev->to) <= 0;
}

bool
eval_excluded(const struct eval_rules *r, const char *status)
{
	for (size_t i = 0; r->exclude != NULL && r->exclude[i] != NULL; i++)
		if (str_eq(r->exclude[i], status))
			return true;
	return false;
}

/* Whether value is a final state of form's states file. */
static bool
final_state(const struct casework *cw, const struct form *form, const char *value)
{
	const struct machine *m = casework_machine(cw, form);
	const struct machine_state *s = m != NULL ? machine_state(m, value) : NULL;

	return s != NULL && s->final;
}

static int
count_institution(const struct record *rec, void *arg)
{
	struct count *c = arg;
	struct eval_district *d = eval_district_of(c->ev, rec->values[c->f_district]);
	if (d == NULL || eval_excluded(c->rules, rec->values[c->f_a]))
		return 0;
	d->institutions += c->weight;
	if (str_eq(rec->values[c->f_b], "yes"))
		d->platform_yes += c->weight;
	return 0;
}

static int
count_institutions(struct store_txn *txn, const struct formset *forms, struct count *c,
    struct error *err)
{
	const struct form *form = formset_find(forms, INSTITUTION_FORM);
	bool *wanted;
	int rc;

	if (form == NULL || (c->f_district = form_field_index(form, "district")) < 0 ||
	    (c->f_a = form_field_index(form, "status")) < 0 ||
	    (c->f_b = form_field_index(form, "platform_entered")) < 0)
		return error_set(err, ST_FAILED, _("the evaluation needs form %s with the fields "
		    "district, status and platform_entered"), INSTITUTION_FORM);
	wanted = xcalloc(form->n_fields, sizeof *wanted);
	wanted[c->f_district] = wanted[c->f_a] = wanted[c->f_b] = true;
	rc = scan_counted(txn, form, wanted, count_institution, c, &c->weight, err);	/* tally */
	free(wanted);
	return rc;
}

/* The period's inspections in a final state, from the state's index by date. */
static int
collect_inspection(void *arg, const char *value, size_t vlen, const char *id, size_t idlen)
{
	struct count *c = arg;
	char date[11];

	if (vlen != 10)
		return 0;
	memcpy(date, value, 10);
	date[10] = '\0';
	if (strcmp(date, c->ev->to) > 0)
		return 1;	/* past the period: done */
	if ((c->n_ids & 1023) == 0)	/* room for 1,024 more and the NULL */
		c->ids = xrealloc(c->ids, (c->n_ids + 1025) * sizeof *c->ids);
	c->ids[c->n_ids++] = xstrndup(id, idlen);
	c->ids[c->n_ids] = NULL;
	return 0;
}

/* An inspection read, kept until the period's are sorted by institution and added to
 * covered, an institution's together. */
struct inspected {
	const char *institution;	/* its record's */
	size_t district;
	struct record *rec;
};

static int
cmp_inspected(const void *a, const void *b)
{
	const struct inspected *x = a, *y = b;

	return strcmp(x->institution, y->institution);
}

/* The inspection's findings into its district, and it into seen (*n) when it has one. */
static void
count_inspection(struct evaluation *ev, struct record *rec, const int *at,
    struct inspected *seen, size_t *n)
{
	struct eval_district *d = eval_district_of(ev, rec->values[at[0]]);

	if (d == NULL) {
		record_free(rec);
		return;
	}
	d->inspections++;
	for (size_t k = 0; k < ev->n_checks; k++)
		if (str_eq(rec->values[at[2 + k]], "fail")) {
			d->findings++;
			d->by_check[k]++;
		}
	seen[(*n)++] = (struct inspected){ rec->values[at[1]], (size_t)(d - ev->d), rec };
}

/* The period's inspections read one by one (a form that indexes neither its checks nor keeps
 * their tally). */
static int
count_inspections_records(struct store_txn *txn, const struct form *form, struct count *c,
    const int *at, struct eval_covered *covered, struct error *err)
{
	struct inspected *seen = xcalloc(c->n_ids + 1, sizeof *seen);
	size_t n = 0;
	int rc = 0;

	for (size_t k = 0; rc == 0 && k < c->n_ids; k++) {
		struct record *rec = NULL;

		if ((rc = store_get(txn, form, c->ids[k], &rec, err)) == 0)
			count_inspection(c->ev, rec, at, seen, &n);
	}
	qsort(seen, n, sizeof *seen, cmp_inspected);
	for (size_t k = 0; k < n; k++) {
		eval_covered_add(covered, seen[k].district, seen[k].institution,
		    strlen(seen[k].institution));
		record_free(seen[k].rec);
	}
	free(seen);
	return rc;
}

/* The period's inspections in a final state, read from the state's index by date and then
 * from the indexes of their fields (evaluation-indexed.c), else record by record. */
static int
count_inspections_read(struct store_txn *txn, const struct form *form,
    const struct machine *m, struct count *c, struct eval_covered *covered,
    struct error *err)
{
	int *at = xcalloc(c->ev->n_checks + 2, sizeof *at), rc = 0;

	at[0] = form_field_index(form, "district");
	at[1] = form_field_index(form, "institution");
	for (size_t k = 0; k < c->ev->n_checks; k++)
		at[2 + k] = form_field_index(form, c->ev->checks[k]);
	for (size_t s = 0; rc == 0 && s < m->n_states; s++)
		if (m->states[s].final)
			rc = store_walk_pair(txn, form, form->fields[m->field].name,
			    m->states[s].value, c->ev->from, NULL, collect_inspection, c, err);
	if (rc == 1)
		rc = 0;
	if (rc == 0 && eval_inspections_indexable(form, c->ev))
		rc = eval_inspections_indexed(txn, form, c->ev, c->ids, c->n_ids, covered, err);
	else if (rc == 0)
		rc = count_inspections_records(txn, form, c, at, covered, err);
	free(at);
	return rc;
}

static int
count_inspections(struct store_txn *txn, const struct formset *forms,
    const struct casework *cw, struct count *c, struct error *err)
{
	const struct form *form = formset_find(forms, INSPECTION_FORM);
	const struct machine *m = form != NULL ? casework_machine(cw, form) : NULL;
	struct eval_covered covered;
	int rc;

	if (form == NULL || m == NULL || form_field_index(form, "district") < 0 ||
	    form_field_index(form, "institution") < 0)
		return error_set(err, ST_FAILED, _("the evaluation needs form %s with its states "
		    "file and the fields institution and district"), INSPECTION_FORM);
	if (eval_covered_init(&covered, txn, formset_find(forms, INSTITUTION_FORM), c->ev,
	    c->rules, err) != 0)
		return -1;
	rc = eval_inspections_from_tally(txn, form, m, c->ev, &covered, err);
	if (rc == 1)	/* no tally to count from */
		rc = count_inspections_read(txn, form, m, c, &covered, err);
	eval_covered_free(&covered);
	return rc;
}

static int
count_order(const struct record *rec, void *arg)
{
	struct count *c = arg;
	struct eval_district *d = eval_district_of(c->ev, rec->values[c->f_district]);
	const char *deadline = rec->values[c->f_b];

	if (d == NULL || !in_period(c->ev, deadline))
		return 0;
	d->due += c->weight;
	for (size_t i = 0; i < c->ev->n_closed; i++)
		if (str_eq(rec->values[c->f_a], c->ev->closed_states[i])) {
			d->closed += c->weight;
			return 0;
		}
	if (strcmp(deadline, c->ev->today) < 0)
		d->overdue += c->weight;
	return 0;
}

/* Orders due in the period: district, state and deadline from the form's tally (a few
 * thousand combinations), else from the indexes (every order's entries, none decoded). */
static int
count_orders(struct store_txn *txn, const struct formset *forms, const struct casework *cw,
    struct count *c, struct error *err)
{
	const struct form *form = formset_find(forms, ORDER_FORM);
	const struct machine *m = form != NULL ? casework_machine(cw, form) : NULL;
	bool *wanted;
	int rc;

	if (form == NULL || m == NULL || m->deadline_field < 0 ||
	    (c->f_district = form_field_index(form, "district")) < 0)
		return error_set(err, ST_FAILED, _("the evaluation needs form %s with its states "
		    "file, a deadline and a district"), ORDER_FORM);
	c->f_a = (int)m->field;
	c->f_b = m->deadline_field;
	for (size_t s = 0; s < m->n_states; s++)
		if (m->states[s].final && c->ev->n_closed < sizeof c->ev->closed_states /
		    sizeof c->ev->closed_states[0])
			c->ev->closed_states[c->ev->n_closed++] = m->states[s].value;
	wanted = xcalloc(form->n_fields, sizeof *wanted);
	wanted[c->f_district] = wanted[c->f_a] = wanted[c->f_b] = true;
	rc = scan_counted(txn, form, wanted, count_order, c, &c->weight, err);
	free(wanted);
	return rc;
}

struct complaint_pass {
	struct count *c;
	const struct casework *cw;
	int f_district, f_received, f_replied, f_deadline, f_state;	/* 0: no such field */
	bool tallied;		/* from the form's tally: no id, c->weight records a call */
	size_t only;		/* eval_late_ids: the one district whose late ids are wanted */
};

/* The complaint fields the evaluation reads, all in the form's tally: then it counts the
 * tally's combinations, not the records. */
static const char *const complaint_fields[] = {
	"district", "received", "replied_on", "deadline", "state",
};
#define N_COMPLAINT_FIELDS (sizeof complaint_fields / sizeof complaint_fields[0])

static bool
complaint_tallied(const struct form *form)
{
	for (size_t i = 0; i < N_COMPLAINT_FIELDS; i++)
		if (form_tally_index(form, complaint_fields[i]) < 0 ||
		    form_field_index(form, complaint_fields[i]) <= 0)
			return false;
	return true;
}

/* Field i of rec, "" when the form has no such field (i 0). */
static const char *
value_at(const struct record *rec, int i)
{
	return i > 0 ? rec->values[i] : "";
}

static void
add_late(struct eval_district *d, const char *id)
{
	size_t n = 0;

	while (d->late_ids != NULL && d->late_ids[n] != NULL)
		n++;
	d->late_ids = xrealloc(d->late_ids, (n + 2) * sizeof *d->late_ids);
	d->late_ids[n] = xstrdup(id);
	d->late_ids[n + 1] = NULL;
	d->late++;
}

/* Whether a complaint received in the period is late: replied after its deadline, or past
 * it unreplied and not closed. */
static bool
complaint_late(const struct complaint_pass *p, const struct record *rec)
{
	const char *replied = value_at(rec, p->f_replied), *deadline = value_at(rec,
	    p->f_deadline);

	if (*deadline == '\0')
		return false;
	if (*replied != '\0')
		return strcmp(replied, deadline) > 0;
	return strcmp(deadline, p->c->ev->today) < 0 &&
	    !final_state(p->cw, rec->form, value_at(rec, p->f_state));
}

/* A complaint received in the period (or a tally's combination: c->weight of them): replied
 * (and in how many days), or late; the late ones' ids kept when read from the records. */
static int
count_complaint(const struct record *rec, void *arg)
{
	struct complaint_pass *p = arg;
	struct count *c = p->c;
	struct eval_district *d = eval_district_of(c->ev, value_at(rec, p->f_district));
	const char *replied = value_at(rec, p->f_replied), *received = value_at(rec,
	    p->f_received);
	size_t i, w = p->tallied ? c->weight : 1;

	if (d == NULL || !in_period(c->ev, received))
		return 0;
	i = (size_t)(d - c->ev->d);
	d->received += w;
	if (*replied != '\0') {
		double days = (double)eval_days_between(received, replied);

		d->replied += w;
		c->days[i] = xrealloc(c->days[i], (c->n_days[i] + w) * sizeof *c->days[i]);
		for (size_t k = 0; k < w; k++)
			c->days[i][c->n_days[i]++] = days;
	}
	if (!complaint_late(p, rec))
		return 0;
	if (p->tallied)
		d->late += w;	/* the ids: eval_late_ids, on drill-down */
	else
		add_late(d, record_id(rec));
	return 0;
}

static int
cmp_double(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;

	return x < y ? -1 : x > y;
}

static double
median(double *v, size_t n)
{
	qsort(v, n, sizeof *v, cmp_double);
	return n % 2 == 1 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

static void
complaint_pass_init(struct complaint_pass *p, const struct form *form)
{
	p->f_district = form_field_index(form, "district");
	p->f_received = form_field_index(form, "received");
	p->f_replied = form_field_index(form, "replied_on");
	p->f_deadline = form_field_index(form, "deadline");
	p->f_state = form_field_index(form, "state");
}

/* The complaints from the form's tally when it holds the fields read (some thousands of
 * combinations, the late ones' ids left to eval_late_ids), else every one read. No form:
 * nothing to count. */
static int
count_complaints(struct store_txn *txn, const struct formset *forms,
    const struct casework *cw, struct count *c, struct error *err)
{
	const struct form *form = formset_find(forms, COMPLAINT_FORM);
	struct complaint_pass p = { .c = c, .cw = cw };
	int rc;

	if (form == NULL)
		return 0;
	complaint_pass_init(&p, form);
	p.tallied = complaint_tallied(form);
	c->days = xcalloc(c->ev->n + 1, sizeof *c->days);
	c->n_days = xcalloc(c->ev->n + 1, sizeof *c->n_days);
	if (p.tallied) {
		bool *wanted = xcalloc(form->n_fields, sizeof *wanted);

		for (size_t i = 0; i < N_COMPLAINT_FIELDS; i++)
			wanted[form_field_index(form, complaint_fields[i])] = true;
		rc = scan_counted(txn, form, wanted, count_complaint, &p, &c->weight, err);
		free(wanted);
	} else {
		rc = store_foreach(txn, form, count_complaint, &p, err);
	}
	for (size_t i = 0; i < c->ev->n; i++) {
		if (c->n_days[i] > 0)
			c->ev->d[i].response_days = median(c->days[i], c->n_days[i]);
		free(c->days[i]);
	}
	free(c->days);
	free(c->n_days);
	return rc;
}

/* A complaint of district p->only: its id kept when it is late (eval_late_ids). */
static int
note_late(const struct record *rec, void *arg)
{
	struct complaint_pass *p = arg;
	struct eval_district *d = &p->c->ev->d[p->only];
	size_t late = d->late;

	if (str_eq(value_at(rec, p->f_district), d->code) &&
	    in_period(p->c->ev, value_at(rec, p->f_received)) && complaint_late(p, rec)) {
		add_late(d, record_id(rec));
		d->late = late;	/* counted already */
	}
	return 0;
}

int
eval_late_ids(struct store_txn *txn, const struct formset *forms, const struct casework *cw,
    struct evaluation *ev, size_t i, struct error *err)
{
	const struct form *form = formset_find(forms, COMPLAINT_FORM);
	struct count c = { .ev = ev };
	struct complaint_pass p = { .c = &c, .cw = cw, .only = i };
	const struct field *f;
	char **ids = NULL;
	size_t n = 0;
	int rc = 0;

	if (form == NULL || i >= ev->n || ev->d[i].late == 0 || ev->d[i].late_ids != NULL)
		return 0;
	complaint_pass_init(&p, form);
	if ((f = form_field(form, "district")) == NULL || !f->indexed)
		return store_foreach(txn, form, note_late, &p, err);
	rc = store_find_by(txn, form, "district", ev->d[i].code, &ids, &n, err);
	for (size_t k = 0; rc == 0 && k < n; k++) {
		struct record *rec = NULL;

		if ((rc = store_get(txn, form, ids[k], &rec, err)) == 0)
			rc = note_late(rec, &p);
		record_free(rec);
	}
	strv_free(ids);
	return rc;
}

/* The publication of a month (not a correction) made by its due day; kept in ev. */
static int
count_publication(const struct record *rec, void *arg)
{
	struct count *c = arg;
	struct evaluation *ev = c->ev;
	const char *month = record_get(rec, "month"), *on = record_get(rec, "published_on");
	char due[16];
	size_t n = 0;

	if (strlen(month) != 7 || *on == '\0' || *record_get(rec, "corrects") != '\0')
		return 0;
	snprintf(due, sizeof due, "%s-%02d", month, c->rules->publish_by);
	if (!in_period(ev, due) || strcmp(due, ev->today) > 0 || strcmp(on, due) > 0)
		return 0;
	while (c->months != NULL && c->months[n] != NULL)
		if (str_eq(c->months[n++], month))
			return 0;	/* one a month */
	c->months = xrealloc(c->months, (n + 2) * sizeof *c->months);
	c->months[n] = xstrdup(month);
	c->months[n + 1] = NULL;
	ev->publication_ids = xrealloc(ev->publication_ids, (n + 2) * sizeof *ev->publication_ids);
	ev->publication_ids[n] = xstrdup(record_id(rec));
	ev->publication_ids[n + 1] = NULL;
	ev->months_on_time++;
	return 0;
}

/* The months of the period whose lists fell due in it, by today. */
static size_t
months_due(const struct evaluation *ev, int day)
{
	int y, m, ty, tm;
	size_t n = 0;
	char due[16];

	if (sscanf(ev->from, "%4d-%2d", &y, &m) != 2 || sscanf(ev->to, "%4d-%2d", &ty, &tm) != 2)
		return 0;
	for (; y < ty || (y == ty && m <= tm); m = m == 12 ? 1 : m + 1, y += m == 1) {
		snprintf(due, sizeof due, "%04d-%02d-%02d", y % 10000, m % 100, day % 100);
		if (in_period(ev, due) && strcmp(due, ev->today) <= 0)
			n++;
	}
	return n;
}

static int
count_publications(struct store_txn *txn, const struct formset *forms, struct count *c,
    struct error *err)
{
	const struct form *form = formset_find(forms, PUBLICATION_FORM);

	if (form == NULL || form_field(form, "month") == NULL ||
	    form_field(form, "published_on") == NULL || form_field(form, "corrects") == NULL)
		return 0;	/* no lists published here: not applicable */
	c->ev->publication_known = true;
	c->ev->months_due = months_due(c->ev, c->rules->publish_by);
	return store_foreach(txn, form, count_publication, c, err);
}

/* The check items: the options of the orders' check that are fields of the inspections. */
static void
find_checks(struct evaluation *ev, const struct formset *forms)
{
	const struct form *orders = formset_find(forms, ORDER_FORM);
	const struct form *insp = formset_find(forms, INSPECTION_FORM);
	const struct field *check = orders != NULL ? form_field(orders, "check") : NULL;

	if (check == NULL || insp == NULL)
		return;
	ev->checks = xcalloc(check->n_options + 1, sizeof *ev->checks);
	ev->check_labels = xcalloc(check->n_options + 1, sizeof *ev->check_labels);
	for (size_t i = 0; i < check->n_options; i++)
		if (form_field(insp, check->options[i].value) != NULL) {
			ev->checks[ev->n_checks] = check->options[i].value;
			ev->check_labels[ev->n_checks++] = lang_pick(check->options[i].label_zh,
			    check->options[i].label_en);
		}
}

static void
evaluation_init(struct evaluation *ev, struct store *store, const char *from, const char *to)
{
	memset(ev, 0, sizeof *ev);
	snprintf(ev->from, sizeof ev->from, "%s", from);
	snprintf(ev->to, sizeof ev->to, "%s", to);
	clock_format_date(clock_today(), ev->today);
	find_checks(ev, store_forms(store));
	ev->n = store_division_count(store, DIV_DISTRICT);
	ev->d = xcalloc(ev->n + 1, sizeof *ev->d);
	for (size_t i = 0; i < ev->n; i++) {
		const struct division *div = store_division_at(store, DIV_DISTRICT, i);

		snprintf(ev->d[i].code, sizeof ev->d[i].code, "%s", div->code);
		ev->d[i].name = div->name;
		ev->d[i].by_check = xcalloc(ev->n_checks + 1, sizeof *ev->d[i].by_check);
	}
}

int
evaluation_compute(struct store_txn *txn, struct store *store, const struct casework *cw,
    const struct eval_rules *rules, const char *from, const char *to, struct evaluation *out,
    struct error *err)
{
	const struct formset *forms = store_forms(store);
	struct count c = { .ev = out, .rules = rules };
	int rc;

	evaluation_init(out, store, from, to);
	rc = count_institutions(txn, forms, &c, err);
	if (rc == 0)
		rc = count_inspections(txn, forms, cw, &c, err);
	if (rc == 0)
		rc = count_orders(txn, forms, cw, &c, err);
	if (rc == 0)
		rc = count_complaints(txn, forms, cw, &c, err);
	if (rc == 0)
		rc = count_publications(txn, forms, &c, err);
	strv_free(c.ids);
	strv_free(c.months);
	if (rc != 0) {
		evaluation_clear(out);
		return -1;
	}
	evaluation_score(out, rules);
	return 0;
}

void
evaluation_clear(struct evaluation *ev)
{
	for (size_t i = 0; i < ev->n; i++) {
		free(ev->d[i].by_check);
		strv_free(ev->d[i].late_ids);
	}
	free(ev->d);
	free(ev->checks);
	free(ev->check_labels);
	strv_free(ev->publication_ids);
	memset(ev, 0, sizeof *ev);
}
