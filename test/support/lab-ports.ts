// Where a test's (or a benchmark's) lab listens: ports of its own, so that it never meets the lab a
// developer runs on the defaults, told to the processes through the variables lib/config reads.
// No test framework is imported here: playwright.config.ts and the benchmarks use it too.

export type LabProcessPorts = Record<"portal" | "clinical" | "billing" | "gateway" | "projector" | "supervisor" | "simulator" | "drills", number>;

const PORT_VARIABLES: Record<keyof LabProcessPorts, string> = {
  portal: "PORTAL_PORT",
  clinical: "CLINICAL_PORT",
  billing: "BILLING_PORT",
  gateway: "GATEWAY_PORT",
  projector: "PROJECTOR_PORT",
  supervisor: "SUPERVISOR_PORT",
  simulator: "SIMULATOR_PORT",
  drills: "DRILL_ENGINE_PORT",
};

/** Every process of a whole lab on consecutive ports from `base` (the portal's): the order the e2e lab's callers count on. */
/**
 * How long a whole lab that npm test starts beside others may take to be ready: niced beside the quiet lab
 * while it seeds (ADR 0031), it gets only the CPU that lab leaves. Its starter waits a minute longer.
 */
export const NICED_LAB_READY_SECONDS = 600;

export function wholeLabPorts(base: number): LabProcessPorts {
  return {
    portal: base,
    clinical: base + 1,
    billing: base + 2,
    gateway: base + 3,
    projector: base + 4,
    supervisor: base + 5,
    simulator: base + 6,
    drills: base + 7,
  };
}

/** The port variables of the processes in `ports` (a test that starts only some names only theirs). */
export function portEnv(ports: Partial<LabProcessPorts>): Record<string, string> {
  return Object.fromEntries(Object.entries(ports).map(([name, port]) => [PORT_VARIABLES[name as keyof LabProcessPorts], String(port)]));
}

/** A test lab's environment: a child process's, which (with Next's types) says which NODE_ENV it runs in. */
export type TestLabEnv = Record<string, string> & { NODE_ENV: "test" };

/**
 * The environment of a lab of test processes in `dir`: warnings only in the logs unless `extra` says
 * otherwise, nothing seeded at start (the test seeds what it needs), its processes on `ports`.
 */
export function testLabEnv(dir: string, secret: string, ports: Partial<LabProcessPorts>, extra: Record<string, string> = {}): TestLabEnv {
  return {
    PATH: process.env.PATH!,
    HOME: process.env.HOME!,
    NODE_ENV: "test",
    LAB_DATA_DIR: dir,
    LAB_SECRET: secret,
    LOG_LEVEL: "warn",
    LAB_SEED_PATIENTS: "0",
    ...portEnv(ports),
    ...extra,
  };
}
