## bench/: engine benchmarks (print figures; not run by make check).
noinst_PROGRAMS += bench/bare-curl
bench_bare_curl_SOURCES = bench/bare-curl.c
bench_bare_curl_LDADD = $(UV_LIBS) $(CURL_LIBS)
dist_noinst_SCRIPTS += bench/engine-bench.sh
