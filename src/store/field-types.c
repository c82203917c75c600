/*
 * field-types.c — from what a person typed to the canonical value a record stores, for every
 * field type: the input is cleaned (trimmed, NFC, full-width ASCII folded where it stands for
 * digits) and each type then checks and spells it one way. Refusals say what would be right.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/form.h"
#include "store/field-kinds.h"

#define IDEOGRAPHIC_SPACE "\xe3\x80\x80"

static bool
ascii_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\v' || c == '\f' || c == '\r';
}

static bool
ascii_digit(char c)
{
	return c >= '0' && c <= '9';
}

static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

static bool
ascii_caseeq(const char *a, const char *b)
{
	while (*a != '\0' && ascii_lower(*a) == ascii_lower(*b)) {
		a++;
		b++;
	}
	return *a == '\0' && *b == '\0';
}

/* s without ASCII white space and U+3000 at either end, moved to its start; returns s. */
static char *
trim_in_place(char *s)
{
	const char *start = s, *end;

	for (;;) {
		if (ascii_space(*start))
			start++;
		else if (str_starts(start, IDEOGRAPHIC_SPACE))
			start += 3;
		else
			break;
	}
	end = start + strlen(start);
	for (;;) {
		if (end > start && ascii_space(end[-1]))
			end--;
		else if (end - start >= 3 && memcmp(end - 3, IDEOGRAPHIC_SPACE, 3) == 0)
			end -= 3;
		else
			break;
	}
	memmove(s, start, (size_t)(end - start));
	s[end - start] = '\0';
	return s;
}

/* What input methods type in full width, as ASCII; 0 for anything else. */
static char
fullwidth_ascii(int32_t cp)
{
	if (cp >= 0xff10 && cp <= 0xff19)
		return (char)('0' + (cp - 0xff10));
	if (cp >= 0xff21 && cp <= 0xff3a)
		return (char)('A' + (cp - 0xff21));
	if (cp >= 0xff41 && cp <= 0xff5a)
		return (char)('a' + (cp - 0xff41));
	switch (cp) {
	case 0xff0b: return '+';
	case 0xff0c: return ',';
	case 0xff0d: return '-';
	case 0xff0e: return '.';
	case 0xff0f: return '/';
	case 0xff1a: return ':';
	case 0x3000: return ' ';
	default: return 0;
	}
}

static char *
fold_fullwidth(const char *s)
{
	struct buf b = BUF_INIT;
	size_t len = strlen(s), i = 0;
	int32_t cp;

	while (i < len) {
		int n = utf8_decode(s + i, len - i, &cp);
		char c = n > 0 ? fullwidth_ascii(cp) : 0;

		if (n <= 0)
			n = 1;
		if (c != 0)
			buf_addc(&b, c);
		else
			buf_add(&b, s + i, (size_t)n);
		i += (size_t)n;
	}
	return buf_detach(&b);
}

static bool
kind_folds(enum field_kind kind)
{
	switch (kind) {
	case FT_INTEGER: case FT_MONEY: case FT_DATE: case FT_BOOL: case FT_DIVISION:
	case FT_USCC: case FT_IDCARD: case FT_TEACHER_CERT: case FT_PHONE:
		return true;
	default:
		return false;
	}
}

static void
ascii_upper(char *s)
{
	for (; *s != '\0'; s++)
		if (*s >= 'a' && *s <= 'z')
			*s = (char)(*s - 'a' + 'A');
}

/* Characters, not bytes, of valid UTF-8. */
static size_t
char_count(const char *s)
{
	size_t n = 0;

	for (; *s != '\0'; s++)
		if (((unsigned char)*s & 0xc0) != 0x80)
			n++;
	return n;
}

/* The byte length of the character at p. */
static int
char_len(const char *p)
{
	int32_t cp;
	int n = utf8_decode(p, strlen(p), &cp);

	return n > 0 ? n : 1;
}

