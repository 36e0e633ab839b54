import { defineConfig } from "vitest/config";

// Three projects: unit tests beside the code, integration tests under test/ that need real servers
// (PostgreSQL) or several processes, and the tests under test/alone/ that need the machine to themselves
// (the whole lab for minutes, judged by its SLOs; rates compared). `npm test` runs all three, the last one
// alone after the others; scripts/test-all.sh decides which can run.
export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: "unit",
          include: ["lib/**/*.test.ts", "scripts/**/*.test.ts", "backend-services/**/*.test.ts"],
          environment: "node",
        },
      },
      {
        test: {
          name: "integration",
          include: ["test/**/*.test.ts"],
          exclude: ["test/alone/**"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration tests share servers; one file at a time keeps them from stepping on each other.
          fileParallelism: false,
        },
      },
      {
        // Tests that measure: a whole-lab run of many minutes judged by its own SLOs, and rates compared.
        // Run alone, after the others (scripts/test-all.sh), so no other test's load shows in what they measure.
        test: {
          name: "alone",
          include: ["test/alone/**/*.test.ts"],
          environment: "node",
          testTimeout: 30 * 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
