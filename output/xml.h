/* xml.h - the XML export, validated by output/personaforge.xsd.
 *
 * Streams the dataset through libxml2's xmlTextWriter (never a tree), so
 * memory stays flat; every text value passes output/sanitize.h first, so
 * control characters and invalid UTF-8 never break well-formedness. The
 * layout and order are described in output/export.h and the XSD.
 */
#ifndef PF_XML_H
#define PF_XML_H

#include "base/error.h"
#include "output/dataset.h"
#include "output/export.h"

#define XML_EXPORT_NS "urn:personaforge:dataset:1"
#define XML_EXPORT_VERSION "1"   /* schema_version attribute of the root */

/* Write ds as XML to path: to a temporary file in path's directory,
 * flushed, fsynced and renamed over path, so path is either the old file
 * or the complete new one. opts are enum export_opt bits: quarantined
 * rows are left out unless EXPORT_QUARANTINED; EXPORT_PARTIAL keeps the
 * complete personas only and writes partial="true" on the root. counts
 * (may be NULL) gets the records written. Returns 0, or -1 with err
 * filled (err->file names the output for I/O errors); the temporary file
 * is removed on failure. */
int xml_export_write(struct dataset *ds, const char *path, unsigned opts,
		     struct export_counts *counts, struct pf_error *err);

#endif
