/*
 * test-query.c — folding (case, full width, Traditional, pinyin) and how fast it is; search
 * keys; the query language on the shipped institution form and a form with numbers and dates:
 * every operator, labels, precedence, bare words, dates relative to today, and each error
 * with its offset.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "unit.h"
#include "fixture.h"
#include "store/query.h"
#include "store/query-private.h"

#define COURSE_FORM "form course\nversion 1\nlabel 课程 | Course\nid-format KC-{seq:4}\n" \
	"field id\n type id\n label 编号 | ID\n" \
	"field title\n type text\n label 名称 | Title\n max 40\n" \
	"field hours\n type integer\n label 课时 | Hours\n" \
	"field fee\n type money\n label 收费 | Fee\n" \
	"field start\n type date\n label 开课日期 | Start date\n" \
	"field online\n type bool\n label 线上 | Online\n"

static struct formset forms;
static struct form *course;

static void
expect_fold(const char *in, const char *text, const char *full, const char *initials)
{
	char *s;

	s = fold_text(in);
	assert_string_equal(s, text);
	free(s);
	s = fold_pinyin(in, false);
	assert_string_equal(s, full);
	free(s);
	s = fold_pinyin(in, true);
	assert_string_equal(s, initials);
	free(s);
}

static void
test_fold(void **state)
{
	(void)state;
	expect_fold("Hello WORLD", "hello world", "helloworld", "helloworld");
	expect_fold("ＡＢＣ１２３", "abc123", "abc123", "abc123");
	expect_fold("培訓機構", "培训机构", "peixunjigou", "pxjg");
	expect_fold("启明星", "启明星", "qimingxing", "qmx");
	expect_fold("启明星2号 Training!", "启明星2号 training!", "qimingxing2haotraining",
	    "qmx2htraining");
	expect_fold("启明　星（雁塔）", "启明 星(雁塔)", "qimingxingyanta", "qmxyt");
	expect_fold("ÀÉÎ Straße", "àéî straße", "àéîstraße", "àéîstraße");
	expect_fold("〇𠀀", "〇𠀀", "linghe", "lh");	/* outside the main table */
	expect_fold("", "", "", "");
	expect_fold("a\xff" "b", "a\xff" "b", "ab", "ab");	/* bad bytes: left, or dropped */
}

