/*
 * cmd-set-stdin.c — "huitou set --stdin [--reason TEXT]": a long-lived writer for scripts. One
 * save a line, its words those "huitou set" takes (ID FIELD=VALUE… [--expect-version N]
 * [--reason TEXT]) quoted as a shell would ('…' literal, "…" with \" and \\, \ outside quotes);
 * each line is what one "huitou set" does — the policy and the real uid checked, one audit
 * commit with its own author, time and reason — and gets one result line, flushed only after
 * git has its commit: "ok ID SEQ VERSION", "unchanged ID VERSION" or "error ID: message".
 * A refused line does not stop the others; the exit status is the first failure's.
 */
#include "config.h"

#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include "cli/cli.h"

/* The words of one line, cut as a POSIX shell cuts unexpanded words; NULL-ended, in *words
 * (caller frees with words_free). An unclosed quote is an error. */
struct words {
	char **v;
	int n;
};

static void
words_free(struct words *w)
{
	for (int i = 0; i < w->n; i++)
		free(w->v[i]);
	free(w->v);
	w->v = NULL;
	w->n = 0;
}

static void
words_push(struct words *w, struct buf *word)
{
	w->v = xrealloc(w->v, (size_t)(w->n + 2) * sizeof *w->v);
	w->v[w->n++] = buf_detach(word);
	w->v[w->n] = NULL;
}

/* Reads one quoted run starting after its opening quote q; returns where it ends, or NULL. */
static const char *
quoted_run(const char *p, char q, struct buf *word)
{
	for (; *p != '\0' && *p != q; p++) {
		if (q == '"' && *p == '\\' && (p[1] == '"' || p[1] == '\\'))
			p++;
		buf_add(word, p, 1);
	}
	return *p == q ? p + 1 : NULL;
}

static int
split_words(const char *line, struct words *w, struct error *err)
{
	struct buf word = BUF_INIT;
	bool in_word = false;
	const char *p = line;

	while (*p != '\0') {
		if (*p == ' ' || *p == '\t') {
			if (in_word)
				words_push(w, &word);
			in_word = false;
			p++;
			continue;
		}
		in_word = true;
		if (*p == '\'' || *p == '"') {
			char q = *p;

			if ((p = quoted_run(p + 1, q, &word)) == NULL) {
				buf_free(&word);
				return error_set(err, ST_USAGE, _("a quote (%c) is not closed"), q);
			}
			continue;
		}
		if (*p == '\\' && p[1] != '\0')
			p++;
		buf_add(&word, p++, 1);
	}
	if (in_word)
		words_push(w, &word);
	buf_free(&word);
	return 0;
}

static void
print_safe_line(const char *what, const char *id, const char *rest)
{
	fputs(what, stdout);
	fputc(' ', stdout);
	cli_print_safe(stdout, id);
	if (rest != NULL)
		cli_print_safe(stdout, rest);
	fputc('\n', stdout);
}

static void
print_outcome(const struct set_outcome *res)
{
	char tail[64];

	if (res->changed)
		snprintf(tail, sizeof tail, " %" PRIu64 " %" PRIu64, res->seq, res->version);
	else
		snprintf(tail, sizeof tail, " %" PRIu64, res->version);
	print_safe_line(res->changed ? "ok" : "unchanged", res->id, tail);
}

static void
print_error(struct cli *cli, const char *id)
{
	char *msg = xasprintf(": %s", cli->err.message != NULL ? cli->err.message : "?");

	print_safe_line("error", id, msg);	/* newlines in the message escaped: one line */
	free(msg);
}

/* One line's save; returns its status (ST_OK for "ok" and "unchanged"); *saved set when it
 * changed a record. */
static int
set_line(struct cli *cli, const char *line, const char *reason_all, bool *saved)
{
	struct words w = { NULL, 0 };
	struct cmd_args args;
	struct set_outcome res;
	const char *start = line + strspn(line, " \t");
	char *id = xstrndup(start, strcspn(start, " \t"));	/* as written, to name the line */
	int st = ST_OK;

	error_clear(&cli->err);
	if (split_words(line, &w, &cli->err) == 0 && w.n > 0) {
		free(id);
		id = xstrdup(w.v[0]);	/* before option parsing reorders the words */
		/* cmd_parse wants the command's name first; a "-" id keeps option parsing honest */
		w.v = xrealloc(w.v, (size_t)(w.n + 2) * sizeof *w.v);
		memmove(w.v + 1, w.v, (size_t)(w.n + 1) * sizeof *w.v);
		w.v[0] = xstrdup("set");
		w.n++;
		if (cmd_parse(&cmd_set_entry, w.n, w.v, &args) != 0 || args.argc < 2 ||
		    cmd_flag(&args, "stdin"))
			error_set(&cli->err, ST_USAGE, _("a line takes ID FIELD=VALUE… [--expect-version N] [--reason TEXT]"));
		else if (cli_set_one(cli, &args, reason_all, &res) == 0) {
			*saved = *saved || res.changed;
			print_outcome(&res);
			free(res.id);
		}
	}
	if (cli->err.message != NULL) {
		st = cli->err.status != ST_OK ? (int)cli->err.status : ST_FAILED;
		print_error(cli, id);
	}
	fflush(stdout);	/* the result is out as soon as git has the commit */
	words_free(&w);
	free(id);
	return st;
}

static bool
blank_line(const char *s)
{
	return s[strspn(s, " \t")] == '\0';
}

int
cli_set_stdin(struct cli *cli, const struct cmd_args *args)
{
	char *line = NULL, *reason_all = NULL;
	size_t room = 0;
	ssize_t n;
	int first = ST_OK, st;
	bool saved = false;

	if (args->argc != 0 || cmd_value(args, "expect-version") != NULL)
		return cli_usage(args->entry);
	if (cli_parse_reason(cli, cmd_value(args, "reason"), &reason_all) != 0)
		return cli_report(cli);
	while ((n = getline(&line, &room, stdin)) > 0) {
		if (line[n - 1] == '\n')
			line[--n] = '\0';
		if (n > 0 && line[n - 1] == '\r')
			line[--n] = '\0';
		if (blank_line(line) || line[strspn(line, " \t")] == '#')
			continue;
		st = set_line(cli, line, reason_all != NULL ? cmd_value(args, "reason") : NULL,
		    &saved);
		if (first == ST_OK)
			first = st;
	}
	error_clear(&cli->err);
	if (saved)	/* it says "saved": never after lines that all were refused */
		cli_warn_pending_audit(cli);
	free(line);
	free(reason_all);
	return first;
}
