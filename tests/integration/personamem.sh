#!/bin/sh
# personamem.sh - the PersonaMem export of a 50-persona offline build
# (14 sessions a persona of all seven document types at noise 0.3, 7
# multiple-choice items a persona) goes through the authors' own loading
# and answer scoring (tests/integration/personamem_check.py follows
# inference_standalone_openai.py of bowen-upenn/PersonaMem step by step)
# with an oracle that answers the correct letter: every row loads, every
# context id resolves, every end index is in range, every answer scores
# right. Debian's python3, no network.
. "${top_srcdir:-.}/tests/integration/lib.sh"
scratch pm
need_python3
tap_plan 3

seven_types_config "$T/pm.json" pm50 7
tap_build_export "a 50-persona build exports as PersonaMem" \
	pm "$T/pm.json" 50 personamem
tap_check "the authors' loading and answer scoring accept it" \
	python3 "$src/tests/integration/personamem_check.py" "$T/pm"
sed "s/^/# /" "$T/check.out"
# Byte-identical run to run: the same dataset, the same files.
"$pf" export "$T/pm.db" --format personamem -o "$T/pm2" -q
tap_check "the export is byte-identical run to run" diff -r "$T/pm" "$T/pm2"
tap_end
