// What must exist on the Cloudflare account before the Worker can run: the
// D1 database, the comment queue and its dead-letter queue, and the secrets.
// Each check asks wrangler; what is missing is created after asking (or with
// --yes), except the secrets, whose values only the site owner can choose.

import type { CliIo } from "../lib/terminal-io";
import { isRecord, runWrangler, type WranglerResult } from "../lib/wrangler";
import { type DeployConfig, PLACEHOLDER_DATABASE_ID, writeDatabaseId } from "./deploy-config";

/** A step that cannot go on: its message says what failed and what to do. */
export class DeployStop extends Error {}

export interface ResourceOptions {
  /** Create what is missing without asking (--yes). */
  yes: boolean;
  /** The flags every wrangler call gets (--config FILE). */
  configArgs: string[];
  /** How the messages spell a wrangler command: `npm exec -- wrangler …`. */
  command: (args: string) => string;
}

/** The secrets the Worker reads: without the required ones comments and the admin stay closed. */
const WORKER_SECRETS = [
  { name: "FORM_SECRET", required: true, what: "signs comment forms and unsubscribe links" },
  { name: "IP_HASH_SALT", required: true, what: "salts the stored IP and e-mail hashes" },
  { name: "ADMIN_TOKEN", required: true, what: "the editors' key to /admin (at least 32 characters: openssl rand -base64 32)" },
  { name: "PREVIEW_SECRET", required: false, what: "signs the links of npm run preview (unset: previews are off)" },
] as const;

function failure(result: WranglerResult): string {
  return (result.stderr.trim() || result.stdout.trim() || `exit code ${result.code}`).replace(/^/gm, "  ");
}

/** wrangler's message plus what usually helps: logging in to the account. */
function stop(doing: string, result: WranglerResult, opts: ResourceOptions): DeployStop {
  const login = /auth|log ?in|token|credential/i.test(result.stderr + result.stdout) ? `\nLog in first: ${opts.command("login")}` : "";
  return new DeployStop(`wrangler failed while ${doing}:\n${failure(result)}${login}`);
}

