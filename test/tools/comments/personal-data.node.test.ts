// `npm run comments -- export|erase <e-mail>` against a real local D1 through
// the real wrangler (its platform proxy): requests by letter, answered with
// the same service as the commenter's own page, and kept in the request log.
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { applyMigrations, type D1Target, queryD1 } from "../../../tools/lib/wrangler";

const ROOT = path.resolve(import.meta.dirname, "../../..");
let tmp = "";
let target: D1Target;

// The secrets the address is hashed with, as .dev.vars holds them for `npm start`
// (wrangler's platform proxy takes them from the environment with this switch).
const SECRETS = {
  CLOUDFLARE_INCLUDE_PROCESS_ENV: "true",
  FORM_SECRET: "cli-test-form-secret-0123456789",
  IP_HASH_SALT: "cli-test-ip-salt-0123456789",
};

function runComments(args: string[], extraEnv: Record<string, string> = SECRETS): Promise<{ code: number; out: string; err: string }> {
  return new Promise((resolve) => {
    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const child = spawn(process.execPath, [tsx, "tools/comments.ts", ...args, "--local", "--persist-to", target.persistTo ?? ""], {
      cwd: ROOT,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", ...extraEnv },
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (err += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, out, err }));
  });
}

const ids = {
  erikaApproved: "11111111-aaaa-4111-8111-111111111111",
  erikaPending: "22222222-aaaa-4222-8222-222222222222",
  max: "33333333-aaaa-4333-8333-333333333333",
  paulA: "44444444-aaaa-4444-8444-444444444444",
  paulB: "55555555-aaaa-4555-8555-555555555555",
};

