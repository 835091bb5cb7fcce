#!/usr/bin/env bash
# End to end on Windows: starts the sample application's jar on the Windows Temurin 17 JVM under Wine
# (named pipes, Windows shared memory and kernel objects), checks /actuator/health/winipc from Linux
# (every endpoint and named object UP on the windows backend), gets an echo and a JSON quote from a
# Windows client process (the jar's client mode, on the Windows JVM too), and stops the sample.
# Builds the jar when it is missing. Pipe and object names get a unique prefix.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
eval "$(scripts/wine-env.sh)"
start=$(date +%s)

jar=$(ls winipc-sample-app/target/winipc-sample-app-*.jar 2>/dev/null | head -1 || true)
if [[ -z "$jar" ]]; then
  ./mvnw -B -q -ntp -pl winipc-sample-app -am package -DskipTests
  jar=$(ls winipc-sample-app/target/winipc-sample-app-*.jar | head -1)
fi
winjar=$(winepath -w "$jar" 2>/dev/null)
java17=$WINIPC_WINDOWS_JAVA17

prefix="wine-e2e-$$-$RANDOM"
port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1]); s.close()')
log=$(mktemp -t winipc-wine-e2e.XXXXXX.log)
"$java17" -jar "$winjar" --server.port="$port" --sample.pipe-prefix="$prefix" --sample.client-interval=2s >"$log" 2>&1 &
app=$!
stop() {
  if kill -0 "$app" 2>/dev/null; then
    kill -TERM "$app" 2>/dev/null || true
    for _ in $(seq 60); do kill -0 "$app" 2>/dev/null || break; sleep 0.5; done
    kill -KILL "$app" 2>/dev/null || true
  fi
  wait "$app" 2>/dev/null || true
}
trap 'stop; rm -f "$log"' EXIT
fail() { echo "[wine-e2e] $*" >&2; sed 's/^/[wine-e2e app] /' "$log" >&2; exit 1; }

python3 - "$port" <<'PY' || fail "health did not become UP on the Windows JVM"
import json, sys, time, urllib.request
deadline = time.time() + 300
last = None
while True:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{sys.argv[1]}/actuator/health/winipc", timeout=10) as r:
            body = json.load(r)
            last = body
            c = body["components"]
            if body.get("status") == "UP":
                assert c["platform"]["details"]["backend"] == "windows", c["platform"]
                endpoints = sorted(c["endpoints"]["components"])
                assert endpoints == ["echo", "job", "quote", "upper"], endpoints
                objects = c["objects"]["components"]
                assert all(o["status"] == "UP" for o in objects.values()), objects
                print("[wine-e2e] health UP on the windows backend: endpoints", ", ".join(endpoints),
                      "; objects", ", ".join(sorted(objects)))
                break
    except AssertionError as e:
        print("[wine-e2e] unexpected health:", e, file=sys.stderr)
        sys.exit(1)
    except Exception:
        pass
    if time.time() > deadline:
        print("[wine-e2e] last health:", last, file=sys.stderr)
        sys.exit(1)
    time.sleep(1)
PY

reply=$("$java17" -jar "$winjar" client --prefix="$prefix" echo "hello from a windows client" | tr -d '\r')
[[ "$reply" == "hello from a windows client" ]] || fail "echo replied '$reply'"
echo "[wine-e2e] echo to a Windows client process: $reply"
quote=$("$java17" -jar "$winjar" client --prefix="$prefix" quote acme | tr -d '\r')
[[ "$quote" == *'"symbol":"ACME"'* ]] || fail "quote replied '$quote'"
echo "[wine-e2e] JSON quote to a Windows client process: $quote"
echo "[wine-e2e] passed in $(( $(date +%s) - start )) s"
