// Pruning checkpoints are signed with a key derived from the lab secret, so a checkpoint cannot be forged
// to hide a rewritten chain without the secret.
import { createHmac, timingSafeEqual } from "node:crypto";

export function signCheckpoint(secret: string, shard: number, sequence: bigint, hash: string, pruned: number): string {
  const key = createHmac("sha256", secret).update("pim-sre-lab/audit-checkpoint/v1").digest();
  return createHmac("sha256", key).update(`${shard}:${sequence}:${hash}:${pruned}`).digest("hex");
}

export function checkpointSignatureValid(secret: string, shard: number, sequence: bigint, hash: string, pruned: number, signature: string): boolean {
  const expected = Buffer.from(signCheckpoint(secret, shard, sequence, hash, pruned), "hex");
  const given = Buffer.from(signature, "hex");
  return given.length === expected.length && timingSafeEqual(given, expected);
}
