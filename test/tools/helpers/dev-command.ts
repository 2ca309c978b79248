// `npm run dev` as an editor runs it (tools/dev.ts through tsx), on a free port,
// with its own content folder and local D1 in a temporary directory; and the
// ways editors save a file. Shared by the dev-loop test and bench/dev-loop.ts.
import { randomBytes } from "node:crypto";
import { mkdir, mkdtemp, rename, rm, unlink, writeFile } from "node:fs/promises";
import { createRequire } from "node:module";
import os from "node:os";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { freePort } from "../../browser/support/dev-server";
import { childEnv, type StartedProcess, startNode } from "../../browser/support/processes";

const require = createRequire(import.meta.url);
const TSX_CLI = path.join(path.dirname(require.resolve("tsx/package.json")), "dist", "cli.mjs");

export interface DevCommand {
  origin: string;
  content: string;
  process: StartedProcess;
  /** Everything the command printed lately. */
  output: () => string;
  stop: () => Promise<void>;
}

/** A minimal valid article. */
export function articleText(title: string, body: string, extra = ""): string {
  return `---\ntitle: ${title}\n${extra}date: 2020-01-01\n---\n\n${body}\n`;
}

/** Starts tools/dev.ts on the files given (content-relative path → text) and waits until `readyPath` answers 200. */
export async function startDevCommand(files: Record<string, string>, readyPath: string, env: Record<string, string> = {}): Promise<DevCommand> {
  const tmp = await mkdtemp(path.join(os.tmpdir(), "dev-command-"));
  const content = path.join(tmp, "content");
  await mkdir(content);
  for (const [file, text] of Object.entries(files)) {
    await mkdir(path.dirname(path.join(content, file)), { recursive: true });
    await writeFile(path.join(content, file), text);
  }
  const [port, inspectorPort] = [await freePort(), await freePort()];
  const origin = `http://127.0.0.1:${port}`;
  const args = ["--persist-to", path.join(tmp, "d1"), "--content", content, "--ip", "127.0.0.1", "--inspector-port", String(inspectorPort)];
  const started = startNode([TSX_CLI, "tools/dev.ts", ...args, "--show-interactive-dev-session=false"], { ...childEnv(tmp), PORT: String(port), ...env });
  const dev: DevCommand = {
    origin,
    content,
    process: started,
    output: () => started.output.toString(),
    stop: async () => {
      await started.stop();
      await rm(tmp, { recursive: true, force: true });
    },
  };
  try {
    await until("the first page", 150_000, async () => ((await fetch(`${origin}${readyPath}`)).status === 200 ? true : null), dev);
  } catch (error) {
    await dev.stop();
    throw error;
  }
  return dev;
}

/** Polls `probe` every 50 ms until it returns something other than null; throws with the command's output after `timeoutMs`. */
export async function until<T>(what: string, timeoutMs: number, probe: () => Promise<T | null>, dev?: DevCommand): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (dev?.process.hasExited()) throw new Error(`npm run dev exited:\n${dev.process.output}`);
    const value = await probe().catch(() => null);
    if (value !== null) return value;
    await delay(50);
  }
  throw new Error(`${what} did not happen within ${timeoutMs} ms:\n${dev?.process.output ?? ""}`);
}

/** Collects what an event stream sends until it is stopped. */
export function listenToEvents(url: string): { text: () => string; stop: () => void } {
  const controller = new AbortController();
  let text = "";
  void fetch(url, { signal: controller.signal })
    .then(async (res) => {
      const decoder = new TextDecoder();
      for await (const chunk of res.body ?? []) text += decoder.decode(chunk, { stream: true });
    })
    .catch(() => {});
  return { text: () => text, stop: () => controller.abort() };
}

export interface SaveWay {
  name: string;
  /** Who saves this way. */
  editors: string;
  /** Each save is a new file in a new folder, not another save of the same file. */
  newFile?: true;
  /** Saves `text` as `file` (which may not exist yet). */
  save: (file: string, text: string) => Promise<void>;
}

/** How editors put a file on disk: each must reach the blog. */
export const SAVE_WAYS: SaveWay[] = [
  {
    name: "rename over",
    editors: "vim, JetBrains, sed -i",
    save: async (file, text) => {
      // A temporary file beside the article, then rename(2) over it: a new inode each save.
      const tmp = path.join(path.dirname(file), `sed${randomBytes(3).toString("hex")}`);
      await writeFile(tmp, text);
      await rename(tmp, file);
    },
  },
  { name: "write in place", editors: "VS Code, nano", save: (file, text) => writeFile(file, text) },
  {
    name: "delete and recreate",
    editors: "some sync tools and scripts",
    save: async (file, text) => {
      await unlink(file).catch(() => undefined);
      await writeFile(file, text);
    },
  },
  {
    name: "new file in a new folder",
    editors: "mkdir -p, a file manager",
    newFile: true,
    save: async (file, text) => {
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, text);
    },
  },
];

/** Where save `i` (from 1) of a way goes: the same file each time, or a new one in a new folder. */
export function saveTarget(content: string, way: SaveWay, i: number): { file: string; slug: string } {
  const base = `way-${way.name.replace(/\W+/g, "-")}`;
  if (!way.newFile) return { file: path.join(content, `${base}.md`), slug: base };
  return { file: path.join(content, `ordner-${i}`, "tief", `${base}-${i}.md`), slug: `${base}-${i}` };
}
