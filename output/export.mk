## output/: exports (XML, JSONL), the XML sanitizer, and the XSD.
libpersonaforge_a_SOURCES += \
	output/sanitize.c output/sanitize.h \
	output/export.c output/export.h \
	output/xml.c output/xml.h \
	output/jsonl.c output/jsonl.h \
	output/sepqa.c output/sepqa.h \
	output/personabench.c output/personabench.h \
	output/card.c output/card.h \
	output/html.c output/html.h \
	output/report.c output/report.h output/report-int.h \
	output/report-people.c output/report-audit.c \
	output/fewshot.c output/fewshot.h \
	output/personamem.c output/personamem.h

xsddir = $(pkgdatadir)
dist_xsd_DATA = output/personaforge.xsd

check_PROGRAMS += tests/unit/test_export
tests_unit_test_export_SOURCES = tests/unit/test_export.c
tests_unit_test_export_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_export_LDADD = $(TEST_LDADD)

TESTS += tests/unit/test_export tests/cli/export.sh
EXTRA_DIST += tests/cli/export.sh tests/cli/export/cases.tsv
