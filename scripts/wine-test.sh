#!/usr/bin/env bash
# Runs winipc-core's test suite on real Windows JVMs under Wine: the whole suite on Temurin 17
# (Windows x64), then the virtual-thread tests on Temurin 21. Prepares Wine and the JREs first
# (scripts/wine-env.sh; a no-op when done). Extra arguments go to Maven, e.g. -Dtest=...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/wine-env.sh)"
start=$(date +%s)
status=0
./mvnw -B -q -P 'wine,!jdk25' -Dwinipc.wine.home="$WINIPC_WINE_HOME" -pl winipc-core -am test \
  -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?
# Wine keeps a wineserver around for a few seconds; wait so nothing is left running.
wineserver -w 2>/dev/null || true
echo "[wine-test] finished in $(( $(date +%s) - start )) s (exit $status)" >&2
exit $status
