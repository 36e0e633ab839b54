// The drill catalog as Chaos Mesh experiments, for the lab in cluster mode (deploy/chaos-mesh/): each
// drill with its default params becomes the experiment closest to what the embedded lab does, labelled
// with the drill it rehearses. Chaos Mesh cannot abort on SLO burn, so the drill engine keeps that job in
// a cluster too: it applies these and deletes them when an abort condition holds (ADR 0011).
import { stringify } from "yaml";
import type { EventFaultsInput } from "../events/event-faults.ts";
import type { FaultRuleInput } from "../faults/fault-rules.ts";
import { DRILLS, type DrillAction } from "./drill-catalog.ts";

export const CHAOS_MESH_DIR = "deploy/chaos-mesh";
export const NAMESPACE = "pim-sre-lab";
const PORTS: Record<string, number> = { clinical: 4101, billing: 4102, gateway: 4000, projector: 4103 };

const app = (name: string) => ({ namespaces: [NAMESPACE], labelSelectors: { "app.kubernetes.io/name": name } });
const seconds = (n: number) => `${n}s`;

/** Chaos Mesh documents (kind + spec) for one action of a drill lasting `durationSeconds`. */
function experimentsOf(action: DrillAction, durationSeconds: number): { kind: string; spec: Record<string, unknown>; note?: string }[] {
  const duration = seconds(durationSeconds);
  switch (action.type) {
    case "set-faults": {
      // Rules that become the same experiment (a blind spot's, one per route) are applied once.
      const experiments = action.rules.map((rule) => httpChaos(action.service, rule, duration));
      return experiments.filter((e, i) => experiments.findIndex((o) => JSON.stringify(o) === JSON.stringify(e)) === i);
    }
    case "set-event-faults":
      return eventChaos(action.faults, duration);
    case "kill-process":
      return [{ kind: "PodChaos", spec: { action: "pod-kill", mode: "one", selector: app(action.process) } }];
    case "pause-process":
      return [{ kind: "PodChaos", spec: { action: "pod-failure", mode: "all", selector: app(action.process), duration } }];
    case "crash-loop-process":
      // Kubernetes restarts a killed pod with its own backoff (CrashLoopBackOff): a kill on a schedule, inside
      // a workflow whose deadline ends it (a Schedule alone has none).
      return [
        {
          kind: "Workflow",
          spec: {
            entry: "crash-loop",
            templates: [
              {
                name: "crash-loop",
                templateType: "Schedule",
                deadline: duration,
                schedule: {
                  schedule: `@every ${action.crashAfterSeconds}s`,
                  type: "PodChaos",
                  concurrencyPolicy: "Forbid",
                  historyLimit: 5,
                  podChaos: { action: "pod-kill", mode: "all", selector: app(action.process) },
                },
              },
            ],
          },
        },
      ];
    case "lock-shard":
      // The lab's shards are databases: in a cluster, the shard's PostgreSQL pod goes away.
      return [
        {
          kind: "PodChaos",
          spec: {
            action: "pod-failure",
            mode: "all",
            selector: { namespaces: [NAMESPACE], labelSelectors: { "app.kubernetes.io/name": "postgres-shard", "pim-lab/shard": String(action.shard) } },
            duration,
          },
          note: "the embedded lab holds the shard's write lock in a session, so its reads still answer; here the whole database goes",
        },
      ];
    case "start-traffic":
      return [];
  }
}

function httpChaos(service: string, rule: Omit<FaultRuleInput, "durationSeconds">, duration: string) {
  const e = rule.effect;
  if (e.kind === "unrecorded")
    return {
      kind: "NetworkChaos",
      spec: { action: "partition", mode: "all", selector: app("prometheus"), direction: "to", target: { mode: "all", selector: app(service) }, duration },
      note: "Prometheus stops scraping the gateway: every series it serves goes dark, not only the matched journeys' (the lab's own fault hook drops just those)",
    };
  const route = rule.match.routes?.length === 1 ? rule.match.routes[0]!.replace(/:[A-Za-z]+/g, "*") : "/*";
  const base = {
    mode: "all",
    selector: app(service),
    target: "Request",
    port: PORTS[service],
    path: route,
    ...(rule.match.methods?.length === 1 ? { method: rule.match.methods[0] } : {}),
    duration,
  };
  // HTTPChaos has no per-request rate: a share is approximated by the share of the service's pods hit.
  const share = e.rate < 1 ? { mode: "fixed-percent", value: String(Math.max(1, Math.round(e.rate * 100))) } : {};
  const scoped =
    rule.match.shards || rule.match.personas
      ? "shard and persona matching need the lab's own fault hooks; in a cluster this hits every request of the path"
      : undefined;
  if (e.kind === "latency") {
    const ms =
      e.distribution.type === "fixed"
        ? e.distribution.ms
        : e.distribution.type === "uniform"
          ? (e.distribution.minMs + e.distribution.maxMs) / 2
          : e.distribution.meanMs;
    return { kind: "HTTPChaos", spec: { ...base, ...share, delay: `${Math.round(ms)}ms` }, note: scoped };
  }
  if (e.kind === "error") return { kind: "HTTPChaos", spec: { ...base, ...share, replace: { code: e.status } }, note: scoped };
  return { kind: "HTTPChaos", spec: { ...base, ...share, delay: `${e.forMs}ms` }, note: scoped };
}

