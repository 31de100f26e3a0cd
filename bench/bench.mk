## bench/: engine benchmarks (print figures; not run by make check).
noinst_PROGRAMS += bench/bare-curl
bench_bare_curl_SOURCES = bench/bare-curl.c
bench_bare_curl_LDADD = $(UV_LIBS) $(CURL_LIBS)
dist_noinst_SCRIPTS += bench/engine-bench.sh
## The diversity auditor on N synthetic texts (bench/diversity-bench).
noinst_PROGRAMS += bench/div-bench
bench_div_bench_SOURCES = bench/div-bench.c
bench_div_bench_LDADD = libpersonaforge.a $(LIBS_ALL)
dist_noinst_SCRIPTS += bench/diversity-bench
