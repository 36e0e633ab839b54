import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parseAllDocuments } from "yaml";
import { CHAOS_MESH_DIR, chaosMeshFiles } from "./chaos-mesh.ts";
import { DRILLS } from "./drill-catalog.ts";

const root = join(import.meta.dirname, "..", "..");

describe("the drill catalog as Chaos Mesh experiments", () => {
  const files = chaosMeshFiles();

  it("has a manifest for every drill, and deploy/chaos-mesh is current (npm run drills:generate)", () => {
    expect([...files.keys()].sort()).toEqual(DRILLS.map((d) => `${d.key}.yaml`).sort());
    for (const [file, text] of files) expect(readFileSync(join(root, CHAOS_MESH_DIR, file), "utf8"), file).toBe(text);
  });

  it("writes experiments Chaos Mesh accepts the shape of: labelled with their drill, bounded in time, aimed at the lab's pods", () => {
    const kinds = new Set<string>();
    for (const [file, text] of files) {
      for (const doc of parseAllDocuments(text)
        .map((d) => d.toJS())
        .filter(Boolean)) {
        kinds.add(doc.kind);
        expect(doc.apiVersion, file).toBe("chaos-mesh.org/v1alpha1");
        expect(doc.metadata.labels["pim-lab/drill"], file).toBe(file.replace(".yaml", ""));
        // A workflow (a crash loop's scheduled kills) is bounded by its template's deadline.
        const workflow = doc.kind === "Workflow" ? doc.spec.templates[0] : null;
        expect((workflow ? workflow.schedule.podChaos : doc.spec).selector.namespaces, file).toEqual(["pim-sre-lab"]);
        // A pod kill is instantaneous; every other experiment ends by itself.
        if (workflow) expect(workflow.deadline, file).toMatch(/^\d+s$/);
        else if (doc.spec.action !== "pod-kill") expect(doc.spec.duration, file).toMatch(/^\d+s$/);
      }
    }
    expect([...kinds].sort()).toEqual(["HTTPChaos", "NetworkChaos", "PodChaos", "Workflow"]);
  });

  it("maps an error burst to an HTTP status replacement on the service's port and a hang to a pod failure", () => {
    const burst = parseAllDocuments(files.get("error-burst.yaml")!)[0]!.toJS();
    expect(burst.spec).toMatchObject({ port: 4101, target: "Request", replace: { code: 503 }, mode: "fixed-percent", value: "50" });
    const hang = parseAllDocuments(files.get("service-hang.yaml")!)[0]!.toJS();
    expect(hang.spec).toMatchObject({ action: "pod-failure", selector: { labelSelectors: { "app.kubernetes.io/name": "clinical" } } });
  });
});
