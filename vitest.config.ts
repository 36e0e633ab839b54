import { defineConfig } from "vitest/config";

// Four projects: unit tests beside the code, integration tests under test/ that need real servers
// (PostgreSQL) or several processes, the long waiting ones under test/beside/ that run at the same time
// as those, and the tests under test/alone/ that need the machine to themselves (the whole lab for
// minutes, judged by its SLOs; rates compared). `npm test` runs the first three together and the last one
// alone after them; scripts/test-all.sh decides which can run.
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
          exclude: ["test/alone/**", "test/beside/**"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration tests share servers; one file at a time keeps them from stepping on each other.
          fileParallelism: false,
        },
      },
      {
        // Long tests that mostly wait (labs playing exercises until their alerts fire): run beside the
        // integration tests, which take one core at a time, instead of after them.
        test: {
          name: "beside",
          include: ["test/beside/**/*.test.ts"],
          environment: "node",
          testTimeout: 60 * 60_000,
          hookTimeout: 120_000,
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
