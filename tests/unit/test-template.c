/*
 * test-template.c — the document templates' engine (src/campaign/template*.c): HTML escaping,
 * dates in Chinese, refs followed through a real store, sections, settings, and every mistake
 * in a template refused as FILE:LINE with a reason before anything is filled.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "unit.h"
#include "fixture.h"
#include "campaign/template.h"

static const struct division_row city = { "6101", "", "西安市" };
static const struct division_row divisions[] = {
	{ "610113", "", "雁塔区" },
	{ "610113001", "610113", "小寨路街道" },
};

/* The records every render test reads: one person, one institution, two orders. */
struct world {
	struct fixture *fx;
	char *person, *inst, *order, *order2;
};

/* A new record of form from "field=value" pairs, committed; returns its id (caller frees). */
static char *
insert(struct fixture *fx, const char *form_name, const char *const *pairs)
{
	const struct form *form = formset_find(&fx->forms, form_name);
	struct record *rec = record_new(form);
	struct store_txn *txn;
	struct field_ctx ctx;
	struct error err = ERROR_INIT;
	char *id;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	store_field_ctx(txn, rec, &ctx);
	for (; *pairs != NULL; pairs += 2)
		if (record_set_input(rec, pairs[0], pairs[1], &ctx, &err) != 0)
			fail_msg("%s=%s: %s", pairs[0], pairs[1], err.message);
	if (store_insert(txn, rec, &err) != 0 || store_txn_commit(txn, &err) != 0)
		fail_msg("insert %s: %s", form_name, err.message);
	id = xstrdup(record_id(rec));
	record_free(rec);
	return id;
}

static int
setup(void **state)
{
	struct world *w = xcalloc(1, sizeof *w);
	struct identity me;
	struct error err = ERROR_INIT;

	if ((w->fx = fixture_new(&city, divisions, COUNT(divisions))) == NULL ||
	    identity_current(&me, &err) != 0)
		return -1;
	/* The login running the test registers itself first, as init makes it do. */
	free(insert(w->fx, "user", (const char *[]){ "login", me.login, "name", "创建者",
	    "role", "city_coordinator", NULL }));
	identity_free(&me);
	w->person = insert(w->fx, "user", (const char *[]){ "login", "wangfang", "name", "王芳",
	    "role", "district_coordinator", "district", "雁塔区", NULL });
	w->inst = insert(w->fx, "institution", (const char *[]){ "name",
	    "<script>alert('x')</script>启明星 & Co", "district", "雁塔区", "street", "小寨路街道",
	    "category", "学科类", "platform_entered", "yes", NULL });
	w->order = insert(w->fx, "rectification", (const char *[]){ "institution", w->inst,
	    "check", "safety", "finding", "消防通道\"堵塞\"", "deadline", "2026-12-20",
	    "responsible", w->person, NULL });
	w->order2 = insert(w->fx, "rectification", (const char *[]){ "institution", w->inst,
	    "check", "platform", "finding", "未录入", "deadline", "2027-01-05",
	    "responsible", w->person, "actions", "补录", NULL });
	setenv("HUITOU_NOW", "2026-12-02", 1);
	*state = w;
	return 0;
}

static int
teardown(void **state)
{
	struct world *w = *state;

	fixture_free(w->fx);
	free(w->person);
	free(w->inst);
	free(w->order);
	free(w->order2);
	free(w);
	return 0;
}

/* text read as a template for form_name (and settings, when not NULL); NULL with err set. */
static struct template *
read_template(struct world *w, const char *form_name, const char *settings, const char *text,
    struct error *err)
{
	struct template *t = template_new(&w->fx->forms,
	    form_name != NULL ? formset_find(&w->fx->forms, form_name) : NULL);

	if ((settings != NULL &&
	    template_read_settings(t, "t.settings", settings, strlen(settings), err) != 0) ||
	    template_read(t, "t.html", text, err) != 0) {
		template_free(t);
		return NULL;
	}
	return t;
}

/* The document for record id of form_name; the caller frees it. */
static char *
render(struct world *w, const struct template *t, const char *form_name, const char *id)
{
	const struct form *form = formset_find(&w->fx->forms, form_name);
	struct store_txn *txn;
	struct record *rec;
	struct buf out = BUF_INIT;
	struct error err = ERROR_INIT;

	assert_int_equal(store_txn_begin(w->fx->store, false, &txn, &err), 0);
	assert_int_equal(store_get(txn, form, id, &rec, &err), 0);
	if (template_render(t, w->fx->store, txn, rec, &out, &err) != 0)
		fail_msg("render: %s", err.message);
	store_txn_abort(txn);
	record_free(rec);
	return buf_detach(&out);
}

/* The document text makes for id, compared with want. */
static void
assert_renders(struct world *w, const char *form_name, const char *id, const char *text,
    const char *want)
{
	struct error err = ERROR_INIT;
	struct template *t = read_template(w, form_name, NULL, text, &err);
	char *got;

	if (t == NULL)
		fail_msg("%s", err.message);
	got = render(w, t, form_name, id);
	assert_string_equal(got, want);
	free(got);
	template_free(t);
}

