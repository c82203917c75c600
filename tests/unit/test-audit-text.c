/*
 * test-audit-text.c — what the audit record is made of: the record text (round trip, escaping,
 * stable bytes), the sharded paths, the outbox entry codec, the delta encoder (checked by
 * applying its output as git would) and the SHA-1 of pack checksums.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "audit/delta.h"
#include "audit/sha1.h"
#include "store/store-private.h"

static struct formset forms;

static const struct form *
institution(void)
{
	struct error err = ERROR_INIT;

	if (forms.n == 0)
		assert_int_equal(formset_load_dir(ABS_TOP_SRCDIR "/forms", &forms, &err), 0);
	return formset_find(&forms, "institution");
}

static struct record *
sample(void)
{
	struct record *rec = record_new(institution());

	record_set_raw(rec, 0, "JG-610113-000042");
	record_set_raw(rec, 1, "启明星教育培训学校");
	record_set_raw(rec, (size_t)form_field_index(rec->form, "district"), "610113");
	record_set_raw(rec, (size_t)form_field_index(rec->form, "notes"),
	    "第一行\n第二行\\结尾\ttab\x01");
	rec->version = 7;
	return rec;
}

static void
test_text_format_is_stable_and_readable(void **state)
{
	struct record *rec = sample();
	struct buf text = BUF_INIT;
	char *line;

	(void)state;
	record_text(rec, NULL, &text);
	line = xasprintf("# huitou institution %u\nid: JG-610113-000042\n"
	    "name: 启明星教育培训学校\ncredit_code:\ndistrict: 610113\n", rec->form->version);
	assert_true(str_starts(buf_str(&text), line));	/* the first line names the form's version */
	free(line);
	/* one line per field: the notes' line break, backslash, tab and control are escaped */
	line = strstr(text.data, "notes: ");
	assert_non_null(line);
	assert_true(str_starts(line, "notes: 第一行\\n第二行\\\\结尾\\ttab\\x01\nresponsible:\n"
	    "escalation: none\nescalated_by:\nescalated_on:\ncredit_override:\nprepaid: no\n"
	    "funds_bank:\nfunds_account:\nfunds_status:\nversion: 7\n"));
	assert_int_equal(line[strlen("notes: 第一行\\n第二行\\\\结尾\\ttab\\x01\nresponsible:\n"
	    "escalation: none\nescalated_by:\nescalated_on:\ncredit_override:\nprepaid: no\n"
	    "funds_bank:\nfunds_account:\nfunds_status:\nversion: 7\n")], '\0');
	/* the same values always give these bytes, whatever order they were set in */
	{
		struct record *other = record_new(rec->form);
		struct buf again = BUF_INIT;
		char *want = xasprintf("# huitou institution %u\nid: JG-610113-000042\n"
		    "name: 启明星教育培训学校\ncredit_code:\ndistrict: 610113\nstreet:\naddress:\n"
		    "category:\nstatus: licensed\nrectify_deadline:\nlist: none\npermit_no:\n"
		    "legal_representative:\nphone:\ncredit_tier:\nplatform_entered: no\n"
		    "notes: 第一行\\n第二行\\\\结尾\\ttab\\x01\nresponsible:\nescalation: none\n"
		    "escalated_by:\nescalated_on:\ncredit_override:\nprepaid: no\nfunds_bank:\n"
		    "funds_account:\nfunds_status:\nversion: 7\n", rec->form->version);

		assert_string_equal(buf_str(&text), want);
		for (size_t i = rec->form->n_fields; i-- > 0;)
			record_set_raw(other, i, rec->values[i]);
		other->version = 7;
		record_text(other, NULL, &again);
		assert_string_equal(buf_str(&again), want);
		buf_free(&again);
		record_free(other);
		free(want);
	}
	buf_free(&text);
	record_free(rec);
}

static void
test_text_round_trip(void **state)
{
	struct record *rec = sample(), *back = NULL;
	struct buf text = BUF_INIT;
	struct error err = ERROR_INIT;

	(void)state;
	record_text(rec, NULL, &text);
	assert_int_equal(record_from_text(rec->form, NULL, text.data, text.len, &back, &err), 0);
	assert_int_equal(back->version, 7);
	for (size_t i = 0; i < rec->form->n_fields; i++)
		assert_string_equal(back->values[i], rec->values[i]);
	record_free(back);
	assert_int_equal(record_from_text(rec->form, NULL, "name: x\n", 8, &back, &err), -1);
	error_clear(&err);
	buf_free(&text);
	record_free(rec);
}

static void
test_paths_are_sharded(void **state)
{
	char *p;

	(void)state;
	p = record_path(institution(), "JG-610113-000042");
	assert_string_equal(p, "institution/610113/42/JG-610113-000042");
	free(p);
	p = record_path(institution(), "JG-610113-100042");	/* same shard as 42 */
	assert_string_equal(p, "institution/610113/42/JG-610113-100042");
	free(p);
	p = record_path(institution(), "SP-0007");
	assert_string_equal(p, "institution/07/SP-0007");
	free(p);
}

