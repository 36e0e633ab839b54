// npm run routes:doc: writes docs/permissions.md, who may call each route and page of the lab, from the
// declarations and the policy (a test keeps it current).
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { permissionMatrix, permissionMatrixMarkdown } from "../lib/contracts/permission-matrix.ts";

writeFileSync(join(import.meta.dirname, "..", "docs", "permissions.md"), permissionMatrixMarkdown());
console.log(`routes:doc wrote docs/permissions.md: ${permissionMatrix().length} routes and pages`);
