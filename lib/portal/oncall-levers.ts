// The levers an on-call person pulls from the portal (docs/runbooks/levers.md), as data: each names the
// lab-client endpoint it calls, what it may be pulled on, what it does and costs, and its runbook heading.
// The On call page renders them as forms and pulls one as the signed-in persona, through the same guarded,
// audited API as the runbook's curl lines; the exercise score reads it back from the audit. Adding a lever
// is one entry in LEVERS.
import { z } from "zod";
import { type Action, grantFor } from "../auth/policy.ts";
import { ROLES, type Role } from "../auth/roles.ts";
import { Mitigation } from "../exercises/exercise-catalog.ts";
import type { LabClient } from "../lab-client/lab-client.ts";
import { LAB_ENDPOINTS, type LabAnswer, type LabEndpointName } from "../lab-client/lab-endpoints.ts";
import { runbookPath } from "../runbooks/runbook-paths.ts";
import type { Reading } from "./reading.ts";

/** What the panel needs of the lab to offer the levers' targets. */
export interface LeverContext {
  shardCount: number;
  /** The dead letters waiting for a redrive, oldest first (the projector's dead-letter route). */
  deadLetters: Reading<LabAnswer<"deadLetters">["items"]>;
}

export interface Choice {
  value: string;
  label: string;
}

/** What a lever is pulled on: the choices (or why there is nothing to pull it on now), and the button for each. */
export interface LeverTarget {
  label: string;
  choices: (c: LeverContext) => Choice[] | { none: string };
  /** The button's text: the lever and its target, unambiguous without a confirmation step. */
  button: (target: Choice) => string;
}

type LeverSpec<K extends LabEndpointName> = {
  /** In the exercise catalog's words where the catalog has the lever (restart-process, roll-back-config ...). */
  id: string;
  /** What the panel calls it (levers.md's heading, or the lever's own name where a heading has several). */
  label: string;
  endpoint: K;
  /** The anchor of that heading (the test checks it is one). */
  runbookAnchor: string;
  /** What it does and what it costs, in one line, from levers.md. */
  effect: string;
  /** Calls the endpoint for the target ("" for a lever with none) and says what the lab answered. */
  pull: (call: LabClient[K], target: string) => Promise<string>;
} & ({ target: LeverTarget; button?: undefined } | { target?: undefined; /** The button's text of a lever with no target. */ button: string });

/** A lever with its endpoint's types erased, so levers of different endpoints sit in one list. */
export interface Lever {
  id: string;
  label: string;
  endpoint: LabEndpointName;
  /** The policy action its endpoint is declared with: who may pull it. */
  action: Action;
  runbookHref: string;
  effect: string;
  target: LeverTarget | null;
  button: string | null;
  pull: (lab: LabClient, target: string) => Promise<string>;
}

function lever<K extends LabEndpointName>(spec: LeverSpec<K>): Lever {
  const { action } = LAB_ENDPOINTS[spec.endpoint];
  if (action === "public") throw new Error(`${spec.endpoint} is no lever: anyone may call it`);
  return {
    id: spec.id,
    label: spec.label,
    endpoint: spec.endpoint,
    action,
    runbookHref: runbookPath("levers", spec.runbookAnchor),
    effect: spec.effect,
    target: spec.target ?? null,
    button: spec.button ?? null,
    pull: (lab, target) => spec.pull(lab[spec.endpoint], target),
  };
}

/** The catalog's choices for a mitigation's process or service, so the panel offers exactly what the score knows. */
function catalogTargets(action: Mitigation["action"], field: "process" | "service"): Choice[] {
  const option = Mitigation.options.find((o) => o.shape.action.value === action);
  const target: unknown = option ? (option.shape as Record<string, unknown>)[field] : undefined;
  if (!(target instanceof z.ZodEnum)) throw new Error(`the exercise catalog's ${action} names no ${field}`);
  return (target.options as string[]).map((value) => ({ value, label: value }));
}

/** Whose requests the shedding lever offers to cap, and at how many in flight; the API takes any cap and personas. */
export const SHEDDING_CAPS = [
  { persona: "patient", cap: 10 },
  { persona: "billing", cap: 10 },
  { persona: "clinician", cap: 10 },
  { persona: "everyone", cap: 20 },
] as const;
type ShedPersona = (typeof SHEDDING_CAPS)[number]["persona"];
const SHED_WHOSE: Record<ShedPersona, string> = {
  patient: "patients' requests",
  billing: "billing admins' requests",
  clinician: "clinicians' requests",
  everyone: "every request",
};

