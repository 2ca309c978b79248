// Where `npm run comments` reads and moderates: the local D1 through the
// Worker's own service (comments-local.ts), or the deployed blog, read through
// `wrangler d1 execute --remote` and moderated through the Worker's API
// (comments-remote.ts), which calls the same service there.
import type { ModerationAction } from "../../src/comments/moderation";
import type { ErasureOutcome } from "../../src/comments/personal-data";
import type { ModerationOutcome } from "../../src/comments/service";

export interface CommentsBackend {
  /** The rows of one read statement (list, show, the ids behind short ids). */
  read(sql: string): Promise<unknown[]>;
  /** Applies an action to comments by full id: what changed, their pages' cache tags, and what became of the purge. */
  moderate(action: ModerationAction, ids: string[]): Promise<ModerationOutcome>;
  /** Everything stored under a commenter's (checked, lower-cased) address, as the JSON their own page downloads; logged. */
  exportData(email: string): Promise<unknown>;
  /** Erases what is stored under the address (deletes the comments too with `deleteComments`); logged. */
  eraseData(email: string, deleteComments: boolean): Promise<ErasureOutcome>;
}
