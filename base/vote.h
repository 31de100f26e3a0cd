/* vote.h - a plurality vote over the three verdicts of a pairwise judge:
 * 'x' (the pair's first response), 'y' (its second) and 't' (a tie).
 *
 * The preference judge (generators/judge.c) and the PENGUIN judge of the
 * safety auditor (auditors/penguinjudge.c) count their samples of each
 * order, and of both, with it. Plain counts: no allocation, nothing to
 * free; start from `struct vote v = { .count = { 0 } }`.
 */
#ifndef PF_VOTE_H
#define PF_VOTE_H

enum { VOTE_X, VOTE_Y, VOTE_TIE };

struct vote {
	int count[3];    /* indexed by VOTE_X, VOTE_Y, VOTE_TIE */
};

/* Count one verdict: 'x', 'y'; any other counts as a tie. */
void vote_add(struct vote *v, char verdict);

/* 'x' or 'y' when it has more votes than each of the other two, 't' when
 * no verdict has (equal counts, or ties the most), 0 when nothing was
 * counted. */
char vote_plurality(const struct vote *v);

#endif
