#!/usr/bin/env bash
# Stops the broker start.sh started (SIGTERM: a clean shutdown), waiting up to 30 s.
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
pidfile="${KAFKA_DATA_DIR:-$root/.lab/kafka}/broker.pid"
[ -f "$pidfile" ] || { echo "kafka: no broker started here"; exit 0; }
pid="$(cat "$pidfile")"
if kill "$pid" 2>/dev/null; then
  for _ in $(seq 1 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
  kill -9 "$pid" 2>/dev/null || true
fi
rm -f "$pidfile"
echo "kafka: broker stopped"
