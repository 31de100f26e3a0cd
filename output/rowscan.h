/* rowscan.h - the in-stream auditors over every audited row of a dataset,
 * on all cores, the findings handed over in row order.
 *
 * The rows come through the dataset's row cursor (output/cursor.h) in its
 * order. They are read in batches, scanned (findings_scan) on a
 * fork-join pool (base/pool.h), each thread with its own collector
 * (auditors keep no state between calls: auditors/auditor.h), and then
 * handed to fn one by one in cursor order, so whatever fn stores comes
 * out exactly as a one-thread pass stores it. While one batch is
 * scanned, one thread of the pool hands the batch before over and then
 * reads the batch after: the dataset is used by one thread at a time,
 * not always the caller's, and so is fn. Memory is bounded by three
 * batches (ROWSCAN_BATCH rows with their texts and findings).
 *
 * Ownership: the row and the findings passed to fn live only during the
 * call.
 */
#ifndef PF_ROWSCAN_H
#define PF_ROWSCAN_H

#include <stddef.h>
#include <stdint.h>

#include "auditors/auditor.h"
#include "base/error.h"
#include "output/dataset.h"
#include "output/findings.h"

#define ROWSCAN_BATCH 512

/* Receives one scanned row: whether it must be quarantined and its nf
 * findings (findings_each's order). Returns 0 to go on, nonzero to stop
 * (rowscan_run then returns -1; fn fills err itself). */
typedef int (*rowscan_fn)(void *ud, const struct audit_row *row,
			  int quarantined, const struct row_finding *f,
			  size_t nf);

/* What a scan hands over, row by row in cursor order: with score set,
 * every auditor with a score_row hook runs it in place of scan_row
 * (findings_set_scorer) and each row's scores go to score, in the order
 * the hooks gave them, before its findings go to row. */
struct rowscan_ops {
	rowscan_fn row;
	findings_score_fn score;     /* NULL: no scoring */
	void *ud;                    /* both callbacks' */
};

/* Scan every audited row of ds with the n auditors of v on `threads`
 * threads (0: as many as the machine has, at most POOL_MAX_THREADS)
 * and hand each to ops. The rows of tables no auditor of v reads
 * (auditor_reads_table) are passed over unread: they could yield no
 * finding and no score. *rows gets the number of audited rows, read or
 * passed over. Returns 0,
 * or -1 with err filled (a read error, memory, a row a score_row hook
 * could not score, or the row callback's stop). */
int rowscan_run(struct dataset *ds, const struct audit_instance *v,
		size_t n, unsigned threads, const struct rowscan_ops *ops,
		int64_t *rows, struct pf_error *err);

#endif
