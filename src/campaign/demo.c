/*
 * demo.c — a realistic sample of institutions in the store's city, the same for the same seed:
 * names from word lists, valid and unique credit codes, the city's districts and streets.
 * demo_generate validates every value through the form, as an import does.
 */
#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "campaign/campaign.h"

/*
 * Word lists. A name is [district or city] + brand + [audience] + subject + suffix, as in
 * 启明星 + 教育 + 培训学校; the subject words follow the category. A representative is a surname
 * and a given name; an address a road and a number, or a flat in an estate for some of the
 * unlicensed. A word listed twice is drawn twice as often.
 */
static const char *const brands[] = {
	"启明星", "博雅", "小牛顿", "金话筒", "智慧树", "大拇指", "育才", "明德", "思源", "小天鹅",
	"七彩虹", "星火", "书香", "睿思", "青苗", "墨韵", "童画", "乐学", "优学", "卓越", "阳光",
	"蓝天", "金钥匙", "小状元", "博思", "知行", "弘文", "致远", "博学", "慧心", "晨曦", "翰林",
	"启航", "领航", "小精灵", "彩虹桥", "立人", "格致", "尚学", "品学", "新思维", "小博士",
	"小画家", "艺星", "未来星", "童心", "青苹果", "小脚印", "春晖", "桃李", "明日之星", "飞扬",
	"天籁", "墨香", "雅韵", "百灵鸟", "小海豚", "金色童年", "三味书屋", "向日葵", "小树苗",
	"长风", "鸿鹄", "正道", "求是", "启智", "开元", "德馨", "华章", "君子兰", "小蜜蜂",
	"金太阳", "新起点", "思齐", "学思", "名扬", "文轩", "博文", "精英", "俊才", "英才",
	"小海燕", "大风车", "蒲公英", "小荷", "萌芽", "童趣", "乐艺", "艺海", "墨林", "雏鹰",
	"东方", "华夏", "九州", "明远", "思博", "智多星", "小百灵", "金苹果", "贝乐", "悦读",
	"知新", "博纳",
};
static const char *const audiences[] = { "", "", "", "", "", "少儿", "青少年", "儿童" };
static const char *const subject_words[] = {	/* 学科类 */
	"教育", "教育", "教育", "文化", "文化", "英语", "数学", "语文", "作文", "外语", "理化",
	"学科", "同步辅导", "文化课", "阅读",
};
static const char *const other_words[] = {	/* 非学科类 */
	"艺术", "艺术", "美术", "音乐", "舞蹈", "书法", "钢琴", "声乐", "口才", "播音主持", "体育",
	"篮球", "足球", "游泳", "跆拳道", "武术", "围棋", "象棋", "科学素质", "科技", "编程",
	"机器人", "创客", "棋艺", "轮滑", "表演", "书画", "乐器", "小主持人", "研学",
};
static const char *const suffixes[] = {
	"培训学校", "培训学校", "培训学校", "培训中心", "培训中心", "培训",
};
static const char *const surnames[] = {
	"王", "李", "张", "刘", "陈", "杨", "赵", "黄", "周", "吴", "徐", "孙", "胡", "朱", "高",
	"林", "何", "郭", "马", "罗", "梁", "宋", "郑", "谢", "韩", "唐", "冯", "于", "董", "萧",
	"程", "曹", "袁", "邓", "许", "傅", "沈", "曾", "彭", "吕", "苏", "卢", "蒋", "蔡", "贾",
	"丁", "魏", "薛", "叶", "阎", "雷", "杜", "党", "屈", "寇",
};
static const char *const given_names[] = {
	"伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟",
	"涛", "明", "超", "秀兰", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰",
	"晓东", "海燕", "志强", "丹", "萍", "鹏", "辉", "婷", "雪", "欣怡", "子涵", "浩然", "建国",
	"淑珍", "小龙", "亚楠", "思远", "佳琪", "文博", "雅琴", "宏伟", "晓燕", "振华", "春梅",
	"国庆", "卫东", "红梅", "丽娟", "俊杰", "梦瑶", "一鸣", "嘉欣",
};
static const char *const roads[] = {
	"建设", "人民", "解放", "文化", "和平", "友谊", "长安", "兴华", "光明", "东风", "朝阳",
	"幸福", "青年", "南关", "北关", "太白", "含光", "朱雀", "凤城", "科技", "高新", "丈八",
	"电子", "翠华", "育才", "劳动", "纬一", "经二", "小寨", "吉祥", "明德", "振兴",
};
static const char *const road_kinds[] = {
	"路", "路", "大街", "东路", "西路", "南路", "北路", "街", "中路",
};
static const char *const premises[] = {
	"", "", "", "", "2楼", "3楼", "4楼", "二层", "B座201室", "综合楼3层", "商业街1层",
	"大厦5层", "写字楼601室",
};
static const char *const estates[] = {
	"锦绣园", "阳光花园", "翠苑小区", "金色家园", "书香华府", "水岸名居", "丽景小区",
	"紫薇花园",
};

