/*
 * evaluation-score.c — the evaluation's measures by name and label, each district's values
 * turned into points by the weights of evaluation.rules (linear between the value that earns
 * none and the one that earns all), the score out of 100 and the rank; and, for each number,
 * the limit that names the records behind it (the supervision screen's drill-down).
 */
#include "config.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/evaluation.h"

static const char *const names[EVAL_N] = {
#define X(id, name) name,
	EVAL_MEASURES(X)
#undef X
};

/* Label and short header, in Chinese and English. */
static const char *const labels[EVAL_N][4] = {
	{ "机构数", "Institutions", "机构", "Inst" },
	{ "检查覆盖率", "Coverage", "覆盖率", "Cover" },
	{ "发现问题", "Findings", "问题", "Find" },
	{ "到期整改", "Orders due", "到期", "Due" },
	{ "整改销号率", "Closure rate", "销号率", "Closed" },
	{ "逾期整改", "Overdue orders", "逾期", "Overdue" },
	{ "答复天数（中位）", "Response days (median)", "答复", "Days" },
	{ "超期答复", "Late replies", "超期", "Late" },
	{ "平台录入率", "Platform entry", "录入率", "Platf" },
	{ "按时公布率", "Published on time", "公布率", "Publ" },
};

const char *
eval_measure_name(enum eval_measure m)
{
	return m < EVAL_N ? names[m] : "";
}

const char *
eval_measure_label(enum eval_measure m)
{
	return m < EVAL_N ? lang_pick(labels[m][0], labels[m][1]) : "";
}

const char *
eval_measure_label_zh(enum eval_measure m)
{
	return m < EVAL_N ? labels[m][0] : "";
}

const char *
eval_measure_short(enum eval_measure m)
{
	return m < EVAL_N ? lang_pick(labels[m][2], labels[m][3]) : "";
}

int
eval_measure_from_name(const char *name)
{
	for (int m = 0; m < EVAL_N; m++)
		if (str_eq(names[m], name))
			return m;
	return -1;
}

static double
share(size_t part, size_t whole)
{
	return whole == 0 ? 0 : 100.0 * (double)part / (double)whole;
}

/* The values, and which measures have something to measure. */
static void
district_values(const struct evaluation *ev, struct eval_district *d)
{
	double *v = d->value;
	bool *ok = d->applicable;

	v[EVAL_INSTITUTIONS] = (double)d->institutions, ok[EVAL_INSTITUTIONS] = true;
	v[EVAL_COVERAGE] = share(d->covered, d->institutions), ok[EVAL_COVERAGE] = d->institutions > 0;
	v[EVAL_FINDINGS] = (double)d->findings, ok[EVAL_FINDINGS] = true;
	v[EVAL_DUE] = (double)d->due, ok[EVAL_DUE] = true;
	v[EVAL_CLOSURE] = share(d->closed, d->due), ok[EVAL_CLOSURE] = d->due > 0;
	v[EVAL_OVERDUE] = (double)d->overdue, ok[EVAL_OVERDUE] = d->due > 0;
	v[EVAL_RESPONSE] = d->response_days, ok[EVAL_RESPONSE] = d->replied > 0;
	v[EVAL_LATE] = (double)d->late, ok[EVAL_LATE] = d->received > 0;
	v[EVAL_PLATFORM] = share(d->platform_yes, d->institutions);
	ok[EVAL_PLATFORM] = d->institutions > 0;
	v[EVAL_PUBLICATION] = share(ev->months_on_time, ev->months_due);
	ok[EVAL_PUBLICATION] = ev->publication_known && ev->months_due > 0;
}

/* weight × (v − zero) / (full − zero), kept between 0 and the weight. */
static double
points(const struct eval_weight *w, double v)
{
	double f = (v - w->zero) / (w->full - w->zero);

	return w->weight * (f < 0 ? 0 : f > 1 ? 1 : f);
}

/* Round to a tenth, as shown: equal scores on the report share a rank. */
static double
tenth(double x)
{
	return (double)(long long)(x * 10 + (x < 0 ? -0.5 : 0.5)) / 10;
}

void
evaluation_score(struct evaluation *ev, const struct eval_rules *rules)
{
	for (size_t i = 0; i < ev->n; i++) {
		struct eval_district *d = &ev->d[i];
		double got = 0, possible = 0;

		district_values(ev, d);
		for (size_t m = 0; m < EVAL_N; m++) {
			if (!rules->w[m].set || rules->w[m].weight == 0 || !d->applicable[m])
				continue;
			d->points[m] = points(&rules->w[m], d->value[m]);
			got += d->points[m];
			possible += rules->w[m].weight;
		}
		/* a measure with nothing to measure shares its weight among the others */
		d->scored = possible > 0 && d->institutions > 0;	/* no institution: nothing */
		d->score = tenth(possible > 0 ? got * 100 / possible : 0);
	}
	for (size_t i = 0; i < ev->n; i++) {
		ev->d[i].rank = ev->d[i].scored ? 1 : 0;
		for (size_t j = 0; ev->d[i].scored && j < ev->n; j++)
			if (ev->d[j].scored && ev->d[j].score > ev->d[i].score)
				ev->d[i].rank++;
	}
}

