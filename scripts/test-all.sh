#!/usr/bin/env bash
# npm test: prepares what the tests need on a fresh machine of ours (Debian's chromium, a running
# PostgreSQL, the generated Prisma clients, a portal build), then runs every suite: type check, lint,
# unit, integration (SQLite and PostgreSQL) and browser tests. What cannot run is listed with the reason;
# under CI=true that is a failure, never a silent skip.
set -uo pipefail
cd "$(dirname "$0")/.."
export NEXT_TELEMETRY_DISABLED=1 CHECKPOINT_DISABLE=1
mkdir -p test-results
rm -f test-results/*.json # a runner that did not run must not be summed from an earlier run
failed=()
not_run=()
say() { printf '\n== %s (%d s into npm test)\n' "$*" "$SECONDS"; }

as_root() { if [ "$(id -u)" = 0 ]; then "$@"; elif command -v sudo >/dev/null 2>&1; then sudo -n "$@"; else return 1; fi; }
apt_updated=""
apt_install() {
  command -v apt-get >/dev/null 2>&1 || return 1
  if [ -z "$apt_updated" ]; then as_root apt-get update -qq >/dev/null 2>&1 || return 1; apt_updated=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null 2>&1
}

# --- what the machine must have -------------------------------------------------------------
chromium="${CHROMIUM_PATH:-/usr/bin/chromium}"
if [ ! -x "$chromium" ]; then
  say "installing Debian's chromium for the browser tests"
  apt_install chromium || true
fi

pg_url="${LAB_TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/postgres}"
export LAB_TEST_DATABASE_URL="$pg_url"
pg_up() { node_modules/.bin/tsx scripts/check-postgres.ts "$pg_url" >/dev/null 2>&1; }
if ! pg_up && [ -d /etc/postgresql ] && command -v pg_ctlcluster >/dev/null 2>&1; then
  say "starting the local PostgreSQL"
  for version in /etc/postgresql/*; do as_root pg_ctlcluster --skip-systemctl-redirect "$(basename "$version")" main start >/dev/null 2>&1 || true; done
  for _ in $(seq 1 20); do pg_up && break; sleep 0.5; done
fi
if pg_up; then
  export LAB_TEST_POSTGRES=available
else
  export LAB_TEST_POSTGRES=unavailable
  not_run+=("PostgreSQL halves of test/*.test.ts: no PostgreSQL answers at $pg_url ($(node_modules/.bin/tsx scripts/check-postgres.ts "$pg_url" 2>&1 | tail -1))")
fi

kafka_port="${KAFKA_PORT:-9092}"
kafka_answers() { (exec 3<>"/dev/tcp/127.0.0.1/$kafka_port") 2>/dev/null; }
if kafka_answers; then
  export LAB_TEST_KAFKA="127.0.0.1:$kafka_port"
else
  say "starting a Kafka broker (deploy/local/kafka: jars from Maven Central, KRaft, 127.0.0.1:$kafka_port)"
  if bash deploy/local/kafka/start.sh; then
    export LAB_TEST_KAFKA="127.0.0.1:$kafka_port"
    trap 'bash deploy/local/kafka/stop.sh >/dev/null 2>&1 || true' EXIT # started here, so stopped here
  else
    export LAB_TEST_KAFKA=unavailable
    not_run+=("Kafka halves of test/event-bus.test.ts, test/event-faults.test.ts and test/alone/projector-poison.test.ts, and test/kafka-broker-restart.test.ts: the broker did not start (needs java and mvn; see .lab/kafka/broker.out)")
  fi
fi

if ! command -v "${PROMTOOL:-promtool}" >/dev/null 2>&1 || ! command -v prometheus >/dev/null 2>&1; then
  say "installing Debian's prometheus (promtool) for the rule tests"
  apt_install prometheus || true
fi
if command -v "${PROMTOOL:-promtool}" >/dev/null 2>&1 && command -v prometheus >/dev/null 2>&1; then
  export LAB_TEST_PROMTOOL=available
else
  export LAB_TEST_PROMTOOL=unavailable
  not_run+=("test/promtool-rules.test.ts and test/prometheus-source.test.ts: no promtool or prometheus, and Debian's prometheus package could not be installed with apt-get")
fi

# --- build steps ------------------------------------------------------------------------------
say "generating the Prisma clients"
node_modules/.bin/tsx scripts/db-generate.ts || { echo "db:generate failed"; exit 1; }

say "type check (tsc --noEmit)"
node_modules/.bin/tsc --noEmit -p . || failed+=("type check")

say "lint (eslint, with the layer rules of docs/architecture.md)"
node_modules/.bin/eslint . || failed+=("lint")

say "format (prettier --check; npm run format writes it)"
node_modules/.bin/prettier --check --log-level warn . || failed+=("format")

# --- unit and integration tests ------------------------------------------------------------------------
say "unit and integration tests (vitest; PostgreSQL: $LAB_TEST_POSTGRES; Kafka: $LAB_TEST_KAFKA; promtool: $LAB_TEST_PROMTOOL)"
# The portal build the labs need, meanwhile: the integration tests mostly wait.
node_modules/.bin/tsx scripts/portal-build.ts > test-results/portal-build.log 2>&1 &
portal_build=$!
# A zone far from UTC: timestamps must not depend on the host's time zone.
TZ=America/New_York node_modules/.bin/vitest run --project unit --project integration --project integration-serial --reporter=default --reporter=json --outputFile.json=test-results/vitest.json || failed+=("vitest")

if ! wait "$portal_build"; then
  cat test-results/portal-build.log
  failed+=("portal build")
fi

# --- the quiet lab at normal priority; beside it, niced, the browser tests and the exercises -------
# The quiet lab leaves 85 % of the machine idle for ten minutes, and what runs under nice -n 19 only gets
# what it leaves (ADR 0031): the browser tests and the exercise labs use that time without moving the
# quiet lab's latencies. Their labs keep their data in memory so their writes do not queue before its own.
# The browser tests at nice 15, the exercise labs at 19: a browser test waits as a user would (seconds),
# an exercise for its alerts (minutes), so where both want the CPU the browser gets about twice as much.
niced() { env TMPDIR=/dev/shm nice -n "${NICENESS:-19}" "$@"; }
say "exercises of every failure mode but the surge, four labs at a time, niced beside the quiet lab and the browser tests (vitest --project beside; its output follows the others')"
niced node_modules/.bin/vitest run --project beside --reporter=default --reporter=json --outputFile.json=test-results/vitest-beside.json > test-results/vitest-beside.log 2>&1 &
beside=$!
if [ -x "$chromium" ]; then
  say "browser tests (Playwright in $chromium), niced beside the quiet lab; their output follows the quiet lab's"
  rm -rf .lab/e2e
  CHROMIUM_PATH="$chromium" NICENESS=15 niced node_modules/.bin/playwright test > test-results/playwright.log 2>&1 &
  browser=$!
else
  not_run+=("e2e/*.spec.ts: no Chromium at $chromium and it could not be installed with apt-get")
  browser=""
fi
say "the quiet lab (vitest --project first-in-line: npm run lab's lab left to itself for ten minutes, at normal priority)"
node_modules/.bin/vitest run --project first-in-line --reporter=default --reporter=json --outputFile.json=test-results/vitest-first-in-line.json || failed+=("vitest first-in-line")
if [ -n "$browser" ]; then
  wait "$browser" || failed+=("playwright")
  say "browser tests (Playwright), niced beside the quiet lab"
  cat test-results/playwright.log
fi
wait "$beside" || failed+=("vitest beside")
say "exercises niced beside the quiet lab and the browser tests (vitest --project beside)"
cat test-results/vitest-beside.log

# --- alone on the machine, last: the poison rates, then the surge that takes both cores -----------
# In this order: rates measured right after the surge's lab stopped ran low (vitest orders files by their
# last durations, so the order changed from run to run).
say "tests that measure, alone (vitest --project alone): a poison event's cost to its partition"
node_modules/.bin/vitest run --project alone test/alone/projector-poison.test.ts --reporter=default --reporter=json --outputFile.json=test-results/vitest-alone-rates.json || failed+=("vitest alone (rates)")
say "tests that measure, alone (vitest --project alone): a surge that takes the machine"
node_modules/.bin/vitest run --project alone --exclude test/alone/projector-poison.test.ts --reporter=default --reporter=json --outputFile.json=test-results/vitest-alone.json || failed+=("vitest alone")

# --- summary -----------------------------------------------------------------------------------
say "summary"
node_modules/.bin/tsx scripts/test-summary.ts test-results/vitest.json test-results/vitest-first-in-line.json test-results/vitest-beside.json test-results/playwright.json test-results/vitest-alone-rates.json test-results/vitest-alone.json
echo "npm test: $((SECONDS / 60)) min $((SECONDS % 60)) s"
status=0
if [ ${#not_run[@]} -gt 0 ]; then
  echo "Tests that could not run:"
  for line in "${not_run[@]}"; do echo "  - $line"; done
  if [ -n "${CI:-}" ] && [ "${CI}" != "false" ]; then
    echo "CI is set, so a test that could not run is a failure."
    status=1
  fi
fi
if [ ${#failed[@]} -gt 0 ]; then
  echo "Failed: ${failed[*]}"
  status=1
fi
exit $status
