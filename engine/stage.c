/* stage.c - helpers of the stage contract (see stage.h). */
#include "engine/stage.h"

#include <stdio.h>

const cJSON *
unit_reply(const struct unit *u, int stage, uint32_t idx)
{
	if (stage < 0 || stage >= STAGE_MAX || (int)idx >= u->count[stage] ||
	    u->reply[stage] == NULL)
		return NULL;
	return u->reply[stage][idx];
}

int64_t
stage_table_items(const struct stage_table *t, const struct pf_config *cfg)
{
	int64_t n = 0;
	int k;

	for (k = 0; k < t->n; k++)
		n += t->stages[k]->count(cfg);
	return n;
}

void
stage_item_id(char *out, size_t n, const struct unit *u, int stage,
	      uint32_t idx)
{
	snprintf(out, n, "%s/%s/%u", u->id, u->table->stages[stage]->name,
		 idx);
}
