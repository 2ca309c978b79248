// `npm run comments -- <action> --remote`: the deployed Worker moderates, through
// its JSON API, so it runs the same service function as the web admin and purges
// the edge cache the same way. No Node APIs here: the Worker's tests call it too.
import type { ModerationRequest } from "../../src/comments/moderation";
import type { ModerationOutcome } from "../../src/comments/service";

export interface RemoteTarget {
  /** The site's public URL (SITE_URL in wrangler.toml). */
  siteUrl: string;
  /** ADMIN_TOKEN from the editor's environment. */
  token: string;
}

/** What POST /admin/api/comments/moderate answers. */
interface ModerateAnswer {
  changed?: string[];
  tags?: string[];
  purged?: boolean;
  purgeDeferred?: boolean;
  error?: string;
}

/** Asks the Worker to apply the action; throws with the Worker's own message when it refuses. */
export async function moderateRemotely(request: ModerationRequest, target: RemoteTarget, fetcher: typeof fetch = fetch): Promise<ModerationOutcome> {
  const res = await fetcher(`${target.siteUrl}/admin/api/comments/moderate`, {
    method: "POST",
    headers: { Authorization: `Bearer ${target.token}`, "Content-Type": "application/json" },
    body: JSON.stringify(request),
    signal: AbortSignal.timeout(30_000),
  });
  const body = (await res.json().catch(() => ({}))) as ModerateAnswer;
  if (!res.ok) throw new Error(`the Worker at ${target.siteUrl} answered HTTP ${res.status}${body.error ? `: ${body.error}` : ""}`);
  const purge = body.purged ? "purged" : body.purgeDeferred ? "deferred" : "none";
  return { changed: body.changed ?? [], tags: body.tags ?? [], purge };
}
