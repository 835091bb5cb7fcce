#!/usr/bin/env bash
# Prints the java launcher of an installed JDK of the given feature version (e.g. 25), whatever its
# vendor or architecture: the first /usr/lib/jvm/*/release (or $WINIPC_JVM_DIR/*/release) that says
# JAVA_VERSION="<version>...". Prints nothing and exits 1 if there is none.
set -euo pipefail
version=${1:?usage: find-jdk.sh FEATURE_VERSION}
for release in "${WINIPC_JVM_DIR:-/usr/lib/jvm}"/*/release; do
  [[ -f $release ]] || continue
  if grep -Eq "^JAVA_VERSION=\"${version}([.\"])" "$release"; then
    java="$(dirname "$release")/bin/java"
    if [[ -x $java ]]; then
      echo "$java"
      exit 0
    fi
  fi
done
exit 1
