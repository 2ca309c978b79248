// The scheduled jobs, by the cron schedule that runs them. Each schedule here
// is one of wrangler.toml's [triggers] crons, and each of those is here (a
// test reads wrangler.toml); the jobs of one schedule run each on its own
// (runJobs), so one that fails keeps none of the others from running.
import { refreshArchiveMonths } from "./articles/archive-counts";
import { handlePendingPurges } from "./cache";
import { handleScheduledCleanup } from "./comments/cleanup";
import { handleHeldDigest } from "./comments/held-mail";
import { handleReaderMailSweep } from "./comments/reader-mail";
import { getSiteSettings } from "./config";
import { getDb } from "./db/client";
import { runJobs } from "./lib/jobs";

/** Daily: spam and trash past COMMENT_EXPIRE_DAYS, old flood records, expired failed messages. */
export const DAILY_CRON = "17 3 * * *";
/** Every 10 minutes: the held-comment digest, the commenters' mail, failed purges again, the archive's counts. */
export const TEN_MINUTE_CRON = "*/10 * * * *";

/** A job: given the bindings and the time the run was scheduled for. */
export type ScheduledJob = [name: string, run: (env: Env, now: number, ctx: ExecutionContext) => Promise<unknown>];

function refreshArchiveCounts(env: Env, now: number): Promise<boolean> {
  const { timeZone, defaultLang } = getSiteSettings(env);
  return refreshArchiveMonths(getDb(env.DB), { now, timeZone, defaultLang });
}

/** Each schedule's jobs, in the order they run. */
export const CRON_JOBS: ReadonlyMap<string, readonly ScheduledJob[]> = new Map<string, readonly ScheduledJob[]>([
  [DAILY_CRON, [["clean-up", handleScheduledCleanup]]],
  [
    TEN_MINUTE_CRON,
    [
      ["held-comment digest", handleHeldDigest],
      ["commenters' mail", handleReaderMailSweep],
      ["edge-cache purges left after a failure", (env, now, ctx) => handlePendingPurges(env, ctx, now)],
      ["archive counts", refreshArchiveCounts],
    ],
  ],
]);

/** The scheduled entry point: runs the jobs of the schedule that fired; a schedule without jobs fails the run. */
export function handleScheduled(controller: ScheduledController, env: Env, ctx: ExecutionContext): Promise<void> {
  const jobs = CRON_JOBS.get(controller.cron);
  if (!jobs) {
    return Promise.reject(new Error(`no jobs for the cron schedule "${controller.cron}"; src/jobs.ts knows ${[...CRON_JOBS.keys()].join(", ")}`));
  }
  const now = controller.scheduledTime;
  return runJobs(jobs.map(([name, run]) => [name, () => run(env, now, ctx)]));
}