static double
seconds(void)
{
	struct timespec ts;

	assert_int_equal(clock_gettime(CLOCK_MONOTONIC, &ts), 0);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* 100,000 names as a city has them, folded as a search key folds them: none folds to nothing,
 * their initials are never longer than their pinyin; the time is reported, not checked. */
static void
test_fold_many(void **state)
{
	static const char *const head[] = { "启明星", "阳光", "博學", "新东方", "智慧树", "小天才",
	    "金太阳", "育才", "英才", "未來之星", "ＡＢＣ", "乐学" };
	static const char *const tail[] = { "培训学校", "教育科技有限公司", "艺术培訓中心",
	    "文化传播有限公司", "托管中心", "英语学校", "體育俱樂部" };
	double t0 = seconds(), dt;
	size_t bytes = 0, bad = 0;

	(void)state;
	for (int i = 0; i < 100000; i++) {
		char name[128], *a, *b, *c;

		snprintf(name, sizeof name, "%s%s（%d分校）", head[i % 12], tail[(i / 12) % 7],
		    i % 100);
		a = fold_text(name);
		b = fold_pinyin(name, false);
		c = fold_pinyin(name, true);
		if (*a == '\0' || *c == '\0' || strlen(c) > strlen(b))
			bad++;
		bytes += strlen(a) + strlen(b) + strlen(c);
		free(a);
		free(b);
		free(c);
	}
	dt = seconds() - t0;
	printf("# folded 100000 names (text, pinyin, initials) in %.0f ms, %zu bytes\n",
	    dt * 1e3, bytes);
	assert_int_equal(bad, 0);
}

static const struct form *
institution(void)
{
	return formset_find(&forms, "institution");
}

static void
set(struct record *rec, const char *field, const char *value)
{
	int i = form_field_index(rec->form, field);

	assert_true(i >= 0);
	record_set_raw(rec, (size_t)i, value);
}

static struct record *
sample(void)
{
	struct record *rec = record_new(institution());

	set(rec, "id", "JG-610113-000042");
	set(rec, "name", "启明星培训学校");
	set(rec, "credit_code", "91610113MA6TXXXX0X");
	set(rec, "district", "610113");
	set(rec, "street", "610113001");
	set(rec, "address", "雁塔区 Keji Road 8号");
	set(rec, "category", "subject");
	set(rec, "status", "rectifying");
	set(rec, "list", "black");
	set(rec, "phone", "029-88881234");
	set(rec, "credit_tier", "B");
	return rec;
}

static void
test_record_key(void **state)
{
	struct record *rec = sample();
	char *key = query_record_key(rec);
	static const char *const found[] = { "启明", "qmx", "QMX", "ＱＭＸ", "qimingxing",
	    "培訓", "學校", "jg-610113-000042", "000042", "610113", "rectifying", "整改中",
	    "zhenggaizhong", "学科类", "subject", "keji", "yanta", "029-8888", "黑名单",
	    "b级", "mostly", "" };
	static const char *const missed[] = { "阳光", "qmy", "licensed", "white", "yes",
	    "qimingxingpeixunxuexiaoyanta" };

	(void)state;
	assert_non_null(strstr(key, "启明星培训学校\nqimingxingpeixunxuexiao\nqmxpxxx\n"));
	for (size_t i = 0; i < sizeof found / sizeof found[0]; i++)
		if (!query_word_matches(found[i], key))
			fail_msg("'%s' should be found in the key", found[i]);
	for (size_t i = 0; i < sizeof missed / sizeof missed[0]; i++)
		if (query_word_matches(missed[i], key))
			fail_msg("'%s' should not be found in the key", missed[i]);
	assert_false(query_word_matches("qmx", NULL));
	free(key);
	/* A name kept in Traditional characters is found by Simplified ones and pinyin. */
	set(rec, "name", "博學培訓");
	key = query_record_key(rec);
	assert_true(query_word_matches("博学培训", key));
	assert_true(query_word_matches("博學", key));
	assert_true(query_word_matches("bxpx", key));
	assert_true(query_word_matches("boxue", key));
	free(key);
	record_free(rec);
}

static bool
matches(const struct record *rec, const char *text)
{
	struct query *q = NULL;
	struct error err = ERROR_INIT;
	size_t at = 99;
	char *key;
	bool hit, hit_with_key;

	if (query_parse(rec->form, NULL, text, &q, &at, &err) != 0)
		fail_msg("'%s' refused at %zu: %s", text, at, err.message);
	key = query_record_key(rec);
	hit = query_match(q, rec, NULL);
	hit_with_key = query_match(q, rec, key);
	assert_int_equal(hit, hit_with_key);
	switch (query_match_key(q, key)) {	/* the key alone, where it tells, says the same */
	case QUERY_YES: if (!hit) fail_msg("'%s': the key says yes, the record no", text); break;
	case QUERY_NO: if (hit) fail_msg("'%s': the key says no, the record yes", text); break;
	case QUERY_MAYBE: break;
	}
	free(key);
	query_free(q);
	return hit;
}

#define MATCH(rec, text) do { if (!matches(rec, text)) fail_msg("should match: %s", text); \
	} while (0)
#define MISS(rec, text) do { if (matches(rec, text)) fail_msg("should not match: %s", text); \
	} while (0)

/* What query_index_terms passes on, as "field=value;" */
static int
note_term(void *arg, const struct field *f, enum store_cmp cmp, const char *value)
{
	static const char *const ops[] = { "=", "<", "<=", ">", ">=" };

	buf_printf(arg, "%s%s%s;", f->name, ops[cmp], value);
	return 0;
}

