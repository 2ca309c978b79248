// `npm run deploy` against a recording stand-in for wrangler
// (helpers/fake-wrangler.mjs, run in wrangler's place through WRANGLER_BIN):
// the order of the calls on a new and on a set-up account, the questions
// before creating anything, the refusals before any call, and that no step
// runs after one that failed. The purge after the publish goes to a stand-in
// for the deployed Worker's purge endpoint.
import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { runDeploy } from "../../tools/deploy/deploy-command";
import { runWrangler } from "../../tools/lib/wrangler";
import { type CliIo, runPublish } from "../../tools/publish/publish-command";

const ROOT = path.resolve(import.meta.dirname, "../..");
const FAKE_WRANGLER = path.join(import.meta.dirname, "helpers", "fake-wrangler.mjs");
const PLACEHOLDER = "00000000-0000-0000-0000-000000000000";
const DATABASE_ID = "3f2c1e0a-1111-4222-8333-944455556666";
const ALL_SECRETS = ["FORM_SECRET", "IP_HASH_SALT", "ADMIN_TOKEN", "PREVIEW_SECRET"];
const ADMIN_TOKEN = "test-admin-token-0123456789abcdef0123";

interface FakeState {
  databases: { uuid: string; name: string }[];
  queues: string[];
  workerExists: boolean;
  secrets: string[];
  newDatabaseId?: string;
  fail?: Record<string, string>;
}

let tmp = "";
let config = "";
let content = "";
let statePath = "";
let logPath = "";
let purges: { url: string; auth: string | null; tags: string[] }[] = [];

/** The project's own wrangler.toml (its D1 binding and queues), with SITE_URL set. */
async function writeConfig(siteUrl: string): Promise<void> {
  const text = await readFile(path.join(ROOT, "wrangler.toml"), "utf8");
  await writeFile(config, text.replace(/^SITE_URL = .*$/m, `SITE_URL = "${siteUrl}"`));
}

async function setAccount(state: FakeState): Promise<void> {
  await writeFile(statePath, JSON.stringify(state));
}

async function readAccount(): Promise<FakeState> {
  return JSON.parse(await readFile(statePath, "utf8"));
}

/** Each wrangler call, its arguments without --config (checked once, below). */
async function readCalls(): Promise<{ args: string[]; sql?: string }[]> {
  const text = await readFile(logPath, "utf8").catch(() => "");
  return text
    .split("\n")
    .filter(Boolean)
    .map((line) => JSON.parse(line));
}

async function readCommands(): Promise<string[]> {
  return (await readCalls()).map((call) =>
    call.args
      .filter((arg, i) => arg !== "--config" && call.args[i - 1] !== "--config" && call.args[i - 1] !== "--command" && call.args[i - 1] !== "--file")
      .join(" "),
  );
}

function recordingIo(answer: boolean | null = null) {
  const out: string[] = [];
  const err: string[] = [];
  const questions: string[] = [];
  const io: CliIo = {
    out: (line) => out.push(line),
    err: (line) => err.push(line),
    confirm: async (question) => {
      questions.push(question);
      return answer;
    },
  };
  return { io, out, err, questions, text: () => [...out, ...err].join("\n") };
}

async function deploy(args: string[] = [], answer: boolean | null = null) {
  const rec = recordingIo(answer);
  const code = await runDeploy([...args, "--config", config, "--content", content], rec.io);
  return { code, ...rec };
}

const EXISTING: FakeState = {
  databases: [{ uuid: DATABASE_ID, name: "edge-blog" }],
  queues: ["edge-blog-comments", "edge-blog-comments-dlq"],
  workerExists: true,
  secrets: ALL_SECRETS,
};

