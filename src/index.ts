// Wiring only: the platform's entry points.
import app from "./app";
import { handleScheduledCleanup } from "./comments/cleanup";
import { handleCommentBatch, handleDeadLetterBatch } from "./comments/consumer";
import { DIGEST_CRON, handleHeldDigest } from "./comments/held-mail";
import { handleReaderMailSweep } from "./comments/reader-mail";
import { warnWeakAdminToken } from "./config";

/** Queues whose name ends in this are dead-letter queues (see wrangler.toml). */
const DEAD_LETTER_SUFFIX = "-dlq";

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => {
    warnWeakAdminToken(env);
    return app.fetch(request, env, ctx);
  },
  queue: (batch, env, ctx) => (batch.queue.endsWith(DEAD_LETTER_SUFFIX) ? handleDeadLetterBatch(batch, env, ctx) : handleCommentBatch(batch, env, ctx)),
  scheduled: async (controller, env) => {
    if (controller.cron === DIGEST_CRON) {
      await handleHeldDigest(env, controller.scheduledTime);
      await handleReaderMailSweep(env, controller.scheduledTime);
    } else await handleScheduledCleanup(env, controller.scheduledTime);
  },
} satisfies ExportedHandler<Env, unknown>;