static enum query_answer
key_answer(const struct record *rec, const char *text, const char *want_terms)
{
	struct query *q = NULL;
	struct error err = ERROR_INIT;
	struct buf terms = BUF_INIT;
	char *key = query_record_key(rec);
	enum query_answer a;

	if (query_parse(rec->form, NULL, text, &q, NULL, &err) != 0)
		fail_msg("'%s' refused: %s", text, err.message);
	assert_int_equal(query_index_terms(q, note_term, &terms), 0);
	assert_string_equal(buf_str(&terms), want_terms);
	a = query_match_key(q, key);
	/* Answered by the indexes alone exactly when every term went to them. */
	assert_int_equal(query_by_index(q), query_match_key(q, NULL) == QUERY_YES);
	buf_free(&terms);
	free(key);
	query_free(q);
	return a;
}

/* Whether the indexes alone answer text, once its terms went to them. */
static bool
by_index_alone(const struct record *rec, const char *text)
{
	struct query *q = NULL;
	struct error err = ERROR_INIT;
	struct buf terms = BUF_INIT;
	bool alone;

	if (query_parse(rec->form, NULL, text, &q, NULL, &err) != 0)
		fail_msg("'%s' refused: %s", text, err.message);
	assert_int_equal(query_index_terms(q, note_term, &terms), 0);
	alone = query_by_index(q);
	buf_free(&terms);
	query_free(q);
	return alone;
}

static void
test_answers_from_key_and_indexes(void **state)
{
	struct record *rec = sample();
	struct query_word *w = query_word_new("ＱＭＸ");
	char *key = query_record_key(rec);
	const char *start, *end;

	(void)state;
	/* Top-level equalities on indexed fields go to the index; then only the rest is asked. */
	assert_int_equal(key_answer(rec, "status=rectifying and list=black", "status=rectifying;list=black;"),
	    QUERY_YES);
	assert_int_equal(key_answer(rec, "status=整改中 qmx", "status=rectifying;"), QUERY_YES);
	assert_int_equal(key_answer(rec, "status=banned or qmx", ""), QUERY_YES);
	assert_true(by_index_alone(rec, "status=rectifying and list=black"));
	assert_false(by_index_alone(rec, "status=rectifying and qmx"));
	assert_false(by_index_alone(rec, "status=rectifying or list=black"));
	assert_false(by_index_alone(rec, "name=x"));
	assert_int_equal(key_answer(rec, "not status=banned", ""), QUERY_MAYBE);
	assert_int_equal(key_answer(rec, "name=x", ""), QUERY_MAYBE);	/* not indexed */
	/* An indexed date's order is its index's order: ranges go to the index, a whole date's
	 * equality too; not a date as typed, nor an inequality, nor an indexed enum's order. */
	assert_int_equal(key_answer(rec, "rectify_deadline<2026-12-01 and status=rectifying",
	    "rectify_deadline<2026-12-01;status=rectifying;"), QUERY_YES);
	assert_int_equal(key_answer(rec, "整改期限>=2026/12/1 list=black",
	    "rectify_deadline>=2026-12-01;list=black;"), QUERY_YES);
	assert_int_equal(key_answer(rec, "rectify_deadline=2026年12月1日",
	    "rectify_deadline=2026-12-01;"), QUERY_YES);
	assert_true(by_index_alone(rec, "rectify_deadline>2026-01-01 and rectify_deadline<=2027-01-01"));
	assert_false(by_index_alone(rec, "rectify_deadline=2026-12"));
	assert_false(by_index_alone(rec, "rectify_deadline!=2026-12-01"));
	assert_false(by_index_alone(rec, "status<banned"));
	/* field~text from the field's own lines: the name has qmx, the address not. */
	assert_int_equal(key_answer(rec, "name~qmx", ""), QUERY_YES);
	assert_int_equal(key_answer(rec, "name~启明", ""), QUERY_YES);
	assert_int_equal(key_answer(rec, "address~qmx", ""), QUERY_NO);
	assert_int_equal(key_answer(rec, "address~keji and list=black", "list=black;"), QUERY_YES);
	assert_int_equal(key_answer(rec, "status~整改", ""), QUERY_YES);
	assert_int_equal(key_answer(rec, "status~licensed", ""), QUERY_NO);
	assert_int_equal(key_answer(rec, "qmy or name~阳光", ""), QUERY_NO);
	/* The marker lines are never found by a word, and each field's lines are apart. */
	assert_true(key_field_lines(key, 1, &start, &end));
	assert_int_equal(end - start, (long)strlen("启明星培训学校\nqimingxingpeixunxuexiao\nqmxpxxx"));
	assert_false(query_word_matches("name", key));
	assert_true(query_word_in(w, key));
	assert_string_equal(query_word_folded(w), "qmx");
	query_word_free(w);
	free(key);
	record_free(rec);
}

