/* card.h - the dataset card: the README.md a JSONL export writes beside
 * its files, in the Hugging Face layout.
 *
 * A YAML header (between "---" lines) with `license` ($.dataset.license
 * of the config the dataset was built with, else `unknown`),
 * `pretty_name`, `size_categories` (from the records of the data files:
 * `n<1K`, `1K<n<10K`, ...), `tags` and one `configs` entry per JSONL file
 * that holds records (`config_name` the file's name without `.jsonl`,
 * `data_files` the file), so `datasets.load_dataset(DIR, "qa")` loads
 * qa.jsonl; then Markdown: the files with their records, provenance
 * (config hash, seed, personas, version, backend and model per stage),
 * intended use, the audits' headline figures (findings by auditor and
 * severity, gate verdicts, quarantined rows, measures of the
 * `audit_metric` table when the dataset has one) and limitations (the
 * offline backend's text is a stand-in; a partial export).
 *
 * Nothing in it depends on when or how fast the dataset was built (no
 * dates, no token counts, no timings), so the same dataset always gives
 * the same bytes.
 */
#ifndef PF_CARD_H
#define PF_CARD_H

#include <stdio.h>

#include "base/error.h"
#include "output/dataset.h"
#include "output/export.h"

#define CARD_FILE "README.md"

/* Write the card of ds to `out`, for a JSONL export whose walk counted
 * n (records per table) under opts (enum export_opt bits). Returns 0, or
 * -1 with err filled (a database error; write errors show when the
 * caller closes `out`). */
int card_write(struct dataset *ds, FILE *out, const struct export_counts *n,
	       unsigned opts, struct pf_error *err);

#endif
