/*
 * evaluation.c — counts the measures of the districts' evaluation over a period: the
 * institutions (one pass over them: district, status, platform entry), the period's closed
 * inspections (from the state's date index; their district, failed checks and institution
 * from the indexes in evaluation-indexed.c, else those records are read), the orders (district,
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
#define COVERED_LOOKUP_COST 10	/* few_covered */

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

/* The district of that code; records come in id order, which holds the district, so the
 * last one found is tried first. */
static struct eval_district *
district_of(struct evaluation *ev, const char *code)
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

static bool
excluded(const struct eval_rules *r, const char *status)
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
	struct eval_district *d = district_of(c->ev, rec->values[c->f_district]);

	if (d == NULL || excluded(c->rules, rec->values[c->f_a]))
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

static int
cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* An inspection's findings, and its institution among the district's covered ones; at: the
 * places of its district, institution and each check item in its form. */
static void
count_inspection(struct evaluation *ev, const struct record *rec, const int *at,
    char ***covered, size_t *n_covered)
{
	struct eval_district *d = district_of(ev, rec->values[at[0]]);

	if (d == NULL)
		return;
	d->inspections++;
	for (size_t k = 0; k < ev->n_checks; k++)
		if (str_eq(rec->values[at[2 + k]], "fail")) {
			d->findings++;
			d->by_check[k]++;
		}
	if ((*n_covered & 1023) == 0)
		*covered = xrealloc(*covered, (*n_covered + 1024) * sizeof **covered);
	(*covered)[(*n_covered)++] = xstrdup(rec->values[at[1]]);
}

/* Sorted ids, each once, the empty ones left out; the new count. */
static size_t
sort_unique(char **ids, size_t n)
{
	size_t kept = 0;
	bool sorted = true;	/* as the institution index gives them: no sort */

	for (size_t k = 1; sorted && k < n; k++)
		sorted = strcmp(ids[k - 1], ids[k]) <= 0;
	if (!sorted)	/* ids is NULL when nobody was inspected */
		qsort(ids, n, sizeof *ids, cmp_str);
	for (size_t k = 0; k < n; k++)
		if (*ids[k] == '\0' || (kept > 0 && str_eq(ids[k], ids[kept - 1])))
			free(ids[k]);
		else
			ids[kept++] = ids[k];
	return kept;
}

/* Whether id is among the sorted ids. */
static bool
among(char **ids, size_t n, const char *id)
{
	return n > 0 && bsearch(&id, ids, n, sizeof *ids, cmp_str) != NULL;
}

/* A merge of the inspected ids (sorted) with one district's institutions (the index gives
 * them in id order): the inspected ones counted, those of an excluded status left out. */
struct covered_merge {
	char **ids, **out;	/* inspected; excluded (both sorted) */
	size_t n, n_out, at;	/* at: the first inspected id not yet passed */
	size_t covered;
};

static void
merge_covered(void *arg, const char *id, size_t len)
{
	struct covered_merge *m = arg;
	int cmp = -1;

	while (m->at < m->n && (cmp = strncmp(m->ids[m->at], id, len)) < 0)
		m->at++;
	if (m->at < m->n && cmp == 0 && m->ids[m->at][len] != '\0')
		return;	/* a longer id: id itself was not inspected */
	if (m->at < m->n && cmp == 0) {
		m->covered += !among(m->out, m->n_out, m->ids[m->at]);
		m->at++;
	}
}

/* covered from the institutions' district and status indexes: each district's ids (in id
 * order, as the index holds them) merged with the inspected ones, those of an excluded status
 * left out; no record read, no id copied but the excluded ones. */
static int
count_covered_indexed(struct store_txn *txn, const struct form *inst, struct count *c,
    char **ids, size_t n, struct error *err)
{
	char **out = NULL, **in = NULL;
	size_t n_out = 0, n_in = 0;
	int rc = 0;

	for (size_t i = 0; rc == 0 && c->rules->exclude != NULL && c->rules->exclude[i] != NULL;
	    i++, strv_free(in), in = NULL) {
		if ((rc = store_find_by(txn, inst, "status", c->rules->exclude[i], &in, &n_in,
		    err)) != 0)
			break;
		out = xrealloc(out, (n_out + n_in + 1) * sizeof *out);
		for (size_t k = 0; k < n_in; k++)
			out[n_out++] = xstrdup(in[k]);
	}
	strv_free(in);	/* after a failure */
	if (n_out > 1)
		qsort(out, n_out, sizeof *out, cmp_str);
	for (size_t i = 0; rc == 0 && n > 0 && i < c->ev->n; i++) {
		struct covered_merge m = { ids, out, n, n_out, 0, 0 };

		rc = store_each_by(txn, inst, "district", c->ev->d[i].code, merge_covered, &m,
		    err);
		c->ev->d[i].covered += m.covered;
	}
	for (size_t k = 0; k < n_out; k++)
		free(out[k]);
	free(out);
	return rc;
}

/* Whether institution id holds an excluded status, from the status index. */
static int
excluded_indexed(struct store_txn *txn, const struct form *inst, const struct eval_rules *r,
    const char *id, bool *out, struct error *err)
{
	*out = false;
	for (size_t i = 0; !*out && r->exclude != NULL && r->exclude[i] != NULL; i++)
		if (store_index_holds(txn, inst, "status", r->exclude[i], id, out, err) != 0)
			return -1;
	return 0;
}