/* Letters, digits and hyphens; the store assigns ids like JG-350102-000001. */
static int
parse_id(const char *s, char **out, struct error *err)
{
	for (const char *p = s; *p != '\0'; p++) {
		char c = ascii_lower(*p);

		if (!ascii_digit(c) && !(c >= 'a' && c <= 'z') && c != '-')
			return error_set(err, ST_REFUSED,
			    _("'%.*s' cannot be in an id: use letters, digits and hyphens"),
			    char_len(p), p);
	}
	*out = xstrdup(s);
	return 0;
}

static int
check_width_is(const struct field *f, const char *s, size_t w, char **out, struct error *err)
{
	if (f->has_max && (f->max < 0 || (unsigned long long)w > (unsigned long long)f->max))
		return error_set(err, ST_REFUSED,
		    _("too long: %zu columns, at most %lld (a Chinese character takes 2)"),
		    w, f->max);
	*out = xstrdup(s);
	return 0;
}

static int
check_width(const struct field *f, const char *s, char **out, struct error *err)
{
	return check_width_is(f, s, width_of(s), out, err);
}

static int
parse_text(const struct field *f, const char *s, char **out, struct error *err)
{
	if (strchr(s, '\n') != NULL || strchr(s, '\r') != NULL)
		return error_set(err, ST_REFUSED, _("line breaks are not allowed: keep to one line"));
	if (utf8_has_control(s, false))
		return error_set(err, ST_REFUSED, _("control characters are not allowed"));
	return check_width(f, s, out, err);
}

/* Lines end in LF (CRLF and CR are converted); tabs are kept, other controls refused. */
static int
parse_longtext(const struct field *f, const char *s, char **out, struct error *err)
{
	struct buf text = BUF_INIT, probe = BUF_INIT;
	int rc;

	for (const char *p = s; *p != '\0'; p++) {
		if (*p == '\r' && p[1] == '\n')
			continue;
		buf_addc(&text, *p == '\r' ? '\n' : *p);
		buf_addc(&probe, *p == '\r' || *p == '\t' ? ' ' : *p);
	}
	if (utf8_has_control(buf_str(&probe), true))
		rc = error_set(err, ST_REFUSED, _("control characters are not allowed"));
	else
		rc = check_width(f, buf_str(&text), out, err);
	buf_free(&text);
	buf_free(&probe);
	return rc;
}

const struct enum_option *
field_option(const struct field *f, const char *value)
{
	for (size_t i = 0; value != NULL && i < f->n_options; i++)
		if (str_eq(f->options[i].value, value))
			return &f->options[i];
	return NULL;
}

/* The option's label in the current language; NULL if value is no option. */
const char *
field_option_label(const struct field *f, const char *value)
{
	const struct enum_option *o = field_option(f, value);
	const char *label;

	if (o == NULL)
		return value;	/* a value no option has (a form changed since): shown as it is */
	label = lang_pick(o->label_zh, o->label_en);
	return label != NULL && *label != '\0' ? label : o->value;
}

/* By value first, then by either label; ASCII letters match in either case. */
const struct enum_option *
field_enum_match(const struct field *f, const char *s)
{
	for (size_t i = 0; i < f->n_options; i++)
		if (ascii_caseeq(f->options[i].value, s))
			return &f->options[i];
	for (size_t i = 0; i < f->n_options; i++) {
		const struct enum_option *o = &f->options[i];

		if ((o->label_zh != NULL && ascii_caseeq(o->label_zh, s))
		    || (o->label_en != NULL && ascii_caseeq(o->label_en, s)))
			return o;
	}
	return NULL;
}

int
field_enum_refuse(const struct field *f, const char *s, struct error *err)
{
	struct buf list = BUF_INIT;

	for (size_t i = 0; i < f->n_options; i++) {
		const char *label = field_option_label(f, f->options[i].value);

		buf_printf(&list, "%s%s", i > 0 ? ", " : "", f->options[i].value);
		if (!ascii_caseeq(label, f->options[i].value))
			buf_printf(&list, " (%s)", label);
	}
	error_set(err, ST_REFUSED, _("'%s' is not an option: use one of %s"), s, buf_str(&list));
	buf_free(&list);
	return -1;
}

static int
parse_enum(const struct field *f, const char *s, char **out, struct error *err)
{
	const struct enum_option *o = field_enum_match(f, s);

	if (o == NULL)
		return field_enum_refuse(f, s, err);
	*out = xstrdup(o->value);
	return 0;
}

