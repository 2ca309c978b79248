// Records of files in the content folder by content hash: the sample content
// the blog ships with (content/.sample-content.json) and what the WordPress
// import wrote (content/.wordpress-import.json). A file whose hash is the one
// recorded is as it was written; any other is someone's work and is kept.
// Both records are JSON beside the Markdown and excluded from the deployed
// assets by content/.assetsignore.
import { createHash } from "node:crypto";
import { readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { isRecord } from "./wrangler";

/** content-relative path (forward slashes) → SHA-256 hex of the file as written. */
export type FileHashes = Map<string, string>;

/**
 * SHA-256 hex of a file's bytes, line endings counted as "\n" so that a
 * checkout that turned them into "\r\n" (git on Windows) is not an edit.
 */
export function hashFileBytes(bytes: Uint8Array | string): string {
  const buffer = typeof bytes === "string" ? Buffer.from(bytes, "utf8") : Buffer.from(bytes);
  return createHash("sha256")
    .update(buffer.includes(0x0d) ? withoutCarriageReturns(buffer) : buffer)
    .digest("hex");
}

function withoutCarriageReturns(buffer: Buffer): Buffer {
  const out = Buffer.alloc(buffer.length);
  let length = 0;
  for (let i = 0; i < buffer.length; i++) {
    const byte = buffer[i] ?? 0;
    if (byte !== 0x0d || buffer[i + 1] !== 0x0a) out[length++] = byte;
  }
  return out.subarray(0, length);
}

/** The hash of the file now; null when there is no such file. */
export async function hashContentFile(contentDir: string, file: string): Promise<string | null> {
  const bytes = await readFile(path.join(contentDir, ...file.split("/"))).catch(() => null);
  return bytes === null ? null : hashFileBytes(bytes);
}

/** Reads a record's `files` (path → hash); an absent file is an empty record, a broken one an error naming it. */
export async function readFileRecord(contentDir: string, name: string): Promise<FileHashes> {
  const file = path.join(contentDir, name);
  const text = await readFile(file, "utf8").catch((error: NodeJS.ErrnoException) => {
    if (error.code === "ENOENT") return null;
    throw error;
  });
  if (text === null) return new Map();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new Error(`${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}); fix or delete it`);
  }
  const files = isRecord(json) ? json.files : undefined;
  if (!isRecord(files)) throw new Error(`${file}: "files" must be an object of path → SHA-256 hash; fix or delete it`);
  const hashes: FileHashes = new Map();
  for (const key of Object.keys(files)) {
    const hash = files[key];
    if (typeof hash !== "string" || !/^[0-9a-f]{64}$/.test(hash)) throw new Error(`${file}: "${key}" must map to a SHA-256 hex hash`);
    hashes.set(key, hash);
  }
  return hashes;
}

/** Writes the record (sorted, so it diffs well in git); an empty one removes the file. */
export async function writeFileRecord(contentDir: string, name: string, about: string, hashes: FileHashes): Promise<void> {
  const file = path.join(contentDir, name);
  if (hashes.size === 0) {
    await rm(file, { force: true });
    return;
  }
  const files = Object.fromEntries([...hashes].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  await writeFile(file, `${JSON.stringify({ about, files }, null, 2)}\n`);
}
