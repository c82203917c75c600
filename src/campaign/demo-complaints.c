/*
 * demo-complaints.c — the demo's complaints (举报) and social supervisors (社会监督员): in the
 * last two districts, one supervisor each and complaints in every state, by every channel,
 * about institutions and suspected sites, the response deadlines from responses.rules (some
 * overdue). One commit before the demo's casework; dates are counted back from today.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/demo-private.h"
#include "campaign/casework.h"

#define DISTRICTS 2
#define DAY (24 * 60 * 60)

/* One demo complaint: how it came in, what about, how far it has gone. */
static const struct {
	const char *channel, *state, *summary, *site_kind, *site_name, *site_address;
	int days_ago;		/* received that many days before today */
	const char *outcome, *reply;
} complaints[] = {
	{ "hotline", "received", "居民楼内有人开办数学补习班", "residential", "某小区数学补习点",
	    "3号楼2单元501室", 1, NULL, NULL },
	{ "supervisor", "assigned", "周末在小区会所开设英语学科培训", "residential", "会所英语班",
	    "小区会所二楼", 3, NULL, NULL },
	{ "online", "investigating", "机构暑期违规开设学科类课程", NULL, NULL, NULL, 10, NULL, NULL },
	{ "hotline", "investigating", "机构夸大宣传“提分保过”", NULL, NULL, NULL, 9, NULL, NULL },
	{ "media", "replied", "培训机构收费超过三个月", NULL, NULL, NULL, 9, "substantiated",
	    "经核查属实，已责令机构退还超期预收费用。" },
	{ "walk_in", "closed", "培训机构拒绝退费", NULL, NULL, NULL, 30, "partly",
	    "经核查部分属实，已督促机构按合同办理退费。" },
};

/* Who complained (kept from some readers' eyes by the policy's read rules). */
static const char *const complainants[] = { "王女士", "刘先生", "张女士", "赵先生" };

struct demo_cp {
	struct store *store;
	struct store_txn *txn;
	const struct casework *cw;
	const struct form *complaint, *supervisor;
	time_t today;
	size_t n;
	struct error *err;
};

/* The first (or, middle, the middle one) id of form whose field is value, or NULL. */
static char *
find_by(struct demo_cp *d, const struct form *form, const char *field, const char *value,
    bool middle)
{
	char **ids = NULL, *id = NULL;
	size_t n = 0;

	if (form != NULL && store_find_by(d->txn, form, field, value, &ids, &n, d->err) == 0 &&
	    n > 0)
		id = xstrdup(ids[middle ? n / 2 : 0]);
	strv_free(ids);
	return id;
}

static int
insert_complaint(struct demo_cp *d, size_t i, const char *district, const char *person,
    const char *institution, const char *supervisor)
{
	bool assigned = !str_eq(complaints[i].state, "received");
	int days = response_days(d->cw->responses, complaints[i].channel);
	char received[11], deadline[11], replied[11], contact[12];

	clock_format_date(d->today - (time_t)complaints[i].days_ago * DAY, received);
	clock_format_date(d->today + (time_t)((days < 0 ? 15 : days) - complaints[i].days_ago) * DAY,
	    deadline);
	clock_format_date(d->today - DAY, replied);
	snprintf(contact, sizeof contact, "1390000%04zu", 100 * i + d->n);
	const char *pairs[] = {
		"channel", complaints[i].channel, "received", received, "district", district,
		"supervisor", str_eq(complaints[i].channel, "supervisor") ? supervisor : NULL,
		"complainant", complainants[i % COUNT(complainants)], "contact", contact,
		"summary", complaints[i].summary, "site_kind", complaints[i].site_kind,
		"site_name", complaints[i].site_name, "site_address", complaints[i].site_address,
		"site_category", complaints[i].site_name != NULL ? "subject" : NULL,
		"institution", complaints[i].site_name == NULL ? institution : NULL,
		"assignee", assigned ? person : NULL, "deadline", assigned ? deadline : NULL,
		"outcome", complaints[i].outcome, "reply", complaints[i].reply,
		"replied_by", complaints[i].reply != NULL ? person : NULL,
		"replied_on", complaints[i].reply != NULL ? replied : NULL,
		"state", complaints[i].state, NULL,
	};
	d->n++;
	return insert_pairs(d->txn, d->complaint, pairs, NULL, d->err);
}

static int
district_complaints(struct demo_cp *d, const char *district, size_t k)
{
	const struct formset *forms = store_forms(d->store);
	char *login = xasprintf("edu%s", district), *sup = NULL;
	char *person = find_by(d, formset_find(forms, "user"), "login", login, false);
	char *inst = find_by(d, formset_find(forms, "institution"), "district", district, true);
	const char *sup_pairs[] = {
		"name", k == 0 ? "陈立华" : "赵雪梅", "contact", k == 0 ? "13700000001" : "13700000002",
		"district", district, "since", "2026-03-01", "active", "yes", NULL,
	};
	int rc = person == NULL || inst == NULL ? 0 :
	    insert_pairs(d->txn, d->supervisor, sup_pairs, &sup, d->err);

	for (size_t i = 0; rc == 0 && person != NULL && inst != NULL && i < COUNT(complaints); i++)
		rc = insert_complaint(d, i, district, person, inst, sup);
	free(login);
	free(person);
	free(inst);
	free(sup);
	return rc;
}

int
demo_complaints(struct store *store, const struct casework *cw, struct error *err)
{
	const struct formset *forms = store_forms(store);
	struct demo_cp d = { .store = store, .cw = cw, .err = err };
	size_t n_districts = store_division_count(store, DIV_DISTRICT);
	int rc = 0;

	d.complaint = formset_find(forms, "complaint");
	d.supervisor = formset_find(forms, "supervisor");
	if (d.complaint == NULL || d.supervisor == NULL)
		return 0;	/* an older data directory's forms: no complaints to show */
	d.today = clock_today();
	if (store_txn_begin(store, true, &d.txn, err) != 0)
		return -1;
	/* The last districts, so the casework's demo in the first ones is left as it was. */
	for (size_t i = 0; rc == 0 && i < DISTRICTS && i < n_districts; i++)
		rc = district_complaints(&d,
		    store_division_at(store, DIV_DISTRICT, n_districts - 1 - i)->code, i);
	if (rc != 0 || d.n == 0) {
		store_txn_abort(d.txn);
		return rc;
	}
	return demo_commit(d.txn, xasprintf("演示数据：%zu 件举报，%d 名社会监督员", d.n, DISTRICTS), err);
}
