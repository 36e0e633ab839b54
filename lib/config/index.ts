// The lab's one configuration, read from the environment once and checked by zod.
// Every value has an embedded default, so `npm run lab` needs no server and no settings.
import { isAbsolute, resolve } from "node:path";
import { z } from "zod";
import { LabError, listedProblems } from "../errors/index.ts";

const EMBEDDED_SECRET = "pim-sre-lab-embedded-secret:synthetic-data-only";
const SECRET_VARIABLES = new Set(["LAB_SECRET", "DATABASE_URL", "LAB_OIDC_CLIENT_SECRET"]);

const httpUrl = (message: string) =>
  z
    .string()
    .refine((v) => URL.canParse(v) && /^https?:$/.test(new URL(v).protocol), message)
    .optional();

/** A TCP port a lab process listens on, with its default. */
const port = (fallback: number) => z.coerce.number().int().min(1).max(65535).default(fallback);

const EnvSchema = z.object({
  LAB_MODE: z.enum(["embedded", "full"]).default("embedded"),
  LAB_DATA_DIR: z.string().min(1).default(".lab"),
  LAB_SHARD_COUNT: z.coerce.number().int().min(1).max(64).default(4),
  DATABASE_URL: z
    .string()
    .regex(/^postgres(ql)?:\/\/\S+$/, "must be a postgresql:// URL")
    .refine((v) => URL.canParse(v), "must be a valid URL (host, port 1-65535, database)")
    .optional(),
  LAB_DB_PREFIX: z
    .string()
    .regex(/^[a-z][a-z0-9_]{0,39}$/, "must be lower-case letters, digits and _ (at most 40), starting with a letter")
    .default("pimlab"),
  LAB_SECRET: z.string().min(16, "must be at least 16 characters").default(EMBEDDED_SECRET),
  // The lab processes' ports.
  PORTAL_PORT: port(3000),
  GATEWAY_PORT: port(4000),
  CLINICAL_PORT: port(4101),
  BILLING_PORT: port(4102),
  PROJECTOR_PORT: port(4103),
  SIMULATOR_PORT: port(4104),
  DRILL_ENGINE_PORT: port(4105),
  SUPERVISOR_PORT: port(4900),
  GATEWAY_TIMEOUT_MS: z.coerce.number().int().min(100).max(120_000).default(5000),
  GATEWAY_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(1_000_000).default(6000),
  LAB_DRILL_MAX_SECONDS: z.coerce.number().int().min(5).max(86_400).default(3600),
  LAB_DRILL_MAX_CONCURRENT: z.coerce.number().int().min(1).max(20).default(2),
  /** Where the instructors' scenario scripts are (YAML); relative to the working directory. */
  LAB_SCENARIOS_DIR: z.string().min(1).default("scenarios"),
  /** Where the on-call exercises are (YAML); relative to the working directory. */
  LAB_EXERCISES_DIR: z.string().min(1).default("exercises"),
  LAB_TRAFFIC_PROFILE: z
    .string()
    .regex(/^[a-z0-9][a-z0-9-]{0,62}$/, "must be a traffic profile's name (traffic-profiles/*.yaml) or off")
    .default("steady-demo"),
  /** Seconds the simulator's warm-up users walk the journeys after a lab start, before traffic counts (0: none). */
  LAB_WARMUP_SECONDS: z.coerce.number().int().min(0).max(600).default(30),
  /** How long `npm run lab` waits for every process to be ready before it gives up (a busy machine starts slowly). */
  LAB_READY_TIMEOUT_SECONDS: z.coerce.number().int().min(10).max(1800).default(60),
  /** When the lab's start began (ms since the epoch): set by the supervisor for its processes. */
  LAB_STARTED_AT: z.coerce.number().int().min(0).optional(),
  /** Set by the supervisor on the starts of a process it crash-loops: the process dies this long after it listens. */
  LAB_CRASH_AFTER_SECONDS: z.coerce.number().int().min(1).max(300).optional(),
  LAB_EVENT_BUS: z.enum(["embedded", "kafka"]).optional(),
  KAFKA_BROKERS: z
    .string()
    .regex(/^[A-Za-z0-9.-]+:\d{1,5}(,[A-Za-z0-9.-]+:\d{1,5})*$/, "must be host:port[,host:port...]")
    .default("127.0.0.1:9092"),
  KAFKA_TOPIC_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9._-]{0,60}$/, "must be letters, digits, . _ - (at most 60)")
    .default(""),
  LAB_EVENT_PARTITIONS: z.coerce.number().int().min(1).max(256).default(8),
  LAB_SEED_PATIENTS: z.coerce.number().int().min(0).max(1_000_000).default(2000),
  LAB_SEED: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1)
    .default(42),
  LAB_JWKS_URL: httpUrl("must be an http(s) URL of the identity provider's JWKS"),
  LAB_JWT_ISSUER: z.string().min(1).optional(),
  LAB_OIDC_ISSUER: httpUrl("must be the http(s) issuer URL of an OpenID Connect provider (its /.well-known/openid-configuration is read)"),
  LAB_OIDC_CLIENT_ID: z.string().min(1).optional(),
  LAB_OIDC_CLIENT_SECRET: z.string().min(1).optional(),
  LAB_OIDC_NAME: z.string().min(1).max(60).default("your identity provider"),
  LAB_JWT_AUDIENCE: z.string().min(1).default("pim-sre-lab-api"),
  LOG_LEVEL: z.enum(["trace", "debug", "info", "warn", "error", "fatal", "silent"]).default("info"),
  PROMETHEUS_URL: httpUrl("must be an http(s) URL of a Prometheus server"),
  PROMETHEUS_PORT: port(9090),
  GRAFANA_URL: httpUrl("must be the http(s) URL of a Grafana (e.g. http://grafana:3000)"),
  GRAFANA_TEMPO_DATASOURCE: z.string().min(1).default("tempo"),
  GRAFANA_LOKI_DATASOURCE: z.string().min(1).default("loki"),
  TEMPO_URL: httpUrl("must be the http(s) URL of Tempo's query frontend"),
  LOKI_URL: httpUrl("must be the http(s) URL of Loki"),
  PROMETHEUS_BINARY: z.string().min(1).default("prometheus"),
  OTEL_EXPORTER_OTLP_ENDPOINT: httpUrl("must be the http(s) URL of an OTLP/HTTP collector (e.g. http://127.0.0.1:4318)"),
  LAB_TRACE_SAMPLE_RATIO: z.coerce.number().min(0).max(1).default(0.1),
  LAB_ALERT_WEBHOOKS: z
    .string()
    .refine((v) => v.split(",").every((u) => URL.canParse(u.trim()) && /^https?:$/.test(new URL(u.trim()).protocol)), "must be comma-separated http(s) URLs")
    .optional(),
});