static void
test_operators(void **state)
{
	struct record *rec = sample();

	(void)state;
	MATCH(rec, "");
	MATCH(rec, "   ");
	MATCH(rec, "name=启明星培训学校");
	MATCH(rec, "name=啟明星培訓學校");	/* Traditional folds */
	MISS(rec, "name=启明");
	MATCH(rec, "name!=启明");
	MISS(rec, "name!=启明星培训学校");
	MATCH(rec, "name~启明");
	MATCH(rec, "name~qmx");
	MATCH(rec, "name~QiMingXing");
	MATCH(rec, "name~培訓");
	MATCH(rec, "name~\"Qi Ming\"");
	MISS(rec, "name~\"qi ming\" name~zzz");
	MISS(rec, "name~yanta");	/* that is the address */
	MATCH(rec, "address~yanta");
	MATCH(rec, "address~KEJI");
	MATCH(rec, "credit_code=91610113ma6txxxx0x");
	MATCH(rec, "district=610113");
	MATCH(rec, "district~6101");
	MISS(rec, "district=6101");
	MATCH(rec, "phone~8888");
	MATCH(rec, "name>启明");
	MATCH(rec, "id<=JG-610113-000042 id>=JG-610113-000042");
	MISS(rec, "id<JG-610113-000042");
	MATCH(rec, "id>JG-610113-000041");
	MATCH(rec, "permit_no=\"\"");	/* an empty field */
	MISS(rec, "name=\"\"");
	MATCH(rec, "name!=\"\"");
	MATCH(rec, "name=\"启明星培训学校\"");
	MATCH(rec, "address=\"雁塔区 keji road 8号\"");
	MISS(rec, "name~\"(\"");
	MATCH(rec, "address~\"keji road\"");
	record_free(rec);
}

static void
test_labels_and_enums(void **state)
{
	struct record *rec = sample();

	(void)state;
	MATCH(rec, "status=rectifying");
	MATCH(rec, "status=整改中");
	MATCH(rec, "status=Rectifying");
	MATCH(rec, "status=RECTIFYING");
	MISS(rec, "status=licensed");
	MATCH(rec, "status!=持证");
	MATCH(rec, "办学状态=整改中");
	MATCH(rec, "Status=rectifying");
	MATCH(rec, "STATUS=rectifying");
	MATCH(rec, "\"Credit tier\"=B");
	MATCH(rec, "信用等级=B级（基本守信）");
	MATCH(rec, "credit_tier<C");
	MATCH(rec, "credit_tier<=B credit_tier>=B");
	MISS(rec, "credit_tier>B");
	MISS(rec, "credit_tier<b");
	MATCH(rec, "list=黑名单");
	MATCH(rec, "status~整改");
	MATCH(rec, "status~zg");
	MATCH(rec, "status~rect");
	MATCH(rec, "platform_entered=no");
	MATCH(rec, "platform_entered=否");
	MISS(rec, "platform_entered=yes");
	set(rec, "credit_tier", "");
	MISS(rec, "credit_tier<C");
	MATCH(rec, "credit_tier!=A");
	MATCH(rec, "credit_tier=\"\"");
	record_free(rec);
}

static void
test_numbers_and_dates(void **state)
{
	struct record *rec = record_new(course);

	(void)state;
	set(rec, "title", "Piano 钢琴");
	set(rec, "hours", "12");
	set(rec, "fee", "1234.50");
	set(rec, "start", "2021-07-15");
	set(rec, "online", "yes");
	MATCH(rec, "hours>9");	/* as numbers: "12" < "9" as strings */
	MATCH(rec, "hours=12 hours>=12 hours<=12 hours<13");
	MISS(rec, "hours<12");
	MATCH(rec, "课时=１２");
	MATCH(rec, "fee=1234.5");
	MATCH(rec, "fee=1,234.50元");
	MATCH(rec, "fee>1000 fee<1234.51");
	MISS(rec, "fee>-5 fee>=1234.51");
	MATCH(rec, "start>2021-07-01");
	MATCH(rec, "start<2021-7-20");
	MATCH(rec, "start>=2021-07 start<2021-08");
	MISS(rec, "start<2021-07-15");
	MATCH(rec, "online=是 Online=true");
	MATCH(rec, "title~gangqin title~PIANO");
	set(rec, "hours", "");
	MISS(rec, "hours<100");
	MISS(rec, "hours>-100");
	MATCH(rec, "hours!=3");
	record_free(rec);
}

