#!/bin/sh
# slurm.sh - the shipped Slurm examples on a real single-node Slurm: a
# 4-task array build of 2,000 personas (examples/slurm/build.sbatch) plus
# the dependent merge (merge.sbatch, submitted by submit.sh), whose
# exports must be byte-identical to a single-machine build. Prints TAP.
#
# Run once from .ci/run, outside make check: it installs slurmctld,
# slurmd, slurm-client and munge (no recommends) and starts them as
# ../shared/reference/slurm-ci.md does, stopping them from an EXIT trap.
# Needs root; reports SKIP only when the packages cannot be installed.
#
# usage: tests/slurm/slurm.sh BUILD_DIR (the one holding src/personaforge)
set -u
SRC=$(cd "$(dirname "$0")/../.." && pwd)
BLD=$(cd "${1:-$SRC/build}" && pwd)
. "$SRC/tests/tap.sh"
PF=$BLD/src/personaforge
[ -x "$PF" ] || tap_bail "no $PF: build first"
[ "$(id -u)" = 0 ] || tap_skip_all "not root: cannot start Slurm"

if ! command -v slurmctld >/dev/null 2>&1 &&
   ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get \
	install -y -qq --no-install-recommends slurmctld slurmd slurm-client \
	munge >/dev/null; } 2>/dev/null; then
	tap_skip_all "slurmctld slurmd slurm-client munge cannot be installed"
fi
PATH=$PATH:/usr/sbin

D=$(mktemp -d "${TMPDIR:-/tmp}/pf-slurm.XXXXXX") || exit 1
export SLURM_CONF=$D/slurm.conf
stop() {
	P=
	for f in "$D/slurmd.pid" "$D/slurmctld.pid" /run/munge/munged.pid; do
		[ -s "$f" ] && P="$P $(cat "$f")"
	done
	# shellcheck disable=SC2086
	[ -n "$P" ] && kill $P 2>/dev/null
	for p in $P; do
		while kill -0 "$p" 2>/dev/null; do sleep 0.1; done
	done
	rm -rf "$D"
}
trap stop EXIT
trap 'exit 130' INT TERM

start() {
	[ -s /etc/munge/munge.key ] ||
		runuser -u munge -- mungekey --create || return 1
	install -d -o munge -g munge -m 0755 /run/munge
	munge -n >/dev/null 2>&1 || runuser -u munge -- /usr/sbin/munged ||
		return 1
	mkdir -p "$D/state" "$D/spool"
	H=$(hostname -s)
	M=$(awk '/MemAvailable/ {print int($2/1024*0.8)}' /proc/meminfo)
	cat >"$SLURM_CONF" <<CONF
ClusterName=ci
SlurmctldHost=$H(127.0.0.1)
SlurmUser=root
StateSaveLocation=$D/state
SlurmdSpoolDir=$D/spool
SlurmctldPidFile=$D/slurmctld.pid
SlurmdPidFile=$D/slurmd.pid
SlurmctldLogFile=$D/slurmctld.log
SlurmdLogFile=$D/slurmd.log
SelectType=select/cons_tres
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MailProg=/bin/true
MinJobAge=4
SchedulerParameters=batch_sched_delay=0
NodeName=$H NodeAddr=127.0.0.1 CPUs=$(nproc) RealMemory=$M State=UNKNOWN
PartitionName=debug Nodes=$H Default=YES MaxTime=INFINITE State=UP OverSubscribe=FORCE:4
CONF
	/usr/sbin/slurmctld && /usr/sbin/slurmd || return 1
	i=0
	until sinfo -h -N -o %t 2>/dev/null | grep -qx idle; do
		i=$((i + 1))
		[ $i -lt 120 ] || return 1
		sleep 0.5
	done
}

tap_plan 4
start
tap_rc $? "a single-node Slurm starts" ||
	{ tail -n 20 "$D"/*.log 2>/dev/null | tap_diag; tap_bail "no Slurm"; }

mkdir -p "$D/job" && cd "$D/job" || exit 1
cat >cfg.json <<'JSON'
{"name": "slurm", "personas": 2000, "seed": 5}
JSON
export PERSONAFORGE=$PF PERSONAFORGE_DATADIR=$SRC
merge=$(sh "$SRC/examples/slurm/submit.sh" cfg.json 4 dataset.db 2>err)
tap_rc $? "submit.sh queues the array and the merge (job ${merge:-?})" ||
	tap_diag <err
# The merge is done when its exports are there; give up after 5 minutes.
i=0
while [ ! -s dataset.xml ] && [ $i -lt 600 ]; do
	sleep 0.5
	i=$((i + 1))
	[ $((i % 20)) -eq 0 ] && [ -n "$merge" ] &&
		! squeue -h -j "$merge" 2>/dev/null | grep -q . &&
		[ ! -s dataset.xml ] && sleep 1 && break
done
[ -s dataset.xml ] && ls shards/shard-0.db shards/shard-3.db >/dev/null
tap_rc $? "the array built 4 shards and the merge exported them" ||
	{ cat logs/* 2>/dev/null | tail -n 30 | tap_diag; }

"$PF" build cfg.json -o single.db -q &&
	"$PF" export single.db --format xml -o single.xml -q &&
	"$PF" export single.db --format jsonl -o single.jsonl -q &&
	cmp dataset.xml single.xml && diff -r dataset.jsonl single.jsonl
tap_rc $? "the merged exports are byte-identical to a single-machine build"
tap_end
