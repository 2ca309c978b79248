// `npm run bench:comments`: a load script, not a test. Submits 2,000 comments
// at 50 in flight to the comment endpoint of a local Worker while the queue
// consumer fails a quarter of the first deliveries, then checks that every
// accepted comment was stored exactly once.
//
// The Worker is bench/fixtures/fault-injecting-worker.ts: the real Worker
// (src/index.ts) with an unchanged `fetch` and a `queue` handler that, for each
// message on the comment queue whose attempts === 1 and whose comment id hashes
// into the fault rate, calls msg.retry() and does not pass it on; the rest go
// to the real consumer. It is bundled like the real Worker (wrangler deploy
// --dry-run with that entry) and run in Miniflare with everything wrangler.toml
// configures (vars, D1, the queue producer, the comment queue's consumer with
// its dead-letter queue, the dead-letter queue's consumer) and the secrets of
// .dev.vars / .dev.vars.example. For the load run only, each queue consumer's
// max_batch_timeout and retry_delay are capped at 1 s (wrangler.toml: 2 s / 10 s
// and 5 s / 30 s), so the tail of the run does not wait on batch timers; the
// consumer's own backoff on real failures (msg.retry with 10 s, 20 s …) is unchanged.
//
// Each request: POST /articles/<slug>/comments, JSON with author, a unique
// e-mail, a unique comment text and a form token issued a minute earlier, and a
// unique CF-Connecting-IP header, so the flood and rate checks stay on and see
// one comment per sender. Then D1 is polled until as many comments are stored
// as were accepted (202), or a timeout.
//
//   npm run bench:comments
//   npm run bench:comments -- --comments=500 --concurrency=20 --fault-rate=0.5
//
// Options (flag or environment variable):
//   --comments=N      BENCH_COMMENTS             submissions (default 2000)
//   --concurrency=N   BENCH_CONCURRENCY          requests in flight (default 50)
//   --fault-rate=F    BENCH_FAULT_RATE           share of first deliveries failed, 0 to 1 (default 0.25)
//   --fault-delay=S   BENCH_FAULT_DELAY_SECONDS  delaySeconds of the injected retry (default 1)
//   --timeout=S       BENCH_STORE_TIMEOUT        seconds to wait for the comments to be stored (default 120)
//
// Exits 1 when accepted != stored, an accepted id is missing or a stored row
// was not accepted, any comment is stored twice, any response is 5xx or the
// request failed, nothing was accepted, or the injected faults differ from the
// recomputed set (the check would then not test what it claims). Results are
// printed and written to bench/results/comments-load.json.

import path from "node:path";
import { parseArgs } from "node:util";
import { Log, LogLevel, type V4WorkerOptions } from "miniflare";
import { createFormToken } from "../src/comments/form-token";
import { sha256Hex } from "../src/lib/crypto";
import { numberSetting } from "./lib/args";
import { buildBundle } from "./lib/bundle";
import { FAULT_LOG_PREFIX, failsFirstAttempt } from "./lib/fault-hash";
import { percentile } from "./lib/load";
import { formatTable, machine, toolVersions, writeJson } from "./lib/report";
import { cleanUp, runBench, trackBundleDir } from "./lib/run";
import { type D1Client, seedDatabase } from "./lib/seed";
import { type RunningWorker, realWorkerOptions, startWorker, textBinding } from "./lib/worker";

const ROOT = path.resolve(import.meta.dirname, "..");
const RESULTS_FILE = path.join(ROOT, "bench", "results", "comments-load.json");
const ENTRY = "bench/fixtures/fault-injecting-worker.ts";
const SEED_ARTICLE = "content/internet-und-kmu-ein-versuch.md";
/** The queue binding the endpoint sends to (wrangler.toml [[queues.producers]]). */
const PRODUCER_BINDING = "COMMENT_QUEUE";
/** Cap on each consumer's max_batch_timeout and retry_delay for the load run, in seconds. */
const QUEUE_TIMER_CAP_SECONDS = 1;
/** How long to keep watching after the last comment was stored, for late extra rows. */
const SETTLE_MS = 2_000;
const POLL_MS = 200;

interface Settings {
  comments: number;
  concurrency: number;
  faultRate: number;
  faultDelaySeconds: number;
  timeoutSeconds: number;
}

