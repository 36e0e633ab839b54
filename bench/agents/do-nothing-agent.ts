// The do-nothing agent: it connects, reads the page it was sent, and never acts. The floor of the agents'
// benchmark: it detects and mitigates nothing, and on a healthy lab it is always right.
import { connectToLab, sleep } from "./lab-connection.ts";

const lab = await connectToLab({ name: "do-nothing-agent", version: "1.0.0" });
await lab.call("read_exercise");
// It waits for the benchmark to end the exercise (it stops the agent then).
for (;;) await sleep(60_000);
