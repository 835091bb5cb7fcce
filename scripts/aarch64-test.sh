#!/usr/bin/env bash
# Runs winipc-core's tests on an aarch64 Temurin 21 JRE under qemu-aarch64-static (child JVMs go
# through the emulator too). Prepares the emulator and the JRE first (scripts/aarch64-env.sh; a
# no-op when done). Extra arguments go to Maven, e.g. -Dtest=...
#
# Without arguments it runs the subset CI runs (the emulator makes every JVM start and every JIT
# compile several times slower, so the whole suite takes far longer than CI can spend): every test
# class that reaches the per-architecture code: LinuxArchitectureTest (the numbers), SyncLayoutTest
# (futex waits and wakes of events and semaphores across processes, the file layout),
# SharedMemoryTest (statx, O_NOFOLLOW, O_TMPFILE, mmap), MutexTest (pthread mutexes across
# processes; without the 4-process x 10,000-lock counter, 90 s alone), LinuxPipeTest (sockets,
# SO_PEERCRED, the runtime directory) and VirtualThreadPipeTest's direct-buffer test (epoll events,
# through the poller that parks virtual threads). `--all` runs the whole suite.
#
# The abandoned-mutex tests skip themselves here: QEMU user mode answers set_robust_list with
# ENOSYS, so the kernel never marks a dead owner. Everything else is expected to pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/aarch64-env.sh)"
SUBSET='LinuxArchitectureTest,LinuxPipeTest,SyncLayoutTest,SharedMemoryTest,MutexTest,!MutexTest#counterIncremented*'
SUBSET+=',VirtualThreadPipeTest#directBufferTransfersOnVirtualThreadsParkAndWakeOnClose'
args=("$@")
if [[ "${1:-}" == "--all" ]]; then
  args=("${@:2}")
elif ((${#args[@]} == 0)); then
  args=("-Dtest=$SUBSET")
fi
start=$(date +%s)
status=0
./mvnw -B -q -ntp -P 'aarch64,!jdk25' -Dwinipc.aarch64.home="$WINIPC_AARCH64_HOME" -pl winipc-core -am test \
  -Dsurefire.failIfNoSpecifiedTests=false ${args[@]+"${args[@]}"} || status=$?
echo "[aarch64-test] finished in $(( $(date +%s) - start )) s (exit $status)" >&2
exit $status
