import { describe, expect, it } from "vitest";
import { loadConfig } from "../config/index.ts";
import { LabError } from "../errors/index.ts";
import { checkProcessTable, labProcesses, labService, processNamed } from "./lab-processes.ts";

describe("the lab's process table", () => {
  const config = loadConfig({ CLINICAL_PORT: "5101", GATEWAY_PORT: "5000", PORTAL_PORT: "5300" }, "/repo");
  const table = labProcesses(config, "/repo");

  it("starts every service as node with tsx as its loader, and the portal with next start, on the configured ports", () => {
    expect(table.map((p) => p.name)).toEqual(["clinical", "billing", "projector", "gateway", "simulator", "drill-engine", "portal"]);
    const clinical = processNamed(table, "clinical");
    expect(clinical).toMatchObject({
      command: process.execPath,
      args: ["--import", "tsx", "/repo/backend-services/clinical/main.ts"],
      port: 5101,
      readyUrl: "http://127.0.0.1:5101/readyz",
      faultSwitch: "requests",
    });
    expect(processNamed(table, "gateway")).toMatchObject({ port: 5000, faultSwitch: "requests" });
    expect(processNamed(table, "projector")).toMatchObject({ faultSwitch: "events" });
    expect(processNamed(table, "portal")).toMatchObject({
      command: "/repo/node_modules/.bin/next",
      args: ["start", "-p", "5300", "-H", "127.0.0.1"],
      readyUrl: "http://127.0.0.1:5300/api/health",
      env: { NEXT_TELEMETRY_DISABLED: "1", NEXTAUTH_URL: "http://127.0.0.1:5300" },
    });
  });

  it("takes a new process appended to it", () => {
    const more = [...table, labService("/repo", "replayer", 4200, { readyPath: "/healthz" })];
    expect(() => checkProcessTable(more, config.supervisorPort)).not.toThrow();
    expect(processNamed(more, "replayer").readyUrl).toBe("http://127.0.0.1:4200/healthz");
  });

  it("refuses two processes on one port, or one on the supervisor's, or a name used twice", () => {
    expect(() => checkProcessTable(table, config.supervisorPort)).not.toThrow();
    expect(() => checkProcessTable([...table, labService("/repo", "replayer", 5000)], 4900)).toThrow(/replayer and gateway both use port 5000/);
    expect(() => checkProcessTable(table, 5101)).toThrow(/clinical and the supervisor both use port 5101/);
    expect(() => checkProcessTable([...table, labService("/repo", "clinical", 4999)], 4900)).toThrow(/two lab processes are named clinical/);
  });

  it("answers an unknown name with a 404 naming the field and the processes there are", () => {
    const err = (() => {
      try {
        processNamed(table, "kafka");
      } catch (e) {
        return e;
      }
    })() as LabError;
    expect(err).toBeInstanceOf(LabError);
    expect([err.status, err.field]).toEqual([404, "name"]);
    expect(err.message).toMatch(/clinical, billing, projector, gateway, simulator, drill-engine, portal/);
  });
});
