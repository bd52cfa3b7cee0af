#!/usr/bin/env bash
# Measures two builds of the benchmark alternately, in one time window, and prints per figure the median of the
# per-round ratios new / old [min–max]. On a shared machine only such paired ratios are worth comparing.
#
#   tests/RedisPriorityTransport.Benchmarks/compare-builds.sh OLD_DIR NEW_DIR ROUNDS [benchmark options...]
#
# OLD_DIR and NEW_DIR are copies of the benchmark's build output (bin/Release/net10.0), for example:
#   dotnet build tests/RedisPriorityTransport.Benchmarks -c Release && cp -r tests/RedisPriorityTransport.Benchmarks/bin/Release/net10.0 /tmp/old
#   (change the code, build again, copy to /tmp/new)
#   tests/RedisPriorityTransport.Benchmarks/compare-builds.sh /tmp/old /tmp/new 5 --quick --runs 1 --workloads burst,burst-64 --contenders "UsingRedis,in-memory"
# The order of the two builds alternates from round to round. Results go to artifacts/compare-<time>/.
# OLD_ENV and NEW_ENV (space-separated NAME=value) set environment variables for one side only, so one build can be
# compared with itself under a runtime setting, for example:
#   NEW_ENV="DOTNET_ThreadPool_UnfairSemaphoreSpinLimit=0" compare-builds.sh /tmp/new /tmp/new 5 --quick ...
# OLD_ARGS and NEW_ARGS add benchmark options for one side only, so one build can be compared with itself under a
# benchmark setting, for example more handlers at once:
#   NEW_ARGS="--concurrency 64" compare-builds.sh /tmp/new /tmp/new 5 --runs 1 --workloads burst-64 ...
set -euo pipefail
old=$(cd "$1" && pwd); new=$(cd "$2" && pwd); rounds=$3; shift 3
root=$(cd "$(dirname "$0")/../.." && pwd)
out="$root/artifacts/compare-$(date -u +%Y%m%dT%H%M%S)"
mkdir -p "$out"
cd "$root"
for round in $(seq 1 "$rounds"); do
  if (( round % 2 )); then order="old new"; else order="new old"; fi
  for build in $order; do
    dir=$old; settings=${OLD_ENV:-}; extra=${OLD_ARGS:-}
    [[ $build == new ]] && { dir=$new; settings=${NEW_ENV:-}; extra=${NEW_ARGS:-}; }
    echo "round $round: $build ($(cut -d' ' -f1-3 /proc/loadavg))"
    # shellcheck disable=SC2086 # the settings and extra options are meant to split into words
    env $settings dotnet "$dir/RedisPriorityTransport.Benchmarks.dll" "$@" $extra --output "$out/$build-$round.md" --csv "$out/$build-$(printf %02d "$round").csv" > "$out/$build-$round.log" 2>&1
  done
done
dotnet "$new/RedisPriorityTransport.Benchmarks.dll" --compare "$out" | tee "$out/comparison.md"
