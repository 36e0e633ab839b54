// The portal's API in front of the lab's control processes, on the running lab: the simulator's traffic
// (started by the lab on its steady demo profile) and the drill engine's catalog and dry runs, with the
// caller's role checked by the process behind it.
import { expect, test } from "@playwright/test";
import { bearer } from "./lab-tokens.ts";

test("the portal's traffic API shows the lab's steady traffic, and lets an instructor switch profiles", async ({ request }) => {
  expect((await request.get("/api/traffic")).status()).toBe(401);
  expect((await request.get("/api/traffic", { headers: await bearer("patient") })).status()).toBe(403);
  await expect(async () => {
    const now = await (await request.get("/api/traffic", { headers: await bearer("sre") })).json();
    expect(now.running).toMatchObject({ profile: "steady-demo", state: "running" });
    expect(now.running.total.started).toBeGreaterThan(0);
  }).toPass({ timeout: 30_000 });

  const instructor = await bearer("instructor");
  const burst = await request.put("/api/traffic", { headers: instructor, data: { profile: "billing-burst", durationSeconds: 60 } });
  expect(burst.status()).toBe(200);
  expect((await burst.json()).run).toMatchObject({ profile: "billing-burst" });
  const back = await request.put("/api/traffic", { headers: instructor, data: { profile: "steady-demo" } });
  expect((await back.json()).run).toMatchObject({ profile: "steady-demo" });
});

test("the portal's drill API lists the catalog and a dry run's targets, and refuses unknown routes", async ({ request }) => {
  const sre = await bearer("sre");
  const catalog = await (await request.get("/api/drills/catalog", { headers: sre })).json();
  expect(catalog.drills.map((d: { key: string }) => d.key)).toEqual(
    expect.arrayContaining([
      "service-latency",
      "error-burst",
      "service-crash",
      "service-hang",
      "service-crash-loop",
      "shard-outage",
      "consumer-stall",
      "relay-pause",
      "bad-config-rollout",
      "traffic-spike",
    ]),
  );
  const dry = await request.post("/api/drills/dry-run", {
    headers: sre,
    data: { drill: "service-crash", params: { service: "billing" }, durationSeconds: 30 },
  });
  expect(dry.status()).toBe(200);
  expect((await dry.json()).targets[0]).toMatchObject({ process: "billing", pid: expect.any(Number) });
  expect(
    (
      await request.post("/api/drills/dry-run", {
        headers: await bearer("patient"),
        data: { drill: "service-crash", params: { service: "billing" }, durationSeconds: 30 },
      })
    ).status(),
  ).toBe(403);
  expect((await request.get("/api/drills/../../etc/passwd", { headers: sre })).status()).toBe(404);
  expect((await request.delete("/api/drills/runs", { headers: sre })).status()).toBe(405);
});