#define PICK(g, a) ((a)[pick_below((g), COUNT(a))])

/* What goes with each status; the percents are of the institutions in that status. */
struct status_profile {
	const char *status;
	unsigned list[3];		/* percent white, black, none */
	unsigned tier[4];		/* percent in credit tiers A, B, C, D */
	unsigned platform;		/* percent entered in the supervision platform */
	unsigned licence;		/* percent with a business licence, so a credit code */
	bool permit;			/* holds a school-running permit */
	const char *notes[5];		/* what an inspector may have noted */
};

static const struct status_profile profiles[] = {
	{ "licensed", { 85, 0, 15 }, { 50, 40, 10, 0 }, 92, 100, true, { NULL } },
	{ "rectifying", { 0, 0, 100 }, { 0, 40, 50, 10 }, 70, 100, false,
	    { "回头看检查发现消防通道堵塞，已下达整改通知", "收费标准未公示，限期整改",
	    "教师资格证号未公示，限期整改", "超前超标培训，已责令整改",
	    "预收费超过三个月，已责令退费" } },
	{ "suspended", { 0, 0, 100 }, { 0, 20, 50, 30 }, 60, 100, false,
	    { "停业整顿中", "场地租期到期，暂停办学", "安全隐患未消除，责令停办" } },
	{ "unlicensed", { 0, 40, 60 }, { 0, 0, 40, 60 }, 5, 40, false,
	    { "群众举报：居民楼内无证办学", "暗访发现无证无照办学",
	    "线上无证培训，已移交市场监管部门" } },
	{ "banned", { 0, 100, 0 }, { 0, 0, 0, 100 }, 20, 60, false,
	    { "拒不整改，已联合执法取缔", "无证办学屡查屡犯，已取缔并张贴公告" } },
};
/* Percent of all institutions in each status, in the order of profiles[]. */
static const unsigned status_shares[] = { 70, 12, 7, 8, 3 };
_Static_assert(COUNT(status_shares) == COUNT(profiles), "a share for each status");
static const char *const lists[] = { "white", "black", "none" };
static const char *const tiers[] = { "A", "B", "C", "D" };

/* Landline area codes of a few cities; elsewhere the demo gives mobiles only. */
static const char *const area_codes[][2] = {
	{ "1101", "010" }, { "1201", "022" }, { "3101", "021" }, { "5001", "023" },
	{ "4401", "020" }, { "4403", "0755" }, { "5101", "028" }, { "4201", "027" },
	{ "3201", "025" }, { "3301", "0571" }, { "6101", "029" },
};

/*
 * Rectification deadlines lie around this day, some past and some to come, so the sample has
 * overdue institutions. A fixed day keeps the sample the same whenever it is made; the tests
 * pin HUITOU_NOW to it.
 */
#define DEADLINE_BASE { .tm_year = 2026 - 1900, .tm_mon = 11 - 1, .tm_mday = 28, .tm_hour = 12 }
#define DEADLINE_EARLIEST (-60)	/* days from the base */
#define DEADLINE_SPAN 150

