// Which queue messages the fault-injecting Worker (bench/fixtures/
// fault-injecting-worker.ts) fails on their first attempt: a deterministic
// hash of the comment id, so the load script can recompute the same set from
// the ids the endpoint returned. Shared by the fixture (in workerd) and the
// load script (in Node); plain code, no runtime APIs.

/** 32-bit FNV-1a over the UTF-16 code units of `text`, then MurmurHash3's finalizer so the high bits are evenly spread. */
function hash32(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Whether the message with this key is failed on its first attempt, at `rate` (0 to 1). */
export function failsFirstAttempt(key: string, rate: number): boolean {
  return hash32(key) / 2 ** 32 < rate;
}

/** The key a message is hashed by: the comment id in its body, else the queue message id. */
export function faultKey(message: { id: string; body: unknown }): string {
  const body = message.body;
  if (typeof body === "object" && body !== null && typeof (body as { id?: unknown }).id === "string") return (body as { id: string }).id;
  return message.id;
}

/** Prefix of the log line the fixture writes for each message it fails. */
export const FAULT_LOG_PREFIX = "fault-injector: failed first attempt of";
