// Where `npm run comments` reads and moderates: the local D1 through the
// Worker's own service (comments-local.ts), or the deployed blog, read through
// `wrangler d1 execute --remote` and moderated through the Worker's API
// (comments-remote.ts), which calls the same service there.
import type { ModerationAction } from "../../src/comments/moderation";
import type { ModerationOutcome } from "../../src/comments/service";

export interface CommentsBackend {
  /** The rows of one read statement (list, show, the ids behind short ids). */
  read(sql: string): Promise<unknown[]>;
  /** Applies an action to comments by full id: what changed, their pages' cache tags, and what became of the purge. */
  moderate(action: ModerationAction, ids: string[]): Promise<ModerationOutcome>;
}
