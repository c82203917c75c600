/*
 * test-trust.c — what the trust check between the store and main rests on: a commit read back
 * from git matches the outbox entry it was made from (signature cleaning, time, message with
 * its Outbox-Seq), and nothing else does; an entry's header decodes alone; a store's anchor
 * follows main one write behind, and a commit by another hand on main is named.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "fixture.h"
#include "store/store-private.h"

static const struct division_row city = { "6101", "", "西安市" };
static const struct division_row districts[] = { { "610113", "", "雁塔区" } };

static void
sample_commit(struct audit_commit *c, uint64_t seq)
{
	memset(c, 0, sizeof *c);
	c->author_name = xstrdup("王<芳>\x01");	/* cleaned in the signature */
	c->author_email = xstrdup("wang@example.org");
	c->when = 1796000000;
	c->subject = xstrdup("校外培训机构 JG-610113-000001 备注 →x");
	c->body = xstrdup("");
	c->trailers = xstrdup("Action: record.update\n");
	c->seq = seq;
	audit_commit_add_file(c, "institution/610113/01/JG-610113-000001", "id: x\n", 6);
}

/* The tip of main in the fixture's repository, read back. */
static void
read_tip(const char *dir, struct audit_commit_info *ci)
{
	struct audit *a;
	struct error err = ERROR_INIT;
	char tip[41];

	assert_int_equal(audit_open(dir, &a, &err), 0);
	assert_int_equal(audit_tip_hex(a, tip, &err), 0);
	assert_int_equal(audit_commit_read(a, tip, ci, &err), 0);
	audit_close(a);
}

static void
test_a_commit_matches_its_entry_only(void **state)
{
	struct fixture *fx = fixture_new(&city, districts, 1);
	struct audit_commit c;
	struct audit_commit_info ci;
	struct audit *a;
	struct error err = ERROR_INIT;

	(void)state;
	assert_non_null(fx);
	assert_int_equal(audit_open(fx->dir, &a, &err), 0);
	sample_commit(&c, 7);
	assert_int_equal(audit_commit_make(a, &c, &err), 0);
	audit_close(a);
	read_tip(fx->dir, &ci);
	assert_true(ci.by_huitou);
	assert_true(ci.has_seq);
	assert_int_equal(ci.seq, 7);
	assert_string_equal(ci.subject, c.subject);
	assert_true(audit_commit_matches(&ci, &c));
	c.when++;
	assert_false(audit_commit_matches(&ci, &c));	/* another time */
	c.when--;
	c.seq = 8;
	assert_false(audit_commit_matches(&ci, &c));	/* another Outbox-Seq */
	c.seq = 7;
	free(c.subject);
	c.subject = xstrdup("别的");
	assert_false(audit_commit_matches(&ci, &c));	/* another message */
	audit_commit_free(&c);
	audit_commit_info_free(&ci);
	fixture_free(fx);
}

static void
test_an_entry_header_decodes_alone(void **state)
{
	struct audit_commit c, h;
	struct buf b = BUF_INIT;
	struct error err = ERROR_INIT;

	(void)state;
	sample_commit(&c, 3);
	outbox_encode(&c, &b);
	assert_int_equal(outbox_decode_header(b.data, b.len, &h, &err), 0);
	assert_string_equal(h.author_name, c.author_name);
	assert_string_equal(h.subject, c.subject);
	assert_string_equal(h.trailers, c.trailers);
	assert_int_equal(h.when, c.when);
	assert_int_equal(h.n_files, 0);		/* the files are not read */
	audit_commit_free(&h);
	assert_int_not_equal(outbox_decode_header(b.data, 5, &h, &err), 0);
	error_clear(&err);
	buf_free(&b);
	audit_commit_free(&c);
}

static void
save_note(struct fixture *fx, const char *note, bool insert)
{
	struct store_txn *txn;
	struct record *rec;
	struct error err = ERROR_INIT;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	if (insert) {
		rec = record_new(fx->inst);
		record_set_raw(rec, 1, "甲");
		record_set_raw(rec, (size_t)form_field_index(fx->inst, "district"), "610113");
		record_set_raw(rec, (size_t)form_field_index(fx->inst, "category"), "subject");
		assert_int_equal(store_insert(txn, rec, &err), 0);
	} else {
		assert_int_equal(store_get(txn, fx->inst, "JG-610113-000001", &rec, &err), 0);
		record_set_raw(rec, (size_t)form_field_index(fx->inst, "notes"), note);
		assert_int_equal(store_update(txn, rec, &err), 0);
	}
	assert_int_equal(store_txn_commit(txn, &err), 0);
	record_free(rec);
}

static void
test_the_anchor_follows_main_and_a_hand_commit_is_named(void **state)
{
	struct fixture *fx = fixture_new(&city, districts, 1);
	struct store_trust t;
	struct error err = ERROR_INIT;
	struct audit_commit_info tip;
	struct store_txn *txn;
	char *cmd;

	(void)state;
	assert_non_null(fx);
	assert_int_equal(store_commit_setup(fx->store, &err), 0);
	save_note(fx, NULL, true);
	save_note(fx, "一", false);
	assert_int_equal(store_trust_check(fx->store, &t, &err), 0);
	assert_int_equal(t.kind, STORE_TRUSTED);
	assert_int_equal(t.done_seq, 3);	/* init, new, set */
	assert_int_equal(t.anchor_seq, 2);	/* written by the set's transaction */
	read_tip(fx->dir, &tip);
	assert_string_equal(t.anchor, tip.parent);
	store_trust_clear(&t);
	/* A commit of the same text by another hand: not huitou's committer. */
	cmd = xasprintf("export GIT_CONFIG_NOSYSTEM=1 GIT_CONFIG_GLOBAL=/dev/null; "
	    "git -C %s/audit.git -c user.name=M -c user.email=m@x commit-tree -p %s "
	    "-m hand %s^{tree} > %s/hand && git -C %s/audit.git update-ref refs/heads/main "
	    "$(cat %s/hand)", fx->dir, tip.oid, tip.oid, fx->dir, fx->dir, fx->dir);
	assert_int_equal(system(cmd), 0);
	free(cmd);
	assert_int_equal(store_trust_check(fx->store, &t, &err), 0);
	assert_int_equal(t.kind, STORE_FOREIGN_COMMITS);
	assert_int_equal(t.n_commits, 1);
	assert_true(t.commits[0].foreign);
	assert_string_equal(t.commits[0].author, "M");
	store_trust_clear(&t);
	/* Writes stop. */
	assert_int_not_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	assert_int_equal(err.status, ST_FAILED);
	assert_non_null(strstr(err.message, "huitou did not make"));
	error_clear(&err);
	audit_commit_info_free(&tip);
	fixture_free(fx);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_a_commit_matches_its_entry_only),
		cmocka_unit_test(test_an_entry_header_decodes_alone),
		cmocka_unit_test(test_the_anchor_follows_main_and_a_hand_commit_is_named),
	};

	return UNIT_RUN(tests);
}
