// The do-nothing agent: it connects, reads the page it was sent, and stops without an answer. The floor of
// the agents' benchmark: it detects and mitigates nothing, and on a healthy lab it is always right. The
// harness ends an exercise whose agent stopped without resolving it, so the floor costs no wall time.
import { connectToLab } from "./lab-connection.ts";

const lab = await connectToLab({ name: "do-nothing-agent", version: "1.0.0" });
await lab.call("read_exercise");
await lab.close();
