## src/: main() and one file per subcommand.
src_personaforge_SOURCES += src/main.c src/cmd.h src/build.h \
	src/config-file.c src/config-file.h \
	src/cmd-build.c src/build-summary.c src/build-summary.h \
	src/cmd-validate.c src/cmd-export.c \
	src/plan.c src/plan.h src/preview.c src/preview.h \
	src/cmd-template.c src/cmd-stats.c src/cmd-verify.c \
	src/out-path.c src/out-path.h src/shard.c src/shard.h \
	src/cmd-merge.c src/cmd-scan.c src/cmd-audit.c \
	src/cmd-diff.c src/batch-input.c src/batch-input.h \
	src/cmd-report.c src/report-file.c src/report-file.h
src_personaforge_SOURCES += src/cmd-metrics.c
src_personaforge_SOURCES += src/cmd-probe.c
