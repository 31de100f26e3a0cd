/* registry.c - the stage registry and helpers shared by stages. */
#include "engine/stage.h"

#include <stdio.h>

extern const struct stage stage_narrative;
extern const struct stage stage_interview;
extern const struct stage stage_document;
extern const struct stage stage_qa;
extern const struct stage stage_preference;
extern const struct stage stage_judge;

const struct stage *const stage_registry[STAGE_COUNT] = {
	[STAGE_NARRATIVE] = &stage_narrative,
	[STAGE_INTERVIEW] = &stage_interview,
	[STAGE_DOCUMENT] = &stage_document,
	[STAGE_QA] = &stage_qa,
	[STAGE_PREFERENCE] = &stage_preference,
	[STAGE_JUDGE] = &stage_judge,
};

void
stage_item_id(char *out, size_t n, const struct persona_run *pr,
	      enum stage_id s, uint32_t idx)
{
	snprintf(out, n, "%s/%s/%u", pr->persona.id, stage_registry[s]->name,
		 idx);
}

void
stage_row_id(char *out, size_t n, const struct persona_run *pr, char kind,
	     int number)
{
	snprintf(out, n, "%s-%c%d", pr->persona.id, kind, number);
}

const cJSON *
stage_reply(const struct persona_run *pr, enum stage_id s, uint32_t idx)
{
	if ((int)idx >= pr->count[s] || pr->reply[s] == NULL)
		return NULL;
	return pr->reply[s][idx];
}
