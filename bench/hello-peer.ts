// The peer for bench:api: a bare Fastify hello-world, so gateway figures have a ceiling measured on the
// same machine in the same run.
import Fastify from "fastify";

const app = Fastify({ logger: false });
app.get("/", async () => ({ hello: "world" }));
await app.listen({ host: "127.0.0.1", port: Number(process.argv[2] ?? 4990) });