beforeEach(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "deploy-"));
  config = path.join(tmp, "wrangler.toml");
  content = path.join(tmp, "content");
  statePath = path.join(tmp, "account.json");
  logPath = path.join(tmp, "calls.jsonl");
  await mkdir(content);
  await writeFile(path.join(content, "erster-beitrag.md"), "---\ntitle: Erster Beitrag\ndate: 2026-05-01\ntags: [Web]\n---\n\nHallo.\n");
  await writeConfig("https://blog.example.com");
  purges = [];
  vi.stubEnv("WRANGLER_BIN", FAKE_WRANGLER);
  vi.stubEnv("FAKE_WRANGLER_STATE", statePath);
  vi.stubEnv("FAKE_WRANGLER_LOG", logPath);
  vi.stubEnv("ADMIN_TOKEN", ADMIN_TOKEN);
  // The deployed Worker's purge endpoint (POST /admin/api/cache/purge).
  vi.stubGlobal("fetch", async (input: string | URL, init?: RequestInit) => {
    const headers = new Headers(init?.headers);
    purges.push({ url: String(input), auth: headers.get("Authorization"), tags: JSON.parse(String(init?.body)).tags });
    return Response.json({ purged: true });
  });
});

afterEach(async () => {
  vi.unstubAllEnvs();
  vi.unstubAllGlobals();
  await rm(tmp, { recursive: true, force: true });
});

