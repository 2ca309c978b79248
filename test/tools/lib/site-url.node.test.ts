// Every URL the tools print follows PORT locally and SITE_URL where it is set:
// `npm run preview` run as editors run it (tsx tools/preview.ts, its own
// content and local D1), on another port, with SITE_URL in the environment or
// in .dev.vars, and --remote with wrangler.toml's local default refused before
// anything is stored; then the rules themselves for the remote commands.
import { spawn } from "node:child_process";
import { mkdir, readFile, rm, writeFile } from "node:fs/promises";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeLocalAddress, siteUrlFor } from "../../../tools/lib/site-url";
import { queryD1 } from "../../../tools/lib/wrangler";
import { createWorkspace, type Workspace } from "../helpers/workspace";

const ROOT = path.resolve(import.meta.dirname, "../../..");
const TSX = path.join(ROOT, "node_modules/tsx/dist/cli.mjs");
const SECRET = "site-url-test-preview-secret-0123";
let ws: Workspace;
let draft = "";
/** The repository's wrangler.toml, copied into the workspace: .dev.vars is read beside it. */
let config = "";
/** The same with a deployed SITE_URL. */
let deployedConfig = "";

/**
 * `npm run preview -- FILE …` with exactly these variables (no PORT or SITE_URL
 * from the shell running the tests), in the workspace, so that its .dev.vars
 * is the test's own (a copy of the repository's wrangler.toml is named with --config).
 */
function runPreviewCli(args: string[], vars: Record<string, string>): Promise<{ code: number; output: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", PREVIEW_SECRET: SECRET, ...vars };
  for (const name of ["PORT", "SITE_URL"]) if (!(name in vars)) delete env[name];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [TSX, path.join(ROOT, "tools/preview.ts"), ...args, "--config", config], { cwd: ws.tmp, env });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("close", (code) => resolve({ code: code ?? 1, output }));
  });
}

const local = () => [draft, "--persist-to", ws.target.persistTo ?? "", "--content", ws.content];
const linkIn = (output: string) => /^(\S+)\/preview\/[A-Za-z0-9_-]{22}\?sig=[A-Za-z0-9_-]+$/m.exec(output)?.[1];

beforeAll(async () => {
  ws = await createWorkspace("site-url-");
  draft = path.join(ws.content, "entwurf.md");
  const toml = await readFile(path.join(ROOT, "wrangler.toml"), "utf8");
  config = path.join(ws.tmp, "wrangler.toml");
  await writeFile(config, toml);
  await mkdir(path.join(ws.tmp, "deployed"));
  deployedConfig = path.join(ws.tmp, "deployed", "wrangler.toml");
  await writeFile(deployedConfig, toml.replace(/^SITE_URL = .*$/m, 'SITE_URL = "https://blog.example/"'));
  await writeFile(draft, "---\ntitle: Ein Entwurf\ndraft: true\n---\n\nText.\n");
});

afterAll(async () => {
  if (ws?.tmp) await rm(ws.tmp, { recursive: true, force: true });
});

describe("npm run preview prints the link of the blog it stored the draft for", () => {
  it("on the port PORT names, locally", async () => {
    const run = await runPreviewCli(local(), { PORT: "8899" });
    expect(run.code, run.output).toBe(0);
    expect(linkIn(run.output)).toBe("http://localhost:8899");
    expect(run.output).not.toContain("8787");
  });

  it("on localhost:8787 without PORT, whatever wrangler.toml's SITE_URL says for the deployed blog", async () => {
    const run = await runPreviewCli(local(), {});
    expect(run.code, run.output).toBe(0);
    expect(linkIn(run.output)).toBe("http://localhost:8787");
  });

  it("on SITE_URL when it is set in the environment, shaped as the Worker shapes it", async () => {
    const run = await runPreviewCli(local(), { PORT: "8899", SITE_URL: "https://blog.example/" });
    expect(run.code, run.output).toBe(0);
    expect(linkIn(run.output)).toBe("https://blog.example");
  });

  it("on SITE_URL from .dev.vars, which wrangler dev reads too", async () => {
    const devVars = path.join(ws.tmp, ".dev.vars");
    await writeFile(devVars, 'FORM_SECRET="x"\nSITE_URL="http://blog.localhost:8899"\n');
    const run = await runPreviewCli(local(), { PORT: "9999" });
    await rm(devVars);
    expect(run.code, run.output).toBe(0);
    expect(linkIn(run.output)).toBe("http://blog.localhost:8899");
  });

  it("refuses a bad PORT or SITE_URL, naming it", async () => {
    const port = await runPreviewCli(local(), { PORT: "99999" });
    expect(port.code).toBe(1);
    expect(port.output).toContain('PORT must be a port number (1-65535), got "99999"');
    const url = await runPreviewCli(local(), { SITE_URL: "blog.example" });
    expect(url.code).toBe(1);
    expect(url.output).toContain("SITE_URL from the environment: wrangler var SITE_URL must be an absolute URL");
  });

  it("with --remote and wrangler.toml's local SITE_URL: says what to set, and stores nothing", async () => {
    const count = async () => {
      const [rows = []] = await queryD1(ws.target, "SELECT count(*) AS n FROM previews");
      return (rows[0] as { n: number } | undefined)?.n;
    };
    const before = await count();
    const run = await runPreviewCli([draft, "--remote", "--content", ws.content], {});
    expect(run.code).toBe(1);
    // Refused before any D1 was asked (the remote one cannot be reached from here at all): this is all it says.
    expect(run.output.trim()).toMatch(/^SITE_URL is "http:\/\/localhost:8787", this machine's own address: .* Nothing was sent to Cloudflare\.$/);
    expect(await count()).toBe(before);
  });
});

describe("the address the remote commands call (preview --remote, comments --remote)", () => {
  it("is the deployed Worker's SITE_URL from the wrangler configuration, whatever PORT says; a local one is refused", async () => {
    expect(await siteUrlFor({ remote: true, config: deployedConfig }, { PORT: "8899" })).toBe("https://blog.example");
    await expect(siteUrlFor({ remote: true, config }, {})).rejects.toThrow("this machine's own address");
  });

  it("is named in the start and dev banners, with the port wrangler dev serves when SITE_URL names another address", () => {
    expect(describeLocalAddress("http://localhost:8899", 8899)).toBe("http://localhost:8899");
    expect(describeLocalAddress("https://blog.example", 8899)).toBe("https://blog.example (served on http://localhost:8899)");
  });
});
