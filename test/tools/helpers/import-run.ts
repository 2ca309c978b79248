// `npm run import:wordpress` inside a test's workspace, and what it left
// behind: the content folder, the rows in the local D1, and the Worker
// serving both (started with wrangler's API on the workspace's D1).
import { readdir } from "node:fs/promises";
import path from "node:path";
import { expect } from "vitest";
import { unstable_startWorker } from "wrangler";
import type { CliIo } from "../../../tools/lib/terminal-io";
import { queryD1 } from "../../../tools/lib/wrangler";
import { runImportWordPress } from "../../../tools/wordpress/import-command";
import { listOldLinks } from "./wordpress-links";
import type { Workspace } from "./workspace";

export const ROOT = path.resolve(import.meta.dirname, "../../..");

export interface ImportRun {
  code: number;
  out: string;
  err: string;
}

/** Runs the command on the workspace's content folder and D1; `answer` is what the confirmation prompt gets (null: no terminal). */
export async function runImport(ws: Workspace, args: string[], answer: boolean | null = null): Promise<ImportRun> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (l) => out.push(l), err: (l) => err.push(l), confirm: async () => answer };
  const code = await runImportWordPress([...args, "--persist-to", ws.target.persistTo ?? "", "--content", ws.content], io);
  return { code, out: out.join("\n"), err: err.join("\n") };
}

const TABLES = [
  "SELECT * FROM articles ORDER BY id",
  "SELECT * FROM comments ORDER BY id",
  "SELECT * FROM redirects ORDER BY from_path",
  "SELECT * FROM tags ORDER BY id",
].join("; ");

/** Every row an import writes: articles, comments, redirects, tags (in that order). */
export async function snapshotD1(ws: Workspace): Promise<Record<string, unknown>[][]> {
  return (await queryD1(ws.target, TABLES)) as Record<string, unknown>[][];
}

/** The rows of one SELECT on the workspace's D1. */
export async function queryRows(ws: Workspace, sql: string): Promise<Record<string, unknown>[]> {
  const [rows = []] = (await queryD1(ws.target, sql)) as Record<string, unknown>[][];
  return rows;
}

/** The content folder's entries (folders too), relative and sorted. */
export async function listContent(ws: Workspace): Promise<string[]> {
  return ((await readdir(ws.content, { recursive: true }).catch(() => [])) as string[]).map((p) => p.split(path.sep).join("/")).sort();
}

export function startBlogWorker(ws: Workspace) {
  return unstable_startWorker({
    config: path.join(ROOT, "wrangler.toml"),
    dev: { persist: ws.target.persistTo, server: { port: 0 }, inspector: false, watch: false, logLevel: "none" },
  });
}

export type BlogWorker = Awaited<ReturnType<typeof startBlogWorker>>;

/** Every public link of the old site (read from the export itself, not through the importer) answers 301 to a URL that answers 200; returns the links. */
export async function expectOldLinksRedirected(worker: BlogWorker, xml: string): Promise<string[]> {
  const links = listOldLinks(xml);
  for (const link of links) {
    const res = await worker.fetch(`http://blog.test${link}`, { redirect: "manual" });
    expect(res.status, link).toBe(301);
    const location = new URL(res.headers.get("Location") ?? "", "http://blog.test");
    expect((await worker.fetch(location.href, { redirect: "manual" })).status, `${link} -> ${location.pathname}`).toBe(200);
  }
  return links;
}