function eventChaos(f: Omit<EventFaultsInput, "durationSeconds">, duration: string) {
  const toKafka = { mode: "all", selector: app("kafka") };
  const out: { kind: string; spec: Record<string, unknown>; note?: string }[] = [];
  if (f.relayPaused)
    out.push({
      kind: "NetworkChaos",
      spec: { action: "partition", mode: "all", selector: app("projector"), direction: "to", target: toKafka, duration },
      note: "the relays run in the projector's pod: cutting it off from Kafka stalls its consumer too",
    });
  if (f.consumerDelayMs > 0)
    out.push({
      kind: "NetworkChaos",
      spec: {
        action: "delay",
        mode: "all",
        selector: app("projector"),
        direction: "to",
        target: toKafka,
        delay: { latency: `${f.consumerDelayMs}ms`, jitter: "0ms" },
        duration,
      },
    });
  if (f.consumerFailRate > 0)
    out.push({
      kind: "NetworkChaos",
      spec: {
        action: "loss",
        mode: "all",
        selector: app("projector"),
        direction: "to",
        target: toKafka,
        loss: { loss: String(Math.round(f.consumerFailRate * 100)) },
        duration,
      },
      note: "dead letters come from the lab's own projector fault (PUT /_lab/events/faults); packet loss only slows the consumer",
    });
  return out;
}

/** What a drill needs beyond its defaults to name a target (the example manifests hit clinical, shard 0). */
const EXAMPLE_PARAMS: Record<string, object> = {
  "service-latency": { service: "clinical" },
  "error-burst": { service: "clinical" },
  "service-crash": { service: "clinical" },
  "service-hang": { service: "clinical" },
  "service-crash-loop": { service: "clinical" },
  "bad-config-rollout": { service: "clinical" },
  "shard-outage": { shard: 0 },
};

/** Every drill of the catalog with its default params, as `<drill>.yaml` -> text. */
export function chaosMeshFiles(durationSeconds = 300): Map<string, string> {
  const files = new Map<string, string>();
  for (const drill of DRILLS) {
    const params = drill.params.parse(EXAMPLE_PARAMS[drill.key] ?? {});
    const { steps } = drill.plan(params);
    const duration = Math.min(durationSeconds, drill.maxDurationSeconds);
    const docs = steps.flatMap((step) => experimentsOf(step.apply, duration).map((x) => ({ ...x, description: step.description })));
    const header = `# ${drill.title}: ${drill.failureMode}.\n# Generated by npm run drills:generate from lib/drills/drill-catalog.ts (default params); do not edit.\n`;
    const body = docs.length
      ? docs
          .map((d, i) =>
            stringify({
              apiVersion: "chaos-mesh.org/v1alpha1",
              kind: d.kind,
              metadata: {
                name: `pimlab-${drill.key}${docs.length > 1 ? `-${i + 1}` : ""}`,
                namespace: NAMESPACE,
                labels: { "pim-lab/drill": drill.key },
                annotations: {
                  "pim-lab/description": d.description,
                  "pim-lab/max-duration-seconds": String(drill.maxDurationSeconds),
                  ...(d.note ? { "pim-lab/note": d.note } : {}),
                },
              },
              spec: d.spec,
            }),
          )
          .join("---\n")
      : "# No Chaos Mesh experiment: this drill changes the simulator's traffic (PUT /_lab/traffic), which a cluster runs as the simulator's Deployment.\n";
    files.set(`${drill.key}.yaml`, header + body);
  }
  return files;
}
