/*
 * demo-cases.c — the demo's teachers and cases: in every district a public-school teacher
 * found teaching at one of its institutions (a moonlighting case) and an advertising case,
 * in states from open to closed; the decided ones name the district's coordinator as who
 * decided. One commit, reproducible from the seed; dates are counted back from today.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/demo-private.h"

#define DAY (24 * 60 * 60)

static const char *const surnames[] = { "王", "李", "张", "刘", "陈", "杨", "赵", "黄" };
static const char *const given[] = { "老师", "建国", "丽娟", "晓东", "海燕", "志强" };
static const char *const states[] = { "open", "investigating", "decided", "closed" };
static const char *const conducts[] = { "teaching", "paid_tutoring", "referring" };
static const char *const media[] = { "leaflet", "outdoor", "online", "wechat" };

struct demo_cases {
	struct store *store;
	struct store_txn *txn;
	const struct form *teacher, *cases;
	uint64_t state;		/* the generator */
	time_t today;
	size_t teachers, n_cases;
	struct error *err;
};

/* A public-school teacher of the district teaching at institution; *id gets the teacher. */
static int
insert_teacher(struct demo_cases *d, const char *district, const char *institution, char **id)
{
	char name[32], cert[18];

	snprintf(name, sizeof name, "%s%s", surnames[demo_below(&d->state, COUNT(surnames))],
	    given[demo_below(&d->state, COUNT(given))]);
	snprintf(cert, sizeof cert, "2016%.6s%07zu", district, 1000 + d->teachers * 37);
	const char *pairs[] = {
		"name", name, "cert", cert, "district", district, "employer",
		"区属公办中学", "employer_kind", "public_school", "institution", institution, NULL,
	};
	d->teachers++;
	return insert_pairs(d->txn, d->teacher, pairs, id, d->err);
}

/* A case in a state drawn at random: what was found and the action once it is decided. */
static int
insert_case(struct demo_cases *d, const char *const *kind_pairs, const struct record *inst,
    const char *person, const char *found, const char *action)
{
	const char *state = states[demo_below(&d->state, COUNT(states))];
	bool decided = str_eq(state, "decided") || str_eq(state, "closed");
	char found_on[11], decided_on[11];
	const char *pairs[34] = {
		"district", record_get(inst, "district"), "street", record_get(inst, "street"),
		"institution", record_id(inst), "found_on", found_on,
		"state", state, "found", str_eq(state, "open") ? "" : found,
		"action", decided ? action : "", "decided_by", decided ? person : "",
		"decided_on", decided ? decided_on : "",
	};
	size_t n = 18;

	clock_format_date(d->today - (time_t)(10 + demo_below(&d->state, 40)) * DAY, found_on);
	clock_format_date(d->today - (time_t)(1 + demo_below(&d->state, 9)) * DAY, decided_on);
	for (size_t i = 0; kind_pairs[i] != NULL && n < COUNT(pairs) - 1; i++)
		pairs[n++] = kind_pairs[i];
	pairs[n] = NULL;
	d->n_cases++;
	return insert_pairs(d->txn, d->cases, pairs, NULL, d->err);
}

static int
district_cases(struct demo_cases *d, const struct form *institutions, const char *district)
{
	char **ids = NULL, *teacher = NULL;
	char *person = demo_district_person(d->store, d->txn, district);
	struct record *inst = NULL, *ad = NULL;
	size_t n = 0;
	int rc = 0;

	if (person == NULL)
		return 0;
	if (store_find_by(d->txn, institutions, "district", district, &ids, &n, d->err) != 0)
		rc = -1;
	if (rc == 0 && n > 0 &&
	    (store_get(d->txn, institutions, ids[demo_below(&d->state, n)], &inst, d->err) != 0 ||
	    store_get(d->txn, institutions, ids[demo_below(&d->state, n)], &ad, d->err) != 0))
		rc = -1;
	if (rc == 0 && n > 0) {
		rc = insert_teacher(d, district, record_id(inst), &teacher);
		const char *moonlighting[] = { "kind", "moonlighting", "teacher", teacher,
		    "public_school", "区属公办中学",
		    "conduct", conducts[demo_below(&d->state, COUNT(conducts))], NULL };
		const char *advertising[] = { "kind", "advertising", "medium",
		    media[demo_below(&d->state, COUNT(media))],
		    "ad_content", "“名师押题，提分保过”宣传",
		    "materials_confiscated", "传单 200 份", "ad_review", "not_filed", NULL };
		if (rc == 0)
			rc = insert_case(d, moonlighting, inst, person,
			    "在职教师周末在该机构有偿授课", "责令停止兼职，通报学校给予处分");
		if (rc == 0)
			rc = insert_case(d, advertising, ad, person,
			    "机构门口散发夸大宣传单页", "没收宣传材料，责令整改并报审备案");
	}
	strv_free(ids);
	record_free(inst);
	record_free(ad);
	free(person);
	free(teacher);
	return rc;
}

int
demo_cases(struct store *store, unsigned seed, struct error *err)
{
	const struct formset *forms = store_forms(store);
	const struct form *institutions = formset_find(forms, "institution");
	struct demo_cases d = { .store = store, .state = seed, .err = err };
	int rc = 0;

	d.teacher = formset_find(forms, "teacher");
	d.cases = formset_find(forms, "case");
	if (institutions == NULL || d.teacher == NULL || d.cases == NULL)
		return 0;	/* an older data directory's forms: no cases to show */
	d.today = clock_today();
	if (store_txn_begin(store, true, &d.txn, err) != 0)
		return -1;
	store_txn_allow_moves(d.txn);	/* cases start in any state, as their history made them */
	for (size_t i = 0; rc == 0 && i < store_division_count(store, DIV_DISTRICT); i++)
		rc = district_cases(&d, institutions, store_division_at(store, DIV_DISTRICT, i)->code);
	if (rc != 0) {
		store_txn_abort(d.txn);
		return -1;
	}
	return demo_commit(d.txn, xasprintf("演示数据：%zu 名教师，%zu 件案件", d.teachers, d.n_cases), err);
}