export type LabMode = "embedded" | "full";

export type DatabaseConfig = { kind: "sqlite"; dir: string } | { kind: "postgresql"; serverUrl: string; namePrefix: string };

export interface LabConfig {
  mode: LabMode;
  dataDir: string;
  shardCount: number;
  database: DatabaseConfig;
  privacySecret: string;
  usesEmbeddedSecret: boolean;
  portalPort: number;
  clinicalPort: number;
  billingPort: number;
  gateway: { port: number; timeoutMs: number; ratePerMinute: number };
  projectorPort: number;
  /** The supervisor's control API (process status, kill, pause, fault switches with deadlines). */
  supervisorPort: number;
  /** How long the supervisor waits for every process to be ready at the lab's start. */
  readyTimeoutSeconds: number;
  /** The persona traffic simulator's control API, and the profile it runs from the start (null: off). */
  simulator: { port: number; startProfile: string | null; warmUpSeconds: number };
  /** When `npm run lab` began starting this lab (null when a process runs outside the supervisor). */
  labStartedAt: Date | null;
  /** A crash loop's setting (the supervisor's, never a user's): die this many seconds after listening. */
  crashAfterSeconds: number | null;
  /** The drill engine's API and its guardrails: the longest a drill may run, how many at once. */
  drills: { port: number; maxDurationSeconds: number; maxConcurrent: number; scenariosDir: string; exercisesDir: string };
  /** The event bus: the embedded SQLite log (default in embedded mode) or Kafka (default in full mode). */
  events: { bus: "embedded" | "kafka"; brokers: string[]; partitions: number; topicPrefix: string };
  /** An identity provider whose tokens the gateway and services accept besides the lab's own. */
  identityProvider: { jwksUrl: string; issuer: string; audience: string } | null;
  /**
   * The portal's sign-in through an OpenID Connect provider (authorization code with PKCE), offered beside
   * the persona picker in embedded mode and instead of it in full mode; its ID token's `role`, `facility_id`
   * and `patient_id` claims make the session's actor.
   */
  oidc: { issuer: string; clientId: string; clientSecret: string; name: string } | null;
  /** How many synthetic patients `npm run lab` puts into an empty lab, and from which seed. */
  seedPatients: number;
  seed: number;
  logLevel: z.infer<typeof EnvSchema>["LOG_LEVEL"];
  /**
   * Where SLOs are read: Prometheus at `url` (PromQL over the generated rules) when set, else the embedded
   * rollups. In full mode without PROMETHEUS_URL the lab starts Debian's Prometheus on `port` (`startLocal`).
   */
  prometheus: { url: string | null; port: number; binary: string; startLocal: boolean };
  /** Spans go to the local store always, and over OTLP/HTTP when an endpoint is set; new traces are sampled at this ratio. */
  tracing: { otlpEndpoint: string | null; sampleRatio: number };
  /** Webhooks (Alertmanager format) told when an SLO tier starts or stops firing. */
  alertWebhooks: string[];
  /**
   * The Grafana stack, where one is configured: the portal links each SLO, drill and scenario to its
   * generated dashboard, and traces and logs to Tempo and Loki (through Grafana's Explore) when those are set.
   */
  grafana: { url: string | null; tempo: { url: string | null; datasource: string }; loki: { url: string | null; datasource: string } };
}

