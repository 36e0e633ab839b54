// npm run drills:generate: writes the drill catalog as Chaos Mesh experiments into deploy/chaos-mesh/ for
// cluster mode (and removes those of drills that are gone). With --check it changes nothing and exits 1
// when a file is missing, stale or left over.
import { join } from "node:path";
import { CHAOS_MESH_DIR, chaosMeshFiles } from "../lib/drills/chaos-mesh.ts";
import { syncGeneratedFiles } from "./generated-files.ts";

const root = join(import.meta.dirname, "..");
const check = process.argv.includes("--check");
const wanted = chaosMeshFiles();
const r = syncGeneratedFiles({ dir: join(root, CHAOS_MESH_DIR), label: CHAOS_MESH_DIR, subdirs: [""], wanted, regenerate: "npm run drills:generate" }, check);
console.log(
  check ? `${CHAOS_MESH_DIR}: ${wanted.size} files, current` : `${CHAOS_MESH_DIR}: ${r.written} written, ${r.removed} removed, ${r.unchanged} unchanged`,
);
