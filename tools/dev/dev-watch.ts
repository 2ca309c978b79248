// The dev command's watch on the content directory: saved Markdown files are
// republished (validated first) after a short quiet spell, so saving many
// files at once is one publish and one reload, not a storm. A deleted file is
// never unpublished here: the dev loop says that its article stays in the
// local D1 until an explicit prune (which takes it offline), as a deploy would keep it too.
import { access } from "node:fs/promises";
import path from "node:path";
import { readStoredState } from "../lib/d1-state";
import type { CliIo } from "../lib/terminal-io";
import type { D1Runner, D1Target } from "../lib/wrangler";
import { runPublish } from "../publish/publish-command";
import type { DevEvents } from "./dev-events";
import { watchTree } from "./watch-tree";

/** How long the directory must be quiet before the saved files are published (an editor's save is several steps). */
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
  const tree = watchTree(opts.contentDir, {
    // An editor's swap and backup files and .git are not content.
    skipFolder: (name) => name.startsWith(".") || name === "node_modules",
    isWanted: (name) => name.toLowerCase().endsWith(".md") && !name.startsWith("."),
    onFile: (file) => {
      pending.add(file);
      clearTimeout(timer);
      timer = setTimeout(() => {
        const files = [...pending];
        pending.clear();
        // One publish at a time: a save during a publish waits for it.
        running = running.then(() => republish(files, opts)).catch((error: unknown) => opts.io.err(String(error)));
      }, QUIET_MS);
    },
  });
  return () => {
    clearTimeout(timer);
    tree.close();
  };
}

async function republish(files: string[], opts: WatchOptions): Promise<void> {
  const { present, gone } = await splitByExistence(files);
  if (present.length > 0) {
    const problems: string[] = [];
    const err = (line: string) => {
      problems.push(line);
      opts.io.err(line);
    };
    const io: CliIo = { out: opts.io.out, err, confirm: async () => true };
    opts.io.out(`\nSaved: ${present.map(displayPath).join(", ")}`);
    const code = await runPublish(["--local", "--yes", "--content", opts.contentDir, ...targetFlags(opts.target), ...present], io, opts.runner);
    opts.events.send(code === 0 ? { type: "reload", files: present } : { type: "problem", lines: problems });
  }
  // After the publish: a file renamed with its slug kept has moved its article along, and is not "deleted".
  if (gone.length > 0) await reportDeleted(gone, opts);
}

/** Says, for each deleted file whose article D1 still holds, that it stays until a prune, and how to prune. */
async function reportDeleted(files: string[], opts: WatchOptions): Promise<void> {
  const { articles } = await readStoredState(opts.target, opts.runner);
  const bySource = new Map(articles.flatMap((a) => (a.sourcePath ? [[a.sourcePath, a.slug] as const] : [])));
  const prune = ["npm run publish -- --local --prune", ...pruneFlags(opts)].join(" ");
  for (const file of files) {
    const slug = bySource.get(path.relative(opts.contentDir, file).split(path.sep).join("/"));
    if (slug === undefined) continue;
    opts.io.out(
      `\nDeleted: ${displayPath(file)}. Its article "${slug}" stays on the local site until you take it offline with \`${prune}\` (it keeps it and its comments in D1); restore the file to keep it.`,
    );
  }
}

function pruneFlags(opts: WatchOptions): string[] {
  const content = displayPath(opts.contentDir);
  const shown = { ...opts.target, ...(opts.target.persistTo ? { persistTo: displayPath(opts.target.persistTo) } : {}) };
  return [...(content !== "content" ? ["--content", content] : []), ...targetFlags(shown)];
}

/** The flags that name the local D1 npm run dev works on, for publish. */
function targetFlags(target: D1Target): string[] {
  return [...(target.persistTo ? ["--persist-to", target.persistTo] : []), ...(target.config ? ["--config", target.config] : [])];
}

async function splitByExistence(files: string[]): Promise<{ present: string[]; gone: string[] }> {
  const exists = await Promise.all(
    files.map((f) =>
      access(f).then(
        () => true,
        () => false,
      ),
    ),
  );
  return { present: files.filter((_, i) => exists[i]), gone: files.filter((_, i) => !exists[i]) };
}

function displayPath(file: string): string {
  return path.relative(process.cwd(), file) || ".";
}
