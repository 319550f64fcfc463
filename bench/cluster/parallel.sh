#!/bin/sh
# A sweep (or a batch) cut into shards and run by GNU parallel, on this
# machine's cores or on remote hosts, then joined by `mutu merge` into the
# bytes one run would print.  Usage:
#
#   bench/cluster/parallel.sh [-S HOSTS] [-n SHARDS] [-j JOBS] OUT -- MUTU-ARGS...
#
#   -S HOSTS   GNU parallel's --sshlogin list (default ':' = this machine;
#              e.g. '2/:,4/node1,4/node2': 2 jobs here, 4 on each node, which
#              must see the same paths, e.g. an NFS home)
#   -n SHARDS  how many shards (default 4 x the jobs): more shards than jobs
#              so that a slow shard does not hold the others up
#   -j JOBS    jobs per host when HOSTS gives none (default: the cores)
#   -f FMT     the merged sweep's format: text (default), csv or json
#   OUT        the merged output
#   MUTU-ARGS  the command as for one run, e.g.
#              sweep --population pop.jsonl --rules base.json --vary ...
#
# Each shard writes OUT.shard-K; a failed shard is retried once (--retries),
# and the merge refuses a missing, repeated or unfinished shard.
set -eu
hosts=":"
shards=""
jobs=""
format=text
mutu=${MUTU:-$(cd "$(dirname "$0")/../.." && pwd)/build/mutu}
while getopts S:n:j:f: opt; do
	case $opt in
	S) hosts=$OPTARG ;;
	n) shards=$OPTARG ;;
	j) jobs=$OPTARG ;;
	f) format=$OPTARG ;;
	*) exit 2 ;;
	esac
done
shift $((OPTIND - 1))
[ $# -ge 3 ] && [ "$2" = "--" ] || { echo "usage: $0 [-S HOSTS] [-n SHARDS] [-j JOBS] [-f FMT] OUT -- MUTU-ARGS..." >&2; exit 2; }
out=$1
shift 2
[ -n "$jobs" ] || jobs=$(nproc)
[ -n "$shards" ] || shards=$((4 * jobs))
seq "$shards" | parallel --sshlogin "$hosts" -j "$jobs" --retries 2 --halt now,fail=1 \
	"$mutu" "$@" --quiet --shard {}/"$shards" --out "$out.shard-{}"
files=$(seq "$shards" | sed "s|^|$out.shard-|")
# shellcheck disable=SC2086
"$mutu" merge --format "$format" --out "$out" $files
# shellcheck disable=SC2086
rm -f $files