/* today is clock_now(), pinned by HUITOU_NOW, and fixed when the expression is parsed. */
static void
test_today(void **state)
{
	struct record *rec = record_new(course), *inst = sample();

	(void)state;
	assert_int_equal(setenv("HUITOU_NOW", "2021-07-15", 1), 0);
	set(rec, "start", "2021-07-15");
	MATCH(rec, "start=today");
	MATCH(rec, "start=TODAY start>=today start<=today");
	MATCH(rec, "开课日期=今天");
	MISS(rec, "start<today");
	MISS(rec, "start>today");
	MATCH(rec, "start<today+1 start>today-1");
	MATCH(rec, "start=today+0");
	MISS(rec, "start<today-1");
	MATCH(rec, "start>2021-07-10 start<today+3");
	set(rec, "start", "2021-08-01");
	MATCH(rec, "start=today+17");	/* across the end of a month */
	MATCH(rec, "start>today+16 start<today+18");
	assert_int_equal(setenv("HUITOU_NOW", "2021-12-31", 1), 0);
	set(rec, "start", "2022-01-01");
	MATCH(rec, "start=today+1 start>today");	/* and of a year */
	set(rec, "start", "2021-02-28");
	MATCH(rec, "start=today-306");
	set(rec, "start", "");
	MISS(rec, "start<today");	/* an empty date is neither before nor after */
	MISS(rec, "start>=today");
	MATCH(rec, "start!=today");
	MISS(rec, "title=today");	/* on a text field it is a word */
	set(rec, "title", "Today");
	MATCH(rec, "title=today");
	/* the campaign's question: rectifying and past the deadline */
	assert_int_equal(setenv("HUITOU_NOW", "2026-11-28", 1), 0);
	set(inst, "rectify_deadline", "2026-11-27");
	MATCH(inst, "status=rectifying and rectify_deadline<today");
	set(inst, "rectify_deadline", "2026-11-28");
	MISS(inst, "status=rectifying and rectify_deadline<today");
	MATCH(inst, "rectify_deadline<today+7 整改期限>=today");
	/* what is not a relative date is compared as typed, as before */
	set(inst, "rectify_deadline", "2026-11-27");
	MISS(inst, "rectify_deadline=today+");
	MISS(inst, "rectify_deadline=today+x");
	MISS(inst, "rectify_deadline=todayish");
	assert_int_equal(unsetenv("HUITOU_NOW"), 0);
	record_free(rec);
	record_free(inst);
}

static void
test_and_or_not(void **state)
{
	struct record *rec = sample();

	(void)state;
	set(rec, "status", "licensed");
	/* and binds tighter than or */
	MATCH(rec, "status=licensed or status=rectifying and list=none");
	MISS(rec, "(status=licensed or status=rectifying) and list=none");
	MISS(rec, "(status=licensed or status=rectifying) list=none");
	MATCH(rec, "status=rectifying and list=none or status=licensed");
	MATCH(rec, "status=licensed | status=rectifying & list=none");
	MATCH(rec, "status=rectifying or (list=black district=610113)");
	MISS(rec, "not status=licensed");
	MISS(rec, "!status=licensed");
	MATCH(rec, "NOT status=banned");
	MATCH(rec, "not status=licensed or list=black");	/* (not a) or b */
	MISS(rec, "not (status=licensed or list=white)");
	MATCH(rec, "not not status=licensed");
	MATCH(rec, "((status=licensed))");
	MATCH(rec, "(status=licensed)(list=black)");
	MATCH(rec, "status=licensed OR status=banned AND list=white");
	/* bare words: Chinese, pinyin, Traditional, mixed with terms */
	MATCH(rec, "启明");
	MATCH(rec, "qmx");
	MATCH(rec, "qimingxing");
	MATCH(rec, "培訓");
	MATCH(rec, "启明 qmx status=licensed");
	MISS(rec, "启明 阳光");
	MATCH(rec, "阳光 or 启明");
	MISS(rec, "not qmx");
	MATCH(rec, "\"and\" or 启明");	/* quoted, a word, not the operator */
	record_free(rec);
}

