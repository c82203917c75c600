/*
 * demo-casework.c — the demo's casework: inspections of some institutions in every district,
 * each failed check with its rectification order (deadline from deadlines.rules), orders in
 * every state, some overdue, the verified ones with their verification inspection. One
 * commit, reproducible from the seed; dates are counted back from today.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/demo-private.h"
#include "campaign/casework.h"

#define INSPECTIONS_PER_DISTRICT 4
#define DAY (24 * 60 * 60)

/* What an inspector writes when a check fails, per check id. */
static const struct {
	const char *check;
	const char *finding;
	const char *actions;
} findings[] = {
	{ "safety", "消防通道堆放杂物，灭火器过期", "清理通道，更换灭火器，报送整改照片" },
	{ "platform", "监管平台中的教师信息未更新", "一周内在平台更新全部教师信息" },
	{ "disclosure", "未公示收费标准和教师资格证号", "在前台和教室门口公示收费标准、教师资格证号" },
	{ "joint_enforcement", "未建立联合执法台账", "建立台账并按月登记" },
	{ "licence", "办学许可证已过期仍在招生", "停止招生，办理许可证延续" },
	{ "filing_review", "学科类课程未经备案", "提交课程备案材料，未备案课程停课" },
	{ "rules", "缺少退费管理制度和学员安置预案", "制定退费制度和学员安置预案并公示" },
	{ "unlicensed", "在居民楼内设立无证教学点", "立即停止教学点活动，清退学员" },
	{ "advertising", "宣传单页含“提分保过”等夸大内容", "收回宣传材料，整改后报审备案" },
	{ "moonlighting", "聘用在职中小学教师授课", "立即解聘，报教育局处理" },
};

static const char *const methods[] = {
	"unannounced", "spot_check", "joint", "open_visit", "complaint",
};

struct demo_cw {
	struct store *store;
	struct store_txn *txn;
	const struct casework *cw;
	const struct form *inspection, *order;
	uint64_t state;		/* the generator */
	time_t today;
	size_t inspections, orders;
	struct error *err;
};

/* A verification inspection that passed the order's check, made on day. */
static int
insert_verification(struct demo_cw *d, const char *institution, const char *inspector,
    const char *order, const char *check, const char *day, char **id)
{
	const char *pairs[] = {
		"institution", institution, "date", day, "method", "verification",
		"state", "done", "inspector", inspector, "order", order, check, "pass", NULL,
	};

	d->inspections++;
	return insert_pairs(d->txn, d->inspection, pairs, id, d->err);
}

/* The order of a failed check, in a state drawn at random; verified ones get their visit. */
static int
insert_order(struct demo_cw *d, const char *inspection, const char *institution,
    const char *inspector, time_t when, size_t f)
{
	static const char *const states[] = { "open", "in_progress", "submitted", "verified" };
	const char *check = findings[f].check, *state = states[demo_below(&d->state, 4)];
	const char *severity = deadline_severity(d->cw->deadlines, check);
	int days = deadline_days(d->cw->deadlines, check, severity != NULL ? severity : "major");
	char deadline[11], verified_on[11];
	char *order = NULL, *visit = NULL;
	struct record *rec = NULL;
	int rc;

	clock_format_date(when + (time_t)(days < 0 ? 15 : days) * DAY, deadline);
	const char *pairs[] = {
		"institution", institution, "inspection", inspection, "check", check,
		"finding", findings[f].finding, "actions", findings[f].actions,
		"severity", severity != NULL ? severity : "major", "deadline", deadline,
		"responsible", inspector, "state", str_eq(state, "verified") ? "submitted" : state,
		"response", str_eq(state, "open") || str_eq(state, "in_progress") ? "" :
		    "已按要求整改，附整改照片", NULL,
	};
	if ((rc = insert_pairs(d->txn, d->order, pairs, &order, d->err)) != 0 ||
	    !str_eq(state, "verified"))
		goto out;
	clock_format_date(when + (time_t)(1 + demo_below(&d->state, 10)) * DAY, verified_on);
	if ((rc = insert_verification(d, institution, inspector, order, check, verified_on,
	    &visit)) != 0 || (rc = store_get(d->txn, d->order, order, &rec, d->err)) != 0)
		goto out;
	record_set_raw(rec, (size_t)form_field_index(d->order, "state"), "verified");
	record_set_raw(rec, (size_t)form_field_index(d->order, "verified_by"), visit);
	record_set_raw(rec, (size_t)form_field_index(d->order, "verified_on"), verified_on);
	rc = store_update(d->txn, rec, d->err);
out:
	d->orders += order != NULL;
	record_free(rec);
	free(order);
	free(visit);
	return rc;
}