/* text is refused with exactly want. */
static void
assert_refused(struct world *w, const char *settings, const char *text, const char *want)
{
	struct error err = ERROR_INIT;
	struct template *t = read_template(w, "rectification", settings, text, &err);

	assert_null(t);
	assert_non_null(err.message);
	assert_string_equal(err.message, want);
	assert_int_equal(err.status, ST_FAILED);
	error_clear(&err);
}

static void
test_escape(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	template_escape_html(&out, "<script>a&b \"c\" 'd'</script>启明");
	assert_string_equal(buf_str(&out),
	    "&lt;script&gt;a&amp;b &quot;c&quot; &#39;d&#39;&lt;/script&gt;启明");
	buf_free(&out);
}

static void
test_dates(void **state)
{
	struct buf out = BUF_INIT;

	(void)state;
	template_format_date(&out, "2026-12-02");
	assert_string_equal(buf_str(&out), "2026年12月2日");
	buf_reset(&out);
	template_format_date(&out, "2027-01-20");
	assert_string_equal(buf_str(&out), "2027年1月20日");
	buf_reset(&out);
	template_format_date(&out, "");
	assert_string_equal(buf_str(&out), "");
	buf_reset(&out);
	template_format_date(&out, "2026-12-0x");
	assert_string_equal(buf_str(&out), "2026-12-0x");
	buf_free(&out);
}

/* Values as a person reads them, refs followed, every value escaped, the markup kept. */
static void
test_values_and_refs(void **state)
{
	struct world *w = *state;
	char *want = xasprintf("<p>%s|&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;启明星 &amp; "
	    "Co|雁塔区|小寨路街道|是|王芳|安全管理|safety|较重|消防通道&quot;堵塞&quot;|2026-12-20|"
	    "2026年12月20日|西安市|2026-12-02|2026年12月2日|%s</p>", w->order, w->inst);

	assert_renders(w, "rectification", w->order, "<p>{{id}}|{{institution.name}}|"
	    "{{institution.district}}|{{ institution.street }}|{{institution.platform_entered}}|"
	    "{{responsible.name}}|{{check}}|{{check|raw}}|{{severity}}|{{finding}}|{{deadline}}|"
	    "{{deadline|date}}|{{city}}|{{today}}|{{today|date}}|{{institution}}</p>", want);
	free(want);
}

static void
test_sections(void **state)
{
	struct world *w = *state;
	char *want;

	assert_renders(w, "rectification", w->order,
	    "{{#if actions}}A{{else}}no actions{{/if}},{{#if inspection}}I{{/if}}"
	    "{{#if responsible.name}}, {{responsible.name}}{{/if}}{{! not printed }}",
	    "no actions,, 王芳");
	/* An institution's orders, in id order. */
	want = xasprintf("[%s 消防通道&quot;堵塞&quot; -][%s 未录入 补录]", w->order, w->order2);
	assert_renders(w, "institution", w->inst, "{{#each rectification.institution}}[{{id}} "
	    "{{finding}} {{#if actions}}{{actions}}{{else}}-{{/if}}]{{/each}}", want);
	free(want);
}

/* Settings: the record type, and values that may hold placeholders, escaped once. */
static void
test_settings(void **state)
{
	struct world *w = *state;
	struct error err = ERROR_INIT;
	struct template *t = read_template(w, NULL, "# the office\nform rectification\n"
	    "set office   {{city}}教育局 <办公室>\nset due 限{{deadline|date}}前\n",
	    "{{office}}|{{due}}", &err);
	char *got;

	if (t == NULL)
		fail_msg("%s", err.message);
	assert_ptr_equal(template_form(t), formset_find(&w->fx->forms, "rectification"));
	got = render(w, t, "rectification", w->order);
	assert_string_equal(got, "西安市教育局 &lt;办公室&gt;|限2026年12月20日前");
	free(got);
	template_free(t);
}

/* A record of another type than the template's is refused, nothing written. */
static void
test_other_form(void **state)
{
	struct world *w = *state;
	const struct form *inst = formset_find(&w->fx->forms, "institution");
	struct error err = ERROR_INIT;
	struct template *t = read_template(w, "rectification", NULL, "{{id}}", &err);
	struct store_txn *txn;
	struct record *rec;
	struct buf out = BUF_INIT;

	assert_non_null(t);
	assert_int_equal(store_txn_begin(w->fx->store, false, &txn, &err), 0);
	assert_int_equal(store_get(txn, inst, w->inst, &rec, &err), 0);
	assert_int_equal(template_render(t, w->fx->store, txn, rec, &out, &err), -1);
	assert_int_equal(err.status, ST_REFUSED);
	assert_int_equal(out.len, 0);
	store_txn_abort(txn);
	record_free(rec);
	template_free(t);
	error_clear(&err);
}

