/* backend.c - the one helper of the backend contract (see backend.h). */
#include "llm/backend.h"

#include <stdlib.h>

void
llm_call_clear(struct llm_call *call)
{
	if (call == NULL)
		return;
	free(call->content);
	free(call->error);
	call->content = NULL;
	call->error = NULL;
	call->content_len = 0;
	call->finish_reason[0] = '\0';
	call->refused = 0;
	call->model[0] = '\0';
	call->prompt_tokens = call->completion_tokens = 0;
	call->result = LLM_OK;
}
