#!/bin/sh
# make.sh OUTDIR - produce the golden outputs of this build in OUTDIR:
# XML and JSONL exports, `stats --json` (timestamps removed) and the
# journal's (item_id, req_hash) pairs of the demo config at 300 personas
# and of a heavy config (documents 64, QA 256, pairs 40 per persona) at 20;
# `batch` output of 300 lines against the mock server. Everything in it
# must be byte-identical from one commit to the next unless a change of
# output is intended (tests/golden/SHA256SUMS records the sums;
# tests/integration/golden.sh compares them).
#
# Needs PERSONAFORGE (the binary), top_srcdir, top_builddir (for mockllm),
# sqlite3 and python3.
set -eu
out=$1
src=${top_srcdir:-.}
bld=${top_builddir:-.}
pf=${PERSONAFORGE:-$bld/src/personaforge}
mock=$bld/tests/server/mockllm
mkdir -p "$out"
cd "$out"
rm -rf ./*

# one NAME CONFIG [BUILD ARGS...]
one() {
	name=$1 cfg=$2
	shift 2
	"$pf" build "$cfg" -o "$name.db" -q "$@"
	"$pf" export "$name.db" --format xml -o "$name.xml"
	"$pf" export "$name.db" --format jsonl -o "$name.jsonl"
	"$pf" stats --json "$name.db" | python3 -c '
import json, sys
d = json.load(sys.stdin)
d.pop("dataset", None)
for k in ("created_at", "updated_at"):
    d.get("provenance", {}).pop(k, None)
print(json.dumps(d, sort_keys=True, indent=1))' > "$name.stats.json"
	sqlite3 "$name.db" \
		"select item_id, req_hash from journal order by item_id" \
		> "$name.journal.tsv"
	rm -f "$name.db" "$name.db-wal" "$name.db-shm"
}

one demo "$src/examples/demo.json" --personas 300
one heavy "$src/tests/golden/heavy.json"

# batch against the mock server: fixed latency-free replies.
rm -f mock.port
"$mock" --quiet --port 0 --port-file mock.port 2>mock.err &
mpid=$!
i=0
while [ ! -s mock.port ] && [ $i -lt 200 ]; do sleep 0.05; i=$((i + 1)); done
python3 - <<'PY'
with open("batch.in.jsonl", "w") as f:
    for i in range(1, 301):
        f.write('{"custom_id":"req-%05d","method":"POST","url":'
                '"/v1/chat/completions","body":{"model":"mock",'
                '"messages":[{"role":"user","content":"line %d"}]}}\n'
                % (i, i))
PY
"$pf" batch batch.in.jsonl -o batch.out.jsonl -q \
	--base-url "http://127.0.0.1:$(cat mock.port)/v1" --concurrency 16
kill "$mpid" 2>/dev/null || true
wait "$mpid" 2>/dev/null || true
sqlite3 batch.out.jsonl.journal \
	"select item_id, req_hash from journal order by item_id" \
	> batch.journal.tsv
rm -f batch.out.jsonl.journal* mock.port mock.err batch.in.jsonl
