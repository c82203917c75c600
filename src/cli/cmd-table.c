/*
 * cmd-table.c — every command huitou has, in the order "huitou help" lists them, and the one
 * parser of their words: each entry declares its options, its operands and what it needs
 * (as tmux's cmd_entry does), so no command parses its own options.
 */
#include "config.h"

#include <getopt.h>
#include <string.h>

#include "cli/cli.h"

static const struct cmd_entry *const table[] = {
	&cmd_init_entry, &cmd_import_entry, &cmd_export_entry, &cmd_new_entry,
	&cmd_show_entry, &cmd_set_entry, &cmd_move_entry, &cmd_board_entry, &cmd_log_entry, &cmd_revert_entry, &cmd_verify_entry,
	&cmd_recover_entry, &cmd_rebuild_entry, &cmd_maintain_entry, &cmd_push_entry,
	&cmd_notice_entry,
	&cmd_ledger_entry,
	&cmd_report_entry,
	&cmd_publish_entry, &cmd_lists_entry,
	&cmd_batch_entry, &cmd_undo_entry,
	&cmd_draw_entry,
	&cmd_credit_entry,
	&cmd_status_entry,
	&cmd_help_entry, NULL,
};

const struct cmd_entry *const *
cmd_table(void)
{
	return table;
}

const struct cmd_entry *
cmd_find(const char *name)
{
	for (size_t i = 0; table[i] != NULL; i++)
		if (str_eq(table[i]->name, name))
			return table[i];
	return NULL;
}

/* getopt_long's table for the entry's options; an option's index is its getopt value. */
static size_t
getopt_table(const struct cmd_entry *entry, struct option *out)
{
	size_t n = 0;

	for (; n < CMD_MAX_OPTIONS && entry->options[n].name != NULL; n++)
		out[n] = (struct option){ entry->options[n].name,
		    entry->options[n].takes_value ? required_argument : no_argument, NULL, (int)n };
	out[n] = (struct option){ NULL, 0, NULL, 0 };
	return n;
}

int
cmd_parse(const struct cmd_entry *entry, int argc, char **argv, struct cmd_args *out)
{
	struct option opts[CMD_MAX_OPTIONS + 1];
	int c;

	memset(out, 0, sizeof *out);
	out->entry = entry;
	getopt_table(entry, opts);
	opterr = 0;
	optind = 0;	/* glibc: 0 restarts the scan, forgetting main's "+" */
	/* _only: one dash takes a long option too, and a prefix of one, so -o is --output. */
	while ((c = getopt_long_only(argc, argv, "", opts, NULL)) != -1) {
		if (c < 0 || c >= CMD_MAX_OPTIONS || entry->options[c].name == NULL) {
			fprintf(stderr, _("huitou %s: unknown option or missing value: "), entry->name);
			cli_print_safe(stderr, argv[optind - 1]);
			fputc('\n', stderr);
			return cli_usage(entry);
		}
		out->values[c] = optarg != NULL ? optarg : "";
	}
	out->all_argc = argc;
	out->all_argv = argv;
	out->argc = argc - optind;
	out->argv = argv + optind;
	if (out->argc < entry->min_operands ||
	    (entry->max_operands >= 0 && out->argc > entry->max_operands))
		return cli_usage(entry);
	return 0;
}

const char *
cmd_value(const struct cmd_args *args, const char *name)
{
	for (size_t i = 0; i < CMD_MAX_OPTIONS && args->entry->options[i].name != NULL; i++)
		if (str_eq(args->entry->options[i].name, name))
			return args->values[i];
	fatal("command %s has no option --%s", args->entry->name, name);
}

bool
cmd_flag(const struct cmd_args *args, const char *name)
{
	return cmd_value(args, name) != NULL;
}

size_t
cmd_values(const struct cmd_args *args, const char *name, const char **out)
{
	struct option opts[CMD_MAX_OPTIONS + 1];
	size_t n = 0;
	int c;

	getopt_table(args->entry, opts);
	opterr = 0;
	optind = 0;	/* the words were parsed (and put in order) once already: no surprise */
	while ((c = getopt_long_only(args->all_argc, args->all_argv, "", opts, NULL)) != -1)
		if (c >= 0 && c < CMD_MAX_OPTIONS && optarg != NULL &&
		    args->entry->options[c].name != NULL && str_eq(args->entry->options[c].name, name))
			out[n++] = optarg;
	return n;
}