/* The values of one institution by field name; a field of the form not here keeps its default. */
enum column {
	C_NAME, C_CREDIT_CODE, C_DISTRICT, C_STREET, C_ADDRESS, C_CATEGORY, C_STATUS,
	C_DEADLINE, C_LIST, C_PERMIT_NO, C_LEGAL_REP, C_PHONE, C_CREDIT_TIER, C_PLATFORM, C_NOTES,
	C_PREPAID, C_FUNDS_BANK, C_FUNDS_ACCOUNT, C_FUNDS_STATUS,
	C_COUNT
};
static const char *const column_fields[C_COUNT] = {
	"name", "credit_code", "district", "street", "address", "category", "status",
	"rectify_deadline", "list", "permit_no", "legal_representative", "phone", "credit_tier",
	"platform_entered", "notes",
	"prepaid", "funds_bank", "funds_account", "funds_status",
};

#define TEXT_MAX 256
struct demo_row {
	const char *v[C_COUNT];		/* a word from the tables above, or text[] */
	char text[C_COUNT][TEXT_MAX];
};

struct demo_district {
	const struct division *div;
	const struct division **streets;
	size_t n_streets;
	unsigned permits;	/* permits numbered so far in the district */
};

struct generator {
	uint64_t state;		/* splitmix64 */
	unsigned seed;
	uint64_t code_offset;	/* where the credit codes' serial numbers start */
	const char *city_name;
	const char *area_code;	/* NULL: mobiles only */
	struct demo_district *districts;
	size_t n_districts;
	size_t weight;		/* a district weighs 1 + its streets, so busy ones get more */
};

#define CODE_SERIALS 100000000ULL	/* the 8 digits of an organisation code */
#define CODE_STRIDE 7777777ULL		/* coprime with 10, so no serial comes twice */

static uint64_t
mix64(uint64_t z)
{
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
	z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
	return z ^ (z >> 31);
}

uint64_t
demo_random(uint64_t *state)
{
	return mix64(*state += 0x9e3779b97f4a7c15ULL);
}

static uint64_t
pick_next(struct generator *g)
{
	return demo_random(&g->state);
}

static size_t
pick_below(struct generator *g, size_t n)
{
	return (size_t)(pick_next(g) % n);
}

static bool
pick_chance(struct generator *g, unsigned percent)
{
	return pick_next(g) % 100 < percent;
}

/* An index drawn by percents that sum to 100; the last index takes what is left. */
static size_t
pick_weighted(struct generator *g, const unsigned *percent, size_t n)
{
	unsigned r = (unsigned)pick_below(g, 100);
	size_t i;

	for (i = 0; i + 1 < n && r >= percent[i]; i++)
		r -= percent[i];
	return i;
}

static struct demo_district *
pick_district(struct generator *g)
{
	size_t r = pick_below(g, g->weight), i;

	for (i = 0; i + 1 < g->n_districts && r >= 1 + g->districts[i].n_streets; i++)
		r -= 1 + g->districts[i].n_streets;
	return &g->districts[i];
}

static void
generator_add_street(struct generator *g, const struct division *street)
{
	for (size_t i = 0; i < g->n_districts; i++) {
		struct demo_district *d = &g->districts[i];

		if (!str_eq(d->div->code, street->parent))
			continue;
		d->streets = xrealloc(d->streets, (d->n_streets + 1) * sizeof *d->streets);
		d->streets[d->n_streets++] = street;
		g->weight++;
		return;
	}
}

static int
generator_init(struct generator *g, struct store *store, size_t n, unsigned seed,
    struct error *err)
{
	memset(g, 0, sizeof *g);
	g->n_districts = store_division_count(store, DIV_DISTRICT);
	if (g->n_districts == 0)
		return error_set(err, ST_REFUSED, _("the city has no districts for demo data"));
	if (n > CODE_SERIALS)
		return error_set(err, ST_REFUSED, _("at most %llu demo institutions can be made"),
		    CODE_SERIALS);
	g->state = seed;
	g->seed = seed;
	g->code_offset = pick_next(g) % CODE_SERIALS;
	g->city_name = store_city_name(store);
	for (size_t i = 0; i < COUNT(area_codes); i++)
		if (str_eq(area_codes[i][0], store_city_code(store)))
			g->area_code = area_codes[i][1];
	g->districts = xcalloc(g->n_districts, sizeof *g->districts);
	g->weight = g->n_districts;
	for (size_t i = 0; i < g->n_districts; i++)
		g->districts[i].div = store_division_at(store, DIV_DISTRICT, i);
	for (size_t i = 0; i < store_division_count(store, DIV_STREET); i++)
		generator_add_street(g, store_division_at(store, DIV_STREET, i));
	return 0;
}

