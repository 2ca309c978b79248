// `npm run comments` against a real local D1 through the real wrangler CLI.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sqlString } from "../../../src/db/sql-text";
import { applyMigrations, type D1Target, queryD1 } from "../../../tools/lib/wrangler";

const ROOT = path.resolve(import.meta.dirname, "../../..");
let tmp = "";
let target: D1Target;
const ids = {
  pending: "11111111-1111-4111-8111-111111111111",
  second: "22222222-2222-4222-8222-222222222222",
  spam: "33333333-3333-4333-8333-333333333333",
  twinA: "aaaaaaaa-1111-4111-8111-111111111111",
  twinB: "aaaaaaaa-2222-4222-8222-222222222222",
};

function runComments(args: string[]): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const child = spawn(process.execPath, [tsx, "tools/comments.ts", ...args, "--local", "--persist-to", target.persistTo ?? ""], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false" },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, out, err }));
  });
}

async function statuses(): Promise<Record<string, string>> {
  const [rows = []] = await queryD1(target, "SELECT id, status FROM comments ORDER BY id");
  return Object.fromEntries((rows as { id: string; status: string }[]).map((r) => [r.id, r.status]));
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "comments-cli-"));
  target = { remote: false, persistTo: path.join(tmp, "d1") };
  await applyMigrations(target);
  await queryD1(
    target,
    `INSERT INTO articles (id, slug, title, body_md, body_hash, lang, status, published_at, updated_at) VALUES (1, 'cli-artikel', 'CLI', 'x', 'h', 'de', 'published', 1, 1);
     INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at) VALUES
       ('${ids.pending}', 1, 'Erika', 'erika@example.com', 'Erster Kommentar', '<p>Erster Kommentar</p>', 'pending', 1000),
       ('${ids.second}', 1, 'Max', 'max@example.com', 'Zweiter Kommentar', '<p>Zweiter Kommentar</p>', 'pending', 2000),
       ('${ids.spam}', 1, 'Bot', 'bot@example.com', 'Kauf was', '<p>Kauf was</p>', 'spam', 3000),
       ('${ids.twinA}', 1, 'Zwilling A', 'a@example.com', 'A', '<p>A</p>', 'pending', 500),
       ('${ids.twinB}', 1, 'Zwilling B', 'b@example.com', 'B', '<p>B</p>', 'pending', 400);
     UPDATE comments SET reasons = '[{"code":"too_many_links","count":3,"limit":2},{"code":"parent_deleted","parentId":"x"}]', created_at = 1795979700000 WHERE id = '${ids.second}';`,
  );
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("npm run comments", () => {
  it("lists comments newest first by short id, filtered by status, times in SITE_TIMEZONE with the zone", async () => {
    const short = (id: string) => id.slice(0, 8);
    const all = await runComments(["list"]);
    expect(all.code, all.err).toBe(0);
    expect(all.out.indexOf(short(ids.spam))).toBeLessThan(all.out.indexOf(short(ids.pending)));
    expect(all.out).toMatch(/^11111111 {2}pending /m);
    expect(all.out).not.toContain(ids.pending);
    // 1795979700000 is 2026-11-29 19:15 UTC: 20:15 in Berlin (wrangler.toml's SITE_TIMEZONE), in winter time.
    expect(all.out).toContain("2026-11-29 20:15 CET");
    expect(all.out).toContain("1970-01-01 01:00 CET");
    const pending = await runComments(["list", "--status", "pending"]);
    expect(pending.out).toContain(short(ids.pending));
    expect(pending.out).toContain(short(ids.second));
    expect(pending.out).not.toContain(short(ids.spam));
    expect(pending.out).toContain("4 comment(s).");
  });

  it("takes the short id list prints, refuses an ambiguous or unknown one by name, and shows reasons as the web page words them", async () => {
    const show = await runComments(["show", "22222222"]);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toContain(`id         ${ids.second}`);
    expect(show.out).toContain("3 Links (Grenze 2)");
    expect(show.out).toContain("Der Kommentar, auf den er antwortet, wurde gelöscht");
    expect(show.out).not.toContain("too_many_links");
    expect(show.out).toContain("submitted  2026-11-29 20:15 CET");
    const ambiguous = await runComments(["approve", "aaaaaaaa"]);
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.err).toContain(`"aaaaaaaa" is ambiguous: it starts ${ids.twinA}, ${ids.twinB}`);
    const unknown = await runComments(["show", "bbbbbbbb"]);
    expect(unknown.code).toBe(1);
    expect(unknown.err).toContain('No comment id starts with "bbbbbbbb"');
    const tooShort = await runComments(["approve", "aaaa"]);
    expect(tooShort.code).toBe(2);
    expect(tooShort.err).toContain('not a comment id: "aaaa"');
    expect(await statuses()).toMatchObject({ [ids.twinA]: "pending", [ids.twinB]: "pending" });
    const unique = await runComments(["spam", "aaaaaaaa-1", "AAAAAAAA-2222"]);
    expect(unique.code, unique.err).toBe(0);
    expect(unique.out).toContain("spam: 2 of 2 comment(s) changed.");
    expect(await statuses()).toMatchObject({ [ids.twinA]: "spam", [ids.twinB]: "spam" });
  });

  it("has help as a command", async () => {
    const help = await runComments(["help"]);
    expect(help.code).toBe(0);
    expect(help.out).toContain("Usage: npm run comments");
    expect(help.out).toContain("first 8 or more characters");
  });

  it("shows one comment with the moderator's details", async () => {
    const res = await runComments(["show", ids.pending]);
    expect(res.code, res.err).toBe(0);
    expect(res.out).toContain("erika@example.com");
    expect(res.out).toContain("cli-artikel (CLI)");
    expect(res.out).toContain("Erster Kommentar");
    const missing = await runComments(["show", "44444444-4444-4444-8444-444444444444"]);
    expect(missing.code).toBe(1);
    expect(missing.err).toContain("No comment with id");
  });

  it("shows and approves a comment that says BEGIN TRANSACTION; and COMMIT; word for word", async () => {
    const id = "55555555-5555-4555-8555-555555555555";
    const text = "BEGIN TRANSACTION; COMMIT; – so fängt es an, und BEGIN TRANSACTION; noch einmal.";
    await queryD1(
      target,
      `INSERT INTO comments (id, article_id, author, email, body_raw, body_html, status, created_at) VALUES ('${id}', 1, ${sqlString("COMMIT; Carla")}, 'carla@example.com', ${sqlString(text)}, ${sqlString(`<p>${text}</p>`)}, 'pending', 900)`,
    );
    const show = await runComments(["show", id.slice(0, 8)]);
    expect(show.code, show.err).toBe(0);
    expect(show.out).toContain(text);
    expect(show.out).toContain("COMMIT; Carla");
    const approve = await runComments(["approve", id]);
    expect(approve.out).toContain("approve: 1 of 1 comment(s) changed.");
    const [rows = []] = await queryD1(target, `SELECT status, body_raw FROM comments WHERE id = '${id}'`);
    expect(rows[0]).toEqual({ status: "approved", body_raw: text });
  });

  it("approves, spams, trashes and deletes, reporting what changed", async () => {
    const approve = await runComments(["approve", ids.pending, ids.second]);
    expect(approve.code, approve.err).toBe(0);
    expect(approve.out).toContain("approve: 2 of 2 comment(s) changed.");
    expect(await statuses()).toMatchObject({ [ids.pending]: "approved", [ids.second]: "approved" });
    const again = await runComments(["approve", ids.pending]);
    expect(again.out).toContain("approve: 0 of 1 comment(s) changed");
    await runComments(["spam", ids.second]);
    await runComments(["trash", ids.pending]);
    expect(await statuses()).toMatchObject({ [ids.pending]: "trash", [ids.second]: "spam" });
    const del = await runComments(["delete", ids.spam]);
    expect(del.out).toContain("delete: 1 of 1 comment(s) changed.");
    expect(Object.keys(await statuses())).not.toContain(ids.spam);
  });

  it("refuses bad input with exit code 2 and says why, changing nothing", async () => {
    const before = await statuses();
    const cases: [string[], string][] = [
      [["approve", "1; DROP TABLE comments"], "not a comment id"],
      [["approve"], "takes one or more comment ids"],
      [["list", "--status", "published"], "--status must be"],
      [["list", "--article", "Not A Slug"], "--article must be"],
      [["list", "--limit", "0"], "--limit must be"],
      [["frobnicate"], 'Unknown command "frobnicate"'],
      [["show"], "exactly one comment id"],
      // Commands are looked up by what the editor typed: prototype names are just unknown.
      [["constructor", ids.pending], 'Unknown command "constructor"'],
      [["__proto__", ids.pending], 'Unknown command "__proto__"'],
      [["toString", ids.pending], 'Unknown command "toString"'],
      [["hasOwnProperty", ids.pending], 'Unknown command "hasOwnProperty"'],
    ];
    for (const [args, message] of cases) {
      const res = await runComments(args);
      expect(res.code === 2 || res.code === 1, args.join(" ")).toBe(true);
      expect(res.err, args.join(" ")).toContain(message);
    }
    expect(await statuses()).toEqual(before);
  });
});
