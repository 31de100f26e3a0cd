## generators/: the generation stages (documents + facts + grounded QA,
## preference pairs + judge) and the stage registry.
libpersonaforge_a_SOURCES += \
	generators/facts.c generators/facts.h
libpersonaforge_a_SOURCES += \
	generators/registry.c generators/stages.h \
	generators/config.c generators/config.h \
	generators/text.c generators/text.h \
	generators/life.c generators/life.h \
	generators/documents.c \
	generators/qa.c \
	generators/preferences.c \
	generators/narrative.c \
	generators/interview.c