/** The JSON array wrangler printed (on a line of its own, after any banner). */
function parseJsonArray(stdout: string): unknown[] | null {
  const start = stdout.search(/^\[/m);
  if (start < 0) return null;
  try {
    const value: unknown = JSON.parse(stdout.slice(start));
    return Array.isArray(value) ? value : null;
  } catch {
    return null;
  }
}

async function listDatabases(opts: ResourceOptions): Promise<{ uuid: string; name: string }[]> {
  const result = await runWrangler(["d1", "list", "--json", ...opts.configArgs]);
  const list = result.code === 0 ? parseJsonArray(result.stdout) : null;
  if (!list) throw stop("listing the D1 databases", result, opts);
  return list.flatMap((db) => (isRecord(db) && typeof db.uuid === "string" && typeof db.name === "string" ? [{ uuid: db.uuid, name: db.name }] : []));
}

async function confirmCreate(what: string, opts: ResourceOptions, io: CliIo, byHand: string): Promise<void> {
  if (opts.yes) return;
  const answer = await io.confirm(`Create ${what} on your Cloudflare account?`);
  if (answer === true) return;
  const why = answer === null ? "there is no terminal to ask on: run again with --yes to create it," : "not created:";
  throw new DeployStop(`${what} does not exist yet and ${why} or create it yourself with ${byHand}`);
}

/**
 * The D1 database of the DB binding. With the placeholder id, one of that
 * name is looked up (or created) and its id written into the configuration;
 * with a real id, the account must have it.
 */
export async function ensureDatabase(config: DeployConfig, opts: ResourceOptions, io: CliIo): Promise<void> {
  const { name, id } = config.database;
  const databases = await listDatabases(opts);
  if (id !== PLACEHOLDER_DATABASE_ID) {
    if (databases.some((db) => db.uuid === id)) return io.out(`D1 database ${name} (${id}): found.`);
    throw new DeployStop(
      `${config.file} names the D1 database ${id}, which this Cloudflare account does not have. ` +
        `Check that you are logged in to the right account (${opts.command("whoami")}), or set database_id back to "${PLACEHOLDER_DATABASE_ID}" to look it up by name.`,
    );
  }
  let found = databases.find((db) => db.name === name);
  if (!found) {
    await confirmCreate(`the D1 database ${name}`, opts, io, opts.command(`d1 create ${name}`));
    const created = await runWrangler(["d1", "create", name, ...opts.configArgs]);
    if (created.code !== 0) throw stop(`creating the D1 database ${name}`, created, opts);
    io.out(`D1 database ${name}: created.`);
    found = (await listDatabases(opts)).find((db) => db.name === name);
    if (!found)
      throw new DeployStop(`wrangler created the D1 database ${name}, but ${opts.command("d1 list")} does not show it yet: run the deploy again in a minute.`);
  }
  await writeDatabaseId(config, found.uuid);
  io.out(`D1 database ${name} (${found.uuid}): its id is now in ${config.file}; commit that change.`);
}

/** Each queue the Worker produces to or consumes from, dead-letter queues included. */
export async function ensureQueues(config: DeployConfig, opts: ResourceOptions, io: CliIo): Promise<void> {
  for (const queue of config.queues) {
    // `queues info` answers for one name exactly; `queues list` prints a table, page by page.
    const info = await runWrangler(["queues", "info", queue, ...opts.configArgs]);
    if (info.code === 0) {
      io.out(`Queue ${queue}: found.`);
      continue;
    }
    if (!/does not exist/i.test(info.stderr + info.stdout)) throw stop(`looking up the queue ${queue}`, info, opts);
    await confirmCreate(`the queue ${queue}`, opts, io, opts.command(`queues create ${queue}`));
    const created = await runWrangler(["queues", "create", queue, ...opts.configArgs]);
    if (created.code !== 0) throw stop(`creating the queue ${queue}`, created, opts);
    io.out(`Queue ${queue}: created.`);
  }
}

/**
 * The Worker's secrets, by name (wrangler never shows values). A Worker that
 * was never deployed has none; `wrangler secret put` creates it, empty, with the secret.
 */
export async function checkSecrets(config: DeployConfig, opts: ResourceOptions, io: CliIo): Promise<void> {
  const result = await runWrangler(["secret", "list", "--format", "json", ...opts.configArgs]);
  const neverDeployed = result.code !== 0 && /not found|does not exist/i.test(result.stderr + result.stdout);
  const list = result.code === 0 ? parseJsonArray(result.stdout) : neverDeployed ? [] : null;
  if (!list) throw stop(`listing the secrets of the Worker ${config.workerName}`, result, opts);
  const present = new Set(list.flatMap((s) => (isRecord(s) && typeof s.name === "string" ? [s.name] : [])));
  const missing = WORKER_SECRETS.filter((s) => !present.has(s.name));
  for (const secret of missing.filter((s) => !s.required)) {
    io.out(`Secret ${secret.name} is not set (optional: ${secret.what}): ${opts.command(`secret put ${secret.name}`)}`);
  }
  const required = missing.filter((s) => s.required);
  if (required.length === 0) {
    const set = WORKER_SECRETS.filter((s) => present.has(s.name)).map((s) => s.name);
    return io.out(`Secrets: ${set.join(", ")} are set.`);
  }
  const lines = required.map((s) => `  ${opts.command(`secret put ${s.name}`)}   # ${s.what}`);
  throw new DeployStop(
    `The Worker ${config.workerName} lacks ${required.length === 1 ? "a secret" : "secrets"} it needs. Set each (it asks for the value; use a long random one, e.g. openssl rand -base64 32), then run the deploy again:\n${lines.join("\n")}`,
  );
}