static void
generator_free(struct generator *g)
{
	for (size_t i = 0; i < g->n_districts; i++)
		free(g->districts[i].streets);
	free(g->districts);
}

/* GB 11714: the check character of an 8-digit organisation code. */
static char
org_check_char(const char *code8)
{
	static const int weights[8] = { 3, 7, 9, 10, 5, 8, 4, 2 };
	int sum = 0, check;

	for (int i = 0; i < 8; i++)
		sum += (code8[i] - '0') * weights[i];
	check = 11 - sum % 11;
	return check == 10 ? 'X' : check == 11 ? '0' : (char)('0' + check);
}

/* 9, then 1 (enterprise) or 2 (individual business), district, organisation code, check. */
static int
make_credit_code(struct generator *g, size_t index, const char *district,
    char out[TEXT_MAX], struct error *err)
{
	uint64_t serial = (g->code_offset + (uint64_t)index * CODE_STRIDE) % CODE_SERIALS;
	int check;

	snprintf(out, TEXT_MAX, "9%c%.6s%08llu", pick_chance(g, 80) ? '1' : '2', district,
	    (unsigned long long)serial);
	out[16] = org_check_char(out + 8);
	out[17] = '\0';
	if ((check = uscc_check_char(out)) < 0)
		return error_set(err, ST_FAILED, _("internal error: bad demo credit code %s"), out);
	out[17] = (char)check;
	out[18] = '\0';
	return 0;
}

static void
make_name(struct generator *g, const struct demo_district *d, bool subject,
    char out[TEXT_MAX])
{
	unsigned place = (unsigned)pick_below(g, 10);
	const char *brand = PICK(g, brands);
	const char *audience = PICK(g, audiences);
	const char *word = subject ? PICK(g, subject_words) : PICK(g, other_words);
	const char *suffix = PICK(g, suffixes);
	const char *prefix = place < 4 ? d->div->name : place < 5 ? g->city_name : "";

	snprintf(out, TEXT_MAX, "%s%s%s%s%s", prefix, brand, audience, word, suffix);
}

static void
make_address(struct generator *g, const struct demo_district *d, bool residential,
    char out[TEXT_MAX])
{
	const char *road = PICK(g, roads);
	const char *kind = PICK(g, road_kinds);
	unsigned number = 1 + (unsigned)pick_below(g, 399);
	const char *estate = PICK(g, estates);
	unsigned building = 1 + (unsigned)pick_below(g, 20);
	unsigned unit = 1 + (unsigned)pick_below(g, 4);
	unsigned flat = 100 * (1 + (unsigned)pick_below(g, 18)) + 1 + (unsigned)pick_below(g, 4);
	const char *premise = PICK(g, premises);

	if (residential)
		snprintf(out, TEXT_MAX, "%s%s%s%u号%s%u号楼%u单元%u室", d->div->name, road, kind,
		    number, estate, building, unit, flat);
	else
		snprintf(out, TEXT_MAX, "%s%s%s%u号%s", d->div->name, road, kind, number, premise);
}

static void
make_person(struct generator *g, char out[TEXT_MAX])
{
	const char *surname = PICK(g, surnames);
	const char *given = PICK(g, given_names);

	snprintf(out, TEXT_MAX, "%s%s", surname, given);
}

/* A mobile 13x, 15x or 18x; a quarter are landlines where the city's area code is known. */
static void
make_phone(struct generator *g, char out[TEXT_MAX])
{
	static const char *const mobiles[] = { "13", "13", "15", "18" };
	const char *mobile = PICK(g, mobiles);
	unsigned third = (unsigned)pick_below(g, 10);
	unsigned long rest = (unsigned long)pick_below(g, 100000000);

	if (g->area_code != NULL && pick_chance(g, 25))
		snprintf(out, TEXT_MAX, "%s-8%07lu", g->area_code, rest % 10000000);
	else
		snprintf(out, TEXT_MAX, "%s%u%08lu", mobile, third, rest);
}

/*
 * The index-th institution's rectification deadline, around DEADLINE_BASE. It is drawn apart
 * from the generator's sequence, so the rest of the sample is what it was before deadlines.
 */
