// A CLI test's own world: a temporary directory with an empty content folder
// and a local D1 (persisted in it) with every migration applied.
import { mkdir, mkdtemp } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { applyMigrations, type D1Target } from "../../../tools/lib/wrangler";

export interface Workspace {
  /** Remove it when done. */
  tmp: string;
  content: string;
  target: D1Target;
}

export async function createWorkspace(prefix: string): Promise<Workspace> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), prefix));
  const content = path.join(tmp, "content");
  const target: D1Target = { remote: false, persistTo: path.join(tmp, "d1") };
  await applyMigrations(target);
  await mkdir(content);
  return { tmp, content, target };
}
