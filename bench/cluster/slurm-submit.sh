#!/bin/sh
# Submits the shards of a sweep as a Slurm job array and the merge as a job
# that waits for all of them (afterok).  Usage:
#   bench/cluster/slurm-submit.sh SHARDS OUT -- MUTU-ARGS...
set -eu
n=$1
out=$2
shift 2
[ "$1" = "--" ] || { echo "usage: $0 SHARDS OUT -- MUTU-ARGS..." >&2; exit 2; }
dir=$(cd "$(dirname "$0")" && pwd)
job=$(sbatch --parsable --array=1-"$n" "$dir/slurm.sbatch" "$out" "$@")
files=$(seq "$n" | sed "s|^|$out.shard-|" | tr '\n' ' ')
sbatch --dependency=afterok:"$job" --job-name=mutu-merge \
	--wrap "${MUTU:-build/mutu} merge --out $out $files"
