/*
 * query.c — what coordinators type to find records: expressions (field=value, field~text,
 * and/or/not, parentheses, bare words) parsed into a tree, with errors that point at the bad
 * word. query-match.c matches the tree against records and their search keys.
 */
#include "config.h"

#include <limits.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "store/query.h"
#include "store/query-private.h"

#define MAX_TOKENS 1000		/* keeps the parser's recursion shallow */

enum tok_kind { TK_WORD, TK_AND, TK_OR, TK_NOT, TK_OPEN, TK_CLOSE, TK_END };

struct token {
	enum tok_kind kind;
	size_t start, end;	/* where it is in the text, in bytes */
};

struct parser {
	const struct form *form;
	const struct field_ctx *ctx;	/* division names to codes; may be NULL */
	const char *text;
	struct token *toks;
	size_t n, pos;
	size_t *err_offset;
	struct error *err;
};

static int fail(struct parser *p, size_t at, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static int
fail(struct parser *p, size_t at, const char *fmt, ...)
{
	va_list ap;

	*p->err_offset = at;
	va_start(ap, fmt);
	error_setv(p->err, ST_REFUSED, fmt, ap);
	va_end(ap);
	return -1;
}

static bool
ascii_caseeq(const char *a, const char *b)
{
	for (; *a != '\0' && *b != '\0'; a++, b++) {
		char x = *a >= 'A' && *a <= 'Z' ? (char)(*a - 'A' + 'a') : *a;
		char y = *b >= 'A' && *b <= 'Z' ? (char)(*b - 'A' + 'a') : *b;

		if (x != y)
			return false;
	}
	return *a == '\0' && *b == '\0';
}


static size_t
space_len(const char *s)
{
	if (*s == ' ' || *s == '\t' || *s == '\n' || *s == '\r')
		return 1;
	return str_starts(s, "\xe3\x80\x80") ? 3 : 0;	/* U+3000, as input methods type it */
}

static enum tok_kind
punct_kind(const char *s)
{
	switch (*s) {
	case '(': return TK_OPEN;
	case ')': return TK_CLOSE;
	case '&': return TK_AND;
	case '|': return TK_OR;
	case '!': return s[1] != '=' ? TK_NOT : TK_WORD;
	default: return TK_WORD;
	}
}

static enum tok_kind
word_kind(const char *s, size_t n)
{
	char w[4];

	if (n > 3)
		return TK_WORD;
	memcpy(w, s, n);
	w[n] = '\0';
	if (ascii_caseeq(w, "and"))
		return TK_AND;
	if (ascii_caseeq(w, "or"))
		return TK_OR;
	return ascii_caseeq(w, "not") ? TK_NOT : TK_WORD;
}

static void
tok_push(struct parser *p, size_t *cap, enum tok_kind kind, size_t start, size_t end)
{
	if (p->n == *cap) {
		*cap = *cap == 0 ? 16 : *cap * 2;
		p->toks = xrealloc(p->toks, *cap * sizeof *p->toks);
	}
	p->toks[p->n++] = (struct token){ kind, start, end };
}

/* A word runs to a space or a delimiter; quotes keep both in it. */
static int
word_end(struct parser *p, size_t i, size_t *end)
{
	const char *t = p->text;
	size_t quote = 0;
	bool quoted = false;

	for (; t[i] != '\0'; i++) {
		if (t[i] == '"') {
			quote = i;
			quoted = !quoted;
		} else if (!quoted && (space_len(t + i) > 0 || strchr("()&|", t[i]) != NULL))
			break;
	}
	*end = i;
	return quoted ? fail(p, quote, _("unclosed quote")) : 0;
}

static int
tokenize(struct parser *p)
{
	const char *t = p->text;
	size_t i = 0, cap = 0, sp, end;
	enum tok_kind kind;

	for (;;) {
		while ((sp = space_len(t + i)) > 0)
			i += sp;
		if (t[i] == '\0')
			break;
		if (p->n == MAX_TOKENS)
			return fail(p, i, _("the expression is too long"));
		if ((kind = punct_kind(t + i)) != TK_WORD) {
			tok_push(p, &cap, kind, i, i + 1);
			i++;
			continue;
		}
		if (word_end(p, i, &end) != 0)
			return -1;
		tok_push(p, &cap, word_kind(t + i, end - i), i, end);
		i = end;
	}
	tok_push(p, &cap, TK_END, i, i);
	return 0;
}

/* A copy of s[0..n) without its quotes. */
static char *
unquote(const char *s, size_t n)
{
	char *out = xmalloc(n + 1), *o = out;

	for (size_t i = 0; i < n; i++)
		if (s[i] != '"')
			*o++ = s[i];
	*o = '\0';
	return out;
}

/* Where a word's operator is, outside quotes, with its kind and length; -1 if it has none. */
static long
find_op(const char *w, size_t n, enum op *op, size_t *len)
{
	bool quoted = false;

	for (size_t i = 0; i < n; i++) {
		bool eq_next = i + 1 < n && w[i + 1] == '=';

		if (w[i] == '"')
			quoted = !quoted;
		if (quoted)
			continue;
		*len = w[i] != '=' && w[i] != '~' && eq_next ? 2 : 1;
		switch (w[i]) {
		case '=': *op = OP_EQ; return (long)i;
		case '~': *op = OP_HAS; return (long)i;
		case '<': *op = eq_next ? OP_LE : OP_LT; return (long)i;
		case '>': *op = eq_next ? OP_GE : OP_GT; return (long)i;
		case '!':
			if (eq_next) {
				*op = OP_NE;
				return (long)i;
			}
		}
	}
	return -1;
}

/* By id or either label, as CSV headers are found, and ASCII letters in either case. */
static const struct field *
field_find(const struct form *form, const char *name)
{
	const struct field *f = form_field_by_header(form, name);

	for (size_t i = 0; f == NULL && i < form->n_fields; i++)
		if (ascii_caseeq(form->fields[i].name, name) ||
		    (form->fields[i].label_en != NULL && ascii_caseeq(form->fields[i].label_en, name)))
			f = &form->fields[i];
	return f;
}

/* Yuan or a whole number, in hundredths: sign, thousands commas, two decimals, 元. */
int
number_parse(const char *s, long long *out)
{
	long long v = 0;
	int decimals = -1;	/* digits after the point; -1 before it */
	bool neg = false, digits = false;

	if (*s == '+' || *s == '-')
		neg = *s++ == '-';
	for (; *s != '\0'; s++) {
		if (*s == ',' && decimals < 0)
			continue;
		if (*s == '.' && decimals < 0) {
			decimals = 0;
			continue;
		}
		if (*s < '0' || *s > '9' || decimals == 2 || v >= LLONG_MAX / 1000)
			break;
		v = v * 10 + (*s - '0');
		digits = true;
		if (decimals >= 0)
			decimals++;
	}
	if (str_starts(s, "\xe5\x85\x83"))	/* 元 */
		s += 3;
	if (!digits || *s != '\0')
		return -1;
	for (decimals = decimals < 0 ? 0 : decimals; decimals < 2; decimals++)
		v *= 10;
	*out = neg ? -v : v;
	return 0;
}

/*
 * "today", "today+N" or "today-N" days (今天 too) as a canonical date. Today is clock_now(),
 * which tests pin with HUITOU_NOW; it is fixed when the expression is parsed.
 */
static bool
relative_date(const char *value, char out[11])
{
	const char *rest;
	long days = 0;
	time_t now = clock_now();
	struct tm tm;

	if (strncasecmp(value, "today", 5) == 0)
		rest = value + 5;
	else if (str_starts(value, "\xe4\xbb\x8a\xe5\xa4\xa9"))	/* 今天 */
		rest = value + 6;
	else
		return false;
	if (*rest != '\0') {
		char *end;

		if ((*rest != '+' && *rest != '-') || rest[1] < '0' || rest[1] > '9')
			return false;
		days = strtol(rest, &end, 10);
		if (*end != '\0' || days > 100000 || days < -100000)
			return false;
	}
	localtime_r(&now, &tm);
	tm.tm_mday += (int)days;
	tm.tm_hour = 12;
	tm.tm_isdst = -1;
	clock_format_date(mktime(&tm), out);
	return true;
}

/* A division or ref compared by a name: the codes it names, resolved once here; one division
 * code is kept as the value itself (so the index answers); the typed value when none. */
static void
named_value(struct parser *p, const struct field *f, struct node *n, const char *value)
{
	if (n->op == OP_EQ || n->op == OP_NE)
		n->codes = query_resolve_names(p->ctx, f, value);
	if (n->codes != NULL && f->kind == FT_DIVISION && n->codes[1] == NULL) {
		n->value = n->codes[0];
		n->canonical = true;
		free(n->codes);
		n->codes = NULL;
		return;
	}
	n->value = fold_text(value);
}

/* The value a comparison compares with, as the field's type spells it. */
static int
term_value(struct parser *p, const struct field *f, struct node *n, const char *value,
    size_t at)
{
	struct error scratch = ERROR_INIT;
	char day[11];

	if (n->op == OP_HAS)
		n->pinyin = word_pinyin(value, NULL);
	switch (n->op == OP_HAS || value[0] == '\0' ? FT_TEXT : f->kind) {
	case FT_INTEGER:
	case FT_MONEY:
		n->value = fold_text(value);
		return number_parse(n->value, &n->number) == 0 ? 0 :
		    fail(p, at, _("'%s' is not a number"), value);
	case FT_ENUM:
	case FT_BOOL:
		*p->err_offset = at;
		if (field_parse(f, value, NULL, &n->value, p->err) != 0)
			return -1;
		if (f->kind == FT_ENUM)
			n->option = (int)(field_option(f, n->value) - f->options);
		n->canonical = true;
		return 0;
	case FT_DIVISION:	/* a name (雁塔区), its pinyin (yt) or a code; as typed when none */
		n->canonical = field_parse(f, value, p->ctx, &n->value, &scratch) == 0;
		error_clear(&scratch);
		if (!n->canonical)
			named_value(p, f, n, value);
		return 0;
	case FT_DATE:	/* a whole date in its canonical form; else compared as typed */
		if (relative_date(value, day)) {
			n->value = xstrdup(day);
			n->canonical = true;
			return 0;
		}
		n->canonical = field_parse(f, value, NULL, &n->value, &scratch) == 0;
		if (!n->canonical)
			n->value = fold_text(value);
		error_clear(&scratch);
		return 0;
	case FT_REF:	/* an id, or the title of the record (responsible=徐明) */
		if (p->ctx == NULL || p->ctx->record_exists == NULL ||
		    !p->ctx->record_exists(p->ctx->data, f->ref_form, value))
			named_value(p, f, n, value);
		else
			n->value = fold_text(value);
		return 0;
	default:
		n->value = fold_text(value);
		return 0;
	}
}

static struct node *
node_new(enum node_kind kind, struct node *left, struct node *right)
{
	struct node *n = xcalloc(1, sizeof *n);

	n->kind = kind;
	n->left = left;
	n->right = right;
	return n;
}

static void
node_free(struct node *n)
{
	if (n == NULL)
		return;
	node_free(n->left);
	node_free(n->right);
	free(n->value);
	free(n->pinyin);
	strv_free(n->codes);
	free(n);
}

static struct node *
word_node(const char *w, size_t len)
{
	struct node *n = node_new(N_WORD, NULL, NULL);
	char *word = unquote(w, len);

	n->value = fold_text(word);
	n->pinyin = word_pinyin(word, n->value);
	free(word);
	return n;
}

/* field OP value, or a bare word. */
static struct node *
parse_term(struct parser *p, const struct token *t)
{
	const char *w = p->text + t->start;
	size_t n = t->end - t->start, oplen = 0, vstart;
	enum op op = OP_EQ;
	long at = find_op(w, n, &op, &oplen);
	const struct field *f;
	struct node *node;
	char *name, *value;

	if (at < 0)
		return word_node(w, n);
	if (at == 0) {
		fail(p, t->start, _("no field name before '%.*s'"), (int)n, w);
		return NULL;
	}
	name = unquote(w, (size_t)at);
	if ((f = field_find(p->form, name)) == NULL) {
		fail(p, t->start, _("unknown field '%s'"), name);
		free(name);
		return NULL;
	}
	free(name);
	if (f->private_) {	/* no reader finds a record by a value kept from some */
		fail(p, t->start, _("%s is private: records are not searched by it"), field_label(f));
		return NULL;
	}
	if ((vstart = (size_t)at + oplen) == n) {
		fail(p, t->start, _("no value after '%.*s'"), (int)n, w);
		return NULL;
	}
	node = node_new(N_FIELD, NULL, NULL);
	node->field = (size_t)(f - p->form->fields);
	node->kind_of_field = f->kind;
	node->op = op;
	value = unquote(w + vstart, n - vstart);
	if (term_value(p, f, node, value, t->start + vstart) != 0) {
		node_free(node);
		node = NULL;
	}
	free(value);
	return node;
}

static struct node *parse_or(struct parser *p);

static bool
starts_term(const struct parser *p)
{
	enum tok_kind k = p->toks[p->pos].kind;

	return k == TK_WORD || k == TK_NOT || k == TK_OPEN;
}

/* An and, or or not with nothing to work on. */
static struct node *
dangling(struct parser *p, const struct token *t, bool after)
{
	int n = (int)(t->end - t->start);
	const char *w = p->text + t->start;

	if (after)
		fail(p, t->start, _("'%.*s' needs a term after it"), n, w);
	else
		fail(p, t->start, _("'%.*s' needs a term before it"), n, w);
	return NULL;
}

static struct node *
parse_group(struct parser *p, const struct token *open)
{
	enum tok_kind next = p->toks[p->pos].kind;
	struct node *inner = NULL;

	if (next == TK_CLOSE) {
		fail(p, open->start, _("nothing between '(' and ')'"));
		return NULL;
	}
	if (next != TK_END && (inner = parse_or(p)) == NULL)
		return NULL;
	if (p->toks[p->pos].kind != TK_CLOSE) {	/* the parser stopped at the end */
		node_free(inner);
		fail(p, open->start, _("'(' is never closed"));
		return NULL;
	}
	p->pos++;
	return inner;
}

static struct node *
parse_unary(struct parser *p)
{
	const struct token *t = &p->toks[p->pos];
	struct node *inner;

	switch (t->kind) {
	case TK_WORD:
		p->pos++;
		return parse_term(p, t);
	case TK_OPEN:
		p->pos++;
		return parse_group(p, t);
	case TK_NOT:
		p->pos++;
		if (!starts_term(p))
			return dangling(p, t, true);
		inner = parse_unary(p);
		return inner != NULL ? node_new(N_NOT, inner, NULL) : NULL;
	case TK_CLOSE:
		fail(p, t->start, _("')' has no '(' before it"));
		return NULL;
	default:	/* and, or; the end is never reached here */
		return dangling(p, t, false);
	}
}

/* Terms joined by "and" or simply written one after the other. */
static struct node *
parse_and(struct parser *p)
{
	struct node *left = parse_unary(p), *right;

	while (left != NULL) {
		const struct token *t = &p->toks[p->pos];

		if (t->kind == TK_AND) {
			p->pos++;
			if (!starts_term(p)) {
				node_free(left);
				return dangling(p, t, true);
			}
		} else if (!starts_term(p))
			break;
		if ((right = parse_unary(p)) == NULL) {
			node_free(left);
			return NULL;
		}
		left = node_new(N_AND, left, right);
	}
	return left;
}

static struct node *
parse_or(struct parser *p)
{
	struct node *left = parse_and(p), *right;

	while (left != NULL && p->toks[p->pos].kind == TK_OR) {
		const struct token *t = &p->toks[p->pos++];

		if (!starts_term(p)) {
			node_free(left);
			return dangling(p, t, true);
		}
		if ((right = parse_and(p)) == NULL) {
			node_free(left);
			return NULL;
		}
		left = node_new(N_OR, left, right);
	}
	return left;
}

int
query_parse(const struct form *form, const struct field_ctx *ctx, const char *text,
    struct query **out, size_t *err_offset, struct error *err)
{
	struct parser p = { form, ctx, text, NULL, 0, 0, err_offset, err };
	struct node *root = NULL;
	size_t offset;

	*out = NULL;
	if (p.err_offset == NULL)
		p.err_offset = &offset;
	*p.err_offset = 0;
	if (!utf8_valid(text, strlen(text)))
		return fail(&p, 0, _("not valid UTF-8 text"));
	if (tokenize(&p) != 0)
		goto fail;
	if (p.toks[0].kind != TK_END) {
		if ((root = parse_or(&p)) == NULL)
			goto fail;
		if (p.toks[p.pos].kind != TK_END) {	/* only a ')' stops the parser early */
			fail(&p, p.toks[p.pos].start, _("')' has no '(' before it"));
			goto fail;
		}
	}
	free(p.toks);
	*out = xcalloc(1, sizeof **out);
	(*out)->form = form;
	(*out)->root = root;
	return 0;
fail:
	node_free(root);
	free(p.toks);
	return -1;
}

void
query_free(struct query *q)
{
	if (q == NULL)
		return;
	node_free(q->root);
	free(q);
}
