import { defineConfig } from "vitest/config";

// Projects: unit tests beside the code, integration tests under test/ that need real servers (PostgreSQL)
// or several processes (the few that take a shared server away run after the others, one at a time), and
// the quiet lab under test/first-in-line/ (judged by its SLOs for ten minutes), those under test/beside/
// that play exercises niced beside it and the browser tests (ADR 0031), and those under test/alone/ that need
// the machine to themselves (rates compared, a surge). `npm test` runs them all; scripts/test-all.sh
// decides which can run.
/** Integration files that must not share the machine's servers with another file while they run. */
const SERIAL = ["test/kafka-broker-restart.test.ts"];

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "backend-services/**/*.test.ts", "bench/**/*.test.ts"],
          environment: "node",
          // First, by themselves: some time what they run, and two integration files beside them slowed a
          // local answer to 137 ms (2026-12-04).
          sequence: { groupOrder: 0 },
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: ["test/alone/**", "test/beside/**", "test/first-in-line/**", ...SERIAL],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Two files at a time: most of an integration test's time is spent waiting (for a lab to start, a
          // budget to burn, a drill's deadline), and each file has servers, databases and ports of its own.
          maxWorkers: 2,
          sequence: { groupOrder: 1 },
        },
      },
      {
        // What takes a shared server away from the others (the Kafka broker restarted) runs last, by itself.
        test: {
          name: "integration-serial",
          include: SERIAL,
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 2 },
        },
      },
      {
        // The lab as npm run lab starts it, judged by its own SLOs for ten minutes, at normal priority with
        // what runs beside it niced (scripts/test-all.sh, ADR 0031).
        test: {
          name: "first-in-line",
          include: ["test/first-in-line/**/*.test.ts"],
          environment: "node",
          testTimeout: 30 * 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 5 },
        },
      },
      {
        // Labs that play exercises for minutes, niced beside the quiet lab and the browser tests
        // (scripts/test-all.sh): their faults' alerts must fire through that load; most of it is waiting.
        test: {
          name: "beside",
          include: ["test/beside/**/*.test.ts"],
          environment: "node",
          testTimeout: 45 * 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 4 },
        },
      },
      {
        // Tests that measure rates, and the surge that takes both cores: alone, after the others
        // (scripts/test-all.sh), so no other test's load shows in what they measure or suffers theirs.
        test: {
          name: "alone",
          include: ["test/alone/**/*.test.ts"],
          environment: "node",
          testTimeout: 30 * 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
          sequence: { groupOrder: 3 },
        },
      },
    ],
  },
});
