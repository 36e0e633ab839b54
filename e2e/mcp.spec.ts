// The lab's MCP server driven by the MCP SDK's own client, as an agent would: over Streamable HTTP at the
// portal's /api/mcp with a lab token, and over stdio through npm run lab:mcp. It lists the tools and calls
// each; it is refused, with a clear error, a write on a read-only connection, the drills' hidden part during
// an exercise, and a drill outside the guardrails; every call is in the audit under the agent's persona and
// with the agent's name. No browser: the agent is this test.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { expect, test } from "@playwright/test";
import { ONCALL_TOOLS } from "../lib/mcp/oncall-tools.ts";
import { portEnv, wholeLabPorts } from "../test/support/lab-ports.ts";
import { HIDDEN, endRunningExercises } from "./exercise-runs.ts";
import { bearer, drillsUrl } from "./lab-tokens.ts";

const port = Number(process.env.E2E_PORT ?? 3100);

type Answer = { text: string; isError: boolean };

async function overHttp(role: "oncall" | "sre", name: string, writes = false): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  const url = new URL(`http://127.0.0.1:${port}/api/mcp${writes ? "?writes=on" : ""}`);
  await client.connect(new StreamableHTTPClientTransport(url, { requestInit: { headers: await bearer(role, `usr-${role}`) } }));
  return client;
}

async function overStdio(persona: "oncall" | "sre", name: string, writes = false): Promise<Client> {
  const client = new Client({ name, version: "1.0.0" });
  const env = { ...process.env, LAB_DATA_DIR: ".lab/e2e", ...portEnv(wholeLabPorts(port)) } as Record<string, string>;
  const args = ["scripts/lab-mcp.ts", "--persona", persona, ...(writes ? ["--writes"] : [])];
  await client.connect(new StdioClientTransport({ command: "node_modules/.bin/tsx", args, env, stderr: "inherit" }));
  return client;
}

async function call(client: Client, name: string, args: Record<string, unknown> = {}): Promise<Answer> {
  const result = (await client.callTool({ name, arguments: args })) as { content: { type: string; text?: string }[]; isError?: boolean };
  return { text: result.content.map((c) => c.text ?? "").join(""), isError: result.isError === true };
}

const json = <T>(a: Answer): T => {
  expect(a.isError, a.text).toBe(false);
  return JSON.parse(a.text) as T;
};

/** Every read tool with arguments that find something on a lab with traffic. */
async function callEveryReadTool(client: Client) {
  const slo = "patient-view-record-availability";
  const searchTraces = await call(client, "search_traces", { limit: 3 });
  const traceId = json<{ rows: [string][] }>(searchTraces).rows[0]?.[0];
  expect(traceId, "a trace through the gateway").toBeDefined();
  return {
    list_alerts: await call(client, "list_alerts", { all: true }),
    read_slo: await call(client, "read_slo", { name: slo }),
    query_sli: await call(client, "query_sli", { slo, minutes: 10 }),
    read_metrics: await call(client, "read_metrics", { process: "gateway", prefix: "http_server" }),
    search_traces: searchTraces,
    read_trace: await call(client, "read_trace", { traceId }),
    search_logs: await call(client, "search_logs", { process: "gateway", limit: 3 }),
    search_audit: await call(client, "search_audit", { limit: 3 }),
    read_topology: await call(client, "read_topology"),
    read_runbook: await call(client, "read_runbook", { name: "levers" }),
    list_levers: await call(client, "list_levers"),
    read_exercise: await call(client, "read_exercise"),
  };
}

test.afterEach(endRunningExercises);

