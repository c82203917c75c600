/*
 * template.h — printable documents (notices, decisions, lists) made from templates kept as
 * data: an HTML file with {{field}} placeholders filled from one record, following its refs,
 * and a settings file naming the record type and values of the office's own (template.c).
 */
#ifndef HUITOU_TEMPLATE_H
#define HUITOU_TEMPLATE_H

#include "store/store.h"

/*
 * The template language (templates/README.md):
 *   {{field}}             the record's value as a person reads it: an enum's Chinese label, a
 *                         district or street by name, 是/否 for a bool, others as stored
 *   {{ref.field}}         through a ref field to the record it names (any depth)
 *   {{field|date}}        a date as 2026年12月2日; {{field|raw}} the value as stored
 *   {{today}} {{city}}    today (HUITOU_NOW pins it) and the city's name; a settings file's
 *                         "set NAME TEXT" adds {{NAME}} (TEXT may hold placeholders itself)
 *   {{#if NAME}}…{{else}}…{{/if}}          when NAME holds something
 *   {{#each FORM.FIELD}}…{{/each}}         each record of FORM whose ref FIELD names this one
 *   {{#each records}}…{{/each}}            in a list document, each record a command chose
 *   {{! a comment }}
 * Every value is HTML-escaped. Every placeholder is checked against the forms when the
 * template is read, so a mistake is refused as "FILE:LINE: unknown field 'x'" before any
 * document is written.
 */
struct template;

/* An empty template for records of form (NULL: a settings file's "form" line names it). */
struct template *template_new(const struct formset *forms, const struct form *form);
void template_free(struct template *t);
/* A settings file: "form NAME" (the record type) and "set NAME TEXT" lines; read before the
 * template itself. FILE:LINE and a reason when a line is wrong (ST_FAILED). */
int template_read_settings(struct template *t, const char *path, const char *text,
    size_t len, struct error *err);
/* The template's text, parsed and checked; FILE:LINE and a reason when wrong (ST_FAILED). */
int template_read(struct template *t, const char *path, const char *text,
    struct error *err);
/* NAME.settings (when there is one) and NAME.html from DATA_DIR/templates, each file taken
 * from the shipped templates/ when the data directory has none of its own. */
int template_load(const char *data_dir, const char *name, const struct formset *forms,
    struct template **out, struct error *err);
/* The record type the template is for; NULL before one is known. */
const struct form *template_form(const struct template *t);
/* The document for rec, appended to out; refs are followed in txn. A list document is
 * refused. */
int template_render(const struct template *t, struct store *store, struct store_txn *txn,
    const struct record *rec, struct buf *out, struct error *err);
/* A list document ("list" in its settings): {{#each records}} runs over recs, in their order,
 * and params (NAME, VALUE, NAME, VALUE …, NULL-terminated) fill the names its settings'
 * "param" lines declare. */
bool template_is_list(const struct template *t);
int template_render_list(const struct template *t, struct store *store, struct store_txn *txn,
    struct record *const *recs, size_t n, char *const *params, struct buf *out,
    struct error *err);

/* s with & < > " ' as HTML character references, appended to out. */
void template_escape_html(struct buf *out, const char *s);
/* A date YYYY-MM-DD as 2026年12月2日, appended to out; anything else as it is. */
void template_format_date(struct buf *out, const char *date);

#endif
