// `npm run deploy`: the blog on Cloudflare, in the order a new account needs.
// The resources come first (the Worker cannot be deployed without its D1
// database and queues), then the schema, then the Worker, and the content
// last: publishing purges the edge cache through the deployed Worker, so the
// Worker must exist by then. Each step runs only when the one before it
// succeeded; SITE_URL is checked before anything goes to Cloudflare.
import path from "node:path";
import { parseArgs } from "node:util";
import { cacheTags } from "../../src/cache/tags";
import { readContentFiles } from "../lib/content-files";
import { purgeEdgeAfterPublish } from "../lib/purge-edge";
import { checkRemoteSiteUrl } from "../lib/remote-site";
import { readTargetFlags, TARGET_OPTIONS } from "../lib/target-flags";
import type { CliIo } from "../lib/terminal-io";
import { applyMigrations, readSourceSettings, runWrangler } from "../lib/wrangler";
import { findPlaceholders, formatPlaceholderRefusal } from "../publish/placeholders";
import { runPublish } from "../publish/publish-command";
import { type DeployConfig, readDeployConfig } from "./deploy-config";
import { checkSecrets, DeployStop, ensureDatabase, ensureQueues, type ResourceOptions } from "./deploy-resources";

const DEPLOY_USAGE = `Usage: npm run deploy -- [--yes] [--config FILE] [--content DIR]

Deploys the blog to your Cloudflare account (log in first: npm exec -- wrangler login):
  1. the D1 database of the DB binding (found, or created after asking; its id goes into wrangler.toml)
  2. the queues the Worker uses: the comment queue and its dead-letter queue (found, or created after asking)
  3. the Worker's secrets: each missing one is named with the command that sets it
  4. the D1 migrations, on the remote database
  5. the Worker itself (wrangler deploy)
  6. the content: npm run publish -- --remote, which purges the edge cache
     when ADMIN_TOKEN is set in your environment
It stops at the first step that fails; no later step runs.

  -y, --yes          create a missing database or queue without asking
  -c, --config FILE  wrangler configuration (default: wrangler.toml)
  --content DIR      the content directory (default: content)
  -h, --help         this text`;

// A deploy always goes to the remote D1: of the target flags only --config applies.
const OPTIONS = {
  yes: { type: "boolean", short: "y", default: false },
  config: TARGET_OPTIONS.config,
  content: { type: "string", default: "content" },
  help: { type: "boolean", short: "h", default: false },
} as const;

interface DeployArgs {
  yes: boolean;
  config?: string;
  contentDir: string;
  help: boolean;
}

/** The parsed arguments, or a message naming the flag that is wrong. */
function parseDeployArgs(argv: string[]): DeployArgs | string {
  try {
    const { values } = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: false });
    const target = readTargetFlags({ remote: true, config: values.config });
    if (typeof target === "string") return target;
    if (values.content === "") return "--content needs a directory";
    return { yes: values.yes, config: target.config, contentDir: values.content, help: values.help };
  } catch (error) {
    // parseArgs names the unknown flag, the missing value or the stray argument itself.
    return error instanceof Error ? error.message : String(error);
  }
}

interface Step {
  title: string;
  run(): Promise<void>;
}

function listSteps(args: DeployArgs, config: DeployConfig, io: CliIo): Step[] {
  const configArgs = args.config ? ["--config", args.config] : [];
  const opts: ResourceOptions = { yes: args.yes, configArgs, command: (rest) => ["npm exec -- wrangler", rest, ...configArgs].join(" ") };
  return [
    { title: "D1 database", run: () => ensureDatabase(config, opts, io) },
    { title: "queues", run: () => ensureQueues(config, opts, io) },
    { title: "secrets", run: () => checkSecrets(config, opts, io) },
    {
      title: "migrations",
      run: async () => {
        await applyMigrations({ remote: true, config: args.config });
        io.out("Remote D1 migrations: applied.");
      },
    },
    {
      title: "Worker",
      run: async () => {
        const result = await runWrangler(["deploy", ...configArgs]);
        if (result.code !== 0) throw new DeployStop(`wrangler deploy failed:\n${result.stderr.trim() || result.stdout.trim()}`);
        io.out(result.stdout.trim());
      },
    },
    {
      title: "content",
      run: async () => {
        const code = await runPublish(["--remote", ...configArgs, "--content", args.contentDir], io);
        if (code !== 0)
          throw new DeployStop("The publish did not finish (above). The Worker is deployed; fix what it names and run npm run publish -- --remote.");
        // Pages that state the settings (the privacy page) change with the deployed configuration, whatever the publish changed.
        if (process.env.ADMIN_TOKEN) await purgeEdgeAfterPublish([cacheTags.settings], { siteUrl: config.siteUrl, token: process.env.ADMIN_TOKEN }, io);
      },
    },
  ];
}

/** Runs the deploy command with these arguments; resolves to the exit code. */
export async function runDeploy(argv: string[], io: CliIo): Promise<number> {
  const args = parseDeployArgs(argv);
  if (typeof args === "string") {
    io.err(`${args}\n\n${DEPLOY_USAGE}`);
    return 2;
  }
  if (args.help) {
    io.out(DEPLOY_USAGE);
    return 0;
  }
  let config: DeployConfig;
  try {
    config = await readDeployConfig(args.config);
  } catch (error) {
    io.err(error instanceof Error ? error.message : String(error));
    return 2;
  }
  const refused = checkRemoteSiteUrl(config.siteUrl, config.file);
  if (refused) {
    io.err(refused);
    return 2;
  }
  // The legal pages are checked here, not only by the publish at the end: by
  // then the Worker would already be live with the placeholders.
  const settings = await readSourceSettings(args.config);
  const content = await readContentFiles(args.contentDir, settings);
  const placeholders = await findPlaceholders(args.contentDir, content.sources);
  if (placeholders.length > 0) {
    io.err(formatPlaceholderRefusal(placeholders, (file) => path.relative(process.cwd(), path.join(args.contentDir, file)) || file));
    return 2;
  }
  if (!process.env.ADMIN_TOKEN) {
    io.err(
      "ADMIN_TOKEN is not set in this shell, so the publish at the end cannot purge the edge cache (pages cached in the meantime refresh within a day). Export the Worker's admin token to have it purge: export ADMIN_TOKEN=…",
    );
  }
  const steps = listSteps(args, config, io);
  for (const [i, step] of steps.entries()) {
    io.out(`\n[${i + 1}/${steps.length}] ${step.title}`);
    try {
      await step.run();
    } catch (error) {
      io.err(error instanceof Error ? error.message : String(error));
      const notRun = steps.slice(i + 1).map((s) => s.title);
      io.err(`\nDeploy stopped at step ${i + 1} (${step.title})${notRun.length > 0 ? `; not run: ${notRun.join(", ")}` : ""}.`);
      return 1;
    }
  }
  io.out(`\nDeployed: ${config.siteUrl}`);
  return 0;
}