static bool
word_in(const char *s, const char *const *words)
{
	for (; *words != NULL; words++)
		if (ascii_caseeq(*words, s))
			return true;
	return false;
}

static int
parse_bool(const char *s, char **out, struct error *err)
{
	static const char *const yes[] = { "yes", "y", "true", "1", "是", "有", "已", NULL };
	static const char *const no[] = { "no", "n", "false", "0", "否", "无", "未", NULL };

	if (word_in(s, yes))
		*out = xstrdup("yes");
	else if (word_in(s, no))
		*out = xstrdup("no");
	else
		return error_set(err, ST_REFUSED, _("'%s' is not yes or no: use yes/no or 是/否"),
		    s);
	return 0;
}

static int
parse_ref(const struct field *f, const char *s, const struct field_ctx *ctx, char **out,
    struct error *err)
{
	if (parse_id(s, out, err) != 0)
		return -1;
	if (ctx == NULL || ctx->record_exists == NULL || f->ref_form == NULL)
		return 0;
	if (ctx->record_exists(ctx->data, f->ref_form, s))
		return 0;
	free(*out);
	*out = NULL;
	return error_set(err, ST_REFUSED, _("there is no %s record '%s'"), f->ref_form, s);
}

/* Without the city's list of divisions only the shape of a code can be checked. */
static int
division_code_only(const struct field *f, const char *s, char **out, struct error *err)
{
	size_t want = f->level == DIV_STREET ? 9 : 6;

	if (strlen(s) != want || strspn(s, "0123456789") != want) {
		if (f->level == DIV_STREET)
			return error_set(err, ST_REFUSED,
			    _("'%s' is not a street code: it has 9 digits, e.g. 350102001"), s);
		return error_set(err, ST_REFUSED,
		    _("'%s' is not a district code: it has 6 digits, e.g. 350102"), s);
	}
	*out = xstrdup(s);
	return 0;
}

/* The street exists, but in another district than the record's. */
static int
division_outside(const struct field_ctx *ctx, const struct division *street,
    const char *district, struct error *err)
{
	const struct division *d = ctx->division_find(ctx->data, district, DIV_DISTRICT, NULL);

	return error_set(err, ST_REFUSED, _("%s (%s) is not a street of %s (%s)"), street->name,
	    street->code, d != NULL ? d->name : district, d != NULL ? d->code : district);
}

static int
parse_division(const struct field *f, const char *s, const struct field_ctx *ctx,
    char **out, struct error *err)
{
	const struct division *d;
	const char *parent = NULL;

	if (ctx == NULL || ctx->division_find == NULL)
		return division_code_only(f, s, out, err);
	if (f->level == DIV_STREET && f->within != NULL && ctx->value_of != NULL) {
		parent = ctx->value_of(ctx->data, f->within);
		if (parent != NULL && *parent == '\0')
			parent = NULL;
	}
	d = ctx->division_find(ctx->data, s, f->level, parent);
	if (d != NULL && d->level == f->level) {
		*out = xstrdup(d->code);
		return 0;
	}
	if (parent != NULL && (d = ctx->division_find(ctx->data, s, f->level, NULL)) != NULL)
		return division_outside(ctx, d, parent, err);
	if (f->level == DIV_STREET)
		return error_set(err, ST_REFUSED, _("there is no street '%s' in the city"), s);
	return error_set(err, ST_REFUSED, _("there is no district '%s' in the city"), s);
}

static int
parse_uscc(const char *s, char **out, struct error *err)
{
	char *code = xstrdup(s);
	size_t n, pos = 1;
	int check;

	ascii_upper(code);
	if ((n = char_count(code)) != 18) {
		free(code);
		return error_set(err, ST_REFUSED, _("a credit code has 18 characters, not %zu"), n);
	}
	for (const char *p = code; *p != '\0'; p += char_len(p), pos++)
		if (!uscc_char_ok(*p)) {
			error_set(err, ST_REFUSED, _("character %zu, '%.*s', cannot be in a credit "
			    "code: use digits and capital letters except I, O, S, V and Z"),
			    pos, char_len(p), p);
			free(code);
			return -1;
		}
	check = uscc_check_char(code);
	if (code[17] != check) {
		error_set(err, ST_REFUSED, _("bad check character '%c': expected '%c'"), code[17],
		    check);
		free(code);
		return -1;
	}
	*out = code;
	return 0;
}

