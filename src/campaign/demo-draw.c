/*
 * demo-draw.c — the demo's spot-check draw (随机抽查, doc/draw.md): five of 雁塔区's licensed
 * institutions, the district coordinators drawn into teams of three for cross-checks, announced
 * and completed with a lottery's numbers, as huitou draw makes them: two commits, the last of
 * the demo. The announcement's commit id is new at every init, so the sample differs too.
 */
#include "config.h"

#include <stdlib.h>

#include "campaign/draw.h"

int
demo_draw(struct store *store, struct error *err)
{
	const struct draw_params p = { "district=雁塔区 and status=licensed", 5,
	    "role=district_coordinator", 3, "福彩3D 2026-11-27 开奖号码" };
	struct draw_outcome o;
	char *id = NULL;
	size_t population;
	int rc = draw_announce(store, &p, &id, &population, err);

	if (rc == 0 && (rc = draw_complete(store, id, "5 2 9", false, &o, err)) == 0)
		draw_outcome_clear(&o);
	free(id);
	return rc;
}
