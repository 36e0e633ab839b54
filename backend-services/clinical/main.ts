// The clinical service process (:4101): npm run lab starts it; `tsx backend-services/clinical/main.ts` alone works too.
import { runShardService } from "../common/shard-service.ts";
import { buildClinicalServer } from "./server.ts";

await runShardService("clinical", buildClinicalServer);