static int
parse_idcard(const char *s, char **out, struct error *err)
{
	char *id = xstrdup(s);
	size_t n;
	char check;

	ascii_upper(id);
	if ((n = char_count(id)) != 18)
		error_set(err, ST_REFUSED, _("an identity number has 18 characters, not %zu"), n);
	else if ((n = strspn(id, "0123456789")) < 17)
		error_set(err, ST_REFUSED, _("character %zu, '%.*s', is not a digit: an identity "
		    "number has 17 digits and then a digit or X"), n + 1, char_len(id + n), id + n);
	else if (!ascii_digit(id[17]) && id[17] != 'X')
		error_set(err, ST_REFUSED, _("the last character, '%s', must be a digit or X"),
		    id + 17);
	else if (!idcard_birth_valid(id))
		error_set(err, ST_REFUSED, _("the birth date in the number, %.4s-%.2s-%.2s, is not "
		    "a real date"), id + 6, id + 10, id + 12);
	else if (id[17] != (check = idcard_check_char(id)))
		error_set(err, ST_REFUSED, _("bad check character '%c': expected '%c'"), id[17],
		    check);
	else {
		*out = id;
		return 0;
	}
	free(id);
	return -1;
}

static int
parse_teacher_cert(const char *s, char **out, struct error *err)
{
	size_t n = char_count(s), digits = strspn(s, "0123456789");

	if (n != 17)
		return error_set(err, ST_REFUSED,
		    _("a teacher certificate number has 17 digits, not %zu characters"), n);
	if (digits != 17)
		return error_set(err, ST_REFUSED, _("character %zu, '%.*s', is not a digit: a "
		    "teacher certificate number has 17 digits"), digits + 1, char_len(s + digits),
		    s + digits);
	*out = xstrdup(s);
	return 0;
}

static int
parse_kind(const struct field *f, const char *s, const struct field_ctx *ctx, char **out,
    struct error *err)
{
	switch (f->kind) {
	case FT_ID:		return parse_id(s, out, err);
	case FT_TEXT:		return parse_text(f, s, out, err);
	case FT_LONGTEXT:	return parse_longtext(f, s, out, err);
	case FT_INTEGER:	return field_parse_integer(f, s, out, err);
	case FT_MONEY:		return field_parse_money(f, s, out, err);
	case FT_DATE:		return field_parse_date(f, s, out, err);
	case FT_ENUM:		return parse_enum(f, s, out, err);
	case FT_BOOL:		return parse_bool(s, out, err);
	case FT_REF:		return parse_ref(f, s, ctx, out, err);
	case FT_DIVISION:	return parse_division(f, s, ctx, out, err);
	case FT_USCC:		return parse_uscc(s, out, err);
	case FT_IDCARD:		return parse_idcard(s, out, err);
	case FT_TEACHER_CERT:	return parse_teacher_cert(s, out, err);
	case FT_PHONE:		return field_parse_phone(f, s, out, err);
	case FT_SET:		return field_parse_set(f, s, out, err);
	}
	return error_set(err, ST_FAILED, _("unknown field type %d"), (int)f->kind);
}

