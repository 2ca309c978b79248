// What a deploy needs from the wrangler configuration, read locally before
// anything goes to Cloudflare: the Worker's name, the D1 database behind the
// DB binding, every queue the Worker produces to or consumes from (dead-letter
// queues included), and SITE_URL. Also the one edit a deploy makes to the
// file: the id of a database it found or created, in place of the placeholder.
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { D1_BINDING } from "../lib/wrangler";

/** The database_id wrangler.toml ships with, until the first deploy puts the real one in. */
export const PLACEHOLDER_DATABASE_ID = "00000000-0000-0000-0000-000000000000";

export interface DeployConfig {
  /** The configuration file as the messages name it: as given, or relative to the working directory. */
  file: string;
  /** Its absolute path. */
  path: string;
  /** The Worker's name (`name`). */
  workerName: string;
  database: { name: string; id: string };
  /** Every queue the Worker uses, each once: producers, consumers, dead-letter queues. */
  queues: string[];
  /** SITE_URL as wrangler.toml's [vars] give it. */
  siteUrl: string;
}

/** Reads the configuration (`config`, or the one wrangler finds from the working directory). */
export async function readDeployConfig(config?: string): Promise<DeployConfig> {
  const { unstable_readConfig } = await import("wrangler");
  const read = unstable_readConfig({ config }, { hideWarnings: true });
  const file = read.configPath;
  if (!file) throw new Error("No wrangler configuration found: run the deploy in the project's directory, or name the file with --config.");
  const display = config ?? (path.relative(process.cwd(), file) || file);
  const d1 = read.d1_databases.find((db: { binding: string }) => db.binding === D1_BINDING);
  if (!d1?.database_name) throw new Error(`${display} has no [[d1_databases]] entry with binding = "${D1_BINDING}" and a database_name.`);
  if (!read.name) throw new Error(`${display} has no Worker name (name = "…").`);
  const queues = new Set<string>();
  for (const producer of read.queues.producers ?? []) queues.add(producer.queue);
  for (const consumer of read.queues.consumers ?? []) {
    queues.add(consumer.queue);
    if (consumer.dead_letter_queue) queues.add(consumer.dead_letter_queue);
  }
  const siteUrl = read.vars.SITE_URL;
  return {
    file: display,
    path: file,
    workerName: read.name,
    database: { name: d1.database_name, id: d1.database_id ?? PLACEHOLDER_DATABASE_ID },
    queues: [...queues],
    siteUrl: typeof siteUrl === "string" ? siteUrl : "",
  };
}

const PLACEHOLDER_LINE = new RegExp(`^(\\s*"?database_id"?\\s*[=:]\\s*)"${PLACEHOLDER_DATABASE_ID}"`, "gm");

/**
 * Puts the database's id into the configuration in place of the placeholder.
 * Only an unambiguous file is edited (exactly one placeholder); otherwise the
 * message says which line to change by hand.
 */
export async function writeDatabaseId(config: DeployConfig, id: string): Promise<void> {
  const text = await readFile(config.path, "utf8");
  const matches = text.match(PLACEHOLDER_LINE) ?? [];
  if (matches.length !== 1) {
    throw new Error(
      `Could not put the database id into ${config.file} (${matches.length} placeholder lines): set database_id = "${id}" under the ${D1_BINDING} binding by hand.`,
    );
  }
  await writeFile(config.path, text.replace(PLACEHOLDER_LINE, `$1"${id}"`));
}
