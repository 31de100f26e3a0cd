#!/bin/sh
# start-llama.sh - start tests/server/llama-server.mjs (real inference over
# node-llama-cpp 3.21.1 and stories260K.gguf) on a free loopback port.
#
# Usage: start-llama.sh [--port-file FILE] [--pid-file FILE] [--log FILE]
#                       [--install-only] [--foreground]
#
# Installs the pinned npm packages once into
# ${PERSONAFORGE_LLAMA_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/personaforge-llama}
# (never into the source tree), checks node >= 20 and the model's sha256,
# starts the server in the background, waits until it listens and prints its
# port on stdout. The model is $LLAMA_MODEL, else $SHARED_DIR/models/ or
# ../shared/models/ beside the source tree. Stop it with
# `kill $(cat PIDFILE)`.
#
# Exit status: 0 started (or installed), 77 something needed is unavailable
# (tests treat that as SKIP), 1 the server failed to start, 2 usage error.
set -u

VERSION=3.21.1
SHA=270cba1bd5109f42d03350f60406024560464db173c0e387d91f0426d3bd256d
here=$(cd "$(dirname "$0")" && pwd)
cache=${PERSONAFORGE_LLAMA_CACHE:-${XDG_CACHE_HOME:-${HOME:-/tmp}/.cache}/personaforge-llama}
port_file= pid_file= log= install_only=0 foreground=0

skip() {
	echo "start-llama: SKIP: $*" >&2
	exit 77
}

while [ $# -gt 0 ]; do
	case $1 in
	--port-file) port_file=$2; shift 2 ;;
	--pid-file) pid_file=$2; shift 2 ;;
	--log) log=$2; shift 2 ;;
	--install-only) install_only=1; shift ;;
	--foreground) foreground=1; shift ;;
	*) echo "usage: $0 [--port-file F] [--pid-file F] [--log F] [--install-only] [--foreground]" >&2
	   exit 2 ;;
	esac
done

# node >= 20 on linux-x64 (the only prebuilt binary we install).
command -v node >/dev/null 2>&1 || skip "node not installed"
command -v npm >/dev/null 2>&1 || skip "npm not installed"
major=$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)
[ "$major" -ge 20 ] 2>/dev/null || skip "node $major < 20"
[ "$(node -p 'process.platform + "-" + process.arch')" = linux-x64 ] ||
	skip "no prebuilt node-llama-cpp binary pinned for this platform"

# The model, checked by sha256.
model=${LLAMA_MODEL:-}
if [ -z "$model" ]; then
	for d in "${SHARED_DIR:-}/models" "$here/../../../shared/models"; do
		[ -f "$d/stories260K.gguf" ] && { model=$d/stories260K.gguf; break; }
	done
fi
[ -n "$model" ] && [ -f "$model" ] || skip "model stories260K.gguf not found (set LLAMA_MODEL)"
if command -v sha256sum >/dev/null 2>&1; then
	sum=$(sha256sum "$model" | cut -d' ' -f1)
else
	sum=$(node -e 'const c=require("crypto"),f=require("fs");
		process.stdout.write(c.createHash("sha256").update(f.readFileSync(process.argv[1])).digest("hex"))' "$model")
fi
[ "$sum" = "$SHA" ] || skip "model $model has sha256 $sum, want $SHA"

installed() {
	[ -f "$cache/node_modules/@node-llama-cpp/linux-x64/package.json" ] &&
	[ "$(node -p "require('$cache/node_modules/node-llama-cpp/package.json').version" 2>/dev/null)" = "$VERSION" ]
}

# Install once; flock serialises parallel test runs when it is available.
install() {
	installed && return 0
	mkdir -p "$cache" || return 1
	cp "$here/package.json" "$cache/package.json" || return 1
	echo "start-llama: installing node-llama-cpp@$VERSION into $cache" >&2
	(cd "$cache" && npm i -E --omit=optional --no-audit --no-fund \
		"node-llama-cpp@$VERSION" "@node-llama-cpp/linux-x64@$VERSION" \
		>"$cache/npm-install.log" 2>&1) || {
		tail -5 "$cache/npm-install.log" >&2
		return 1
	}
	installed
}
mkdir -p "$cache" 2>/dev/null || skip "cannot create $cache"
if command -v flock >/dev/null 2>&1; then
	( flock 9; install ) 9>"$cache/.lock" || skip "npm install failed (see $cache/npm-install.log)"
else
	install || skip "npm install failed (see $cache/npm-install.log)"
fi
[ "$install_only" = 1 ] && exit 0

# Run from the cache dir so that node resolves node_modules there.
cp "$here/llama-server.mjs" "$cache/llama-server.mjs" || exit 1
export LLAMA_MODEL="$model"
if [ "$foreground" = 1 ]; then
	if [ -n "$port_file" ]; then
		exec node "$cache/llama-server.mjs" --port "${PORT:-0}" --port-file "$port_file"
	fi
	exec node "$cache/llama-server.mjs" --port "${PORT:-0}"
fi

tmpd=
if [ -z "$port_file" ]; then
	tmpd=$(mktemp -d "${TMPDIR:-/tmp}/llama.XXXXXX") || exit 1
	port_file=$tmpd/port
fi
rm -f "$port_file"
log=${log:-/dev/null}
node "$cache/llama-server.mjs" --port "${PORT:-0}" --port-file "$port_file" \
	</dev/null >>"$log" 2>&1 &
pid=$!
[ -n "$pid_file" ] && echo "$pid" >"$pid_file"
i=0
while [ ! -s "$port_file" ]; do
	if ! kill -0 "$pid" 2>/dev/null || [ $i -ge 600 ]; then
		echo "start-llama: server did not start (log: $log)" >&2
		kill "$pid" 2>/dev/null
		exit 1
	fi
	sleep 0.1
	i=$((i + 1))
done
cat "$port_file"
[ -n "$tmpd" ] && rm -rf "$tmpd"
exit 0
