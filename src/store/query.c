/*
 * query.c — what coordinators type to find records: the folded search key of a record, and
 * expressions (field=value, field~text, and/or/not, parentheses, bare words) parsed into a
 * tree that is matched against a record's values and its key.
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

enum op { OP_EQ, OP_NE, OP_LT, OP_GT, OP_LE, OP_GE, OP_HAS };

enum node_kind { N_AND, N_OR, N_NOT, N_WORD, N_FIELD };

struct node {
	enum node_kind kind;
	struct node *left, *right;	/* and, or: both; not: left */
	size_t field;		/* N_FIELD: its index in the form */
	enum field_kind kind_of_field;
	enum op op;
	char *value;		/* folded for words, ~ and text; canonical for the rest */
	char *pinyin;		/* words and ~ without Han, as fold_pinyin spells them */
	long long number;	/* integer and money, in hundredths */
	int option;		/* enum: the option's index */
	bool canonical;		/* value is as the store keeps it (enum, bool, division code) */
	bool by_index;		/* an equality the caller answered through the index */
};

struct query {
	const struct form *form;
	struct node *root;	/* NULL matches everything */
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
static int
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
	case FT_DIVISION:	/* a name (雁塔区) or a code; as typed when neither */
		n->canonical = field_parse(f, value, p->ctx, &n->value, &scratch) == 0;
		if (!n->canonical)
			n->value = fold_text(value);
		error_clear(&scratch);
		return 0;
	case FT_DATE:	/* a whole date in its canonical form; else compared as typed */
		if (relative_date(value, day)) {
			n->value = xstrdup(day);
			return 0;
		}
		if (field_parse(f, value, NULL, &n->value, &scratch) != 0)
			n->value = fold_text(value);
		error_clear(&scratch);
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

struct eval {
	const struct record *rec;
	const char *key;
	char *made;		/* the key, when it had to be computed */
};

/* s contains the node's text: folded, or (for a word without Han) as pinyin. */
static bool
text_has(const char *s, const struct node *n)
{
	char *folded;
	bool hit;

	if (s == NULL)
		return false;
	folded = fold_text(s);
	hit = strstr(folded, n->value) != NULL;
	free(folded);
	for (int initials = 0; !hit && n->pinyin != NULL && initials < 2 && has_han(s);
	    initials++) {
		char *py = fold_pinyin(s, initials);

		hit = strstr(py, n->pinyin) != NULL;
		free(py);
	}
	return hit;
}

static bool
has_match(const struct field *f, const char *v, const struct node *n)
{
	const struct enum_option *o;

	if (text_has(v, n))
		return true;
	if (f->kind != FT_ENUM || (o = field_option(f, v)) == NULL)
		return false;
	return text_has(o->label_zh, n) || text_has(o->label_en, n);
}

static int
sign(long long d)
{
	return (d > 0) - (d < 0);
}

/* v against the node's value, as the field's type orders them; false if they cannot be. */
static bool
compare(const struct field *f, const char *v, const struct node *n, int *cmp)
{
	const struct enum_option *o;
	long long x;
	char *folded;

	switch (f->kind) {
	case FT_INTEGER:
	case FT_MONEY:
		if (number_parse(v, &x) != 0)
			return false;
		*cmp = (x > n->number) - (x < n->number);
		return true;
	case FT_ENUM:
		if ((o = field_option(f, v)) == NULL)
			return false;
		*cmp = sign((long long)(o - f->options) - n->option);
		return true;
	case FT_DATE:
	case FT_BOOL:
		*cmp = sign(strcmp(v, n->value));
		return true;
	default:
		folded = fold_text(v);
		*cmp = sign(strcmp(folded, n->value));
		free(folded);
		return true;
	}
}

static bool
field_match(const struct node *n, const struct record *rec)
{
	const struct field *f;
	const char *v;
	int c;

	if (n->field >= rec->form->n_fields)	/* a record of another form */
		return false;
	f = &rec->form->fields[n->field];
	v = rec->values[n->field];
	if (n->op == OP_HAS)
		return has_match(f, v, n);
	if (n->value[0] == '\0' || v[0] == '\0') {	/* field="" asks for an empty field */
		c = n->value[0] == '\0' && v[0] == '\0' ? 0 : 1;
		return n->op == OP_EQ ? c == 0 : n->op == OP_NE ? c != 0 : false;
	}
	if (!compare(f, v, n, &c))
		return n->op == OP_NE;
	switch (n->op) {
	case OP_EQ: return c == 0;
	case OP_NE: return c != 0;
	case OP_LT: return c < 0;
	case OP_GT: return c > 0;
	case OP_LE: return c <= 0;
	case OP_GE: return c >= 0;
	default: return false;
	}
}

static bool
node_match(const struct node *n, struct eval *ev)
{
	switch (n->kind) {
	case N_AND:
		return node_match(n->left, ev) && node_match(n->right, ev);
	case N_OR:
		return node_match(n->left, ev) || node_match(n->right, ev);
	case N_NOT:
		return !node_match(n->left, ev);
	case N_WORD:
		if (ev->key == NULL)
			ev->key = ev->made = query_record_key(ev->rec);
		return word_in_key(n->value, n->pinyin, ev->key);
	case N_FIELD:
		return field_match(n, ev->rec);
	}
	return false;
}

bool
query_match(const struct query *q, const struct record *rec, const char *key)
{
	struct eval ev = { rec, key, NULL };
	bool hit;

	if (q == NULL || q->root == NULL)
		return true;
	hit = node_match(q->root, &ev);
	free(ev.made);
	return hit;
}

static void
node_mark_fields(const struct node *n, bool *used, size_t n_fields)
{
	if (n == NULL)
		return;
	if (n->kind == N_FIELD && n->field < n_fields)
		used[n->field] = true;
	else if (n->kind == N_WORD)
		for (size_t i = 0; i < n_fields; i++)
			used[i] = true;
	node_mark_fields(n->left, used, n_fields);
	node_mark_fields(n->right, used, n_fields);
}

void
query_mark_fields(const struct query *q, bool *used, size_t n_fields)
{
	if (q != NULL)
		node_mark_fields(q->root, used, n_fields);
}

/* Top-level "and" terms that an index answers. */
static int
index_terms(struct node *n, const struct form *form,
    int (*fn)(void *arg, const struct field *f, const char *value), void *arg)
{
	const struct field *f;
	int rc;

	if (n == NULL)
		return 0;
	if (n->kind == N_AND)
		return (rc = index_terms(n->left, form, fn, arg)) != 0 ? rc :
		    index_terms(n->right, form, fn, arg);
	if (n->kind != N_FIELD || n->op != OP_EQ || !n->canonical || n->value[0] == '\0')
		return 0;
	f = &form->fields[n->field];
	if (!f->indexed || f->unique)
		return 0;
	n->by_index = true;
	return fn(arg, f, n->value);
}

int
query_index_terms(struct query *q, int (*fn)(void *arg, const struct field *f,
    const char *value), void *arg)
{
	return q != NULL ? index_terms(q->root, q->form, fn, arg) : 0;
}

/* field~text from the field's lines in the key; MAYBE only where pinyin alone matched. */
static enum query_answer
has_in_key(const struct node *n, const char *key)
{
	const char *start, *end;

	if (n->value[0] == '\0' || !kind_in_key(n->kind_of_field))
		return QUERY_MAYBE;
	if (!key_field_lines(key, n->field, &start, &end))
		return QUERY_NO;
	if (memmem(start, (size_t)(end - start), n->value, strlen(n->value)) != NULL)
		return QUERY_YES;
	if (n->pinyin != NULL && memmem(start, (size_t)(end - start), n->pinyin,
	    strlen(n->pinyin)) != NULL)
		return QUERY_MAYBE;	/* text_has looks for it in the pinyin lines only */
	return QUERY_NO;
}

static enum query_answer
node_answer(const struct node *n, const char *key)
{
	enum query_answer l, r;

	switch (n->kind) {
	case N_AND:
		if ((l = node_answer(n->left, key)) == QUERY_NO)
			return QUERY_NO;
		r = node_answer(n->right, key);
		return r == QUERY_NO ? QUERY_NO : l == QUERY_YES && r == QUERY_YES ? QUERY_YES :
		    QUERY_MAYBE;
	case N_OR:
		if ((l = node_answer(n->left, key)) == QUERY_YES)
			return QUERY_YES;
		r = node_answer(n->right, key);
		return r == QUERY_YES ? QUERY_YES : l == QUERY_NO && r == QUERY_NO ? QUERY_NO :
		    QUERY_MAYBE;
	case N_NOT:
		l = node_answer(n->left, key);
		return l == QUERY_MAYBE ? QUERY_MAYBE : l == QUERY_YES ? QUERY_NO : QUERY_YES;
	case N_WORD:
		return word_in_key(n->value, n->pinyin, key) ? QUERY_YES : QUERY_NO;
	case N_FIELD:
		if (n->by_index)
			return QUERY_YES;
		return n->op == OP_HAS ? has_in_key(n, key) : QUERY_MAYBE;
	}
	return QUERY_MAYBE;
}

enum query_answer
query_match_key(const struct query *q, const char *key)
{
	if (q == NULL || q->root == NULL)
		return QUERY_YES;
	return key != NULL ? node_answer(q->root, key) : QUERY_MAYBE;
}
