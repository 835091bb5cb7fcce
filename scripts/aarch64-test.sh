#!/usr/bin/env bash
# Runs winipc-core's tests on an aarch64 Temurin 21 JRE under qemu-aarch64-static (child JVMs go
# through the emulator too). Prepares the emulator and the JRE first (scripts/aarch64-env.sh; a
# no-op when done). Extra arguments go to Maven, e.g. -Dtest=...
#
# Without arguments it runs the subset CI runs (the emulator makes every JVM start and every JIT
# compile several times slower, so the whole suite takes far longer than CI can spend): every test
# class that reaches the per-architecture code (syscall numbers, open flags, struct layouts,
# futexes, robust mutexes, epoll, sockets), and the pipe contract. `--all` runs the whole suite.
#
# The abandoned-mutex tests skip themselves here: QEMU user mode answers set_robust_list with
# ENOSYS, so the kernel never marks a dead owner. Everything else is expected to pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/aarch64-env.sh)"
SUBSET='LinuxArchitectureTest,LinuxPipeTest,RuntimeDirectoryRaceTest,SyncLayoutTest,SharedMemoryTest,MutexTest,EventTest,SemaphoreTest,PipeContractTest'
args=("$@")
if [[ "${1:-}" == "--all" ]]; then
  args=("${@:2}")
elif ((${#args[@]} == 0)); then
  # The race test's rounds each start 8 threads in 3 emulated JVMs: a few rounds suffice here.
  args=("-Dtest=$SUBSET" -Dwinipc.test.raceRounds=5)
fi
start=$(date +%s)
status=0
./mvnw -B -q -ntp -P 'aarch64,!jdk25' -Dwinipc.aarch64.home="$WINIPC_AARCH64_HOME" -pl winipc-core -am test \
  -Dsurefire.failIfNoSpecifiedTests=false ${args[@]+"${args[@]}"} || status=$?
echo "[aarch64-test] finished in $(( $(date +%s) - start )) s (exit $status)" >&2
exit $status