static void
expect_error(const struct form *form, const char *text, size_t offset, const char *message)
{
	struct query *q = (struct query *)&q;
	struct error err = ERROR_INIT;
	size_t at = 999;

	if (query_parse(form, NULL, text, &q, &at, &err) == 0)
		fail_msg("'%s' should be refused", text);
	assert_null(q);
	assert_non_null(err.message);
	assert_int_equal(err.status, ST_REFUSED);
	if (!str_eq(err.message, message) || at != offset)
		fail_msg("'%s': got \"%s\" at %zu, want \"%s\" at %zu", text, err.message, at,
		    message, offset);
	error_clear(&err);
}

static void
test_errors(void **state)
{
	const struct form *f = institution();

	(void)state;
	expect_error(f, "nosuch=1", 0, "unknown field 'nosuch'");
	expect_error(f, "name~启明 城市~x", strlen("name~启明 "), "unknown field '城市'");
	expect_error(f, "status=整改", 7, "'整改' is not an option: use one of licensed, "
	    "unlicensed, rectifying, suspended, banned");
	expect_error(f, "name~a (status=\"rect\")", strlen("name~a (status="),
	    "'rect' is not an option: use one of licensed, unlicensed, rectifying, suspended, "
	    "banned");
	expect_error(f, "status=", 0, "no value after 'status='");
	expect_error(f, "a name<=", 2, "no value after 'name<='");
	expect_error(f, "=x", 0, "no field name before '=x'");
	expect_error(f, "(status=licensed", 0, "'(' is never closed");
	expect_error(f, "a ((b) or c", 2, "'(' is never closed");
	expect_error(f, "a (", 2, "'(' is never closed");
	expect_error(f, "status=licensed)", 15, "')' has no '(' before it");
	expect_error(f, ") a", 0, "')' has no '(' before it");
	expect_error(f, "a ()", 2, "nothing between '(' and ')'");
	expect_error(f, "status=licensed and", 16, "'and' needs a term after it");
	expect_error(f, "a and or b", 2, "'and' needs a term after it");
	expect_error(f, "a or", 2, "'or' needs a term after it");
	expect_error(f, "a | )", 2, "'|' needs a term after it");
	expect_error(f, "or status=licensed", 0, "'or' needs a term before it");
	expect_error(f, "a (and b)", 3, "'and' needs a term before it");
	expect_error(f, "a not", 2, "'not' needs a term after it");
	expect_error(f, "name=\"启明", 5, "unclosed quote");
	expect_error(f, "platform_entered=maybe", 17,
	    "'maybe' is not yes or no: use yes/no or 是/否");
	expect_error(course, "hours>abc", 6, "'abc' is not a number");
	expect_error(course, "fee<=1.234", 5, "'1.234' is not a number");
	expect_error(f, "a\xff", 0, "not valid UTF-8 text");
}

static void
test_long_expression(void **state)
{
	struct buf text = BUF_INIT;
	struct query *q = NULL;
	struct error err = ERROR_INIT;
	struct record *rec = sample();
	size_t at;

	(void)state;
	for (int i = 0; i < 300; i++)
		buf_adds(&text, "启明 or ");
	buf_adds(&text, "qmx");	/* 601 tokens */
	assert_int_equal(query_parse(institution(), NULL, buf_str(&text), &q, &at, &err), 0);
	assert_true(query_match(q, rec, NULL));
	query_free(q);
	buf_reset(&text);
	for (int i = 0; i < 2000; i++)
		buf_addc(&text, '(');
	assert_int_equal(query_parse(institution(), NULL, buf_str(&text), &q, &at, &err), -1);
	assert_string_equal(err.message, "the expression is too long");
	assert_int_equal(at, 1000);
	error_clear(&err);
	buf_free(&text);
	record_free(rec);
}