function settingsFromArgs(): Settings {
  const { values } = parseArgs({
    options: {
      comments: { type: "string" },
      concurrency: { type: "string" },
      "fault-rate": { type: "string" },
      "fault-delay": { type: "string" },
      timeout: { type: "string" },
    },
  });
  const faultRate = numberSetting(values["fault-rate"], "BENCH_FAULT_RATE", 0.25, 0, "fault-rate");
  if (faultRate > 1) throw new Error(`BENCH_FAULT_RATE / --fault-rate must be at most 1, got ${faultRate}`);
  const comments = Math.round(numberSetting(values.comments, "BENCH_COMMENTS", 2_000, 1));
  if (comments > 16_000_000) throw new Error("at most 16,000,000 comments (one IPv4 address in 10.0.0.0/8 each)");
  return {
    comments,
    concurrency: Math.round(numberSetting(values.concurrency, "BENCH_CONCURRENCY", 50, 1)),
    faultRate,
    faultDelaySeconds: numberSetting(values["fault-delay"], "BENCH_FAULT_DELAY_SECONDS", 1, 0, "fault-delay"),
    timeoutSeconds: numberSetting(values.timeout, "BENCH_STORE_TIMEOUT", 120, 1, "timeout"),
  };
}

/** Miniflare's log: records every line (queue batches, dead-letter moves) and prints warnings and errors. */
class RecordingLog extends Log {
  readonly lines: { level: LogLevel; message: string }[] = [];
  constructor() {
    super(LogLevel.WARN);
  }
  override logWithLevel(level: LogLevel, message: string): void {
    this.lines.push({ level, message });
    super.logWithLevel(level, message);
  }
}

/** The Worker's console output: fault-injector lines are counted, the rest kept (and the first few printed). */
class WorkerConsole {
  readonly faulted: string[] = [];
  readonly other: { level: string; message: string }[] = [];
  handle = (log: { level: string; message: string }) => {
    for (const line of log.message.split("\n")) {
      if (line.startsWith(FAULT_LOG_PREFIX)) {
        this.faulted.push(line.slice(FAULT_LOG_PREFIX.length).trim().split(" ")[0] ?? "");
      } else if (line.trim() !== "") {
        this.other.push({ level: log.level, message: line });
        if (this.other.length <= 20) console.error(`worker ${log.level}: ${line}`);
        if (this.other.length === 20) console.error("worker: (further worker output is counted, not printed)");
      }
    }
  };
}

/** The Worker's options for the load run: wrangler.toml's, the fault settings, shorter queue timers. */
function loadWorkerOptions(base: V4WorkerOptions, settings: Settings): { options: V4WorkerOptions; queue: string; changes: string[] } {
  const producers = (base.queueProducers ?? {}) as Record<string, { queueName?: string } | string>;
  const producer = producers[PRODUCER_BINDING];
  const queue = typeof producer === "string" ? producer : producer?.queueName;
  if (!queue) throw new Error(`wrangler.toml has no queue producer ${PRODUCER_BINDING}`);
  const consumers = base.queueConsumers;
  if (consumers === undefined || Array.isArray(consumers)) throw new Error("expected wrangler.toml's queue consumers as an object of options");
  const main = consumers[queue];
  if (!main) throw new Error(`wrangler.toml has no consumer for ${queue}`);
  if (!main.deadLetterQueue || !consumers[main.deadLetterQueue]) {
    throw new Error(`expected ${queue} to have a dead-letter queue with its own consumer in wrangler.toml`);
  }
  const changes: string[] = [];
  const shortened: typeof consumers = {};
  for (const [name, consumer] of Object.entries(consumers)) {
    const cap = (key: "maxBatchTimeout" | "retryDelay", label: string) => {
      const value = consumer[key];
      if (value === undefined || value > QUEUE_TIMER_CAP_SECONDS) {
        changes.push(`${name}: ${label} ${value ?? "(default)"} -> ${QUEUE_TIMER_CAP_SECONDS}`);
        return QUEUE_TIMER_CAP_SECONDS;
      }
      return value;
    };
    shortened[name] = { ...consumer, maxBatchTimeout: cap("maxBatchTimeout", "max_batch_timeout"), retryDelay: cap("retryDelay", "retry_delay") };
  }
  const faultVars = {
    FAULT_RATE: String(settings.faultRate),
    FAULT_RETRY_DELAY_SECONDS: String(settings.faultDelaySeconds),
    FAULT_QUEUE: queue,
  };
  changes.push(
    `added bindings ${Object.entries(faultVars)
      .map(([k, v]) => `${k}=${v}`)
      .join(", ")} (read by the fixture only)`,
  );
  return {
    options: { ...base, bindings: { ...(base.bindings as Record<string, string>), ...faultVars }, queueConsumers: shortened },
    queue,
    changes,
  };
}

