## output/: the dataset schema and writer.
libpersonaforge_a_SOURCES += output/dataset.c output/dataset.h
libpersonaforge_a_SOURCES += output/writer.c output/writer.h
