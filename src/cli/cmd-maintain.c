/*
 * cmd-maintain.c — "huitou maintain": packs the audit repository's loose objects and refs
 * (libgit2 has no gc). Safe while others work; meant for a daily timer. "maintain --map-size
 * SIZE" sets the store's LMDB map size instead (DIR/map-size; store-mapsize.c).
 */
#include "config.h"

#include "cli/cli.h"

static int
cmd_maintain_exec(struct cli *cli, const struct cmd_args *args)
{
	const char *map_size = cmd_value(args, "map-size");
	size_t packed, bytes;

	if (map_size != NULL) {
		if (store_map_size_parse(map_size, &bytes, &cli->err) != 0 ||
		    store_map_size_grow(cli->store, bytes, &cli->err) != 0)
			return cli_report(cli);
		printf(_("the store's map size is now %zu bytes (%s)\n"), bytes, map_size);
		return ST_OK;
	}
	if (store_maintain(cli->store, &packed, &cli->err) != 0)
		return cli_report(cli);
	printf(_("packed %zu objects of the audit repository\n"), packed);
	return ST_OK;
}

const struct cmd_entry cmd_maintain_entry = {
	"maintain", N_("[--map-size SIZE]"),
	N_("pack the audit repository (safe while others work); --map-size sets the store's map size"),
	{ { "map-size", true }, { NULL, false } }, 0, 0, CMD_READS_STORE,
	cmd_maintain_exec,
};