async function rows(sql: string): Promise<Record<string, unknown>[]> {
  const [result = []] = await queryD1(target, sql);
  return result as Record<string, unknown>[];
}

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "comments-data-cli-"));
  target = { remote: false, persistTo: path.join(tmp, "d1") };
  await applyMigrations(target);
  await queryD1(
    target,
    `INSERT INTO articles (id, slug, title, body_md, body_hash, lang, status, published_at, updated_at) VALUES (1, 'brief', 'Per Brief', 'x', 'h', 'de', 'published', 1, 1);
     INSERT INTO comments (id, article_id, author, email, url, body_raw, body_html, status, ip_hash, user_agent, notify_replies, created_at) VALUES
       ('${ids.erikaApproved}', 1, 'Erika', 'Erika@Example.com', 'https://erika.example/', 'Erikas Meinung', '<p>Erikas Meinung</p>', 'approved', 'ip-erika', 'UA Erika', 1, 1000),
       ('${ids.erikaPending}', 1, 'Erika', 'erika@example.com', NULL, 'Noch eine', '<p>Noch eine</p>', 'pending', NULL, NULL, 0, 2000),
       ('${ids.max}', 1, 'Max', 'max@example.com', NULL, 'Max sagt', '<p>Max sagt</p>', 'approved', 'ip-max', 'UA Max', 0, 3000),
       ('${ids.paulA}', 1, 'Paul', 'paul@example.com', NULL, 'Paul A', '<p>Paul A</p>', 'approved', NULL, NULL, 0, 4000),
       ('${ids.paulB}', 1, 'Paul', 'paul@example.com', NULL, 'Paul B', '<p>Paul B</p>', 'spam', NULL, NULL, 0, 5000);`,
  );
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("npm run comments -- export|erase", () => {
  it("exports everything under an address (any case) as JSON, and logs it as the CLI's", async () => {
    const res = await runComments(["export", "ERIKA@example.com"]);
    expect(res.code, res.err).toBe(0);
    const data = JSON.parse(res.out) as { email: string; comments: Record<string, unknown>[]; mailSubscriptions: unknown[] };
    expect(data.email).toBe("erika@example.com");
    expect(data.comments.map((c) => c.id)).toEqual([ids.erikaApproved, ids.erikaPending]);
    expect(data.comments[0]).toMatchObject({ text: "Erikas Meinung", ipHash: "ip-erika", userAgent: "UA Erika", website: "https://erika.example/" });
    expect(data.mailSubscriptions).toEqual([{ commentId: ids.erikaApproved, confirmedAt: null }]);
    expect(res.out).not.toContain("Max sagt");
    expect(await rows("SELECT action, via, comments, subscriptions FROM data_request_log")).toEqual([
      { action: "export", via: "cli", comments: 2, subscriptions: 1 },
    ]);
  });

  it("asks for --yes before an erasure, saying what it would touch, and changes nothing", async () => {
    const res = await runComments(["erase", "erika@example.com"]);
    expect(res.code).toBe(2);
    expect(res.err).toContain("Under erika@example.com: 2 comment(s), 1 of them published.");
    expect(res.err).toContain("run it again with --yes");
    expect(await rows(`SELECT author FROM comments WHERE id = '${ids.erikaApproved}'`)).toEqual([{ author: "Erika" }]);
  });

  it("erases: anonymises by default, deletes with --delete-comments, leaves everyone else, and logs both", async () => {
    const anonymised = await runComments(["erase", "erika@example.com", "--yes"]);
    expect(anonymised.code, anonymised.err).toBe(0);
    expect(anonymised.out).toContain("erase: 2 comment(s) under erika@example.com anonymised, 1 mail subscription(s) ended");
    expect(await rows(`SELECT author, email, url, ip_hash, user_agent, notify_replies, body_raw FROM comments WHERE id = '${ids.erikaApproved}'`)).toEqual([
      { author: "Anonym", email: "", url: null, ip_hash: null, user_agent: null, notify_replies: 0, body_raw: "Erikas Meinung" },
    ]);
    const deleted = await runComments(["erase", "paul@example.com", "--delete-comments", "--yes"]);
    expect(deleted.code, deleted.err).toBe(0);
    expect(deleted.out).toContain("erase: 2 comment(s) under paul@example.com deleted");
    expect(await rows("SELECT id FROM comments ORDER BY id")).toEqual([{ id: ids.erikaApproved }, { id: ids.erikaPending }, { id: ids.max }]);
    expect(await rows(`SELECT author, ip_hash FROM comments WHERE id = '${ids.max}'`)).toEqual([{ author: "Max", ip_hash: "ip-max" }]);
    expect(await rows("SELECT action, via, comments, deleted FROM data_request_log WHERE action = 'erase' ORDER BY id")).toEqual([
      { action: "erase", via: "cli", comments: 2, deleted: 0 },
      { action: "erase", via: "cli", comments: 2, deleted: 1 },
    ]);
    // Once more: nothing left under the address, said so, and logged.
    const again = await runComments(["erase", "paul@example.com", "--yes"]);
    expect(again.out).toContain("erase: 0 comment(s)");
  });

  it("refuses what is no address, a second argument, and --remote without ADMIN_TOKEN (exit 2)", async () => {
    for (const args of [
      ["export", "kein-at"],
      ["erase", `${"x".repeat(120)}@example.com`, "--yes"],
      ["export", "a@example.com", "b@example.com"],
      ["export"],
    ]) {
      const res = await runComments(args);
      expect(res.code, args.join(" ")).toBe(2);
      expect(res.err, args.join(" ")).toMatch(/e-mail address/);
    }
    const remote = await new Promise<{ code: number; err: string }>((resolve) => {
      const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
      const child = spawn(process.execPath, [tsx, "tools/comments.ts", "export", "a@example.com", "--remote"], {
        cwd: ROOT,
        env: { ...process.env, ADMIN_TOKEN: "" },
      });
      let err = "";
      child.stderr.on("data", (d: Buffer) => (err += d.toString()));
      child.on("close", (code) => resolve({ code: code ?? 1, err }));
    });
    expect(remote.code).toBe(2);
    expect(remote.err).toContain("set ADMIN_TOKEN");
  });
});
