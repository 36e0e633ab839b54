// The billing service process (:4102): npm run lab starts it; `tsx backend-services/billing/main.ts` alone works too.
import { runShardService } from "../common/shard-service.ts";
import { buildBillingServer } from "./server.ts";

await runShardService("billing", buildBillingServer);
