## personas/: the persona struct and field table, the distribution tables
## (data/*.tsv, installed under $(pkgdatadir)/personas/data) and the sampler.
libpersonaforge_a_SOURCES += \
	personas/coherence.c personas/coherence.h \
	personas/persona.c personas/persona.h \
	personas/quota.c personas/quota.h \
	personas/sampler.c personas/sampler.h \
	personas/target.c personas/target.h

personadatadir = $(pkgdatadir)/personas/data
dist_personadata_DATA = \
	personas/data/README.md \
	personas/data/age.tsv \
	personas/data/age_detail.tsv \
	personas/data/birth_decade.tsv \
	personas/data/area_code.tsv \
	personas/data/big5.tsv \
	personas/data/citizenship.tsv \
	personas/data/city.tsv \
	personas/data/economic_status.tsv \
	personas/data/education.tsv \
	personas/data/emotional_state.tsv \
	personas/data/employment.tsv \
	personas/data/first_name.tsv \
	personas/data/gender.tsv \
	personas/data/health_status.tsv \
	personas/data/household.tsv \
	personas/data/income.tsv \
	personas/data/language.tsv \
	personas/data/language_extra.tsv \
	personas/data/last_name.tsv \
	personas/data/marital_status.tsv \
	personas/data/name_sex.tsv \
	personas/data/race_ethnicity.tsv \
	personas/data/mental_health.tsv \
	personas/data/mental_health_any.tsv \
	personas/data/occupation.tsv \
	personas/data/occupation_age.tsv \
	personas/data/occupation_sex.tsv \
	personas/data/party_id.tsv \
	personas/data/region.tsv \
	personas/data/self_harm.tsv \
	personas/data/state.tsv \
	personas/data/state_neighbor.tsv \
	personas/data/urban_rural.tsv

# The Canadian locale: the tables it replaces (the rest are the US ones).
personalocalecadir = $(pkgdatadir)/personas/data/locales/ca
dist_personalocaleca_DATA = \
	personas/data/locales/ca/README.md \
	personas/data/locales/ca/area_code.tsv \
	personas/data/locales/ca/citizenship.tsv \
	personas/data/locales/ca/city.tsv \
	personas/data/locales/ca/language.tsv \
	personas/data/locales/ca/language_extra.tsv \
	personas/data/locales/ca/party_id.tsv \
	personas/data/locales/ca/race_ethnicity.tsv \
	personas/data/locales/ca/region.tsv \
	personas/data/locales/ca/state.tsv \
	personas/data/locales/ca/state_neighbor.tsv \
	personas/data/locales/ca/urban_rural.tsv

# The sources of the transcribed tables and the converter that writes the
# tables (run at development time; see its header).
EXTRA_DIST += scripts/make-persona-tables.mjs \
	personas/data/src/age_sex.tsv \
	personas/data/src/ca_area_code.tsv \
	personas/data/src/ca_province.tsv \
	personas/data/src/education.tsv \
	personas/data/src/employment.tsv \
	personas/data/src/employment_nilf.tsv \
	personas/data/src/household_b09021.tsv \
	personas/data/src/household_shape.tsv \
	personas/data/src/income_oews.tsv \
	personas/data/src/income_status.tsv \
	personas/data/src/language_detail.tsv \
	personas/data/src/language_extra_english.tsv \
	personas/data/src/language_state.tsv \
	personas/data/src/marital_status.tsv \
	personas/data/src/occupation_age.tsv \
	personas/data/src/occupation_sex.tsv \
	personas/data/src/state.tsv

check_PROGRAMS += tests/unit/test_personas
tests_unit_test_personas_SOURCES = tests/unit/test_personas.c
tests_unit_test_personas_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_personas_LDADD = $(TEST_LDADD)

TESTS += tests/unit/test_personas

## personas/target.c on tables whose targets are computed by hand.
check_PROGRAMS += tests/unit/test_target
tests_unit_test_target_SOURCES = tests/unit/test_target.c
tests_unit_test_target_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_target_LDADD = $(TEST_LDADD)
TESTS += tests/unit/test_target

check_PROGRAMS += tests/unit/test_coherence
tests_unit_test_coherence_SOURCES = tests/unit/test_coherence.c
tests_unit_test_coherence_CFLAGS = $(TEST_CFLAGS)
tests_unit_test_coherence_LDADD = $(TEST_LDADD)

TESTS += tests/unit/test_coherence