/* covered from the same indexes, entry by entry: each inspected id looked up in the district
 * index (the district of the one before tried first: ids sort by district) and the excluded
 * statuses'; for few inspected institutions among many, where a walk of every district's ids
 * would read them all. */
static int
count_covered_lookups(struct store_txn *txn, const struct form *inst, struct count *c,
    char **ids, size_t n, struct error *err)
{
	struct evaluation *ev = c->ev;
	size_t hint = 0;

	for (size_t k = 0; k < n; k++) {
		bool holds = false, out;
		size_t i = 0;

		for (size_t t = 0; !holds && t < ev->n; t++) {
			i = (hint + t) % ev->n;
			if (store_index_holds(txn, inst, "district", ev->d[i].code, ids[k], &holds,
			    err) != 0)
				return -1;
		}
		if (!holds)
			continue;	/* no institution of the city's districts */
		hint = i;
		if (excluded_indexed(txn, inst, c->rules, ids[k], &out, err) != 0)
			return -1;
		ev->d[i].covered += !out;
	}
	return 0;
}

/* Whether n inspected institutions are few enough beside those counted for a lookup of each
 * to beat a walk of every district's ids (an entry looked up costs some ten walked). */
static bool
few_covered(const struct evaluation *ev, size_t n)
{
	size_t total = 0;

	for (size_t i = 0; i < ev->n; i++)
		total += ev->d[i].institutions;
	return n * COVERED_LOOKUP_COST < total;
}

/* covered: institutions inspected (ids: sorted, each once), those of an excluded status
 * left out; from the indexes when district and status are indexed, else record by record. */
static int
count_covered(struct store_txn *txn, const struct form *inst, struct count *c, char **ids,
    size_t n, struct error *err)
{
	struct record *rec = NULL;
	int f_district = form_field_index(inst, "district"), f_status = form_field_index(inst,
	    "status");

	if (f_district > 0 && f_status > 0 && inst->fields[f_district].indexed &&
	    inst->fields[f_status].indexed && !inst->fields[f_district].unique &&
	    !inst->fields[f_status].unique)
		return few_covered(c->ev, n) ? count_covered_lookups(txn, inst, c, ids, n, err) :
		    count_covered_indexed(txn, inst, c, ids, n, err);
	for (size_t k = 0; k < n; k++) {
		struct eval_district *d;

		if (!store_exists(txn, inst, ids[k]))
			continue;
		if (store_get(txn, inst, ids[k], &rec, err) != 0)
			return -1;
		d = district_of(c->ev, f_district > 0 ? rec->values[f_district] : "");
		if (d != NULL && !excluded(c->rules, f_status > 0 ? rec->values[f_status] : ""))
			d->covered++;
		record_free(rec);
		rec = NULL;
	}
	return 0;
}

static int
count_inspections(struct store_txn *txn, const struct formset *forms,
    const struct casework *cw, struct count *c, struct error *err)
{
	const struct form *form = formset_find(forms, INSPECTION_FORM);
	const struct machine *m = form != NULL ? casework_machine(cw, form) : NULL;
	const struct form *inst = formset_find(forms, INSTITUTION_FORM);
	char **covered = NULL;
	size_t n_covered = 0;
	int *at = xcalloc(c->ev->n_checks + 2, sizeof *at), rc = 0;
	bool indexed;

	if (form != NULL) {
		at[0] = form_field_index(form, "district");
		at[1] = form_field_index(form, "institution");
		for (size_t k = 0; k < c->ev->n_checks; k++)
			at[2 + k] = form_field_index(form, c->ev->checks[k]);
	}
	if (form == NULL || m == NULL || at[0] < 0 || at[1] < 0)
		rc = error_set(err, ST_FAILED, _("the evaluation needs form %s with its states "
		    "file and the fields institution and district"), INSPECTION_FORM);
	for (size_t s = 0; rc == 0 && s < m->n_states; s++)
		if (m->states[s].final)
			rc = store_walk_pair(txn, form, form->fields[m->field].name,
			    m->states[s].value, c->ev->from, NULL, collect_inspection, c, err);
	if (rc == 1)
		rc = 0;
	indexed = rc == 0 && eval_inspections_indexable(form, c->ev);
	if (indexed)	/* no inspection read */
		rc = eval_inspections_indexed(txn, form, c->ev, c->ids, c->n_ids, &covered,
		    &n_covered, err);
	for (size_t k = 0; rc == 0 && !indexed && k < c->n_ids; k++) {
		struct record *rec = NULL;

		if ((rc = store_get(txn, form, c->ids[k], &rec, err)) != 0)
			break;
		count_inspection(c->ev, rec, at, &covered, &n_covered);
		record_free(rec);
	}
	n_covered = sort_unique(covered, n_covered);
	if (rc == 0)
		rc = count_covered(txn, inst, c, covered, n_covered, err);
	for (size_t k = 0; k < n_covered; k++)
		free(covered[k]);
	free(covered);
	free(at);
	return rc;
}

static int
count_order(const struct record *rec, void *arg)
{
	struct count *c = arg;
	struct eval_district *d = district_of(c->ev, rec->values[c->f_district]);
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
	for (size_t i = 0; i < N_COMPLAINT_FIELDS; i++) {
		bool in = false;

		for (size_t j = 0; !in && j < form->n_tally; j++)
			in = str_eq(form->tally[j], complaint_fields[i]);
		if (!in || form_field_index(form, complaint_fields[i]) <= 0)
			return false;
	}
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
	struct eval_district *d = district_of(c->ev, value_at(rec, p->f_district));
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
