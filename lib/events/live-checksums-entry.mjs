// The live checksums' worker thread entry: registers tsx in this thread (a worker does not inherit the main
// thread's loader), then loads the TypeScript module that does the work.
import { register } from "tsx/esm/api";

register();
await import("./live-checksums-thread.ts");
