## templates/: the Mustache engine, its unit and spec-conformance tests, and
## the CLI tests of `personaforge template render`.
libpersonaforge_a_SOURCES += templates/mustache.c templates/mustache.h \
	templates/grammar.c templates/grammar.h

## One source, two programs: test_mustache runs our own cases;
## test_mustache_spec runs the official spec files from $SHARED_DIR and
## reports a TAP SKIP plan when they are not there.
check_PROGRAMS += tests/unit/test_mustache tests/unit/test_mustache_spec \
	tests/unit/test_grammar
tests_unit_test_mustache_SOURCES = tests/unit/test_mustache.c
tests_unit_test_mustache_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_mustache_LDADD = $(TEST_LDADD)
tests_unit_test_mustache_spec_SOURCES = tests/unit/test_mustache.c
tests_unit_test_mustache_spec_CFLAGS = $(TEST_CFLAGS) -DMUSTACHE_SPEC
tests_unit_test_mustache_spec_LDADD = $(TEST_LDADD)
tests_unit_test_grammar_SOURCES = tests/unit/test_grammar.c
tests_unit_test_grammar_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_grammar_LDADD = $(TEST_LDADD)

TEMPLATE_CLI_TESTS = \
	tests/cli/template-basic.test \
	tests/cli/template-escape.test \
	tests/cli/template-sections.test \
	tests/cli/template-strict.test \
	tests/cli/template-partials.test \
	tests/cli/template-partials-default.test \
	tests/cli/template-partial-error.test \
	tests/cli/template-help.test \
	tests/cli/template-no-args.test \
	tests/cli/template-no-data.test \
	tests/cli/template-missing-file.test \
	tests/cli/template-missing-var.test \
	tests/cli/template-missing-data.test \
	tests/cli/template-syntax-error.test \
	tests/cli/template-data-syntax.test \
	tests/cli/template-bad-option.test \
	tests/cli/template-unknown-sub.test

TESTS += tests/unit/test_mustache tests/unit/test_mustache_spec \
	tests/unit/test_grammar \
	$(TEMPLATE_CLI_TESTS)
EXTRA_DIST += $(TEMPLATE_CLI_TESTS)

## The prompt templates and reply schemas of every stage, and the offline
## backend's reply templates; installed under $(pkgdatadir)/templates.
promptsdir = $(pkgdatadir)/templates/prompts
dist_prompts_DATA = \
	templates/prompts/system.mustache \
	templates/prompts/persona.mustache \
	templates/prompts/narrative.mustache \
	templates/prompts/narrative.schema.json \
	templates/prompts/interview.mustache \
	templates/prompts/interview.schema.json \
	templates/prompts/document.mustache \
	templates/prompts/document.schema.json \
	templates/prompts/qa.mustache \
	templates/prompts/qa.schema.json \
	templates/prompts/preference.mustache \
	templates/prompts/preference.schema.json \
	templates/prompts/judge.mustache \
	templates/prompts/judge.schema.json \
	templates/prompts/cqa.mustache \
	templates/prompts/cqa_otp.mustache \
	templates/prompts/cqa_wbp.mustache \
	templates/prompts/cqa_wbb.mustache \
	templates/prompts/cqa_wbc.mustache \
	templates/prompts/cqa.schema.json \
	templates/prompts/mcq.mustache \
	templates/prompts/mcq.schema.json
offlinedir = $(pkgdatadir)/templates/offline
dist_offline_DATA = \
	templates/offline/narrative.mustache \
	templates/offline/interview.mustache \
	templates/offline/document.mustache \
	templates/offline/qa.mustache \
	templates/offline/preference.mustache \
	templates/offline/judge.mustache \
	templates/offline/cqa.mustache \
	templates/offline/mcq.mustache \
	templates/offline/voice.grammar \
	templates/offline/life.grammar \
	templates/offline/story.grammar \
	templates/offline/lexicon.grammar \
	templates/offline/interview.grammar \
	templates/offline/iv-hobby.grammar \
	templates/offline/iv-kit.grammar \
	templates/offline/iv-place.grammar \
	templates/offline/iv-work.grammar \
	templates/offline/iv-tales.grammar \
	templates/offline/iv-hobby2.grammar \
	templates/offline/iv-hobby3.grammar \
	templates/offline/iv-tales2.grammar \
	templates/offline/iv2-crew.grammar \
	templates/offline/iv2-street.grammar \
	templates/offline/iv2-kin.grammar \
	templates/offline/iv2-ties.grammar \
	templates/offline/iv2-hobby.grammar \
	templates/offline/iv2-trade.grammar \
	templates/offline/iv1-par.grammar \
	templates/offline/iv1-seed.grammar \
	templates/offline/iv1-turn.grammar \
	templates/offline/iv1-life.grammar \
	templates/offline/iv1-kid.grammar \
	templates/offline/iv1-kid2.grammar \
	templates/offline/iv1-hob.grammar \
	templates/offline/iv1-tale.grammar \
	templates/offline/narrative.grammar \
	templates/offline/nar-work.grammar \
	templates/offline/nar-food.grammar \
	templates/offline/nar-place.grammar \
	templates/offline/nar-kin.grammar \
	templates/offline/nar-trait.grammar \
	templates/offline/nar-hobby.grammar \
	templates/offline/document.grammar \
	templates/offline/chains.grammar \
	templates/offline/cqa.grammar \
	templates/offline/preference.grammar
