// Wiring only: the platform's entry points.
import app from "./app";
import { handleCommentBatch, handleDeadLetterBatch } from "./comments/consumer";
import { warnWeakAdminToken } from "./config";
import { handleScheduled } from "./jobs";

/** Queues whose name ends in this are dead-letter queues (see wrangler.toml). */
const DEAD_LETTER_SUFFIX = "-dlq";

export default {
  fetch: (request: Request, env: Env, ctx: ExecutionContext) => {
    warnWeakAdminToken(env);
    return app.fetch(request, env, ctx);
  },
  queue: (batch, env, ctx) => (batch.queue.endsWith(DEAD_LETTER_SUFFIX) ? handleDeadLetterBatch(batch, env, ctx) : handleCommentBatch(batch, env, ctx)),
  scheduled: (controller, env, ctx) => handleScheduled(controller, env, ctx),
} satisfies ExportedHandler<Env, unknown>;
