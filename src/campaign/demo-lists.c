/*
 * demo-lists.c — the demo's black and white lists: last month's publication (the lists by the
 * rules as the demo's casework left them, one commit and its tag lists/YYYY-MM), then three
 * manual decisions in one commit, from the middle of the records — a white-listed institution put on
 * the black list, another kept off both, one on neither put on the white list — so that this
 * month's preview (the console's lists screen) shows changes. Appended after the other demo
 * parts.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/demo-private.h"
#include "campaign/lists.h"

/* The month before this one, YYYY-MM. */
static void
last_month(char out[8])
{
	int y, m;

	lists_this_month(out);
	y = atoi(out);
	m = atoi(out + 5) - 1;
	if (m == 0) {
		m = 12;
		y--;
	}
	out[0] = (char)('0' + y / 1000 % 10);
	out[1] = (char)('0' + y / 100 % 10);
	out[2] = (char)('0' + y / 10 % 10);
	out[3] = (char)('0' + y % 10);
	out[5] = (char)('0' + m / 10);
	out[6] = (char)('0' + m % 10);
}

static bool
is_member(const struct list_membership *m, const char *id)
{
	for (size_t i = 0; i < m->n; i++)
		if (str_eq(m->members[i].id, id))
			return true;
	return false;
}

/* The nth member of list k from the middle of the membership on (0: the first), or NULL. */
static const char *
nth_from_middle(const struct list_membership *m, enum list_kind k, size_t nth)
{
	for (size_t i = m->n / 2; i < m->n; i++)
		if (m->members[i].list == k && nth-- == 0)
			return m->members[i].id;
	return NULL;
}

static int
decide(struct store_txn *txn, const struct form *form, const char *id, const char *list,
    const char *reason, struct error *err)
{
	const char *const pairs[] = { "institution", id, "list", list, "reason", reason, NULL };

	return id != NULL ? insert_pairs(txn, form, pairs, NULL, err) : 0;
}

/* Three decisions, one commit. */
static int
demo_decisions(struct store *store, const struct list_membership *m, struct error *err)
{
	const struct form *form = formset_find(store_forms(store), "listing");
	const struct form *inst = formset_find(store_forms(store), "institution");
	struct store_txn *txn = NULL;
	char **ids = NULL, *outside = NULL;
	size_t n = 0;
	int rc;

	if (form == NULL || inst == NULL)
		return 0;
	if ((rc = store_txn_begin(store, true, &txn, err)) != 0)
		return rc;
	rc = store_list_ids(txn, inst, &ids, &n, err);
	/* From the middle: the first and the last records, which other tests open, keep their
	 * forms as they were. */
	for (size_t i = n / 2; rc == 0 && i < n && outside == NULL; i++)
		if (!is_member(m, ids[i]))
			outside = ids[i];
	if (rc == 0)
		rc = decide(txn, form, nth_from_middle(m, LIST_WHITE, 0), "black",
		    "暗访查实违规开展学科类培训", err);
	if (rc == 0)
		rc = decide(txn, form, nth_from_middle(m, LIST_WHITE, 1), "none", "已申请注销，停止招生", err);
	if (rc == 0)
		rc = decide(txn, form, outside, "white", "整改完成，经复查合格", err);
	strv_free(ids);
	if (rc != 0) {
		store_txn_abort(txn);
		return rc;
	}
	return demo_commit(txn, xstrdup("演示数据：名单决定 3 项"), err);
}

int
demo_lists(struct store *store, const char *data_dir, struct error *err)
{
	struct list_publish_plan plan;
	char month[8], *id = NULL;
	int rc;

	if (formset_find(store_forms(store), "publication") == NULL)
		return 0;	/* forms of before the lists */
	last_month(month);
	rc = lists_plan(store, data_dir, month, false, NULL, NULL, NULL, &plan, err);
	if (rc == 0)
		rc = lists_publish(store, data_dir, &plan, &id, err);
	if (rc == 0)
		rc = demo_decisions(store, &plan.now, err);
	list_publish_plan_free(&plan);
	free(id);
	return rc;
}