static void
make_deadline(const struct generator *g, size_t index, char out[TEXT_MAX])
{
	struct tm tm = DEADLINE_BASE;
	uint64_t r = mix64(((uint64_t)g->seed << 32) ^ (index * 0x9e3779b97f4a7c15ULL));
	time_t t;

	tm.tm_mday += DEADLINE_EARLIEST + (int)(r % DEADLINE_SPAN);
	t = timegm(&tm);
	gmtime_r(&t, &tm);
	strftime(out, TEXT_MAX, "%Y-%m-%d", &tm);
}

static const char *const banks[] = {
	"西安银行", "长安银行", "中国银行西安分行", "建设银行陕西省分行", "工商银行西安分行",
};

/*
 * The index-th institution's funds supervision (资金监管), drawn apart from the generator's
 * sequence as its deadline is, so the rest of the sample is what it was before: about half
 * take prepaid fees, most of those with supervised funds, some partly, some not at all (the
 * flag's cases: prepaid=yes funds_status!=supervised).
 */
static void
make_funds(const struct generator *g, size_t index, struct demo_row *row)
{
	uint64_t r = mix64(((uint64_t)g->seed << 32) ^ (index * 0xd1b54a32d192ed03ULL) ^ 0xf00d);
	unsigned prepaid = (unsigned)(r % 100), kind = (unsigned)((r >> 8) % 100);

	row->v[C_PREPAID] = prepaid < 55 ? "yes" : "no";
	if (prepaid >= 55)
		return;
	row->v[C_FUNDS_STATUS] = kind < 70 ? "supervised" : kind < 85 ? "partial" : "none";
	if (kind >= 85)
		return;
	row->v[C_FUNDS_BANK] = banks[(r >> 16) % COUNT(banks)];
	snprintf(row->text[C_FUNDS_ACCOUNT], TEXT_MAX, "6100%012llu",
	    (unsigned long long)((r >> 24) % 1000000000000ULL));
}

/* The index-th institution; the draws come in one fixed order, so a seed gives one sample. */
static int
make_row(struct generator *g, size_t index, struct demo_row *row, struct error *err)
{
	struct demo_district *d = pick_district(g);
	bool subject = pick_chance(g, 35), street = d->n_streets > 0 && pick_chance(g, 92);
	const struct status_profile *p = &profiles[pick_weighted(g, status_shares,
	    COUNT(status_shares))];
	char (*t)[TEXT_MAX] = row->text;
	size_t n_notes = 0;

	memset(row, 0, sizeof *row);
	make_name(g, d, subject, t[C_NAME]);
	if (pick_chance(g, p->licence) &&
	    make_credit_code(g, index, d->div->code, t[C_CREDIT_CODE], err) != 0)
		return -1;
	row->v[C_DISTRICT] = d->div->code;
	row->v[C_STREET] = street ? d->streets[pick_below(g, d->n_streets)]->code : "";
	make_address(g, d, !p->permit && pick_chance(g, 40), t[C_ADDRESS]);
	row->v[C_CATEGORY] = subject ? "subject" : "non_subject";
	row->v[C_STATUS] = p->status;
	if (str_eq(p->status, "rectifying"))
		make_deadline(g, index, t[C_DEADLINE]);
	row->v[C_LIST] = lists[pick_weighted(g, p->list, COUNT(lists))];
	if (p->permit)
		snprintf(t[C_PERMIT_NO], TEXT_MAX, "教民1%s%07u号", d->div->code, ++d->permits);
	make_person(g, t[C_LEGAL_REP]);
	make_phone(g, t[C_PHONE]);
	row->v[C_CREDIT_TIER] = tiers[pick_weighted(g, p->tier, COUNT(tiers))];
	row->v[C_PLATFORM] = pick_chance(g, p->platform) ? "yes" : "no";
	while (n_notes < COUNT(p->notes) && p->notes[n_notes] != NULL)
		n_notes++;
	if (n_notes > 0 && pick_chance(g, 60))
		row->v[C_NOTES] = p->notes[pick_below(g, n_notes)];
	make_funds(g, index, row);
	for (int c = 0; c < C_COUNT; c++)
		if (row->v[c] == NULL)
			row->v[c] = t[c];
	return 0;
}

