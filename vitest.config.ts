import { defineConfig } from "vitest/config";

// Two projects: unit tests beside the code, and integration tests under test/ that need real servers
// (PostgreSQL) or several processes. `npm test` runs both; scripts/test-all.sh decides which can run.
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
          environment: "node",
          testTimeout: 60_000,
          hookTimeout: 120_000,
          // Integration tests share servers; one file at a time keeps them from stepping on each other.
          fileParallelism: false,
        },
      },
    ],
  },
});
