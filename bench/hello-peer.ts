// The peer for bench:api and bench:simulator: a bare Fastify hello-world, so figures have a ceiling
// measured on the same machine in the same run. With a stall period (argv[3], ms) and length (argv[4], ms)
// it blocks its event loop that long that often, like a GC pause or a lock: the stall a closed-model load
// tool under-reports (coordinated omission) and an open-model one does not.
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => ({ hello: "world" }));
await app.listen({ host: "127.0.0.1", port: Number(process.argv[2] ?? 4990) });
const [every, stall] = [Number(process.argv[3] ?? 0), Number(process.argv[4] ?? 0)];
if (every > 0 && stall > 0) {
  setInterval(() => {
    const until = performance.now() + stall;
    while (performance.now() < until) {
      // stalled: nothing is accepted or answered
    }
  }, every);
}