/* One inspection of institution by the district's coordinator: done with a failed check or
 * three, or still planned or under way. */
static int
insert_inspection(struct demo_cw *d, const char *institution, const char *inspector)
{
	bool done = demo_below(&d->state, 5) != 0;
	time_t days = done ? -(time_t)(5 + demo_below(&d->state, 55)) :
	    (time_t)demo_below(&d->state, 14);
	time_t when = d->today + days * DAY;
	size_t n_fails = done ? 1 + demo_below(&d->state, 3) : 0;
	const char *results[COUNT(findings)];
	char date[11], *id = NULL;
	int rc;

	clock_format_date(when, date);
	for (size_t i = 0; i < COUNT(findings); i++)
		results[i] = done ? "pass" : "";
	for (size_t i = 0; i < n_fails; i++)
		results[demo_below(&d->state, COUNT(findings))] = "fail";
	const char *pairs[2 * (6 + COUNT(findings)) + 1] = {
		"institution", institution, "date", date,
		"method", methods[demo_below(&d->state, COUNT(methods))],
		"state", done ? "done" : demo_below(&d->state, 2) ? "planned" : "in_progress",
		"inspector", inspector, "team", "王芳、李强",
	};
	size_t n = 12;
	for (size_t i = 0; i < COUNT(findings); i++, n += 2) {
		pairs[n] = findings[i].check;
		pairs[n + 1] = results[i];
	}
	pairs[n] = NULL;
	if ((rc = insert_pairs(d->txn, d->inspection, pairs, &id, d->err)) != 0)
		return -1;
	d->inspections++;
	for (size_t i = 0; i < COUNT(findings) && rc == 0; i++)
		if (str_eq(results[i], "fail"))
			rc = insert_order(d, id, institution, inspector, when, i);
	free(id);
	return rc;
}

static int
district_casework(struct demo_cw *d, const struct form *institutions, const char *district)
{
	char **ids = NULL, *person = demo_district_person(d->store, d->txn, district);
	size_t n = 0;
	int rc = 0;

	if (person == NULL)
		return 0;
	if (store_find_by(d->txn, institutions, "district", district, &ids, &n, d->err) != 0)
		rc = -1;
	for (size_t i = 0; rc == 0 && i < n && i < INSPECTIONS_PER_DISTRICT; i++)
		rc = insert_inspection(d, ids[demo_below(&d->state, n)], person);
	strv_free(ids);
	free(person);
	return rc;
}

int
demo_casework(struct store *store, const struct casework *cw, unsigned seed, struct error *err)
{
	const struct formset *forms = store_forms(store);
	const struct form *institutions = formset_find(forms, "institution");
	struct demo_cw d = { .store = store, .cw = cw, .state = seed, .err = err };
	int rc = 0;

	d.inspection = formset_find(forms, "inspection");
	d.order = formset_find(forms, "rectification");
	if (institutions == NULL || d.inspection == NULL || d.order == NULL)
		return 0;	/* an older data directory's forms: no casework to show */
	d.today = clock_today();
	if (store_txn_begin(store, true, &d.txn, err) != 0)
		return -1;
	store_txn_allow_moves(d.txn);	/* the verified orders: history as their visits made it */
	for (size_t i = 0; rc == 0 && i < store_division_count(store, DIV_DISTRICT); i++)
		rc = district_casework(&d, institutions, store_division_at(store, DIV_DISTRICT, i)->code);
	if (rc != 0) {
		store_txn_abort(d.txn);
		return -1;
	}
	return demo_commit(d.txn, xasprintf("演示数据：%zu 次检查，%zu 项整改", d.inspections, d.orders), err);
}
