import js from "@eslint/js";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".next/", ".lab/", "lib/data/generated/", "prisma/generated/", "test-results/", "playwright-report/", "next-env.d.ts"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" }],
      // One module reads the environment (lib/config); everything else gets config passed in.
      "no-restricted-properties": ["error", { object: "process", property: "env", message: "read configuration through lib/config" }],
    },
  },
  {
    files: ["lib/config/**", "scripts/**", "test/**", "e2e/**", "bench/**", "playwright.config.ts", "vitest.config.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    files: ["**/*.test.ts", "test/**", "e2e/**"],
    rules: { "@typescript-eslint/no-explicit-any": "off" },
  },
  // The layers of docs/architecture.md: the core (lib/) imports no page, component, process or command;
  // the portal (app/, components/) never imports a service; services never import the portal; components
  // receive data and import nothing of app/ (its lab client and connections are the pages' to use).
  layer(
    "lib/**",
    ["app", "components", "backend-services", "scripts", "bench", "test", "e2e"],
    "the core (lib/) is imported by the processes, never the other way",
  ),
  layer("backend-services/**", ["app", "components", "scripts"], "a lab process never imports the portal or a command"),
  layer("app/**", ["backend-services", "scripts"], "the portal reaches the lab's processes through lib/lab-client, never by importing them"),
  layer("components/**", ["app", "backend-services", "scripts"], "components receive data from their page; they import neither app/ nor a process"),
);

/** Files matching `files` may not import from the top-level folders `forbidden` (relative or through @/). */
function layer(files, forbidden, why) {
  return {
    files: [files],
    ignores: ["**/*.test.ts"],
    rules: {
      "no-restricted-imports": ["error", { patterns: [{ group: forbidden.flatMap((dir) => [`@/${dir}/*`, `**/../${dir}/*`, `../${dir}/*`]), message: why }] }],
    },
  };
}
