#!/usr/bin/env bash
# Runs winipc-spring-boot-starter's test suite (endpoints, template, named objects, health, metrics,
# AOT hints, configuration) on the Windows Temurin 17 JVM under Wine. Prepares Wine and the JREs first
# (scripts/wine-env.sh; a no-op when done). Reports go to
# winipc-spring-boot-starter/target/surefire-reports-windows-java17. Extra arguments go to Maven.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/wine-env.sh)"
start=$(date +%s)
status=0
# -Dtest keeps winipc-core's own suite (built by -am) from running here: scripts/wine-test.sh runs it.
./mvnw -B -q -ntp -P 'wine,!jdk25' -Dwinipc.wine.home="$WINIPC_WINE_HOME" -pl winipc-spring-boot-starter -am test \
  -Dtest='io.winipc.spring.**' -Dsurefire.failIfNoSpecifiedTests=false "$@" || status=$?
wineserver -w 2>/dev/null || true
echo "[wine-starter-test] finished in $(( $(date +%s) - start )) s (exit $status)" >&2
exit $status