/* Last: the caches go, and folding starts again from nothing. */
/* Initials count from the start of a name: qmx finds 启明星… but not 新城区墨香… (区墨香),
 * neither as a search word nor in name~qmx, from the record or from its key alone. */
static void
test_initials_from_start(void **state)
{
	struct record *far = record_new(institution()), *near = sample();
	struct query *q = NULL;
	struct error err = ERROR_INIT;
	char *kfar, *knear;

	(void)state;
	set(far, "id", "JG-610102-000001");
	set(far, "name", "新城区墨香书法培训中心");
	kfar = query_record_key(far);
	knear = query_record_key(near);
	assert_false(query_word_matches("qmx", kfar));
	assert_true(query_word_matches("qmx", knear));
	assert_true(query_word_matches("xcq", kfar));	/* the name's own start */
	assert_true(query_word_matches("区墨香", kfar));	/* Han and full pinyin: anywhere */
	assert_true(query_word_matches("qumoxiang", kfar));
	assert_int_equal(query_parse(institution(), NULL, "name~qmx", &q, NULL, &err), 0);
	assert_false(query_match(q, far, NULL));
	assert_true(query_match(q, near, NULL));
	assert_int_equal(query_match_key(q, kfar), QUERY_NO);
	assert_int_equal(query_match_key(q, knear), QUERY_YES);
	query_free(q);
	assert_int_equal(query_parse(institution(), NULL, "qmx", &q, NULL, &err), 0);
	assert_false(query_match(q, far, kfar));
	assert_true(query_match(q, near, knear));
	query_free(q);
	free(kfar);
	free(knear);
	record_free(far);
	record_free(near);
}

static const struct division_row named_city = { "6101", "", "西安市" };
static const struct division_row named_divisions[] = {
	{ "610102", "", "新城区" },
	{ "610113", "", "雁塔区" },
	{ "610114", "", "阎良区" },
};

static char *
add_user(struct fixture *fx, const char *login, const char *name)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	struct record *rec = record_new(formset_find(&fx->forms, "user"));
	struct field_ctx ctx;
	char *id;

	assert_int_equal(store_txn_begin(fx->store, true, &txn, &err), 0);
	store_field_ctx(txn, rec, &ctx);
	assert_int_equal(record_set_input(rec, "login", login, &ctx, &err), 0);
	assert_int_equal(record_set_input(rec, "name", name, &ctx, &err), 0);
	assert_int_equal(record_set_input(rec, "role", "inspector", &ctx, &err), 0);
	if (store_insert(txn, rec, &err) != 0 || store_txn_commit(txn, &err) != 0)
		fail_msg("insert: %s", err.message);
	id = xstrdup(record_id(rec));
	record_free(rec);
	return id;
}

/* Whether text, parsed against the store, matches a record with field set to value. */
static bool
named_match(struct fixture *fx, const char *text, const char *field, const char *value)
{
	struct store_txn *txn;
	struct error err = ERROR_INIT;
	struct field_ctx ctx;
	struct query *q = NULL;
	struct record *rec = record_new(fx->inst);
	bool hit;

	record_set_raw(rec, (size_t)form_field_index(fx->inst, field), value);
	assert_int_equal(store_txn_begin(fx->store, false, &txn, &err), 0);
	store_field_ctx(txn, NULL, &ctx);
	if (query_parse(fx->inst, &ctx, text, &q, NULL, &err) != 0)
		fail_msg("%s: %s", text, err.message);
	store_txn_abort(txn);
	hit = query_match(q, rec, NULL);
	query_free(q);
	record_free(rec);
	return hit;
}

