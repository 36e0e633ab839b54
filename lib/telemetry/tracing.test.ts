import { describe, expect, it } from "vitest";
import { contextFromTraceparent, labTracer, linksTo, startTracing } from "./tracing.ts";

describe("tracing's head sampling", () => {
  it("records a caller's sampled trace, and a batch span linked to one, even at ratio 0; nothing else", async () => {
    const tracing = startTracing("sampling-test", { sampleRatio: 0 });
    try {
      const tracer = labTracer();
      const root = tracer.startSpan("GET /patients");
      expect(root.isRecording()).toBe(false);
      const sampledParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
      const child = tracer.startSpan("GET /patients", {}, contextFromTraceparent(sampledParent));
      expect(child.isRecording()).toBe(true);
      expect(child.spanContext().traceId).toBe("0af7651916cd43dd8448eb211c80319c");
      const batch = tracer.startSpan("lab.events publish", {
        links: linksTo([null, "00-11111111111111111111111111111111-2222222222222222-00", sampledParent]),
      });
      expect(batch.isRecording()).toBe(true);
      const unsampledBatch = tracer.startSpan("lab.events publish", { links: linksTo(["00-11111111111111111111111111111111-2222222222222222-00"]) });
      expect(unsampledBatch.isRecording()).toBe(false);
      for (const s of [root, child, batch, unsampledBatch]) s.end();
    } finally {
      await tracing.shutdown();
    }
  });
});
