import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { Mitigation } from "../exercises/exercise-catalog.ts";
import type { LabClient } from "../lab-client/lab-client.ts";
import { outlineOf } from "../runbooks/runbook-outline.ts";
import { DEAD_LETTERS_OFFERED, LEVERS, type LeverContext, LeverPull, leverForms, pull } from "./oncall-levers.ts";

const root = join(import.meta.dirname, "..", "..");
const letter = (n: number) => ({
  eventId: `evt-${n}`,
  type: "encounter.opened",
  partitionKey: "pat-1",
  kind: "poison" as const,
  error: "bad payload",
  attempts: 1,
  failedAt: `2026-12-03T10:00:${String(n % 60).padStart(2, "0")}.000Z`,
  status: "dead" as const,
});
const lab: LeverContext = { shardCount: 4, deadLetters: { ok: true, value: [letter(1), letter(2)] } };

/** A lab client that records each call and answers as the lab would, by endpoint. */
function recordingLab(answers: Record<string, unknown>) {
  const calls: { endpoint: string; input: unknown }[] = [];
  const client = new Proxy(
    {},
    {
      get: (_, endpoint: string) => async (input?: unknown) => {
        calls.push({ endpoint, input });
        if (!(endpoint in answers)) throw new Error(`no answer for ${endpoint}`);
        return answers[endpoint];
      },
    },
  ) as LabClient;
  return { client, calls };
}

