/* merge.h - putting shard datasets together (personaforge merge).
 *
 * Shards built with `build --shard I/N` hold disjoint slices of the same
 * build (src/shard.h); their rows, ids and checksums are those a single
 * build gives, so merging is copying: every dataset row and journal row
 * of each shard, verbatim, and one run row saying shard 0 of 1. No row is
 * made anew, so an edit in a shard shows in the merge (and a damaged row
 * stops it). The caller checks that the shards belong together.
 */
#ifndef PF_MERGE_H
#define PF_MERGE_H

#include "base/error.h"
#include "output/dataset.h"

/* Copy every row of every registry table but the run row, and every
 * journal row, from src into dst (a dataset of the same schema), checking
 * each dataset row's checksum as it goes. Journal rows keep src's order
 * under new ids; findings get new finding_ids. Runs inside the caller's
 * transaction on dst. Returns 0; 1 when a row of src is damaged (err
 * names its table and row); -1 on a database error (err filled). */
int dataset_merge_copy(struct dataset *dst, struct dataset *src,
		       struct pf_error *err);

/* Write dst's run row: src's, as shard 0 of 1, with its checksum. Returns
 * 0; 1 when src's run row is damaged; -1 on a database error. */
int dataset_merge_run(struct dataset *dst, struct dataset *src,
		      struct pf_error *err);

#endif
