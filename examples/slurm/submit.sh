#!/bin/sh
# submit.sh CONFIG N [DATASET] - a personaforge build as an N-task Slurm
# array plus a merge that waits for it.
#
# The merge depends on every task succeeding (afterok); with
# --kill-on-invalid-dep=yes a failed task cancels the merge instead of
# leaving it pending forever. To recover, rerun the failed shard alone
# and then the merge:
#
#   N=4 CONFIG=cfg.json sbatch --array=2 --export=ALL,N=4,CONFIG=cfg.json examples/slurm/build.sbatch
#   sbatch --export=ALL,N=4 examples/slurm/merge.sbatch
set -eu
CONFIG=$1 N=$2 DATASET=${3:-dataset.db}
HERE=$(dirname "$0")
last=$((N - 1))
mkdir -p logs
job=$(sbatch --parsable --array="0-$last" \
	--export="ALL,N=$N,CONFIG=$CONFIG" "$HERE/build.sbatch")
sbatch --parsable --dependency="afterok:$job" --kill-on-invalid-dep=yes \
	--export="ALL,N=$N,DATASET=$DATASET" "$HERE/merge.sbatch"
