## auditors/: the auditor contract and registry, the `$.audit` section
## and gate verdict, and the auditors (PII so far).
libpersonaforge_a_SOURCES += \
	auditors/auditor.h auditors/registry.c \
	auditors/policy.c auditors/policy.h \
	auditors/pii.c auditors/pii.h \
	auditors/textscan.c auditors/textscan.h \
	auditors/cards.c auditors/cards.h \
	auditors/iban.c auditors/iban.h \
	auditors/ipaddr.c auditors/ipaddr.h \
	auditors/street.c auditors/street.h \
	auditors/dates.c auditors/dates.h \
	auditors/canary.c auditors/canary.h
libpersonaforge_a_SOURCES += auditors/exposure.c auditors/exposure.h \
	auditors/fairstats.c auditors/fairstats.h \
	auditors/fairness.c auditors/fairness.h
libpersonaforge_a_SOURCES += auditors/textdiv.c auditors/textdiv.h \
	auditors/diversity.c auditors/diversity.h \
	auditors/calib.c auditors/calib.h
libpersonaforge_a_SOURCES += auditors/counterfact.c auditors/counterfact.h

## The card tables are data files with their sources, compiled in.
nodist_libpersonaforge_a_SOURCES = auditors/card-tables.c
BUILT_SOURCES = auditors/card-tables.c
CLEANFILES += auditors/card-tables.c
EXTRA_DIST += auditors/data/tsv2c.awk auditors/data/test-cards.tsv \
	auditors/data/card-issuers.tsv
auditors/card-tables.c: $(srcdir)/auditors/data/tsv2c.awk \
		$(srcdir)/auditors/data/test-cards.tsv \
		$(srcdir)/auditors/data/card-issuers.tsv
	$(MKDIR_P) auditors
	$(AWK) -f $(srcdir)/auditors/data/tsv2c.awk \
		$(srcdir)/auditors/data/test-cards.tsv > $@.tmp
	$(AWK) -f $(srcdir)/auditors/data/tsv2c.awk \
		$(srcdir)/auditors/data/card-issuers.tsv | sed 1,2d >> $@.tmp
	mv $@.tmp $@

check_PROGRAMS += tests/unit/test_pii
tests_unit_test_pii_SOURCES = tests/unit/test_pii.c
tests_unit_test_pii_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pii_LDADD = $(TEST_LDADD)

TESTS += tests/unit/test_pii

## The labeled set (tests/data/pii-labeled.txt) and its scorer: precision
## and recall per kind and overall, and the bars they must meet.
check_PROGRAMS += tests/unit/test_pii_labeled
tests_unit_test_pii_labeled_SOURCES = tests/unit/test_pii_labeled.c
tests_unit_test_pii_labeled_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_pii_labeled_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_pii_labeled
EXTRA_DIST += tests/data/pii-labeled.txt tests/data/pii-labeled-gen.py

check_PROGRAMS += tests/unit/test_canary
tests_unit_test_canary_SOURCES = tests/unit/test_canary.c
tests_unit_test_canary_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_canary_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_canary

## The personalized-safety auditor (issue 18): PENGUIN vocabulary, the
## offline rules and the Precise Boolean rubric. Its lexicon and rubric
## are data files compiled in as strings.
libpersonaforge_a_SOURCES += \
	auditors/penguin.c auditors/penguin.h \
	auditors/saferules.c auditors/saferules.h \
	auditors/safepattern.c auditors/safepattern.h \
	auditors/penguinjudge.c auditors/penguinjudge.h \
	auditors/rubric.c auditors/rubric.h \
	auditors/safety.c auditors/safety.h
nodist_libpersonaforge_a_SOURCES += auditors/safety-data.c
BUILT_SOURCES += auditors/safety-data.c
CLEANFILES += auditors/safety-data.c
EXTRA_DIST += auditors/data/text2c.awk auditors/data/safety-lexicon.tsv \
	auditors/data/safety-rubric.jsonl auditors/data/safety-judge.txt
auditors/safety-data.c: $(srcdir)/auditors/data/text2c.awk \
		$(srcdir)/auditors/data/safety-lexicon.tsv \
		$(srcdir)/auditors/data/safety-rubric.jsonl \
		$(srcdir)/auditors/data/safety-judge.txt
	$(MKDIR_P) auditors
	$(AWK) -v name=safety_lexicon_text -f $(srcdir)/auditors/data/text2c.awk \
		$(srcdir)/auditors/data/safety-lexicon.tsv > $@.tmp
	$(AWK) -v name=safety_rubric_text -f $(srcdir)/auditors/data/text2c.awk \
		$(srcdir)/auditors/data/safety-rubric.jsonl | sed 1d >> $@.tmp
	$(AWK) -v name=safety_judge_text -f $(srcdir)/auditors/data/text2c.awk \
		$(srcdir)/auditors/data/safety-judge.txt | sed 1d >> $@.tmp
	mv $@.tmp $@

## The labeled set (tests/data/safety-labeled.jsonl, committed before the
## rules) and its scorer: the held-out bars of issue 18.
check_PROGRAMS += tests/unit/test_safety_labeled
tests_unit_test_safety_labeled_SOURCES = tests/unit/test_safety_labeled.c
tests_unit_test_safety_labeled_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_safety_labeled_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_safety_labeled
EXTRA_DIST += tests/data/safety-labeled.jsonl tests/data/safety-labeled-gen.py

check_PROGRAMS += tests/unit/test_safety
tests_unit_test_safety_SOURCES = tests/unit/test_safety.c
tests_unit_test_safety_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_safety_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_safety

## The LLM mode's prompts and reply parsing, on scripted replies.
check_PROGRAMS += tests/unit/test_penguinjudge
tests_unit_test_penguinjudge_SOURCES = tests/unit/test_penguinjudge.c
tests_unit_test_penguinjudge_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_penguinjudge_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_penguinjudge

check_PROGRAMS += tests/unit/test_fairness
tests_unit_test_fairness_SOURCES = tests/unit/test_fairness.c
tests_unit_test_fairness_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_fairness_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_fairness

## The diversity auditor (issue 20): hand-computed distinct-n and
## self-BLEU, and the planted near-duplicates.
check_PROGRAMS += tests/unit/test_diversity
tests_unit_test_diversity_SOURCES = tests/unit/test_diversity.c
tests_unit_test_diversity_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_diversity_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_diversity

check_PROGRAMS += tests/unit/test_calib
tests_unit_test_calib_SOURCES = tests/unit/test_calib.c
tests_unit_test_calib_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_calib_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_calib

## The counterfactual probe's attributes and intervals (issue 20).
check_PROGRAMS += tests/unit/test_counterfact
tests_unit_test_counterfact_SOURCES = tests/unit/test_counterfact.c
tests_unit_test_counterfact_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_counterfact_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_counterfact
