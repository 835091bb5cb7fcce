#!/usr/bin/env bash
# Runs winipc's benchmarks and rewrites the results tables in docs/BENCHMARKS.md.
#
#   scripts/bench.sh [--linux-only | --wine-only] [--quick] [--no-build] [--only GROUP[,GROUP]]
#
# Linux: builds winipc-benchmarks, compiles the C baseline with gcc into
# winipc-benchmarks/target/c/, and runs the harness (io.winipc.bench.BenchMain) on $BENCH_JAVA if
# set, else on a Java 25 JDK under /usr/lib/jvm (scripts/find-jdk.sh; virtual threads need 21+), else
# on the java on the PATH. Windows, under Wine: when the Windows backend is in winipc-core and
# scripts/wine-env.sh is there, the same harness runs again on the Temurin 21 Windows JVM against
# a C baseline built with x86_64-w64-mingw32-gcc (wine-env.sh installs Wine, mingw-w64 and the
# JREs on first use, in a prefix of the benchmarks' own); otherwise it says what is missing and
# skips.
# Groups: pipe-rt, pipe-stream, pipe-connect, pipe-vt, shm, event, sync. --quick uses tiny counts
# (a check that everything runs, not a measurement) and writes nothing into docs/.
# BENCH_JAVA_OPTS adds options to the harness JVM on Linux, BENCH_CHILD_JAVA_OPTS to every peer
# JVM, e.g. BENCH_JAVA_OPTS=-XX:StartFlightRecording=filename=/tmp/bench.jfr,settings=profile
# BENCH_WINE_JAVA_OPTS adds options to the Windows harness JVM under Wine (Windows paths:
# filename=Z:\tmp\bench-wine.jfr); BENCH_CHILD_JAVA_OPTS reaches the Windows peer JVMs too.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
root=$(pwd)
module="$root/winipc-benchmarks"
target="$module/target"

linux=1 wine=1 build=1 quick=() only=()
while (($#)); do
  case "$1" in
    --linux-only) wine=0 ;;
    --wine-only) linux=0 ;;
    --quick) quick=(--quick) ;;
    --no-build) build=0 ;;
    --only) only=(--only "$2"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
  shift
done

log() { printf '[bench.sh] %s\n' "$*" >&2; }
start=$(date +%s)

if ((build)); then
  log "building winipc-benchmarks"
  ./mvnw -B -q -pl winipc-benchmarks -am -DskipTests package \
    org.apache.maven.plugins:maven-dependency-plugin:3.8.1:build-classpath \
    -Dmdep.outputFile="$target/classpath.txt" -Dmdep.includeScope=runtime
fi
[[ -f "$target/classpath.txt" ]] || { log "missing $target/classpath.txt: run without --no-build"; exit 1; }
classpath="$target/classes:$(cat "$target/classpath.txt")"

out=("--out" "$root/docs/BENCHMARKS.md")
((${#quick[@]})) && out=()

machine() {
  local cpu mem
  cpu=$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || true)
  mem=$(awk '/MemTotal/ {printf "%.0f GiB", $2 / 1048576}' /proc/meminfo 2>/dev/null || true)
  printf '%s, %s cores, %s RAM, %s' "${cpu:-unknown CPU}" "$(nproc)" "${mem:-?}" "$(uname -sr)"
}

status=0
if ((linux)); then
  java="${BENCH_JAVA:-}"
  if [[ -z "$java" ]]; then
    java=$("$root/scripts/find-jdk.sh" 25 || echo java)
  fi
  mkdir -p "$target/c"
  log "compiling the C baseline with gcc"
  gcc -O2 -Wall -o "$target/c/bench_peer" "$module/src/main/c/bench_peer_posix.c" -lpthread
  gcc -O2 -Wall -o "$target/c/spin_floor" "$module/src/main/c/spin_floor.c"
  log "running the harness on $("$java" -version 2>&1 | head -1)"
  # shellcheck disable=SC2086 # BENCH_JAVA_OPTS (e.g. a JFR recording) is split on purpose
  "$java" --enable-native-access=ALL-UNNAMED ${BENCH_JAVA_OPTS:-} -cp "$classpath" io.winipc.bench.BenchMain \
    --c-peer "$target/c/bench_peer" --machine "$(machine)" "${out[@]}" "${quick[@]}" "${only[@]}" || status=$?
fi

if ((wine)); then
  missing=()
  compgen -G "$root/winipc-core/src/main/java/io/winipc/internal/windows/*.java" >/dev/null \
    || missing+=("the Windows backend (io.winipc.internal.windows) is not in this tree")
  [[ -f "$root/scripts/wine-env.sh" ]] || missing+=("scripts/wine-env.sh (Wine, mingw-w64, Windows JREs) is not in this tree")
  if ((${#missing[@]})); then
    log "Windows under Wine skipped:"
    for m in "${missing[@]}"; do log "  - $m"; done
  else
    # A Wine prefix of the benchmarks' own: a wineserver shared with a test run would skew both.
    export WINIPC_WINE_HOME="${WINIPC_WINE_HOME:-$HOME/.cache/winipc-bench-wine}"
    eval "$(bash scripts/wine-env.sh)"
    mkdir -p "$target/c"
    log "compiling the C baseline with x86_64-w64-mingw32-gcc"
    x86_64-w64-mingw32-gcc -O2 -Wall -o "$target/c/bench_peer.exe" "$module/src/main/c/bench_peer_windows.c"
    x86_64-w64-mingw32-gcc -O2 -Wall -o "$target/c/spin_floor.exe" "$module/src/main/c/spin_floor.c"
    # The Java 21 wrapper from wine-env.sh turns the Linux class path into a Windows one.
    wjava="${WINIPC_WINDOWS_JAVA21:?}"
    cpeer="Z:${target//\//\\}\\c\\bench_peer.exe"
    wout=()
    ((${#out[@]})) && wout=(--out "Z:${root//\//\\}\\docs\\BENCHMARKS.md")
    log "running the harness on the Windows JVM under Wine"
    # shellcheck disable=SC2086 # BENCH_WINE_JAVA_OPTS (e.g. a JFR recording) is split on purpose
    "$wjava" -Dstdout.encoding=UTF-8 -Dstderr.encoding=UTF-8 ${BENCH_WINE_JAVA_OPTS:-} -cp "$classpath" io.winipc.bench.BenchMain --c-peer "$cpeer" \
      --machine "$(machine), Wine $(wine --version 2>/dev/null | sed 's/^wine-//')" "${wout[@]}" "${quick[@]}" "${only[@]}" \
      || status=$?
    wineserver -w 2>/dev/null || true
  fi
fi

log "finished in $(( $(date +%s) - start )) s (exit $status)"
exit $status