describe("npm run deploy", () => {
  it("on a set-up account: checks, migrates, deploys the Worker, then publishes and purges, in that order", async () => {
    await setAccount(EXISTING);
    await writeFile(config, (await readFile(config, "utf8")).replace(PLACEHOLDER, DATABASE_ID));
    const { code, text } = await deploy();
    expect(code, text()).toBe(0);
    expect(await readCommands()).toEqual([
      "d1 list --json",
      "queues info edge-blog-comments",
      "queues info edge-blog-comments-dlq",
      "secret list --format json",
      "d1 migrations apply DB --remote",
      "deploy",
      "d1 execute DB --remote --json --command",
      "d1 execute DB --remote --json --yes --file",
    ]);
    const calls = await readCalls();
    // Every call names the configuration the deploy was given.
    for (const call of calls) expect(call.args.slice(call.args.indexOf("--config"), call.args.indexOf("--config") + 2)).toEqual(["--config", config]);
    expect(calls.at(-1)?.sql).toContain("'erster-beitrag'");
    // The publish's purge, then the pages that state the deployed settings (the privacy page).
    expect(purges).toHaveLength(2);
    for (const purge of purges) expect(purge).toMatchObject({ url: "https://blog.example.com/admin/api/cache/purge", auth: `Bearer ${ADMIN_TOKEN}` });
    expect(purges[0]?.tags).toContain("a:erster-beitrag");
    expect(purges[1]?.tags).toEqual(["settings"]);
    expect(text()).toContain("Deployed: https://blog.example.com");
  });

  it("on a new account with --yes: creates the database (its id into wrangler.toml) and both queues, then stops at the secrets", async () => {
    await setAccount({ databases: [], queues: [], workerExists: false, secrets: [], newDatabaseId: DATABASE_ID });
    const { code, err, questions } = await deploy(["--yes"]);
    expect(code).toBe(1);
    expect(questions).toEqual([]);
    expect(await readCommands()).toEqual([
      "d1 list --json",
      "d1 create edge-blog",
      "d1 list --json",
      "queues info edge-blog-comments",
      "queues create edge-blog-comments",
      "queues info edge-blog-comments-dlq",
      "queues create edge-blog-comments-dlq",
      "secret list --format json",
    ]);
    const toml = await readFile(config, "utf8");
    expect(toml).toContain(`database_id = "${DATABASE_ID}"`);
    expect(toml).not.toContain(PLACEHOLDER);
    expect(await readAccount()).toMatchObject({ queues: ["edge-blog-comments", "edge-blog-comments-dlq"] });
    const message = err.join("\n");
    for (const name of ["FORM_SECRET", "IP_HASH_SALT", "ADMIN_TOKEN"]) expect(message).toContain(`npm exec -- wrangler secret put ${name} --config ${config}`);
    expect(message).toContain("Deploy stopped at step 3 (secrets); not run: migrations, Worker, content.");
  });

  it("after the secrets are set as it says, a second run goes through without creating anything", async () => {
    await setAccount({ databases: [], queues: [], workerExists: false, secrets: [], newDatabaseId: DATABASE_ID });
    expect((await deploy(["--yes"])).code).toBe(1);
    // What the site owner runs: wrangler creates the never-deployed Worker to hold the first secret.
    for (const name of ["FORM_SECRET", "IP_HASH_SALT", "ADMIN_TOKEN"]) expect((await runWrangler(["secret", "put", name, "--config", config])).code).toBe(0);
    await writeFile(logPath, "");
    const { code, text } = await deploy();
    expect(code, text()).toBe(0);
    expect((await readCommands()).filter((c) => /create/.test(c))).toEqual([]);
    expect(await readCommands()).toContain("deploy");
  });

  it("asks before creating; a no, or no terminal to ask on, creates nothing and runs no later step", async () => {
    await setAccount({ ...EXISTING, databases: [] });
    const declined = await deploy([], false);
    expect(declined.code).toBe(1);
    expect(declined.questions).toEqual(["Create the D1 database edge-blog on your Cloudflare account?"]);
    expect(declined.err.join("\n")).toContain(`npm exec -- wrangler d1 create edge-blog --config ${config}`);
    const noTerminal = await deploy([], null);
    expect(noTerminal.code).toBe(1);
    expect(noTerminal.err.join("\n")).toContain("run again with --yes");
    expect(await readCommands()).toEqual(["d1 list --json", "d1 list --json"]);
    expect(await readFile(config, "utf8")).toContain(PLACEHOLDER);

    const yes = await deploy([], true);
    expect(yes.code, yes.text()).toBe(0);
    expect(await readCommands()).toContain("d1 create edge-blog");
  });

  it("finds a database of that name and puts its id into wrangler.toml without asking", async () => {
    await setAccount(EXISTING);
    const { code, questions, out } = await deploy();
    expect(code).toBe(0);
    expect(questions).toEqual([]);
    expect(await readFile(config, "utf8")).toContain(`database_id = "${DATABASE_ID}"`);
    expect(out.join("\n")).toContain(`its id is now in ${config}`);
  });

  it("stops when wrangler.toml names a database id the account does not have", async () => {
    await setAccount(EXISTING);
    const other = "99999999-9999-4999-8999-999999999999";
    await writeFile(config, (await readFile(config, "utf8")).replace(PLACEHOLDER, other));
    const { code, err } = await deploy(["--yes"]);
    expect(code).toBe(1);
    expect(err.join("\n")).toContain(`names the D1 database ${other}, which this Cloudflare account does not have`);
    expect(await readCommands()).toEqual(["d1 list --json"]);
  });

  it("names only the missing secrets; a missing PREVIEW_SECRET is mentioned but does not stop the deploy", async () => {
    await setAccount({ ...EXISTING, secrets: ["FORM_SECRET", "ADMIN_TOKEN"] });
    const missing = await deploy();
    expect(missing.code).toBe(1);
    const message = missing.err.join("\n");
    expect(message).toContain("secret put IP_HASH_SALT");
    expect(message).not.toContain("secret put FORM_SECRET");
    await setAccount({ ...EXISTING, secrets: ["FORM_SECRET", "ADMIN_TOKEN", "IP_HASH_SALT"] });
    const optional = await deploy();
    expect(optional.code, optional.text()).toBe(0);
    expect(optional.out.join("\n")).toContain("Secret PREVIEW_SECRET is not set (optional");
  });

  it.each([
    ["d1 list", "Authentication error [code: 10000]", []],
    ["queues info", "Authentication error [code: 10000]", ["d1 list --json"]],
    ["secret list", "A request to the Cloudflare API failed.", ["d1 list --json", "queues info edge-blog-comments", "queues info edge-blog-comments-dlq"]],
    [
      "d1 migrations apply",
      "Migration 0009_search.sql failed",
      ["d1 list --json", "queues info edge-blog-comments", "queues info edge-blog-comments-dlq", "secret list --format json"],
    ],
    [
      "deploy",
      "Your Worker failed validation",
      [
        "d1 list --json",
        "queues info edge-blog-comments",
        "queues info edge-blog-comments-dlq",
        "secret list --format json",
        "d1 migrations apply DB --remote",
      ],
    ],
    [
      "d1 execute",
      "D1_ERROR: database is locked",
      [
        "d1 list --json",
        "queues info edge-blog-comments",
        "queues info edge-blog-comments-dlq",
        "secret list --format json",
        "d1 migrations apply DB --remote",
        "deploy",
      ],
    ],
  ])("when %s fails, it says so and nothing after it runs", async (failing, message, before) => {
    await setAccount({ ...EXISTING, fail: { [failing]: message } });
    const { code, err } = await deploy(["--yes"]);
    expect(code).toBe(1);
    expect(err.join("\n")).toContain(message);
    expect(err.join("\n")).toMatch(/Deploy stopped at step \d/);
    const commands = await readCommands();
    expect(commands.slice(0, before.length)).toEqual(before);
    // The failing call is the last one: no later step, no purge.
    expect(commands.length).toBe(before.length + 1);
    expect(commands.at(-1)?.startsWith(failing)).toBe(true);
    expect(purges).toEqual([]);
  });

  it("without ADMIN_TOKEN in the environment it deploys and publishes, and says the edge cache was not purged", async () => {
    await setAccount(EXISTING);
    vi.stubEnv("ADMIN_TOKEN", "");
    const { code, err } = await deploy();
    expect(code).toBe(0);
    expect(err.join("\n")).toContain("ADMIN_TOKEN is not set in this shell");
    expect(err.join("\n")).toContain("Edge cache not purged");
    expect(purges).toEqual([]);
  });

  it("refuses unknown flags with the usage, before any call", async () => {
    const { code, err } = await deploy(["--remote"]);
    expect(code).toBe(2);
    expect(err.join("\n")).toContain("Usage: npm run deploy");
    expect(await readCommands()).toEqual([]);
  });
});

