// How a baseline agent reaches the lab: it starts the lab's MCP server the benchmark gives it
// (LAB_MCP_COMMAND, a JSON array: the command and its arguments, run with this process's environment,
// which says which lab) and talks to it with the MCP SDK's client, as any agent would.
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StdioClientTransport } from "@modelcontextprotocol/sdk/client/stdio.js";

export interface LabConnection {
  /** A tool's answer parsed (the lab's answers are JSON or Markdown); a refusal or failure is thrown as its text. */
  call<T = unknown>(tool: string, args?: Record<string, unknown>): Promise<T>;
  close(): Promise<void>;
}

export class ToolRefusal extends Error {}

export async function connectToLab(agent: { name: string; version: string }): Promise<LabConnection> {
  const raw = process.env.LAB_MCP_COMMAND;
  if (!raw) throw new Error("LAB_MCP_COMMAND is not set: npm run bench:agents starts an agent with it");
  const [command, ...args] = JSON.parse(raw) as string[];
  const client = new Client(agent);
  await client.connect(new StdioClientTransport({ command: command!, args, env: process.env as Record<string, string>, stderr: "inherit" }));
  return {
    async call<T>(tool: string, input: Record<string, unknown> = {}): Promise<T> {
      for (let attempt = 1; ; attempt++) {
        const result = (await client.callTool({ name: tool, arguments: input })) as { content: { text?: string }[]; isError?: boolean };
        const text = result.content.map((c) => c.text ?? "").join("");
        if (!result.isError) return parsed<T>(text);
        // Over the lab's call budget: wait as long as it says, as a well-behaved client does, a few times.
        const retry = /^rate_limited: .*try again in (\d+) s/.exec(text);
        if (!retry || attempt >= 5) throw new ToolRefusal(`${tool}: ${text}`);
        await sleep(Number(retry[1]) * 1000);
      }
    },
    close: () => client.close(),
  };
}

function parsed<T>(text: string): T {
  try {
    return JSON.parse(text) as T;
  } catch {
    return text as T;
  }
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