/** A configuration that cannot start the lab: a "setup" error whose problems name each variable and what it allows. */
const configError = (problems: string[]) => new LabError("setup", listedProblems("Invalid lab configuration", problems), { problems });

type Env = Record<string, string | undefined>;

export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): LabConfig {
  // Empty strings mean "not set", as shells and .env files often leave them.
  const present = Object.fromEntries(Object.entries(env).filter(([, v]) => v !== undefined && v !== ""));
  const parsed = EnvSchema.safeParse(present);
  if (!parsed.success) {
    throw configError(
      parsed.error.issues.map((issue) => {
        const name = String(issue.path[0] ?? "environment");
        // Secrets and URLs that may carry a password are never echoed back.
        const got = SECRET_VARIABLES.has(name) ? undefined : present[name];
        return `${name}: ${issue.message}${got === undefined ? "" : ` (got ${JSON.stringify(got)})`}`;
      }),
    );
  }
  const e = parsed.data;
  const fullModeProblems = [
    ...(e.LAB_MODE === "full" && !e.DATABASE_URL ? ["DATABASE_URL: required when LAB_MODE=full (e.g. postgresql://postgres@127.0.0.1:5432/postgres)"] : []),
    // The built-in secret is public (it is in this file); a shared lab must choose its own.
    ...(e.LAB_MODE === "full" && e.LAB_SECRET === EMBEDDED_SECRET ? ["LAB_SECRET: required when LAB_MODE=full (at least 16 characters of your own)"] : []),
    ...(e.LAB_JWKS_URL && !e.LAB_JWT_ISSUER ? ["LAB_JWT_ISSUER: required with LAB_JWKS_URL (the iss claim of the identity provider's tokens)"] : []),
    ...(e.LAB_OIDC_ISSUER && !(e.LAB_OIDC_CLIENT_ID && e.LAB_OIDC_CLIENT_SECRET)
      ? ["LAB_OIDC_CLIENT_ID, LAB_OIDC_CLIENT_SECRET: required with LAB_OIDC_ISSUER (the portal's client at the provider)"]
      : []),
  ];
  if (fullModeProblems.length > 0) throw configError(fullModeProblems);
  const dataDir = isAbsolute(e.LAB_DATA_DIR) ? e.LAB_DATA_DIR : resolve(cwd, e.LAB_DATA_DIR);
  return {
    mode: e.LAB_MODE,
    dataDir,
    shardCount: e.LAB_SHARD_COUNT,
    database: e.LAB_MODE === "full" ? { kind: "postgresql", serverUrl: e.DATABASE_URL!, namePrefix: e.LAB_DB_PREFIX } : { kind: "sqlite", dir: dataDir },
    privacySecret: e.LAB_SECRET,
    usesEmbeddedSecret: e.LAB_SECRET === EMBEDDED_SECRET,
    portalPort: e.PORTAL_PORT,
    clinicalPort: e.CLINICAL_PORT,
    billingPort: e.BILLING_PORT,
    gateway: { port: e.GATEWAY_PORT, timeoutMs: e.GATEWAY_TIMEOUT_MS, ratePerMinute: e.GATEWAY_RATE_PER_MINUTE },
    projectorPort: e.PROJECTOR_PORT,
    supervisorPort: e.SUPERVISOR_PORT,
    readyTimeoutSeconds: e.LAB_READY_TIMEOUT_SECONDS,
    simulator: { port: e.SIMULATOR_PORT, startProfile: e.LAB_TRAFFIC_PROFILE === "off" ? null : e.LAB_TRAFFIC_PROFILE, warmUpSeconds: e.LAB_WARMUP_SECONDS },
    labStartedAt: e.LAB_STARTED_AT === undefined ? null : new Date(e.LAB_STARTED_AT),
    crashAfterSeconds: e.LAB_CRASH_AFTER_SECONDS ?? null,
    drills: {
      port: e.DRILL_ENGINE_PORT,
      maxDurationSeconds: e.LAB_DRILL_MAX_SECONDS,
      maxConcurrent: e.LAB_DRILL_MAX_CONCURRENT,
      scenariosDir: isAbsolute(e.LAB_SCENARIOS_DIR) ? e.LAB_SCENARIOS_DIR : resolve(cwd, e.LAB_SCENARIOS_DIR),
      exercisesDir: isAbsolute(e.LAB_EXERCISES_DIR) ? e.LAB_EXERCISES_DIR : resolve(cwd, e.LAB_EXERCISES_DIR),
    },
    events: {
      bus: e.LAB_EVENT_BUS ?? (e.LAB_MODE === "full" ? "kafka" : "embedded"),
      brokers: e.KAFKA_BROKERS.split(","),
      partitions: e.LAB_EVENT_PARTITIONS,
      topicPrefix: e.KAFKA_TOPIC_PREFIX,
    },
    identityProvider: e.LAB_JWKS_URL ? { jwksUrl: e.LAB_JWKS_URL, issuer: e.LAB_JWT_ISSUER!, audience: e.LAB_JWT_AUDIENCE } : null,
    oidc: e.LAB_OIDC_ISSUER
      ? { issuer: e.LAB_OIDC_ISSUER, clientId: e.LAB_OIDC_CLIENT_ID!, clientSecret: e.LAB_OIDC_CLIENT_SECRET!, name: e.LAB_OIDC_NAME }
      : null,
    seedPatients: e.LAB_SEED_PATIENTS,
    seed: e.LAB_SEED,
    logLevel: e.LOG_LEVEL,
    prometheus: {
      url: e.PROMETHEUS_URL ?? (e.LAB_MODE === "full" ? `http://127.0.0.1:${e.PROMETHEUS_PORT}` : null),
      port: e.PROMETHEUS_PORT,
      binary: e.PROMETHEUS_BINARY,
      startLocal: e.LAB_MODE === "full" && !e.PROMETHEUS_URL,
    },
    tracing: { otlpEndpoint: e.OTEL_EXPORTER_OTLP_ENDPOINT ?? null, sampleRatio: e.LAB_TRACE_SAMPLE_RATIO },
    alertWebhooks: e.LAB_ALERT_WEBHOOKS ? e.LAB_ALERT_WEBHOOKS.split(",").map((u) => u.trim()) : [],
    grafana: {
      url: e.GRAFANA_URL?.replace(/\/+$/, "") ?? null,
      tempo: { url: e.TEMPO_URL ?? null, datasource: e.GRAFANA_TEMPO_DATASOURCE },
      loki: { url: e.LOKI_URL ?? null, datasource: e.GRAFANA_LOKI_DATASOURCE },
    },
  };
}

/**
 * The environment this process was started with, for the processes it starts: each child reads the same
 * configuration from it (the supervisor passes it on whole).
 */
export function labEnvironment(): Record<string, string | undefined> {
  return { ...process.env };
}

/** For command-line entry points: a bad configuration prints its problems and exits with code 2. */
export function loadConfigOrExit(env: Env = process.env): LabConfig {
  try {
    return loadConfig(env);
  } catch (err) {
    if (err instanceof LabError) {
      console.error(err.message);
      process.exit(2);
    }
    throw err;
  }
}
