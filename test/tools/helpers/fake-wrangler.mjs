// A stand-in for the wrangler CLI, for tests of the commands that talk to a
// Cloudflare account (npm run deploy, npm run publish -- --remote). The tools
// run it in wrangler's place when WRANGLER_BIN names this file. It appends
// each call's arguments to the JSON-lines file FAKE_WRANGLER_LOG and answers
// from the account described in the JSON file FAKE_WRANGLER_STATE, the way
// wrangler 4 prints (JSON for `d1 list --json`, `secret list`, `d1 execute
// --json`), and keeps what a call creates there for the calls after it.
//
// State: { databases: [{ uuid, name }], queues: [name], workerExists, secrets: [name],
//          newDatabaseId, fail: { "<command words>": "error message" } }
import { randomUUID } from "node:crypto";
import { appendFileSync, readFileSync, writeFileSync } from "node:fs";

const args = process.argv.slice(2);
const statePath = process.env.FAKE_WRANGLER_STATE;
const logPath = process.env.FAKE_WRANGLER_LOG;
if (!statePath || !logPath) {
  process.stderr.write("fake wrangler: set FAKE_WRANGLER_STATE and FAKE_WRANGLER_LOG\n");
  process.exit(2);
}
const state = JSON.parse(readFileSync(statePath, "utf8"));
const words = args.filter((arg, i) => !arg.startsWith("-") && !(args[i - 1] ?? "").match(/^--(config|command|file|format|persist-to)$/));
// The command is its leading words: "d1 list", "queues info", "deploy", "d1 migrations apply".
const command = ["d1", "queues", "secret"].includes(words[0]) ? words.slice(0, words[1] === "migrations" ? 3 : 2).join(" ") : (words[0] ?? "");
const operand = words[command.split(" ").length];
const flag = (name) => (args.includes(name) ? args[args.indexOf(name) + 1] : undefined);

const entry = { args };
const sqlFile = flag("--file");
if (sqlFile) entry.sql = readFileSync(sqlFile, "utf8");
appendFileSync(logPath, `${JSON.stringify(entry)}\n`);

function save() {
  writeFileSync(statePath, JSON.stringify(state, null, 2));
}

function fail(message) {
  process.stderr.write(`\n✘ [ERROR] ${message}\n\n`);
  process.exit(1);
}

function print(text) {
  process.stdout.write(`${text}\n`);
}

const failure = state.fail?.[command];
if (failure) fail(failure);

/** One statement's result as `d1 execute --json` prints it. */
const result = (results) => ({ results, success: true, meta: { duration: 0.1, changes: 0, rows_read: 0, rows_written: 0 } });

switch (command) {
  case "d1 list":
    print(
      JSON.stringify(
        state.databases.map((db) => ({ ...db, created_at: "2026-10-01T00:00:00.000Z", version: "production", num_tables: 0, file_size: 0 })),
        null,
        2,
      ),
    );
    break;
  case "d1 create":
    state.databases.push({ uuid: state.newDatabaseId ?? randomUUID(), name: operand });
    save();
    print(`✅ Successfully created DB '${operand}'\nCreated your new D1 database.`);
    break;
  case "queues info":
    if (!state.queues.includes(operand)) fail(`Queue "${operand}" does not exist. To create it, run: wrangler queues create ${operand}`);
    print(`Queue Name: ${operand}\nQueue ID: ${operand}-id\nNumber of Producers: 0\nNumber of Consumers: 0`);
    break;
  case "queues create":
    state.queues.push(operand);
    save();
    print(`Creating queue ${operand}.\nCreated queue ${operand}.`);
    break;
  case "secret list":
    if (!state.workerExists) fail(`Worker "edge-blog" not found.\n\nIf this is a new Worker, run \`wrangler deploy\` first to create it.`);
    print(
      JSON.stringify(
        state.secrets.map((name) => ({ name, type: "secret_text" })),
        null,
        "  ",
      ),
    );
    break;
  case "secret put":
    // On a Worker that was never deployed, wrangler first creates it, empty, to hold the secret.
    state.workerExists = true;
    if (!state.secrets.includes(operand)) state.secrets.push(operand);
    save();
    print(`✨ Success! Uploaded secret ${operand}`);
    break;
  case "d1 migrations apply":
    print("Migrations to be applied:\n0001_init.sql\n✅ 0001_init.sql");
    break;
  case "deploy":
    state.workerExists = true;
    save();
    print("Uploaded edge-blog\nDeployed edge-blog triggers\n  https://edge-blog.example.workers.dev");
    break;
  case "d1 execute":
    if (sqlFile) {
      // Remotely wrangler reports an imported file as one summary row.
      const count = entry.sql.split(/;\s*\n/).filter((s) => s.trim()).length;
      print(JSON.stringify([result([{ "Total queries executed": count, "Rows read": 0, "Rows written": count }])]));
    } else {
      // An empty database: each statement of --command reads no rows.
      const count = (flag("--command") ?? "").split(";").filter((s) => s.trim()).length;
      print(JSON.stringify(Array.from({ length: count }, () => result([]))));
    }
    break;
  default:
    fail(`fake wrangler does not know "${args.join(" ")}"`);
}