describe("SITE_URL for the deployed blog", () => {
  it.each([
    ["http://localhost:8787", "this machine's own address"],
    ["https://localhost", "this machine's own address"],
    ["https://blog.localhost", "this machine's own address"],
    ["http://127.0.0.1:8787", "this machine's own address"],
    ["https://127.0.1.1", "this machine's own address"],
    ["http://[::1]:8787", "this machine's own address"],
    ["http://0.0.0.0:8787", "this machine's own address"],
    ["http://blog.example.com", "needs an https:// address"],
  ])("%s is refused by npm run deploy and by npm run publish -- --remote, before anything goes to Cloudflare", async (siteUrl, why) => {
    await setAccount(EXISTING);
    await writeConfig(siteUrl);
    const deployed = await deploy(["--yes"]);
    expect(deployed.code).toBe(2);
    const published = recordingIo();
    expect(await runPublish(["--remote", "--config", config, "--content", content], published.io)).toBe(2);
    for (const message of [deployed.err.join("\n"), published.err.join("\n")]) {
      expect(message).toContain(`SITE_URL is "${siteUrl.replace(/\/$/, "")}`);
      expect(message).toContain(why);
      expect(message).toContain(`Set SITE_URL under [vars] in ${config}`);
    }
    expect(await readCommands()).toEqual([]);
    expect(purges).toEqual([]);
  });

  it("a local publish keeps working with the local SITE_URL", async () => {
    await writeConfig("http://localhost:8787");
    const rec = recordingIo();
    expect(await runPublish(["--local", "--dry-run", "--config", config, "--content", content, "--persist-to", path.join(tmp, "d1")], rec.io)).not.toBe(2);
    expect(rec.err.join("\n")).not.toContain("SITE_URL");
  });
});