static bool
is_ascii(const char *s)
{
	for (; *s != '\0'; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

/*
 * Most input needs no cleaning (below): ASCII without spaces at its ends, or one line of NFC
 * text. It is parsed as it is, a copy and three passes fewer per cell of an import; a result
 * the same as after cleaning. 1: not plain, clean it first.
 */
static int
parse_plain(const struct field *f, const char *input, const struct field_ctx *ctx,
    char **out, struct error *err)
{
	size_t len = strlen(input), w = width_of_plain(input, len);

	if (w == SIZE_MAX)
		return 1;
	if (f->kind == FT_TEXT)
		return check_width_is(f, input, w, out, err);
	if (w != len || !is_ascii(input))
		return 1;	/* full-width forms may fold, or labels be matched */
	return parse_kind(f, input, ctx, out, err) == 0 ? 0 : -1;
}

/* Valid UTF-8, NFC, trimmed and, for numbers and codes, folded to ASCII; NULL if bad. */
static char *
clean_input(const struct field *f, const char *input)
{
	char *nfc, *s, *folded;

	if ((nfc = utf8_nfc(input)) == NULL)	/* it refuses bad UTF-8 */
		return NULL;
	s = trim_in_place(nfc);
	if (!kind_folds(f->kind) || is_ascii(s))
		return s;
	folded = fold_fullwidth(s);
	free(s);
	return folded;
}

/* Cleaned input that shows what it holds: no bidirectional control (it would reorder what
 * the terminal shows), and not only invisible characters (it would look empty). */
static int
check_visible(const struct field *f, const char *s, struct error *err)
{
	int32_t cp;

	if ((cp = text_find_bidi_control(s)) != 0)
		return error_set(err, ST_REFUSED, _("U+%04X is a bidirectional control character, "
		    "which reorders what is shown: it is not allowed"), (unsigned)cp);
	if (!text_blank(s))
		return 0;
	cp = text_first_invisible(s);
	if (f->required)
		return error_set(err, ST_REFUSED,
		    _("is required: U+%04X and other invisible characters do not count"),
		    (unsigned)cp);
	return error_set(err, ST_REFUSED, _("only invisible characters (U+%04X): leave it empty or "
	    "type a value"), (unsigned)cp);
}

int
field_parse(const struct field *f, const char *input, const struct field_ctx *ctx,
    char **out, struct error *err)
{
	char *s;
	int rc;

	*out = NULL;
	if (input != NULL && *input != '\0' && (rc = parse_plain(f, input, ctx, out, err)) != 1) {
		if (rc == 0)
			return 0;
		free(*out);
		*out = NULL;
		return -1;
	}
	if ((s = clean_input(f, input != NULL ? input : "")) == NULL)
		return error_set(err, ST_REFUSED, _("not valid UTF-8 text"));
	if (*s == '\0') {
		free(s);
		if (f->required)
			return error_set(err, ST_REFUSED, _("is required"));
		*out = xstrdup("");
		return 0;
	}
	if (check_visible(f, s, err) != 0) {
		free(s);
		return -1;
	}
	rc = parse_kind(f, s, ctx, out, err);
	free(s);
	if (rc != 0) {
		free(*out);
		*out = NULL;
		return -1;
	}
	return 0;
}

const char *
field_display(const struct field *f, const char *value)
{
	const char *label;

	if (value == NULL)
		return "";
	switch (f->kind) {
	case FT_ENUM:
		label = field_option_label(f, value);
		return label != NULL ? label : value;
	case FT_BOOL:
		if (str_eq(value, "yes"))
			return lang_pick("是", "yes");
		if (str_eq(value, "no"))
			return lang_pick("否", "no");
		return value;
	case FT_SET:
		return field_set_display(f, value, false);
	default:
		return value;
	}
}

const char *
field_display_zh(const struct field *f, const char *value)
{
	const struct enum_option *o;

	if (f->kind == FT_ENUM && (o = field_option(f, value)) != NULL && o->label_zh != NULL)
		return o->label_zh;
	if (f->kind == FT_BOOL && (str_eq(value, "yes") || str_eq(value, "no")))
		return str_eq(value, "yes") ? "是" : "否";
	if (f->kind == FT_SET && value != NULL)
		return field_set_display(f, value, true);
	return value;
}

int
reason_parse(const char *input, bool one_line, char **out, struct error *err)
{
	static const struct field line = { .name = "reason", .kind = FT_TEXT, .label_zh = "理由",
	    .label_en = "Reason", .has_max = true, .max = 200 };
	static const struct field lines = { .name = "reason", .kind = FT_LONGTEXT,
	    .label_zh = "理由", .label_en = "Reason", .has_max = true, .max = 500 };

	*out = NULL;
	if (input == NULL)
		return 0;
	if (field_parse(one_line ? &line : &lines, input, NULL, out, err) != 0)
		return -1;
	if (**out == '\0') {
		free(*out);
		*out = NULL;
	}
	return 0;
}
