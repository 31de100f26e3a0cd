/* vote.c - a plurality vote of x, y and tie (see vote.h). */
#include "base/vote.h"

void
vote_add(struct vote *v, char verdict)
{
	v->count[verdict == 'x' ? VOTE_X : verdict == 'y' ? VOTE_Y :
		 VOTE_TIE]++;
}

char
vote_plurality(const struct vote *v)
{
	const int *c = v->count;

	if (c[VOTE_X] + c[VOTE_Y] + c[VOTE_TIE] == 0)
		return 0;
	if (c[VOTE_X] > c[VOTE_Y] && c[VOTE_X] > c[VOTE_TIE])
		return 'x';
	if (c[VOTE_Y] > c[VOTE_X] && c[VOTE_Y] > c[VOTE_TIE])
		return 'y';
	return 't';
}