/* district=yt and responsible=徐明: divisions by name or pinyin, refs by their title. */
static void
test_named_divisions_and_refs(void **state)
{
	struct fixture *fx = fixture_new(&named_city, named_divisions, 3);
	struct error err = ERROR_INIT;
	char *xu, *xul, *wang;

	(void)state;
	assert_non_null(fx);
	assert_int_equal(store_commit_setup(fx->store, &err), 0);
	assert_true(named_match(fx, "district=yt", "district", "610113"));
	assert_true(named_match(fx, "district=ytq", "district", "610113"));
	assert_true(named_match(fx, "district=yantaqu", "district", "610113"));
	assert_true(named_match(fx, "district=雁塔区", "district", "610113"));
	assert_true(named_match(fx, "district=雁塔", "district", "610113"));
	assert_true(named_match(fx, "district=610113", "district", "610113"));
	assert_false(named_match(fx, "district=yt", "district", "610102"));
	assert_false(named_match(fx, "district=yt", "district", "610114"));	/* ylq */
	assert_true(named_match(fx, "district!=yt", "district", "610102"));
	assert_false(named_match(fx, "district!=yt", "district", "610113"));
	/* y starts both ytq and ylq: either */
	assert_true(named_match(fx, "district=y", "district", "610114"));
	assert_true(named_match(fx, "district=y", "district", "610113"));
	assert_false(named_match(fx, "district=y", "district", "610102"));
	assert_false(named_match(fx, "district=nowhere", "district", "610113"));

	xu = add_user(fx, "xuming", "徐明");
	xul = add_user(fx, "xuml", "徐明亮");
	wang = add_user(fx, "wangf", "王芳");
	assert_true(named_match(fx, "responsible=徐明", "responsible", xu));
	assert_false(named_match(fx, "responsible=徐明", "responsible", xul));	/* whole first */
	assert_false(named_match(fx, "responsible=徐明", "responsible", wang));
	assert_true(named_match(fx, "responsible=xm", "responsible", xu));
	assert_true(named_match(fx, "responsible=xuming", "responsible", xu));
	assert_true(named_match(fx, "responsible=徐", "responsible", xu));	/* starts both */
	assert_true(named_match(fx, "responsible=徐", "responsible", xul));
	assert_true(named_match(fx, "responsible!=徐明", "responsible", wang));
	assert_false(named_match(fx, "responsible!=徐明", "responsible", xu));
	assert_true(named_match(fx, "责任人=王芳", "responsible", wang));
	{
		char eq[32];

		snprintf(eq, sizeof eq, "responsible=%s", wang);	/* ids still work */
		assert_true(named_match(fx, eq, "responsible", wang));
		assert_false(named_match(fx, eq, "responsible", xu));
	}
	assert_false(named_match(fx, "responsible=李四", "responsible", xu));
	free(xu);
	free(xul);
	free(wang);
	fixture_free(fx);
}

static void
test_cleanup(void **state)
{
	char *s;

	(void)state;
	fold_cleanup();
	s = fold_pinyin("機構", true);
	assert_string_equal(s, "jg");
	free(s);
	fold_cleanup();
	fold_cleanup();
}

static int
setup(void **state)
{
	struct error err = ERROR_INIT;

	(void)state;
	if (formset_load_dir(ABS_TOP_SRCDIR "/forms", &forms, &err) != 0 ||
	    form_parse("course.form", COURSE_FORM, &course, &err) != 0) {
		fprintf(stderr, "%s\n", err.message);
		error_clear(&err);
		return -1;
	}
	return 0;
}

static int
teardown(void **state)
{
	(void)state;
	formset_free(&forms);
	form_free(course);
	return 0;
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fold),
		cmocka_unit_test(test_fold_many),
		cmocka_unit_test_setup_teardown(test_record_key, setup, teardown),
		cmocka_unit_test_setup_teardown(test_answers_from_key_and_indexes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_operators, setup, teardown),
		cmocka_unit_test_setup_teardown(test_labels_and_enums, setup, teardown),
		cmocka_unit_test_setup_teardown(test_numbers_and_dates, setup, teardown),
		cmocka_unit_test_setup_teardown(test_today, setup, teardown),
		cmocka_unit_test_setup_teardown(test_and_or_not, setup, teardown),
		cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
		cmocka_unit_test_setup_teardown(test_long_expression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_initials_from_start, setup, teardown),
		cmocka_unit_test(test_named_divisions_and_refs),
		cmocka_unit_test(test_cleanup),
	};

	return UNIT_RUN(tests);
}