static void
test_outbox_entry_round_trip(void **state)
{
	struct audit_commit c, back;
	struct error err = ERROR_INIT;
	struct buf data = BUF_INIT;

	(void)state;
	memset(&c, 0, sizeof c);
	c.author_name = xstrdup("张三");
	c.author_email = xstrdup("zhangsan@host");
	c.when = 1700000000;
	c.subject = xstrdup("机构 JG-610113-000042 状态 licensed→rectifying");
	c.body = xstrdup("");
	c.trailers = xstrdup("Action: record.update\n");
	audit_commit_add_file(&c, "a/b", "x\0y", 3);	/* content may hold NUL bytes */
	audit_commit_add_file(&c, "gone", NULL, 0);
	outbox_encode(&c, &data);
	assert_int_equal(outbox_decode(data.data, data.len, &back, &err), 0);
	assert_string_equal(back.author_name, "张三");
	assert_int_equal(back.when, 1700000000);
	assert_string_equal(back.subject, c.subject);
	assert_string_equal(back.trailers, c.trailers);
	assert_int_equal(back.n_files, 2);
	assert_int_equal(back.files[0].len, 3);
	assert_memory_equal(back.files[0].content, "x\0y", 3);
	assert_null(back.files[1].content);
	audit_commit_free(&back);
	/* a cut entry is refused, not read past its end */
	assert_int_equal(outbox_decode(data.data, data.len - 2, &back, &err), -1);
	error_clear(&err);
	audit_commit_free(&c);
	buf_free(&data);
}

/* git's delta decoder, to check the encoder's output. */
static size_t
varint(const unsigned char **p)
{
	size_t v = 0;
	int shift = 0;

	do {
		v |= (size_t)(**p & 0x7f) << shift;
		shift += 7;
	} while (*(*p)++ & 0x80);
	return v;
}

static char *
delta_apply(const char *base, size_t base_len, const struct buf *d, size_t *out_len)
{
	const unsigned char *p = (const unsigned char *)d->data, *end = p + d->len;
	struct buf out = BUF_INIT;

	assert_int_equal(varint(&p), base_len);
	*out_len = varint(&p);
	while (p < end) {
		unsigned char op = *p++;

		if (op & 0x80) {
			size_t off = 0, len = 0;

			for (int i = 0; i < 4; i++)
				if (op & (1 << i))
					off |= (size_t)*p++ << (8 * i);
			for (int i = 0; i < 3; i++)
				if (op & (0x10 << i))
					len |= (size_t)*p++ << (8 * i);
			if (len == 0)
				len = 0x10000;
			assert_true(off + len <= base_len);
			buf_add(&out, base + off, len);
		} else {
			assert_true(op > 0);
			buf_add(&out, p, op);
			p += op;
		}
	}
	assert_int_equal(out.len, *out_len);
	return buf_detach(&out);
}

static void
test_delta_reproduces_the_target(void **state)
{
	struct record *a = sample(), *b = sample();
	struct buf ta = BUF_INIT, tb = BUF_INIT, d = BUF_INIT;
	char *back;
	size_t len;

	(void)state;
	record_set_raw(b, 0, "JG-610113-000043");
	record_set_raw(b, 1, "博雅艺术培训中心，名称更长一些以便跨过一百二十七个字节的插入上限"
	    "博雅艺术培训中心博雅艺术培训中心博雅艺术培训中心");
	b->version = 1;
	record_text(a, NULL, &ta);
	record_text(b, NULL, &tb);
	assert_int_equal(delta_encode(ta.data, ta.len, tb.data, tb.len, &d), 0);
	assert_true(d.len < tb.len);	/* the shared field names are copied, not repeated */
	back = delta_apply(ta.data, ta.len, &d, &len);
	assert_int_equal(len, tb.len);
	assert_memory_equal(back, tb.data, len);
	free(back);
	buf_free(&ta), buf_free(&tb), buf_free(&d);
	record_free(a), record_free(b);
}

/* The ids "git hash-object" gives the same texts. */
static void
test_blob_ids_are_git_s(void **state)
{
	static const struct { const char *in; const char *hex; } v[] = {
		{ "", "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391" },
		{ "hello\n", "ce013625030ba8dba906f756967f9e9ca394464a" },
		{ "名称: 启明星数学培训学校\n", "596a8709e8941610304669bbba381d8a01777024" },
	};

	(void)state;
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++) {
		unsigned char sum[SHA1_RAWSZ];
		char hex[41];

		sha1_blob_id(v[i].in, strlen(v[i].in), sum);
		for (int j = 0; j < 20; j++)
			snprintf(hex + 2 * j, 3, "%02x", sum[j]);
		assert_string_equal(hex, v[i].hex);
	}
}

static int
cleanup(void **state)
{
	(void)state;
	formset_free(&forms);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_text_format_is_stable_and_readable),
		cmocka_unit_test(test_text_round_trip),
		cmocka_unit_test(test_paths_are_sharded),
		cmocka_unit_test(test_outbox_entry_round_trip),
		cmocka_unit_test(test_delta_reproduces_the_target),
		cmocka_unit_test(test_blob_ids_are_git_s),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	lang_init("en");
	return cmocka_run_group_tests(tests, NULL, cleanup);
}