/** The select shows this many dead letters, the oldest: a redrive goes oldest first. */
export const DEAD_LETTERS_OFFERED = 50;

const clock = (iso: string) => iso.slice(11, 19);

export const LEVERS: readonly Lever[] = [
  lever({
    id: "restart-process",
    label: "Restart a process",
    endpoint: "restartProcess",
    runbookAnchor: "restart-a-process",
    effect: "Stops it and starts it again (a frozen one too); requests in flight on it fail. Cures a hang or a leak, not a bad configuration.",
    target: { label: "Process", choices: () => catalogTargets("restart-process", "process"), button: (t) => `Restart ${t.label}` },
    pull: async (call, name) => {
      const { process } = await call({ params: { name } });
      return `Restarted ${name} (${process.pid === null ? process.state : `pid ${process.pid}`})`;
    },
  }),
  lever({
    id: "resume-process",
    label: "Resume a frozen process",
    endpoint: "resumeProcess",
    runbookAnchor: "resume-a-frozen-process",
    effect: "Resumes a process that answers nothing and logs nothing but still has its pid; it keeps its state.",
    target: { label: "Process", choices: () => catalogTargets("resume-process", "process"), button: (t) => `Resume ${t.label}` },
    pull: async (call, name) => {
      const { process, resumed } = await call({ params: { name } });
      return resumed ? `Resumed ${name} (pid ${process.pid})` : `${name} was not frozen: nothing to resume`;
    },
  }),
  lever({
    id: "roll-back-config",
    label: "Roll back a service's configuration",
    endpoint: "clearFaults",
    runbookAnchor: "roll-back-a-services-configuration",
    effect: "Removes the runtime configuration the service was changed with, so it behaves as it shipped; a bad release starts clean.",
    target: { label: "Service", choices: () => catalogTargets("roll-back-config", "service"), button: (t) => `Roll back ${t.label}'s configuration` },
    pull: async (call, service) => {
      await call({ params: { service } });
      return `Rolled back ${service}'s configuration`;
    },
  }),
  lever({
    id: "end-blocking-session",
    label: "End the session blocking a shard",
    endpoint: "endBlockingSession",
    runbookAnchor: "end-the-session-blocking-a-shard",
    effect: "Ends the database session holding the shard's write lock; its transaction had written nothing, and writes go through again at once.",
    target: {
      label: "Shard",
      choices: ({ shardCount }) => Array.from({ length: shardCount }, (_, shard) => ({ value: String(shard), label: `shard ${shard}` })),
      button: (t) => `End the session blocking ${t.label}`,
    },
    pull: async (call, shard) => {
      const { ended } = await call({ params: { shard } });
      return ended ? `Ended the session holding shard ${shard}'s write lock` : `No session held shard ${shard}'s write lock`;
    },
  }),
  lever({
    id: "resume-event-pipeline",
    label: "Resume the event pipeline",
    endpoint: "clearFaults",
    runbookAnchor: "resume-the-event-pipeline",
    effect: "Removes the event pipeline's runtime settings, so the relays publish and the projector consumes at full speed; dead letters stay.",
    button: "Resume the event pipeline",
    pull: async (call) => {
      await call({ params: { service: "projector" } });
      return "Resumed the event pipeline: its runtime settings are removed";
    },
  }),
  lever({
    id: "redrive-dead-letters",
    label: "Redrive dead letters",
    endpoint: "redrive",
    runbookAnchor: "redrive-dead-letters",
    effect: "Sends an event the projector gave up on through it again; only after the cause is gone, or it comes straight back.",
    target: {
      label: "Dead letter",
      choices: ({ deadLetters }) => {
        if (!deadLetters.ok) return { none: `The dead letters cannot be read: ${deadLetters.error}` };
        if (deadLetters.value.length === 0) return { none: "No dead letter waits for a redrive." };
        return deadLetters.value
          .slice(0, DEAD_LETTERS_OFFERED)
          .map((d) => ({ value: d.eventId, label: `${d.type} ${d.eventId} (failed ${clock(d.failedAt)} UTC)` }));
      },
      button: (t) => `Redrive dead letter ${t.value}`,
    },
    pull: async (call, eventId) => {
      const letter = await call({ params: { eventId } });
      return letter.status === "redriven"
        ? `Redrove ${letter.type} ${eventId}: applied`
        : `Redrove ${letter.type} ${eventId}: it failed again (${letter.error})`;
    },
  }),
  lever({
    id: "shed-traffic",
    label: "Shed load at the gateway",
    endpoint: "shedLoad",
    runbookAnchor: "shed-traffic",
    effect:
      "Caps the API requests the gateway lets through at once, of the rushing personas or of everyone: those over it get 503 at once, so the rest are served in time. Lifts itself after 15 minutes.",
    target: {
      label: "Whose requests",
      choices: () => SHEDDING_CAPS.map(({ persona, cap }) => ({ value: `${persona}:${cap}`, label: `${SHED_WHOSE[persona]} beyond ${cap} in flight` })),
      button: (t) => `Shed ${t.label}`,
    },
    pull: async (call, target) => {
      const [persona, cap] = target.split(":");
      const role = ROLES.find((r) => r === persona);
      const status = await call({ body: { maxInFlight: Number(cap), durationSeconds: 900, ...(role ? { personas: [role] } : {}) } });
      const whose = status.personas ? status.personas.map((p) => SHED_WHOSE[p as ShedPersona] ?? p).join(", ") : SHED_WHOSE.everyone;
      return `Shedding ${whose} beyond ${status.maxInFlight} in flight until ${clock(status.until ?? "")} UTC`;
    },
  }),
  lever({
    id: "stop-shedding",
    label: "Stop shedding load",
    endpoint: "stopShedding",
    runbookAnchor: "shed-traffic",
    effect: "Lifts the gateway's cap once the surge is over: every request is admitted again.",
    button: "Stop shedding load",
    pull: async (call) => {
      const status = await call();
      return `Stopped shedding load (${status.shed} requests were shed)`;
    },
  }),
  lever({
    id: "stop-traffic",
    label: "Stop the persona traffic",
    endpoint: "stopTraffic",
    runbookAnchor: "shed-traffic",
    effect: "Stops the persona traffic altogether: every user goes away, so nothing is left to measure and nothing counts as mitigated.",
    button: "Stop the persona traffic",
    pull: async (call) => {
      const { run } = await call();
      return run ? "Stopped the persona traffic" : "No persona traffic was running: nothing to stop";
    },
  }),
];