describe("placeholders in the legal pages", () => {
  const page = (role: string, body: string, extra = "") => `---\ntitle: Seite\nrole: ${role}\nnav: footer\n${extra}---\n\n${body}\n`;

  it("a published Impressum or privacy page with [bitte ausfüllen] stops npm run deploy and npm run publish -- --remote, naming page and line", async () => {
    await setAccount(EXISTING);
    await mkdir(path.join(content, "pages"));
    await writeFile(path.join(content, "pages", "impressum.md"), page("imprint", "## Angaben\n\nMuster GmbH\nTelefon: [bitte ausfüllen]\n"));
    await writeFile(path.join(content, "pages", "datenschutz.md"), page("privacy", "[Please fill in: the controller]\n\nText."));
    const deployed = await deploy(["--yes"]);
    expect(deployed.code).toBe(2);
    const published = recordingIo();
    expect(await runPublish(["--remote", "--yes", "--config", config, "--content", content], published.io)).toBe(2);
    for (const message of [deployed.err.join("\n"), published.err.join("\n")]) {
      expect(message).toContain("2 legal pages still hold");
      // Line numbers are the file's: five front-matter lines, a blank line, then the body.
      expect(message).toMatch(/pages\/impressum\.md:10: Telefon: \[bitte ausfüllen\]/);
      expect(message).toMatch(/pages\/datenschutz\.md:7: \[Please fill in: the controller\]/);
      expect(message).toContain("Nothing was sent to Cloudflare.");
    }
    expect(await readCommands()).toEqual([]);
    expect(purges).toEqual([]);
  });

  it("does not stop for a draft legal page, a page without a role, an article quoting the phrase, or a filled-in page", async () => {
    await setAccount(EXISTING);
    await writeFile(config, (await readFile(config, "utf8")).replace(PLACEHOLDER, DATABASE_ID));
    await mkdir(path.join(content, "pages"));
    await writeFile(path.join(content, "pages", "impressum.md"), page("imprint", "Entwurf: [bitte ausfüllen]", "draft: true\n"));
    await writeFile(path.join(content, "pages", "ueber-uns.md"), "---\ntitle: Über uns\n---\n\nWir schreiben [bitte ausfüllen] nie.\n");
    await writeFile(path.join(content, "pages", "datenschutz.md"), page("privacy", "Verantwortlich: Muster GmbH, Musterweg 1, 12345 Musterstadt."));
    await writeFile(path.join(content, "vorlagen.md"), "---\ntitle: Vorlagen\ndate: 2026-05-02\n---\n\nIn der Vorlage steht „[bitte ausfüllen]“.\n");
    const { code, text } = await deploy();
    expect(code, text()).toBe(0);
    expect(text()).not.toContain("legal page");
  });

  it("a local publish is not stopped: the editor fills the page in while trying the site", async () => {
    await writeConfig("http://localhost:8787");
    await mkdir(path.join(content, "pages"));
    await writeFile(path.join(content, "pages", "impressum.md"), page("imprint", "Telefon: [bitte ausfüllen]"));
    const rec = recordingIo();
    expect(await runPublish(["--local", "--dry-run", "--config", config, "--content", content, "--persist-to", path.join(tmp, "d1")], rec.io)).not.toBe(2);
    expect(rec.err.join("\n")).not.toContain("legal page");
  });
});

describe("the entry point", () => {
  it("npm run deploy runs tools/deploy.ts and refuses a local SITE_URL with exit code 2", async () => {
    await writeConfig("http://localhost:8787");
    await setAccount(EXISTING);
    const tsx = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
    const child = spawn(process.execPath, [tsx, "tools/deploy.ts", "--config", config], { cwd: ROOT, env: { ...process.env } });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    const code = await new Promise<number | null>((resolve) => child.on("close", resolve));
    expect(code, output).toBe(2);
    expect(output).toContain('SITE_URL is "http://localhost:8787"');
    expect(await readCommands()).toEqual([]);
  });
});