static void
test_mistakes(void **state)
{
	struct world *w = *state;

	assert_refused(w, NULL, "<p>\n{{id}}\n<b>{{nope}}</b>", "t.html:3: unknown field 'nope'");
	assert_refused(w, NULL, "{{institution.nope}}", "t.html:1: unknown field 'institution.nope'");
	assert_refused(w, NULL, "{{finding.name}}", "t.html:1: unknown field 'finding.name'");
	assert_refused(w, NULL, "{{}}", "t.html:1: unknown field ''");
	assert_refused(w, NULL, "\n\n{{#if nope}}x{{/if}}", "t.html:3: unknown field 'nope'");
	assert_refused(w, NULL, "{{deadline|upper}}", "t.html:1: unknown filter 'upper'");
	assert_refused(w, NULL, "{{finding|date}}", "t.html:1: 'finding' is not a date");
	assert_refused(w, NULL, "{{city|raw}}", "t.html:1: unknown filter 'raw'");
	assert_refused(w, NULL, "a\n{{#if actions}}\nb", "t.html:2: '{{#if actions}}' is not closed");
	assert_refused(w, NULL, "a\n{{/if}}", "t.html:2: '{{/if}}' closes nothing");
	assert_refused(w, NULL, "{{#if id}}\n{{/each}}",
	    "t.html:2: '{{/each}}' does not close '{{#if id}}'");
	assert_refused(w, NULL, "{{#each rectification.institution}}{{else}}{{/each}}",
	    "t.html:1: '{{else}}' does not close '{{#each rectification.institution}}'");
	assert_refused(w, NULL, "{{else}}", "t.html:1: '{{else}}' closes nothing");
	assert_refused(w, NULL, "a\n\nb {{id", "t.html:3: '{{' without '}}'");
	assert_refused(w, NULL, "{{#for id}}{{/for}}", "t.html:1: unknown section '{{#for id}}'");
	assert_refused(w, NULL, "{{#each user.name}}{{/each}}", "t.html:1: unknown list 'user.name'");
	/* rectification.institution lists an institution's orders, not an order's. */
	assert_refused(w, NULL, "{{#each rectification.institution}}{{/each}}",
	    "t.html:1: unknown list 'rectification.institution'");
	assert_refused(w, NULL, "{{! a comment\nover lines }}\n{{x}}", "t.html:3: unknown field 'x'");
	/* Settings: lines and values checked as the template is. */
	assert_refused(w, "form rectification\nset office {{nope}}\n", "{{office}}",
	    "t.settings:2: unknown field 'nope'");
	assert_refused(w, "form rectification\nset a x\nset b {{a}}\n", "{{b}}",
	    "t.settings:3: unknown field 'a'");
	assert_refused(w, "form rectification\nset a x\nset a y\n", "", "t.settings:3: 'a' is set already");
	assert_refused(w, "form rectification\nset city 市\n", "", "t.settings:2: 'city' is set already");
	assert_refused(w, "form rectification\nset finding 无\n", "",
	    "t.settings:2: 'finding' is a field of the record");
	assert_refused(w, "form nothing\n", "", "t.settings:1: unknown form 'nothing'");
	assert_refused(w, "form institution\n", "", "t.settings:1: the template is for 'rectification' records");
	assert_refused(w, "colour red\n", "", "t.settings:1: unknown line 'colour'");
}

/* Without a form, a template cannot be checked: it is refused. */
static void
test_no_form(void **state)
{
	struct world *w = *state;
	struct error err = ERROR_INIT;

	assert_null(read_template(w, NULL, "# nothing\n", "{{id}}", &err));
	assert_string_equal(err.message,
	    "t.html: no record type: its settings file needs a 'form' line");
	error_clear(&err);
}

/* The shipped notice reads and names what the brief asks of it. */
static void
test_shipped_notice(void **state)
{
	struct world *w = *state;
	struct template *t;
	struct error err = ERROR_INIT;
	char *doc;

	if (template_load(w->fx->dir, "notice", &w->fx->forms, &t, &err) != 0)
		fail_msg("%s", err.message);
	doc = render(w, t, "rectification", w->order);
	assert_non_null(strstr(doc, "整改通知书"));
	assert_non_null(strstr(doc, "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;启明星 &amp; Co："));
	assert_non_null(strstr(doc, "2026年12月20日"));
	assert_non_null(strstr(doc, "西安市教育局"));
	assert_non_null(strstr(doc, "安全管理"));
	assert_non_null(strstr(doc, "王芳"));
	assert_non_null(strstr(doc, "size: A4"));
	assert_null(strstr(doc, "<script>"));
	assert_null(strstr(doc, "{{"));
	free(doc);
	template_free(t);
	assert_int_equal(template_load(w->fx->dir, "nothing", &w->fx->forms, &t, &err), -1);
	assert_int_equal(err.status, ST_REFUSED);
	error_clear(&err);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_escape),
		cmocka_unit_test(test_dates),
		cmocka_unit_test(test_values_and_refs),
		cmocka_unit_test(test_sections),
		cmocka_unit_test(test_settings),
		cmocka_unit_test(test_other_form),
		cmocka_unit_test(test_mistakes),
		cmocka_unit_test(test_no_form),
		cmocka_unit_test(test_shipped_notice),
	};

	cmocka_set_message_output(CM_OUTPUT_TAP);
	lang_init("en");
	return cmocka_run_group_tests(tests, setup, teardown);
}