describe("the on-call levers", () => {
  it("are only levers: each endpoint is declared with a lever's action, never one that sees or sets the lab's controls", () => {
    for (const l of LEVERS) expect(["process.restart", "config.rollback", "traffic.shed", "events.redrive"], l.id).toContain(l.action);
  });

  it("link each to its heading in docs/runbooks/levers.md", () => {
    const slugs = outlineOf(readFileSync(join(root, "docs", "runbooks", "levers.md"), "utf8")).headings.map((h) => h.slug);
    for (const l of LEVERS) {
      const [path, anchor] = l.runbookHref.split("#");
      expect(path).toBe("/runbooks/levers");
      expect(slugs, l.id).toContain(anchor);
    }
  });

  it("offer every mitigation the exercise catalog accepts, on the targets the catalog names", () => {
    const ids = LEVERS.map((l) => l.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const option of Mitigation.options) if (option.shape.action.value !== "none") expect(ids).toContain(option.shape.action.value);
    const forms = leverForms("oncall", lab);
    const targets = (id: string) => forms.find((f) => f.id === id)?.target?.options.map((o) => o.value);
    const catalog = (action: string, field: string) => (Mitigation.options.find((o) => o.shape.action.value === action)!.shape as any)[field].options;
    expect(targets("restart-process")).toEqual(catalog("restart-process", "process"));
    expect(targets("resume-process")).toEqual(catalog("resume-process", "process"));
    expect(targets("roll-back-config")).toEqual(catalog("roll-back-config", "service"));
    expect(targets("end-blocking-session")).toEqual(["0", "1", "2", "3"]);
    expect(targets("redrive-dead-letters")).toEqual(["evt-1", "evt-2"]);
  });

  it("show a role the levers it may pull, and nothing for a role with none", () => {
    const ids = (role: Parameters<typeof leverForms>[0]) => leverForms(role, lab).map((f) => f.id);
    expect(ids("oncall")).toEqual(LEVERS.map((l) => l.id));
    expect(ids("sre")).toEqual(LEVERS.map((l) => l.id));
    // The policy gives instructors no redrive.
    expect(ids("instructor")).toEqual(LEVERS.map((l) => l.id).filter((id) => id !== "redrive-dead-letters"));
    expect(ids("clinician")).toEqual([]);
    expect(ids("patient")).toEqual([]);
  });

  it("say the lever and its target on every button, no two alike", () => {
    const forms = leverForms("oncall", lab);
    const options = forms.flatMap((f) => f.target?.options ?? []);
    // The button names the target as the select does, or by its id (a dead letter's).
    for (const o of options) expect(o.button.includes(o.value) || o.button.includes(o.label), o.button).toBe(true);
    const buttons = [...options.map((o) => o.button), ...forms.filter((f) => !f.target).map((f) => f.button)];
    expect(new Set(buttons).size).toBe(buttons.length);
    expect(buttons).toEqual(
      expect.arrayContaining([
        "Restart clinical",
        "Resume billing",
        "Roll back clinical's configuration",
        "End the session blocking shard 3",
        "Resume the event pipeline",
        "Redrive dead letter evt-2",
        "Stop the persona traffic",
        "Shed patients' requests beyond 10 in flight",
        "Shed every request beyond 20 in flight",
      ]),
    );
    // Before a choice, the button says the first one: the one the select shows.
    for (const f of forms) if (f.target) expect(f.button, f.id).toBe(f.target.options[0]!.button);
  });

  it("offer the oldest dead letters, and say why there is none to redrive", () => {
    const many = { ...lab, deadLetters: { ok: true as const, value: Array.from({ length: 80 }, (_, i) => letter(i)) } };
    const redrive = (c: LeverContext) => leverForms("oncall", c).find((f) => f.id === "redrive-dead-letters")!;
    expect(redrive(many).target!.options).toHaveLength(DEAD_LETTERS_OFFERED);
    expect(redrive(many).target!.options[0]).toMatchObject({ value: "evt-0", label: "encounter.opened evt-0 (failed 10:00:00 UTC)" });
    expect(redrive(lab).idle).toBeNull();
    expect(redrive({ ...lab, deadLetters: { ok: true, value: [] } })).toMatchObject({ idle: "No dead letter waits for a redrive.", target: { options: [] } });
    expect(redrive({ ...lab, deadLetters: { ok: false, error: "the projector is not running" } }).idle).toBe(
      "The dead letters cannot be read: the projector is not running",
    );
  });

  it("pull each lever through its endpoint, with the target where the route takes it, and say what the lab answered", async () => {
    const process = { name: "clinical", pid: 1234, state: "starting" };
    const { client, calls } = recordingLab({
      restartProcess: { process },
      resumeProcess: { process, resumed: false },
      clearFaults: { service: "clinical", rules: [], lease: null },
      endBlockingSession: { shard: 2, ended: true },
      redrive: { ...letter(1), status: "redriven" },
      stopTraffic: { run: null },
      shedLoad: { maxInFlight: 10, personas: ["patient"], until: "2026-12-07T10:15:00.000Z", setBy: "usr-oncall", inFlight: 0, shed: 0, admitted: 0 },
      stopShedding: { maxInFlight: null, personas: null, until: null, setBy: null, inFlight: 3, shed: 412, admitted: 1200 },
    });
    const outcomes = [
      await pull(client, { lever: "restart-process", target: "clinical" }),
      await pull(client, { lever: "resume-process", target: "clinical" }),
      await pull(client, { lever: "roll-back-config", target: "billing" }),
      await pull(client, { lever: "end-blocking-session", target: "2" }),
      await pull(client, { lever: "resume-event-pipeline" }),
      await pull(client, { lever: "redrive-dead-letters", target: "evt-1" }),
      await pull(client, { lever: "shed-traffic", target: "patient:10" }),
      await pull(client, { lever: "stop-shedding" }),
      await pull(client, { lever: "stop-traffic" }),
    ];
    expect(outcomes).toEqual([
      "Restarted clinical (pid 1234)",
      "clinical was not frozen: nothing to resume",
      "Rolled back billing's configuration",
      "Ended the session holding shard 2's write lock",
      "Resumed the event pipeline: its runtime settings are removed",
      "Redrove encounter.opened evt-1: applied",
      "Shedding patients' requests beyond 10 in flight until 10:15:00 UTC",
      "Stopped shedding load (412 requests were shed)",
      "No persona traffic was running: nothing to stop",
    ]);
    expect(calls).toEqual([
      { endpoint: "restartProcess", input: { params: { name: "clinical" } } },
      { endpoint: "resumeProcess", input: { params: { name: "clinical" } } },
      { endpoint: "clearFaults", input: { params: { service: "billing" } } },
      { endpoint: "endBlockingSession", input: { params: { shard: "2" } } },
      { endpoint: "clearFaults", input: { params: { service: "projector" } } },
      { endpoint: "redrive", input: { params: { eventId: "evt-1" } } },
      { endpoint: "shedLoad", input: { body: { maxInFlight: 10, durationSeconds: 900, personas: ["patient"] } } },
      { endpoint: "stopShedding", input: undefined },
      { endpoint: "stopTraffic", input: undefined },
    ]);
  });

  it("read a posted form: a known lever, and a target when the lever has one", () => {
    expect(LeverPull.parse({ lever: "restart-process", target: " billing " })).toEqual({ lever: "restart-process", target: "billing" });
    expect(LeverPull.parse({ lever: "stop-traffic" })).toEqual({ lever: "stop-traffic" });
    const missing = LeverPull.safeParse({ lever: "roll-back-config" });
    expect(missing.error?.issues.map((i) => [i.path.join("."), i.message])).toEqual([["target", "choose what to pull it on"]]);
    expect(LeverPull.safeParse({ lever: "launch-drill", target: "error-burst" }).error?.issues[0]?.path).toEqual(["lever"]);
  });
});
