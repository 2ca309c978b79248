// Wiring only: the platform's entry points.
import app from "./app";
import { handleScheduledCleanup } from "./comments/cleanup";
import { handleCommentBatch, handleDeadLetterBatch } from "./comments/consumer";
import { DIGEST_CRON, handleHeldDigest } from "./comments/held-mail";
import { handleReaderMailSweep } from "./comments/reader-mail";
import { warnWeakAdminToken } from "./config";
import { runJobs } from "./lib/jobs";

/** Queues whose name ends in this are dead-letter queues (see wrangler.toml). */
const DEAD_LETTER_SUFFIX = "-dlq";

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => {
    warnWeakAdminToken(env);
    return app.fetch(request, env, ctx);
  },
  queue: (batch, env, ctx) => (batch.queue.endsWith(DEAD_LETTER_SUFFIX) ? handleDeadLetterBatch(batch, env, ctx) : handleCommentBatch(batch, env, ctx)),
  scheduled: (controller, env) => {
    const time = controller.scheduledTime;
    return runJobs(
      controller.cron === DIGEST_CRON
        ? [
            ["held-comment digest", () => handleHeldDigest(env, time)],
            ["commenters' mail", () => handleReaderMailSweep(env, time)],
          ]
        : [["clean-up", () => handleScheduledCleanup(env, time)]],
    );
  },
} satisfies ExportedHandler<Env, unknown>;