interface Submission {
  index: number;
  ip: string;
  email: string;
  status: number;
  /** The comment id of a 202 answer. */
  id: string | null;
  ms: number;
  /** A failed request (no HTTP answer) or an unreadable answer. */
  error: string | null;
  /** The answer's body, for anything but 202 (first 300 characters). */
  detail: string | null;
}

/** 10.a.b.c for the index'th submission (index from 0, one address each). */
function ipFor(index: number): string {
  const n = index + 1;
  return `10.${(n >>> 16) & 255}.${(n >>> 8) & 255}.${n & 255}`;
}

let stopping = false;

/** Sends the submissions, `concurrency` at a time, and records each answer. */
async function submitAll(
  url: URL,
  count: number,
  concurrency: number,
  body: (index: number) => { ip: string; email: string; json: string },
): Promise<{ submissions: Submission[]; seconds: number }> {
  if (url.hostname !== "127.0.0.1" && url.hostname !== "localhost") throw new Error(`refusing to load a non-local URL: ${url.href}`);
  const submissions: Submission[] = [];
  let next = 0;
  const began = performance.now();
  const lane = async () => {
    while (!stopping && next < count) {
      const index = next++;
      const { ip, email, json } = body(index);
      const started = performance.now();
      const record: Submission = { index, ip, email, status: 0, id: null, ms: 0, error: null, detail: null };
      try {
        const res = await fetch(url, {
          method: "POST",
          headers: { "content-type": "application/json", "cf-connecting-ip": ip, "user-agent": "edge-blog-bench/comments-load" },
          body: json,
        });
        const text = await res.text();
        record.ms = performance.now() - started;
        record.status = res.status;
        if (res.status === 202) {
          const parsed = JSON.parse(text) as { id?: unknown };
          if (typeof parsed.id !== "string") throw new Error(`202 without an id: ${text.slice(0, 200)}`);
          record.id = parsed.id;
        } else {
          record.detail = text.slice(0, 300);
        }
      } catch (err) {
        record.ms = performance.now() - started;
        record.error = err instanceof Error ? err.message : String(err);
      }
      submissions.push(record);
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, lane));
  return { submissions, seconds: (performance.now() - began) / 1000 };
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function scalar(db: D1Client, sql: string): Promise<number> {
  const row = await db.prepare(sql).first<{ n: number }>();
  return row?.n ?? 0;
}

async function main(): Promise<number> {
  const settings = settingsFromArgs();
  const log = (message: string) => console.error(`bench:comments: ${message}`);

  log(`bundling ${ENTRY} with wrangler deploy --dry-run`);
  const bundle = await buildBundle(ROOT, ENTRY);
  trackBundleDir(bundle.dir);
  try {
    const { options, queue, changes } = loadWorkerOptions(realWorkerOptions(ROOT, bundle), settings);
    for (const change of changes) log(`load-run option: ${change}`);
    const formSecret = textBinding(options, "FORM_SECRET");
    const ipSalt = textBinding(options, "IP_HASH_SALT");

    const mfLog = new RecordingLog();
    const workerConsole = new WorkerConsole();
    const worker: RunningWorker = await startWorker("comments-load", options, { log: mfLog, handleStructuredLogs: workerConsole.handle });
    log(`Worker up in ${worker.startupMs.toFixed(0)} ms (workerd pid ${worker.pid}, ${worker.url.href})`);
    const db = (await worker.mf.getD1Database("DB")) as D1Client;
    const [article] = await seedDatabase(db, ROOT, [SEED_ARTICLE]);
    if (!article) throw new Error("no seed article");

    // Issued a minute ago: past COMMENT_MIN_SECONDS, far from expiry.
    const token = await createFormToken(formSecret, article.id, Date.now() - 60_000);
    const run = Date.now().toString(36);
    const url = new URL(`/articles/${article.slug}/comments`, worker.url);
    log(
      `submitting ${settings.comments} comments, ${settings.concurrency} in flight, to ${url.href}; ` +
        `failing ${settings.faultRate * 100}% of first deliveries on ${queue} (retry after ${settings.faultDelaySeconds} s)`,
    );
    const submitStarted = performance.now();
    const { submissions, seconds } = await submitAll(url, settings.comments, settings.concurrency, (i) => {
      const email = `reader-${run}-${i}@example.com`;
      return {
        ip: ipFor(i),
        email,
        json: JSON.stringify({
          author: `Load Reader ${i}`,
          email,
          comment: `Comment ${i} of load run ${run}: does every accepted comment arrive exactly once?`,
          token,
        }),
      };
    });
    const lastAnswerAt = performance.now();
    const accepted = submissions.filter((s) => s.status === 202 && s.id !== null);
    const acceptedIds = new Set(accepted.map((s) => s.id as string));
    log(
      `${submissions.length} answered in ${seconds.toFixed(2)} s; ${accepted.length} accepted; waiting for them to be stored (timeout ${settings.timeoutSeconds} s)`,
    );

    // Poll until as many comments are stored as were accepted, then watch a little longer.
    let stored = 0;
    let allStoredAt: number | null = null;
    const deadline = performance.now() + settings.timeoutSeconds * 1000;
    let lastReport = performance.now();
    while (!stopping && performance.now() < deadline) {
      stored = await scalar(db, "SELECT count(*) AS n FROM comments");
      if (stored >= accepted.length) {
        allStoredAt = performance.now();
        break;
      }
      if (performance.now() - lastReport > 5_000) {
        log(`${stored} of ${accepted.length} stored`);
        lastReport = performance.now();
      }
      await sleep(POLL_MS);
    }
    if (allStoredAt !== null) await sleep(SETTLE_MS);
    else log(`timed out with ${stored} of ${accepted.length} stored`);

    // What D1 holds now.
    const rows = (
      await db
        .prepare("SELECT id, email, body_raw AS text, ip_hash AS ipHash FROM comments")
        .all<{ id: string; email: string; text: string; ipHash: string | null }>()
    ).results;
    const countAll = await scalar(db, "SELECT count(*) AS n FROM comments");
    const countDistinct = await scalar(db, "SELECT count(DISTINCT id) AS n FROM comments");
    const duplicateGroups = await scalar(db, "SELECT count(*) AS n FROM (SELECT 1 FROM comments GROUP BY lower(email), body_raw HAVING count(*) > 1)");
    const duplicateRows = await scalar(
      db,
      "SELECT coalesce(sum(c - 1), 0) AS n FROM (SELECT count(*) AS c FROM comments GROUP BY lower(email), body_raw HAVING count(*) > 1)",
    );
    const submissionRows = await scalar(db, "SELECT count(*) AS n FROM comment_submissions");
    const failedMessages = (await db.prepare("SELECT queue, error, attempts FROM failed_messages").all<{ queue: string; error: string; attempts: number }>())
      .results;
    const storedIds = new Set(rows.map((r) => r.id));
    const missing = [...acceptedIds].filter((id) => !storedIds.has(id));
    const unexpected = rows.filter((r) => !acceptedIds.has(r.id)).map((r) => r.id);

    // The client IP the Worker saw: each stored row's ip_hash against the hash of the IP sent with it.
    const sentIp = new Map(accepted.map((s) => [s.id as string, s.ip]));
    let ipMatches = 0;
    for (const row of rows) {
      const ip = sentIp.get(row.id);
      if (ip && row.ipHash === (await sha256Hex(`${ipSalt}|ip|${ip}`))) ipMatches++;
    }

    // The injected faults: as logged by the fixture, and recomputed from the accepted ids.
    const loggedFaults = new Set(workerConsole.faulted);
    const expectedFaults = new Set([...acceptedIds].filter((id) => failsFirstAttempt(id, settings.faultRate)));
    // Each logged once, none outside the recomputed set; and, once everything was
    // stored (so every message was delivered at least once), all of that set.
    const faultsAsDesigned =
      workerConsole.faulted.length === loggedFaults.size &&
      [...loggedFaults].every((id) => expectedFaults.has(id)) &&
      (allStoredAt === null || loggedFaults.size === expectedFaults.size);
    const faultedStored = [...expectedFaults].filter((id) => storedIds.has(id)).length;

    // Miniflare's queue log: one line per delivered batch, e.g. "QUEUE edge-blog-comments 7/10 (12ms)".
    type BatchStats = { batches: number; acked: number; delivered: number; handlerMs: number };
    const batches: Record<string, BatchStats> = { [queue]: { batches: 0, acked: 0, delivered: 0, handlerMs: 0 } };
    for (const { message } of mfLog.lines) {
      const m = /QUEUE\s+(\S+)\s+(\d+)\/(\d+)(?:\s+\((\d+)ms\))?/.exec(message.replace(/\x1b\[[0-9;]*m/g, ""));
      if (!m?.[1]) continue;
      const entry = batches[m[1]] ?? { batches: 0, acked: 0, delivered: 0, handlerMs: 0 };
      batches[m[1]] = entry;
      entry.batches++;
      entry.acked += Number(m[2]);
      entry.delivered += Number(m[3]);
      entry.handlerMs += Number(m[4] ?? 0);
    }
    const deadLettered = mfLog.lines.filter((l) => /dead letter queue/i.test(l.message)).length;
    const consumerRetries = workerConsole.other.filter((l) => l.message.includes("will retry")).length;

    const statusCounts: Record<string, number> = {};
    for (const s of submissions) {
      const key = s.error !== null ? "error" : String(s.status);
      statusCounts[key] = (statusCounts[key] ?? 0) + 1;
    }
    const serverErrors = submissions.filter((s) => s.status >= 500).length;
    const requestErrors = submissions.filter((s) => s.error !== null).length;
    const latencies = Float64Array.from(submissions.filter((s) => s.error === null).map((s) => s.ms)).sort();
    const samples = new Map<string, string>();
    for (const s of submissions) {
      const key = s.error !== null ? "error" : String(s.status);
      if (key !== "202" && !samples.has(key)) samples.set(key, s.error ?? s.detail ?? "");
    }

    const checks = {
      acceptedEqualsStored: accepted.length === countAll,
      noneMissing: missing.length === 0,
      noneUnexpected: unexpected.length === 0,
      noDuplicates: duplicateGroups === 0 && countAll === countDistinct,
      no5xx: serverErrors === 0,
      noRequestErrors: requestErrors === 0,
      someAccepted: accepted.length > 0,
      faultsAsDesigned,
    };
    const pass = Object.values(checks).every(Boolean);

    const secondsSince = (t: number | null, from: number) => (t === null ? null : (t - from) / 1000);
    const fixed = (n: number | null, digits: number) => (n === null || !Number.isFinite(n) ? "n/a" : n.toFixed(digits));
    const yes = (ok: boolean) => (ok ? "ok" : "FAILED");
    const otherStatuses = Object.entries(statusCounts).filter(([k]) => k !== "202");
    const figures: [string, string][] = [
      ["requests sent", String(submissions.length)],
      ["accepted (202)", String(accepted.length)],
      ["other answers", otherStatuses.length === 0 ? "none" : otherStatuses.map(([k, n]) => `${k}: ${n}`).join(", ")],
      ["stored rows", `${countAll} (distinct ids ${countDistinct})`],
      ["accepted, not stored", String(missing.length)],
      ["stored, not accepted", String(unexpected.length)],
      ["duplicate comments", `${duplicateGroups} e-mail+text stored more than once (${duplicateRows} extra rows)`],
      ["comment_submissions rows", String(submissionRows)],
      ["failed_messages rows", String(failedMessages.length)],
      [
        "first attempts failed",
        `${loggedFaults.size} logged by the injector, ${expectedFaults.size} recomputed from the accepted ids (${fixed((100 * expectedFaults.size) / Math.max(1, accepted.length), 1)}%); ${faultedStored} of them stored`,
      ],
      ["consumer retries", `${consumerRetries} logged by the real consumer; ${deadLettered} messages moved to the dead-letter queue`],
      [
        "queue batches",
        Object.entries(batches)
          .map(
            ([q, b]) =>
              `${q}: ${b.batches} batches, ${b.acked}/${b.delivered} acked, handler ${fixed(b.handlerMs / Math.max(1, b.delivered), 2)} ms per delivered message`,
          )
          .join("; "),
      ],
      ["client IP seen by Worker", `${ipMatches} of ${countAll} stored rows carry the hash of the CF-Connecting-IP sent with them`],
      ["submissions", `${fixed(seconds, 2)} s, ${fixed(submissions.length / seconds, 0)} requests/s`],
      [
        "POST latency",
        `p50 ${fixed(percentile(latencies, 50), 2)} ms, p99 ${fixed(percentile(latencies, 99), 2)} ms, max ${fixed(latencies[latencies.length - 1] ?? null, 2)} ms`,
      ],
      [
        "all stored after",
        allStoredAt === null
          ? `not within ${settings.timeoutSeconds} s`
          : `${fixed(secondsSince(allStoredAt, submitStarted), 2)} s from the first request, ${fixed(secondsSince(allStoredAt, lastAnswerAt), 2)} s after the last answer`,
      ],
    ];

    console.log();
    console.log(
      `${settings.comments} comments, ${settings.concurrency} in flight; fault injector fails ${settings.faultRate * 100}% of first deliveries ` +
        `(retry after ${settings.faultDelaySeconds} s); queue timers capped at ${QUEUE_TIMER_CAP_SECONDS} s`,
    );
    console.log();
    console.log(
      formatTable(
        [
          { title: "figure", align: "left" },
          { title: "value", align: "left" },
        ],
        figures,
      ),
    );
    console.log();
    for (const [status, detail] of samples) console.log(`sample ${status} answer: ${detail.replace(/\s+/g, " ").slice(0, 200)}`);
    console.log(
      formatTable(
        [
          { title: "check", align: "left" },
          { title: "result", align: "left" },
        ],
        Object.entries(checks).map(([k, v]) => [k, yes(v)]),
      ),
    );
    console.log();
    console.log(pass ? "PASS: every accepted comment stored exactly once" : "FAIL: see the checks above");
    console.log();

    await writeJson(RESULTS_FILE, {
      date: new Date().toISOString(),
      machine: machine(),
      versions: await toolVersions(ROOT),
      settings: { ...settings, queueTimerCapSeconds: QUEUE_TIMER_CAP_SECONDS, settleMs: SETTLE_MS },
      miniflareChanges: changes,
      requests: {
        sent: submissions.length,
        accepted: accepted.length,
        statusCounts,
        sampleAnswers: Object.fromEntries(samples),
        seconds,
        requestsPerSecond: submissions.length / seconds,
        latencyMs: {
          p50: percentile(latencies, 50),
          p99: percentile(latencies, 99),
          mean: latencies.length === 0 ? null : latencies.reduce((a, b) => a + b, 0) / latencies.length,
          max: latencies[latencies.length - 1] ?? null,
        },
      },
      storage: {
        storedRows: countAll,
        distinctIds: countDistinct,
        acceptedMissing: missing.length,
        acceptedMissingIds: missing.slice(0, 50),
        storedNotAccepted: unexpected.length,
        storedNotAcceptedIds: unexpected.slice(0, 50),
        duplicateGroups,
        duplicateRows,
        commentSubmissionRows: submissionRows,
        failedMessages: failedMessages.length,
        failedMessageSamples: failedMessages.slice(0, 10),
        ipHashMatches: ipMatches,
        allStoredSecondsFromFirstRequest: secondsSince(allStoredAt, submitStarted),
        allStoredSecondsAfterLastAnswer: secondsSince(allStoredAt, lastAnswerAt),
      },
      queue: {
        name: queue,
        firstAttemptsFailedLogged: loggedFaults.size,
        firstAttemptsFailedRecomputed: expectedFaults.size,
        failedFirstAttemptThenStored: faultedStored,
        consumerRetriesLogged: consumerRetries,
        movedToDeadLetterQueue: deadLettered,
        batches,
      },
      workerOutputLines: workerConsole.other.length,
      checks,
      pass,
    });
    log(`results written to ${path.relative(ROOT, RESULTS_FILE)}`);
    return pass ? 0 : 1;
  } finally {
    await cleanUp();
  }
}

runBench("bench:comments", main, () => {
  stopping = true;
});
