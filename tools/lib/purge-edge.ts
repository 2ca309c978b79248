// After a remote publish: ask the deployed Worker to purge the pages that
// changed (POST /admin/api/cache/purge), since D1 writes from wrangler never
// pass through the Worker. Node only.
import type { CliIo } from "../publish/publish-command";

export interface PurgeTarget {
  /** The site's public URL (SITE_URL in wrangler.toml). */
  siteUrl: string;
  /** The admin token, from the ADMIN_TOKEN environment variable. */
  token: string | undefined;
}

/** Purges the tags; never fails the publish, but says what to do when it could not purge. */
export async function purgeEdgeAfterPublish(
  tags: string[],
  target: PurgeTarget,
  io: Pick<CliIo, "out" | "err">,
  fetcher: typeof fetch = fetch,
): Promise<boolean> {
  if (tags.length === 0) return true;
  const later = "the changed pages refresh at the edge within 24 hours, or run the publish again with ADMIN_TOKEN set.";
  if (!target.token) {
    io.err(`Edge cache not purged: set ADMIN_TOKEN in the environment to purge it right after publishing; otherwise ${later}`);
    return false;
  }
  try {
    const res = await fetcher(`${target.siteUrl}/admin/api/cache/purge`, {
      method: "POST",
      headers: { Authorization: `Bearer ${target.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ tags }),
      signal: AbortSignal.timeout(15_000),
    });
    const body = (await res.json().catch(() => ({}))) as { purged?: boolean; error?: string };
    if (!res.ok) throw new Error(`HTTP ${res.status}${body.error ? `: ${body.error}` : ""}`);
    io.out(body.purged ? `Purged ${tags.length} cache tag(s) at the edge.` : "The Worker runs without Workers Cache: nothing to purge.");
    return true;
  } catch (error) {
    io.err(`Edge cache not purged (${error instanceof Error ? error.message : String(error)}); ${later}`);
    return false;
  }
}