test("an agent on call lists the tools and calls each over HTTP and stdio; read-only refuses a write; every call is audited under its name", async () => {
  test.setTimeout(120_000);
  for (const [transport, connect] of [
    ["http", () => overHttp("oncall", "e2e-agent-http")],
    ["stdio", () => overStdio("oncall", "e2e-agent-stdio")],
  ] as const) {
    const client = await connect();
    try {
      const { tools } = await client.listTools();
      expect(tools.map((t) => t.name).sort(), transport).toEqual(ONCALL_TOOLS.map((t) => t.name).sort());
      expect(tools.find((t) => t.name === "pull_lever")?.annotations?.readOnlyHint).toBe(false);
      const answers = await callEveryReadTool(client);
      for (const [tool, answer] of Object.entries(answers)) {
        // The last exercise, if one was played, else a clear "none yet"; everything else answers.
        if (tool === "read_exercise" && answer.isError) expect(answer.text).toMatch(/^not_found \(exercise\): no exercise has been played/);
        else expect(answer.isError, `${transport} ${tool}: ${answer.text}`).toBe(false);
      }
      expect(json<{ slos: { slo: string }[] }>(answers.list_alerts).slos.length).toBeGreaterThan(10);
      expect(answers.read_runbook.text).toContain("# ");
      const write = await call(client, "pull_lever", { lever: "roll-back-config", target: "clinical" });
      expect(write).toEqual({ isError: true, text: expect.stringMatching(/^forbidden: pull_lever changes the lab, and this connection is read-only: /) });

      const audit = json<{ rows: string[][] }>(
        await call(client, "search_audit", { action: "agent.tool-call", actorId: "usr-oncall", limit: 100, details: true }),
      );
      const mine = audit.rows.filter((r) => r[7]!.includes(`e2e-agent-${transport}/1.0.0`));
      const called = new Set(mine.map((r) => r[5]!.replace("AgentTool ", "")));
      for (const tool of [...Object.keys(answers), "pull_lever"]) expect(called, `${transport}: ${tool} audited`).toContain(tool);
      expect(mine.find((r) => r[5] === "AgentTool pull_lever")?.[6]).toBe("denied");
    } finally {
      await client.close();
    }
  }
});

test("during an exercise an agent on call sees no trace of its hidden part, is refused the drills, and plays through its levers", async () => {
  test.setTimeout(120_000);
  const instructor = await bearer("instructor");
  const started = await fetch(`${drillsUrl}/_lab/exercises/runs`, {
    method: "POST",
    headers: { ...instructor, "content-type": "application/json" },
    body: JSON.stringify({ exercise: "quick-records" }),
  });
  expect(started.status).toBe(201);
  const { id: runId } = (await started.json()) as { id: string };
  await expect
    .poll(
      async () =>
        ((await (await fetch(`${drillsUrl}/_lab/exercises/runs/${runId}`, { headers: instructor })).json()) as { faults: { launchedAt: string | null }[] })
          .faults[0]?.launchedAt,
      {
        timeout: 30_000,
      },
    )
    .not.toBeNull();

  const agent = await overHttp("oncall", "e2e-player", true);
  try {
    const answers = await callEveryReadTool(agent);
    for (const [tool, answer] of Object.entries(answers)) {
      expect(answer.isError, `${tool}: ${answer.text}`).toBe(false);
      for (const mark of HIDDEN) expect(answer.text, `${tool} shows ${mark}`).not.toMatch(mark);
    }
    expect(json<{ briefing: string; debrief: unknown }>(answers.read_exercise)).toMatchObject({
      briefing: expect.stringContaining("records do not open"),
      debrief: null,
    });
    const drills = await call(agent, "list_drills");
    expect(drills).toEqual({ isError: true, text: expect.stringMatching(/^forbidden: /) });

    expect(json<{ recorded: { type: string } }>(await call(agent, "acknowledge")).recorded.type).toBe("acknowledge");
    const diagnosis = await call(agent, "diagnose", { entity: { kind: "service", service: "clinical" }, faultClass: "errors", notes: "503s on record reads" });
    expect(json<{ recorded: { type: string } }>(diagnosis).recorded.type).toBe("diagnose");
    expect(json<{ done: string }>(await call(agent, "pull_lever", { lever: "roll-back-config", target: "clinical" })).done).toBe(
      "Rolled back clinical's configuration",
    );
    const run = (await (await fetch(`${drillsUrl}/_lab/exercises/runs/${runId}`, { headers: instructor })).json()) as { acts: { type: string; by: string }[] };
    expect(run.acts.map((a) => [a.type, a.by])).toEqual([
      ["acknowledge", "usr-oncall"],
      ["diagnose", "usr-oncall"],
    ]);
  } finally {
    await agent.close();
  }
});

test("an SRE agent with writes is refused a drill outside the guardrails, and told which", async () => {
  const agent = await overStdio("sre", "e2e-sre", true);
  try {
    const drills = json<{ guardrails: { maxDurationSeconds: number } }>(await call(agent, "list_drills"));
    const tooLong = drills.guardrails.maxDurationSeconds + 60;
    const launch = await call(agent, "launch_drill", { drill: "service-latency", params: { service: "clinical" }, durationSeconds: tooLong });
    expect(launch).toEqual({
      isError: true,
      text: expect.stringMatching(/^unprocessable \(durationSeconds\): service-latency runs at most \d+ s \(guardrail\)/),
    });
    const outside = await call(agent, "launch_drill", { drill: "service-latency", params: { service: "portal" }, durationSeconds: 60 });
    expect(outside.isError).toBe(true);
    expect(outside.text).toMatch(/params/);
  } finally {
    await agent.close();
  }
});
