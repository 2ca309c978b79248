// The cron's jobs are independent: a digest that cannot be sent must not keep
// the commenters' mail from going out, nor the other way round.

/** Runs each job in turn, whatever the others did; afterwards throws when any failed, so the run shows as failed. */
export async function runJobs(jobs: [name: string, run: () => Promise<unknown>][]): Promise<void> {
  const failures: unknown[] = [];
  for (const [name, run] of jobs) {
    try {
      await run();
    } catch (err) {
      console.error(`scheduled job "${name}" failed; the others ran`, err);
      failures.push(err);
    }
  }
  if (failures.length > 0) throw new AggregateError(failures, `${failures.length} of ${jobs.length} scheduled jobs failed`);
}