void
eval_format(const struct eval_district *d, enum eval_measure m, char *out, size_t size)
{
	if (m >= EVAL_N || !d->applicable[m]) {
		snprintf(out, size, "-");
		return;
	}
	switch (m) {
	case EVAL_COVERAGE: case EVAL_CLOSURE: case EVAL_PLATFORM: case EVAL_PUBLICATION:
		snprintf(out, size, "%.1f%%", d->value[m]);
		break;
	case EVAL_RESPONSE:
		snprintf(out, size, "%.1f", d->value[m]);
		break;
	default:
		snprintf(out, size, "%.0f", d->value[m]);
		break;
	}
}

void
eval_format_score(const struct eval_district *d, bool rank, char *out, size_t size)
{
	if (!d->scored)
		snprintf(out, size, "-");
	else if (rank)
		snprintf(out, size, "%d", d->rank);
	else
		snprintf(out, size, "%.1f", d->score);
}

/* "not (status=banned or …)" for the statuses left out; "" for none. Caller frees. */
static char *
not_excluded(const struct eval_rules *rules)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; rules != NULL && rules->exclude != NULL && rules->exclude[i] != NULL;
	    i++)
		buf_printf(&b, "%sstatus=%s", i == 0 ? " and not (" : " or ", rules->exclude[i]);
	if (b.len > 0)
		buf_add(&b, ")", 1);
	return buf_detach(&b);
}

/* "id=A or id=B …" for a few ids; NULL for none. */
static char *
ids_where(char *const *ids)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; ids != NULL && ids[i] != NULL; i++)
		buf_printf(&b, "%sid=%s", i == 0 ? "" : " or ", ids[i]);
	return b.len > 0 ? buf_detach(&b) : (buf_free(&b), NULL);
}

static char *
inspections_where(const struct evaluation *ev, const char *code, bool failed)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "district=%s and state=done and date>=%s and date<=%s", code, ev->from,
	    ev->to);
	for (size_t k = 0; failed && k < ev->n_checks; k++)
		buf_printf(&b, "%s%s=fail", k == 0 ? " and (" : " or ", ev->checks[k]);
	if (failed && ev->n_checks > 0)
		buf_add(&b, ")", 1);
	return buf_detach(&b);
}

static char *
orders_where(const struct evaluation *ev, const char *code, enum eval_measure m)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "district=%s and deadline>=%s and deadline<=%s", code, ev->from, ev->to);
	if (m == EVAL_OVERDUE)
		buf_printf(&b, " and deadline<%s", ev->today);
	for (size_t i = 0; m != EVAL_DUE && i < ev->n_closed; i++)
		buf_printf(&b, "%s%sstate=%s", i == 0 ? (m == EVAL_OVERDUE ? " and not (" :
		    " and (") : "", i == 0 ? "" : " or ", ev->closed_states[i]);
	if (m != EVAL_DUE && ev->n_closed > 0)
		buf_add(&b, ")", 1);
	return buf_detach(&b);
}

char *
eval_cell_where(const struct evaluation *ev, const struct eval_rules *rules,
    const struct formset *forms, size_t i, enum eval_measure m, const struct form **form)
{
	const char *code = i < ev->n ? ev->d[i].code : "";
	char *ex, *where = NULL;
	const char *name = "institution";

	switch (m) {
	case EVAL_INSTITUTIONS: case EVAL_PLATFORM:
		ex = not_excluded(rules);
		where = xasprintf("district=%s%s%s", code, ex, m == EVAL_PLATFORM ?
		    " and platform_entered=yes" : "");
		free(ex);
		break;
	case EVAL_COVERAGE: case EVAL_FINDINGS:
		name = "inspection";
		where = inspections_where(ev, code, m == EVAL_FINDINGS);
		break;
	case EVAL_DUE: case EVAL_CLOSURE: case EVAL_OVERDUE:
		name = "rectification";
		where = orders_where(ev, code, m);
		break;
	case EVAL_RESPONSE:
		name = "complaint";
		where = xasprintf("district=%s and received>=%s and received<=%s and "
		    "not replied_on=\"\"", code, ev->from, ev->to);
		break;
	case EVAL_LATE:
		name = "complaint";
		where = i < ev->n ? ids_where(ev->d[i].late_ids) : NULL;
		break;
	case EVAL_PUBLICATION:
		name = "publication";
		where = ids_where(ev->publication_ids);
		break;
	default:
		break;
	}
	*form = formset_find(forms, name);
	if (*form == NULL) {
		free(where);
		return NULL;
	}
	return where;
}