/* Per field of the form, the column that fills it, or -1; caller frees. */
static int *
column_map(const struct form *form)
{
	int *map = xcalloc(form->n_fields, sizeof *map);

	for (size_t f = 0; f < form->n_fields; f++) {
		map[f] = -1;
		for (int c = 0; c < C_COUNT && form->fields[f].kind != FT_ID; c++)
			if (str_eq(form->fields[f].name, column_fields[c]))
				map[f] = c;
	}
	return map;
}

static int
insert_row(struct store_txn *txn, const struct form *form, const int *map,
    const struct demo_row *row, size_t index, struct error *err)
{
	struct record *rec = record_new(form);
	struct field_ctx ctx;
	int rc = 0;

	store_field_ctx(txn, rec, &ctx);
	for (size_t f = 0; f < form->n_fields && rc == 0; f++)
		if (map[f] >= 0)
			rc = record_set_input(rec, form->fields[f].name, row->v[map[f]], &ctx, err);
	if (rc == 0)
		rc = store_insert(txn, rec, err);
	if (rc != 0)
		error_prefix(err, _("demo institution %zu: "), index + 1);
	record_free(rec);
	return rc;
}

int
demo_generate(struct store *store, const struct form *form, size_t n, unsigned seed,
    struct error *err)
{
	struct demo_row *row;
	struct generator g;
	struct store_txn *txn;
	size_t n_people = 0;
	int *map, rc = -1;

	if (form == NULL)
		return error_set(err, ST_FAILED, _("internal error: no form for the demo"));
	if (generator_init(&g, store, n, seed, err) != 0)
		return -1;
	row = xmalloc(sizeof *row);
	map = column_map(form);
	if (store_txn_begin(store, true, &txn, err) == 0) {
		rc = 0;
		for (size_t i = 0; i < n && rc == 0; i++)
			if ((rc = make_row(&g, i, row, err)) == 0)
				rc = insert_row(txn, form, map, row, i, err);
		if (rc == 0)
			rc = demo_people(store, txn, &n_people, err);
		if (rc == 0) {
			char *subject = n_people == 0 ? xasprintf("演示数据：%zu 个%s", n,
			    form->label_zh) : xasprintf("演示数据：%zu 个%s，%zu 名人员", n,
			    form->label_zh, n_people);

			store_txn_describe(txn, "record.demo", subject, NULL);
			free(subject);
			rc = store_txn_commit(txn, err);
		} else
			store_txn_abort(txn);
	}
	generator_free(&g);
	free(map);
	free(row);
	return rc;
}

/* A CSV cell, after a comma unless first; quoted (RFC 4180) only when it must be. */
static void
csv_cell(FILE *fp, bool first, const char *s)
{
	if (!first)
		fputc(',', fp);
	csv_write_cell(fp, s);
}

/* The header of field ids when row is NULL; the id column is left out. */
static void
csv_row(FILE *fp, const struct form *form, const int *map, const struct demo_row *row)
{
	bool first = true;

	for (size_t f = 0; f < form->n_fields; f++) {
		if (form->fields[f].kind == FT_ID)
			continue;
		csv_cell(fp, first, row == NULL ? form->fields[f].name :
		    map[f] >= 0 ? row->v[map[f]] : "");
		first = false;
	}
	fputc('\n', fp);
}

int
demo_write_csv(struct store *store, const struct form *form, size_t n, unsigned seed,
    FILE *fp, struct error *err)
{
	struct demo_row *row;
	struct generator g;
	int *map, rc = 0;

	if (form == NULL)
		return error_set(err, ST_FAILED, _("internal error: no form for the demo"));
	if (generator_init(&g, store, n, seed, err) != 0)
		return -1;
	row = xmalloc(sizeof *row);
	map = column_map(form);
	csv_row(fp, form, map, NULL);
	for (size_t i = 0; i < n && rc == 0 && !ferror(fp); i++)
		if ((rc = make_row(&g, i, row, err)) == 0)
			csv_row(fp, form, map, row);
	if (rc == 0 && (fflush(fp) != 0 || ferror(fp)))
		rc = error_set(err, ST_FAILED, _("cannot write the demo CSV: %s"), strerror(errno));
	generator_free(&g);
	free(map);
	free(row);
	return rc;
}
