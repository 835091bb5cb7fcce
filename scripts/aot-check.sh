#!/usr/bin/env bash
# Ahead-of-time check of the sample application: builds it with spring-boot:process-aot (the sample's
# "aot" profile, into winipc-sample-app/target/aot), starts the AOT-processed jar with
# -Dspring.aot.enabled=true (which refuses to start without the generated initializer), waits for
# its health to be UP, gets an echo from another process (the jar's client mode), and stops it with
# SIGTERM. Pipe and object names get a unique prefix so that nothing collides with other runs.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
start=$(date +%s)
java=${JAVA_HOME:+$JAVA_HOME/bin/}java

./mvnw -B -q -ntp -P aot -pl winipc-sample-app -am package -DskipTests
jar=$(ls winipc-sample-app/target/aot/winipc-sample-app-*.jar | grep -v -- '-plain' | head -1)
listing=$(unzip -l "$jar")
[[ $listing == *SampleApplication__ApplicationContextInitializer* ]] \
  || { echo "[aot-check] $jar has no AOT-generated initializer" >&2; exit 1; }

prefix="aot-check-$$-$RANDOM"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp -t winipc-aot-check.XXXXXX.log)
"$java" -Dspring.aot.enabled=true -jar "$jar" --server.port="$port" --sample.pipe-prefix="$prefix" \
  --sample.client-interval=1s >"$log" 2>&1 &
app=$!
stop() {
  if kill -0 "$app" 2>/dev/null; then kill -TERM "$app"; wait "$app" || true; fi
}
trap 'stop; rm -f "$log"' EXIT
fail() { echo "[aot-check] $*" >&2; sed 's/^/[aot-check app] /' "$log" >&2; exit 1; }

python3 - "$port" <<'PY' || fail "health did not become UP"
import json, sys, time, urllib.request
deadline = time.time() + 180
while True:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/actuator/health/winipc", timeout=5) as r:
            body = json.load(r)
            if body.get("status") == "UP":
                print("[aot-check] /actuator/health/winipc UP:", ", ".join(sorted(body["components"]["endpoints"]["components"])))
                break
    except Exception:
        pass
    if time.time() > deadline:
        sys.exit(1)
    time.sleep(0.5)
PY
grep -q 'Starting AOT-processed' "$log" || fail "the application did not run its AOT-processed form"

reply=$("$java" -jar "$jar" client --prefix="$prefix" echo "hello from aot-check")
[[ "$reply" == "hello from aot-check" ]] || fail "echo replied '$reply'"
echo "[aot-check] echo from another process: $reply"

kill -TERM "$app"
code=0; wait "$app" || code=$?
[[ $code == 0 || $code == 130 || $code == 143 ]] || fail "exit code $code after SIGTERM"
echo "[aot-check] passed in $(( $(date +%s) - start )) s (exit code after SIGTERM: $code)"
