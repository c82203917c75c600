/*
 * cmd-table.c — every command huitou has, in the order "huitou help" lists them.
 */
#include "config.h"

#include "cli/cli.h"

static const struct cmd_entry *const table[] = {
	&cmd_init_entry, &cmd_import_entry, &cmd_export_entry, &cmd_new_entry,
	&cmd_show_entry, &cmd_set_entry, &cmd_log_entry, &cmd_revert_entry, &cmd_verify_entry, &cmd_recover_entry, &cmd_rebuild_entry,
	&cmd_maintain_entry, &cmd_push_entry, &cmd_help_entry, NULL,
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
