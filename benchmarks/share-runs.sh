#!/usr/bin/env bash
# RowSeal's share of the CPU samples of one CardsBenchmark path, over several fresh JVMs (issue 13).
#
#   benchmarks/share-runs.sh RUNS PATH INSTRUMENT [JAVA...]
#     RUNS        how many JVMs, one after the other (5 or more: runs differ by about a point)
#     PATH        insert | scan | select
#     INSTRUMENT  jfr (JFR execution samples, and on JDK 25+ JFR CPU-time samples) | asprof (async-profiler)
#     JAVA        the java command and its options (default: java)
#   Environment: ROWSEAL_BENCH_URL (default jdbc:postgresql://127.0.0.1:5432/test_bench), OUT (default
#   benchmarks/target/share-runs). Build first: ./mvnw -q install -DskipTests.
#
# Each run is `CardsBenchmark --only PATH:'rowseal auto'` (insert: 20 000 rows and 45 s profiled; scan and select:
# 100 000 rows and 30 s), after a 15 s warm-up; then JfrShare prints every recording and the median and range.
set -euo pipefail
runs=${1:?runs}; path=${2:?insert|scan|select}; instrument=${3:?jfr|asprof}; shift 3
java_cmd=("$@"); [ ${#java_cmd[@]} -eq 0 ] && java_cmd=(java)
here=$(cd "$(dirname "$0")" && pwd)
jar="$here/target/benchmarks.jar"
url=${ROWSEAL_BENCH_URL:-jdbc:postgresql://127.0.0.1:5432/test_bench}
out=${OUT:-$here/target/share-runs}
mkdir -p "$out"
case $path in insert) sizes=(--rows 20000 --seconds 45) ;; *) sizes=(--rows 100000 --seconds 30) ;; esac
files=()
for i in $(seq 1 "$runs"); do
  stamp=$(date +%H%M%S)
  if [ "$instrument" = jfr ]; then f="$out/$path-$stamp-$i.jfr"; prof=(--jfr "$f"); else f="$out/$path-$stamp-$i.collapsed"; prof=(--asprof "$f"); fi
  echo "run $i of $runs: load $(cut -d' ' -f1 /proc/loadavg)"
  "${java_cmd[@]}" -XX:+UnlockDiagnosticVMOptions -XX:+DebugNonSafepoints -cp "$jar" \
    io.rowseal.benchmarks.jdbc.CardsBenchmark --url "$url" "${sizes[@]}" --only "$path:rowseal auto" --warmup 15 \
    "${prof[@]}" | grep 'rows/s'
  files+=("$f")
done
java -cp "$jar" io.rowseal.benchmarks.JfrShare "${files[@]}" --top 10