/** A lever as its form shows it: plain data, for a client component. */
export interface LeverForm {
  id: string;
  label: string;
  effect: string;
  runbookHref: string;
  /** The target's select, each choice with its button's text; null for a lever with no target. */
  target: { label: string; options: (Choice & { button: string })[] } | null;
  /** The button's text: the lever's, or its first choice's. */
  button: string;
  /** Why it cannot be pulled now (nothing to pull it on), shown instead of its form; null when it can. */
  idle: string | null;
}

/** The levers a role may pull (each by its endpoint's declared action), as forms for the lab as it is now. */
export function leverForms(role: Role, context: LeverContext): LeverForm[] {
  return LEVERS.filter((l) => grantFor(role, l.action)).map((l) => {
    const common = { id: l.id, label: l.label, effect: l.effect, runbookHref: l.runbookHref };
    if (!l.target) return { ...common, target: null, button: l.button ?? l.label, idle: null };
    const { label, button } = l.target;
    const choices = l.target.choices(context);
    const options = Array.isArray(choices) ? choices.map((c) => ({ ...c, button: button(c) })) : [];
    return { ...common, target: { label, options }, button: options[0]?.button ?? l.label, idle: Array.isArray(choices) ? null : choices.none };
  });
}

export const LEVER_IDS = LEVERS.map((l) => l.id) as [string, ...string[]];

/** A lever's form as posted: which lever, and its target when it has one. */
export const LeverPull = z
  .object({ lever: z.enum(LEVER_IDS), target: z.string().trim().min(1).max(200).optional() })
  .refine(({ lever, target }) => target !== undefined || !leverOf(lever).target, { message: "choose what to pull it on", path: ["target"] });
export type LeverPull = z.infer<typeof LeverPull>;

const leverOf = (id: string): Lever => LEVERS.find((l) => l.id === id)!;

/** Pulls the lever through the lab client and says what the lab answered; a refusal is the client's LabError. */
export function pull(lab: LabClient, { lever, target }: LeverPull): Promise<string> {
  return leverOf(lever).pull(lab, target ?? "");
}
