#!/usr/bin/env bash
# Runs winipc-core's test suite on an aarch64 Temurin 21 JRE under qemu-aarch64-static (child JVMs
# go through the emulator too). Prepares the emulator and the JRE first (scripts/aarch64-env.sh; a
# no-op when done). Extra arguments go to Maven, e.g. -Dtest=...
#
# The abandoned-mutex tests skip themselves here: QEMU user mode answers set_robust_list with
# ENOSYS, so the kernel never marks a dead owner. Everything else is expected to pass.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/aarch64-env.sh)"
start=$(date +%s)
status=0
./mvnw -B -q -ntp -P 'aarch64,!jdk25' -Dwinipc.aarch64.home="$WINIPC_AARCH64_HOME" -pl winipc-core -am test \
  -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?
echo "[aarch64-test] finished in $(( $(date +%s) - start )) s (exit $status)" >&2
exit $status
