// The dev command's watch on the content directory: saved Markdown files are
// republished (validated first) after a short quiet spell, so saving many
// files at once is one publish and one reload, not a storm.
import { watch } from "node:fs";
import { access } from "node:fs/promises";
import path from "node:path";
import type { CliIo } from "../lib/terminal-io";
import type { D1Runner, D1Target } from "../lib/wrangler";
import { runPublish } from "../publish/publish-command";
import type { DevEvents } from "./dev-events";

/** How long the directory must be quiet before the saved files are published. */
const QUIET_MS = 120;

export interface WatchOptions {
  contentDir: string;
  /** The local D1 (its --persist-to and --config), as npm run dev was given it. */
  target: D1Target;
  runner: D1Runner;
  events: DevEvents;
  io: CliIo;
}

/** Watches the content directory until the returned function is called. */
export function watchContent(opts: WatchOptions): () => void {
  const pending = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<void> = Promise.resolve();
  const watcher = watch(opts.contentDir, { recursive: true }, (_event, name) => {
    if (!isMarkdown(name)) return;
    pending.add(path.join(opts.contentDir, name));
    clearTimeout(timer);
    timer = setTimeout(() => {
      const files = [...pending];
      pending.clear();
      // One publish at a time: a save during a publish waits for it.
      running = running.then(() => republish(files, opts));
    }, QUIET_MS);
  });
  return () => {
    clearTimeout(timer);
    watcher.close();
  };
}

async function republish(files: string[], opts: WatchOptions): Promise<void> {
  const problems: string[] = [];
  const err = (line: string) => {
    problems.push(line);
    opts.io.err(line);
  };
  const io: CliIo = { out: opts.io.out, err, confirm: async () => true };
  const persist = opts.target.persistTo ? ["--persist-to", opts.target.persistTo] : [];
  const config = opts.target.config ? ["--config", opts.target.config] : [];
  // A deleted file is not published; the others are (all files are still validated).
  const present = await filterExisting(files);
  if (present.length === 0) return;
  opts.io.out(`\nSaved: ${present.map((f) => path.relative(process.cwd(), f)).join(", ")}`);
  const code = await runPublish(["--local", "--yes", "--content", opts.contentDir, ...persist, ...config, ...present], io, opts.runner);
  opts.events.send(code === 0 ? { type: "reload", files: present } : { type: "problem", lines: problems });
}

async function filterExisting(files: string[]): Promise<string[]> {
  const checks = await Promise.all(
    files.map((f) =>
      access(f).then(
        () => f,
        () => null,
      ),
    ),
  );
  return checks.filter((f): f is string => f !== null);
}

/** A Markdown file outside hidden folders (an editor's swap files and .git are not content). */
function isMarkdown(name: string | null): name is string {
  return name?.toLowerCase().endsWith(".md") === true && !name.split(path.sep).some((part) => part.startsWith("."));
}
