/*
 * demo-filings.c — the demo's subject-class filings (学科类培训备案): an expert of the city's
 * review team, and a few filings of subject-class institutions in every district, submitted,
 * in review, approved or rejected as 超前超标 with the expert's reason. One commit after the
 * demo's casework, reproducible from the seed; dates are counted back from today.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "campaign/demo-private.h"

#define FILINGS_PER_DISTRICT 3
#define DAY (24 * 60 * 60)
#define EXPERT_LOGIN "expert01"

/* A class an institution files, and what an expert who rejects it writes. */
static const struct {
	const char *class_name, *subject, *target, *content, *schedule, *times;
	const char *determination, *reason;
} classes[] = {
	{ "初二数学同步提高班", "maths", "junior", "人教版八年级上册：全等三角形、轴对称、整式乘法",
	    "每周一次，与学校同步，每课次一节", "周六 9:00-11:00", "compliant", NULL },
	{ "初三物理冲刺班", "physics", "junior", "九年级电学综合，兼讲高中电磁感应",
	    "一个月讲完九年级全册，第五周起讲高中选修内容", "周日 14:00-16:00", "ahead_beyond",
	    "初三班讲授高中电磁感应，进度一个月完成全年内容，超前超标" },
	{ "小学五年级英语阅读", "english", "primary_high", "分级读物精读，课标词汇",
	    "每周两课次，按单元推进", "周三 18:30-20:00", "compliant", NULL },
	{ "小学三年级奥数思维", "maths", "primary_low", "鸡兔同笼、行程问题、数论初步",
	    "每周一次，专题式", "周六 14:00-15:30", "beyond",
	    "三年级讲授行程问题和数论，超出课程标准要求" },
	{ "高一化学预科班", "chemistry", "senior", "高一必修一第一至四章",
	    "暑期十五天讲完必修一", "暑期每日 9:00-12:00", "ahead",
	    "开学前讲完必修一全册，超前于学校进度" },
	{ "初一语文阅读写作", "chinese", "junior", "记叙文阅读与写作，名著导读",
	    "每周一次，与教材单元对应", "周五 18:30-20:00", "compliant", NULL },
};

static const char *const states[] = { "submitted", "review", "approved", "rejected" };

struct demo_fl {
	struct store_txn *txn;
	const struct form *filings;
	const char *expert;	/* the expert's user id */
	uint64_t state;		/* the generator */
	time_t today;
	size_t made;
	struct error *err;
};

/* The demo's expert, registered unless the login is taken; *id their user id. */
static int
demo_expert(struct demo_fl *d, struct store *store, char **id)
{
	const struct form *users = formset_find(store_forms(store), PERSON_FORM);
	const char *pairs[] = { "login", EXPERT_LOGIN, "name", "赵明远", "role", "expert", NULL };
	char **ids = NULL;
	size_t n = 0;
	int rc;

	*id = NULL;
	if (users == NULL)
		return 0;
	rc = store_find_by(d->txn, users, "login", EXPERT_LOGIN, &ids, &n, d->err);
	if (rc == 0 && n > 0)
		*id = xstrdup(ids[0]);
	else if (rc == 0)
		rc = insert_pairs(d->txn, users, pairs, id, d->err);
	strv_free(ids);
	return rc;
}

/* One filing of institution, in a state drawn at random; a reviewed one has its review. */
static int
insert_filing(struct demo_fl *d, const char *institution)
{
	size_t c = demo_below(&d->state, COUNT(classes));
	const char *state = states[demo_below(&d->state, COUNT(states))];
	bool reviewed = !str_eq(state, "submitted"), decided = str_eq(state, "approved") ||
	    str_eq(state, "rejected");
	char submitted[11], reviewed_on[11];

	if (str_eq(state, "approved") && !str_eq(classes[c].determination, "compliant"))
		state = "rejected";
	if (str_eq(state, "rejected") && str_eq(classes[c].determination, "compliant"))
		state = "approved";
	clock_format_date(d->today - (time_t)(10 + demo_below(&d->state, 30)) * DAY, submitted);
	clock_format_date(d->today - (time_t)demo_below(&d->state, 8) * DAY, reviewed_on);
	const char *pairs[] = {
		"institution", institution, "class_name", classes[c].class_name,
		"subject", classes[c].subject, "target", classes[c].target,
		"content", classes[c].content, "schedule", classes[c].schedule,
		"class_times", classes[c].times, "submitted_on", submitted,
		"expert", reviewed && d->expert != NULL ? d->expert : "",
		"reviewed_on", reviewed ? reviewed_on : "",
		"determination", decided ? classes[c].determination : "",
		"review_reason", decided && classes[c].reason != NULL ? classes[c].reason : "",
		"state", state, NULL,
	};
	d->made++;
	return insert_pairs(d->txn, d->filings, pairs, NULL, d->err);
}

static int
district_filings(struct demo_fl *d, const struct form *institutions, const char *district)
{
	char **ids = NULL;
	size_t n = 0, made = 0;
	int rc = store_find_by(d->txn, institutions, "district", district, &ids, &n, d->err);
	struct record *rec = NULL;

	/* from the last: a district's first institutions show its inspections alone */
	for (size_t i = n; rc == 0 && i > 0 && made < FILINGS_PER_DISTRICT; i--) {
		if ((rc = store_get(d->txn, institutions, ids[i - 1], &rec, d->err)) != 0)
			break;
		if (str_eq(record_get(rec, "category"), "subject")) {
			rc = insert_filing(d, ids[i - 1]);
			made++;
		}
		record_free(rec);
		rec = NULL;
	}
	strv_free(ids);
	return rc;
}

int
demo_filings(struct store *store, unsigned seed, struct error *err)
{
	const struct formset *forms = store_forms(store);
	const struct form *institutions = formset_find(forms, "institution");
	struct demo_fl d = { .filings = formset_find(forms, "filing"), .state = seed, .err = err };
	char *expert = NULL;
	int rc;

	if (institutions == NULL || d.filings == NULL ||
	    form_field(institutions, "category") == NULL)
		return 0;	/* an older data directory's forms: no filings to show */
	d.today = clock_today();
	if (store_txn_begin(store, true, &d.txn, err) != 0)
		return -1;
	store_txn_allow_moves(d.txn);	/* reviewed ones: as their experts left them */
	rc = demo_expert(&d, store, &expert);
	d.expert = expert;
	for (size_t i = 0; rc == 0 && i < store_division_count(store, DIV_DISTRICT); i++)
		rc = district_filings(&d, institutions, store_division_at(store, DIV_DISTRICT, i)->code);
	free(expert);
	if (rc != 0) {
		store_txn_abort(d.txn);
		return -1;
	}
	return demo_commit(d.txn, xasprintf("演示数据：%zu 项学科类培训备案", d.made), err);
}
