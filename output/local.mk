## output/: the dataset table registry, the SQL derived from it, the
## dataset file and the writer.
libpersonaforge_a_SOURCES += output/dataset.c output/dataset.h
libpersonaforge_a_SOURCES += output/writer.c output/writer.h
libpersonaforge_a_SOURCES += output/tables.c output/tables.h
libpersonaforge_a_SOURCES += output/tablesql.c output/tablesql.h

