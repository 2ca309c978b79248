// Wiring only: the platform's entry points.
import app from "./app";
import { handleCommentBatch, handleDeadLetterBatch } from "./comments/consumer";

/** Queues whose name ends in this are dead-letter queues (see wrangler.toml). */
const DEAD_LETTER_SUFFIX = "-dlq";

export default {
  fetch: app.fetch,
  queue: (batch, env) =>
    batch.queue.endsWith(DEAD_LETTER_SUFFIX) ? handleDeadLetterBatch(batch, env) : handleCommentBatch(batch, env),
} satisfies ExportedHandler<Env, unknown>;
