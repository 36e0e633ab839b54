import { defineConfig } from "vitest/config";

// Three projects: unit tests beside the code, integration tests under test/ that need real servers
// (PostgreSQL) or several processes, and soak tests (test/soak/) that run the whole lab for minutes.
// `npm test` runs all three, the soak one alone; scripts/test-all.sh decides which can run.
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
          exclude: ["test/soak/**"],
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration tests share servers; one file at a time keeps them from stepping on each other.
          fileParallelism: false,
        },
      },
      {
        // Whole-lab runs of many minutes that judge the lab by its own SLOs: run alone, after the others
        // (scripts/test-all.sh), so no other test's load shows in their latency.
        test: {
          name: "soak",
          include: ["test/soak/**/*.test.ts"],
          environment: "node",
          testTimeout: 30 * 60_000,
          hookTimeout: 120_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
