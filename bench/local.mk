## bench/: benchmarks that print figures (not run by make check).
dist_noinst_SCRIPTS += bench/offline-build bench/stage-mix bench/population \
	bench/scan-bench bench/scan-corpus bench/persona-layer
EXTRA_DIST += bench/buildrun.py
