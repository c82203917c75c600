/*
 * query-match.c — a parsed query against a record: its values, or its search key alone (words
 * and field~text answered from the key's lines; equalities on indexed fields left to the
 * caller's index walk), and which fields a query reads.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "store/query.h"
#include "store/query-private.h"

static bool
strv_has(char **v, const char *s)
{
	for (; *v != NULL; v++)
		if (str_eq(*v, s))
			return true;
	return false;
}

struct eval {
	const struct record *rec;
	const char *key;
	char *made;		/* the key, when it had to be computed */
};

/* s contains the node's text: folded, or as pinyin (initials from a word's start). */
static bool
text_has(const char *s, const struct node *n)
{
	char *key;
	bool hit;

	if (s == NULL || s[0] == '\0')
		return false;
	key = text_key(s);
	hit = lines_have(key, key + strlen(key), n->value, n->pinyin);
	free(key);
	return hit;
}

static bool
has_match(const struct field *f, const char *v, const struct node *n)
{
	const struct enum_option *o;

	if (text_has(v, n))
		return true;
	if (f->kind == FT_SET)
		return text_has(field_display_zh(f, v), n);
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

/* Every value of the set want is one of the set value v's. */
static bool
set_holds_all(const char *v, const char *want)
{
	char **values = field_set_values(want);
	bool all = true;

	for (size_t i = 0; all && values[i] != NULL; i++)
		all = field_set_has(v, values[i]);
	strv_free(values);
	return all;
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
	if (n->codes != NULL)	/* a named division or ref: one of the codes it names */
		return strv_has(n->codes, v) == (n->op == OP_EQ);
	if (f->kind == FT_SET && (n->op == OP_EQ || n->op == OP_NE) && n->value[0] != '\0')
		return set_holds_all(v, n->value) == (n->op == OP_EQ);
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

/* How an index answers a term's operator: equality for any indexed value, order for dates. */
static bool
index_cmp(const struct node *n, const struct field *f, enum store_cmp *cmp)
{
	static const enum store_cmp of_op[] = {
		[OP_EQ] = STORE_EQ, [OP_LT] = STORE_LT, [OP_LE] = STORE_LE, [OP_GT] = STORE_GT,
		[OP_GE] = STORE_GE,
	};

	if (n->op == OP_NE || n->op == OP_HAS || (n->op != OP_EQ && f->kind != FT_DATE))
		return false;
	*cmp = of_op[n->op];
	return true;
}

/* Top-level "and" terms that an index answers. */
static int
index_terms(struct node *n, const struct form *form, int (*fn)(void *arg,
    const struct field *f, enum store_cmp cmp, const char *value), void *arg)
{
	const struct field *f;
	enum store_cmp cmp;
	int rc;

	if (n == NULL)
		return 0;
	if (n->kind == N_AND)
		return (rc = index_terms(n->left, form, fn, arg)) != 0 ? rc :
		    index_terms(n->right, form, fn, arg);
	if (n->kind != N_FIELD || n->value[0] == '\0')
		return 0;
	f = &form->fields[n->field];
	if (!f->indexed || f->unique || !index_cmp(n, f, &cmp) ||
	    (cmp == STORE_EQ && !n->canonical))
		return 0;
	n->by_index = true;
	return fn(arg, f, cmp, n->value);
}

int
query_index_terms(struct query *q, int (*fn)(void *arg, const struct field *f,
    enum store_cmp cmp, const char *value), void *arg)
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
	if (!word_in_key(n->value, n->pinyin, key))
		return QUERY_NO;	/* nowhere in the key: strstr rejects most keys fastest */
	if (!key_field_lines(key, n->field, &start, &end))
		return QUERY_NO;
	/* the same lines as text_has reads: the value's, and its enum labels' */
	return lines_have(start, end, n->value, n->pinyin) ? QUERY_YES : QUERY_NO;
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
	if (key == NULL)
		return query_by_index(q) ? QUERY_YES : QUERY_MAYBE;
	return node_answer(q->root, key);
}

static bool
node_by_index(const struct node *n)
{
	if (n == NULL)
		return false;
	if (n->kind == N_AND)
		return node_by_index(n->left) && node_by_index(n->right);
	return n->kind == N_FIELD && n->by_index;
}

bool
query_by_index(const struct query *q)
{
	return q != NULL && node_by_index(q->root);
}
