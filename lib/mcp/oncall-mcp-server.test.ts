import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { LabError } from "../errors/index.ts";
import { CallBudget } from "./call-budget.ts";
import { createOnCallMcpServer } from "./oncall-mcp-server.ts";
import type { OnCallTool, ToolContext } from "./oncall-tools.ts";
import type { ToolCallRecord } from "./tool-call-audit.ts";

// The server's own rules, on tools of the test's: the tools' reach into the lab is the e2e test's (e2e/mcp.spec.ts).
const TOOLS: OnCallTool[] = [
  { name: "echo", title: "Echo", description: "says it back", input: { word: z.string() }, writes: false, run: async ({ word }) => ({ word }) },
  { name: "nudge", title: "Nudge", description: "changes something", input: {}, writes: true, run: async () => "nudged" },
  {
    name: "refused",
    title: "Refused",
    description: "the lab says no",
    input: {},
    writes: false,
    run: async () => {
      throw new LabError("forbidden", "the on-call role may not read the drills", { field: "drills" });
    },
  },
];

const context = {
  actor: { userId: "usr-oncall", role: "oncall", facilityId: null, patientId: null },
  runbooks: () => new Map([["levers", "# Levers\n"]]),
} as unknown as ToolContext;

async function connect(options: { writes: boolean; budget?: CallBudget; record?: (c: ToolCallRecord) => Promise<void>; maxCalls?: number }) {
  const recorded: ToolCallRecord[] = [];
  const server = createOnCallMcpServer({
    context,
    writes: options.writes,
    transport: "stdio",
    budget: options.budget ?? new CallBudget({ perMinute: 600, burst: 100 }),
    record: options.record ?? (async (c) => void recorded.push(c)),
    howToEnableWrites: "start it with --writes",
    tools: TOOLS,
    maxCalls: options.maxCalls,
  });
  const [a, b] = InMemoryTransport.createLinkedPair();
  await server.connect(a);
  const client = new Client({ name: "test-agent", version: "2.1.0" });
  await client.connect(b);
  const call = async (name: string, args: Record<string, unknown> = {}) => {
    const r = (await client.callTool({ name, arguments: args })) as { content: { text: string }[]; isError?: boolean };
    return { text: r.content[0]!.text, isError: r.isError === true };
  };
  return { client, call, recorded };
}

describe("the on-call MCP server", () => {
  it("answers a tool as compact JSON and records the call with the agent's name, the persona and no argument values", async () => {
    const { call, recorded } = await connect({ writes: false });
    expect(await call("echo", { word: "hello" })).toEqual({ text: '{"word":"hello"}', isError: false });
    expect(recorded).toEqual([
      expect.objectContaining({
        agent: "test-agent/2.1.0",
        tool: "echo",
        actor: context.actor,
        transport: "stdio",
        writes: false,
        outcome: "success",
        error: null,
        arguments: ["word"],
      }),
    ]);
  });

  it("refuses a write on a read-only connection, saying how to open one that may, and records the refusal", async () => {
    const { call, recorded } = await connect({ writes: false });
    expect(await call("nudge")).toEqual({ isError: true, text: "forbidden: nudge changes the lab, and this connection is read-only: start it with --writes" });
    expect(recorded.map((r) => [r.tool, r.outcome])).toEqual([["nudge", "denied"]]);
    const writer = await connect({ writes: true });
    expect(await writer.call("nudge")).toEqual({ isError: false, text: "nudged" });
  });

  it("passes the lab's refusal on with its code and field, and counts it denied", async () => {
    const { call, recorded } = await connect({ writes: false });
    expect(await call("refused")).toEqual({ isError: true, text: "forbidden (drills): the on-call role may not read the drills" });
    expect(recorded[0]).toMatchObject({ outcome: "denied", error: "forbidden (drills): the on-call role may not read the drills" });
  });

  it("refuses an agent over its call budget with the wait, or past its connection's step budget, and answers nothing it could not record", async () => {
    const budget = new CallBudget({ perMinute: 60, burst: 1, now: () => 0 });
    const limited = await connect({ writes: false, budget });
    expect((await limited.call("echo", { word: "a" })).isError).toBe(false);
    expect(await limited.call("echo", { word: "b" })).toEqual({ isError: true, text: "rate_limited: too many calls: try again in 1 s" });
    const stepped = await connect({ writes: false, maxCalls: 1 });
    expect((await stepped.call("echo", { word: "a" })).isError).toBe(false);
    expect(await stepped.call("echo", { word: "b" })).toEqual({ isError: true, text: "rate_limited: this connection's budget of 1 calls is spent" });
    const unrecorded = await connect({
      writes: false,
      record: async () => {
        throw new Error("the control database is locked");
      },
    });
    expect(await unrecorded.call("echo", { word: "c" })).toEqual({
      isError: true,
      text: "failed: the call could not be recorded in the audit (the control database is locked)",
    });
  });

  it("lists the tools with read-only hints and serves the runbooks as resources", async () => {
    const { client } = await connect({ writes: false });
    const { tools } = await client.listTools();
    expect(tools.map((t) => [t.name, t.annotations?.readOnlyHint])).toEqual([
      ["echo", true],
      ["nudge", false],
      ["refused", true],
    ]);
    const { resources } = await client.listResources();
    expect(resources.map((r) => r.uri)).toContain("runbook://levers");
    const levers = await client.readResource({ uri: "runbook://levers" });
    expect(levers.contents[0]).toMatchObject({ mimeType: "text/markdown", text: "# Levers\n" });
  });
});
