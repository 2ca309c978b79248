// `npm run comments -- <action> --remote`: the deployed Worker moderates, through
// its JSON API, so it runs the same service function as the web admin and purges
// the edge cache the same way. No Node APIs here: the Worker's tests call it too.
import type { ModerationRequest } from "../../src/comments/moderation";
import type { ErasureOutcome } from "../../src/comments/personal-data";
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

/** What POST /admin/api/personal-data/erase answers. */
interface EraseAnswer extends ModerateAnswer {
  comments?: number;
  deleted?: boolean;
  subscriptions?: number;
}

/** Posts a commenter's request by letter to the Worker's API; its JSON answer, or throws with the Worker's own message. */
async function postPersonalData(path: "export" | "erase", body: object, target: RemoteTarget, fetcher: typeof fetch): Promise<Record<string, unknown>> {
  const res = await fetcher(`${target.siteUrl}/admin/api/personal-data/${path}`, {
    method: "POST",
    headers: { Authorization: `Bearer ${target.token}`, "Content-Type": "application/json" },
    body: JSON.stringify({ ...body, via: "cli" }),
    signal: AbortSignal.timeout(30_000),
  });
  const answer = (await res.json().catch(() => ({}))) as Record<string, unknown>;
  if (!res.ok) {
    const named = typeof answer.fields === "object" && answer.fields ? Object.entries(answer.fields).map(([field, why]) => `${field} ${String(why)}`) : [];
    const fields = named.length > 0 ? ` (${named.join("; ")})` : "";
    throw new Error(`the Worker at ${target.siteUrl} answered HTTP ${res.status}${typeof answer.error === "string" ? `: ${answer.error}` : ""}${fields}`);
  }
  return answer;
}

/** The export, made and logged by the deployed Worker. */
export function exportDataRemotely(email: string, target: RemoteTarget, fetcher: typeof fetch = fetch): Promise<unknown> {
  return postPersonalData("export", { email }, target, fetcher);
}

/** The erasure, done by the deployed Worker (which also purges the edge cache), and logged there. */
export async function eraseDataRemotely(email: string, deleteComments: boolean, target: RemoteTarget, fetcher: typeof fetch = fetch): Promise<ErasureOutcome> {
  const body = (await postPersonalData("erase", { email, deleteComments }, target, fetcher)) as EraseAnswer;
  const purge = body.purged ? "purged" : body.purgeDeferred ? "deferred" : "none";
  return {
    changed: body.changed ?? [],
    tags: body.tags ?? [],
    purge,
    comments: body.comments ?? 0,
    deleted: body.deleted ?? deleteComments,
    subscriptions: body.subscriptions ?? 0,
  };
}
