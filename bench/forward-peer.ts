// The second peer for bench:api: a bare Fastify that forwards every request to the hello-world with undici,
// as the gateway does, but with nothing else (no token, limits, headers or database). It measures what two
// Node hops cost on this machine, the floor under any gateway-plus-service design.
import Fastify from "fastify";
import { Pool } from "undici";

const [port, upstream] = [Number(process.argv[2] ?? 4991), process.argv[3] ?? "http://127.0.0.1:4990"];
const pool = new Pool(upstream, { connections: 64 });
const app = Fastify({ logger: false });
app.get("/*", async (request, reply) => {
  const res = await pool.request({ method: "GET", path: request.url });
  const body = Buffer.from(await res.body.arrayBuffer());
  return reply.status(res.statusCode).header("content-type", String(res.headers["content-type"])).send(body);
});
await app.listen({ host: "127.0.0.1", port });
