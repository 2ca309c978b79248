// After a remote publish: ask the deployed Worker to purge the pages that
// changed (POST /admin/api/cache/purge), since D1 writes from wrangler never
// pass through the Worker. The tags go in requests the endpoint takes (at
// most PURGE_API_MAX_TAGS tags and PURGE_API_MAX_BODY_BYTES each), and the
// Worker splits each into Cloudflare's purge calls. When all of them would
// need more calls than Cloudflare's purge bucket allows at once (a renderer
// upgrade, a large import), one request purges every cached page instead.
// No Node APIs: the Worker's tests run it against the Worker itself.
import { countPurgeCalls } from "../../src/cache/purge";
import { PURGE_API_MAX_BODY_BYTES, PURGE_API_MAX_TAGS, PURGE_BURST_CALLS, PURGE_CALLS_PER_MINUTE } from "../../src/db/limits";
import { byteLength, chunkList } from "../../src/db/sql-text";
import type { CliIo } from "./terminal-io";

export interface PurgeTarget {
  /** The site's public URL (SITE_URL in wrangler.toml). */
  siteUrl: string;
  /** The admin token, from the ADMIN_TOKEN environment variable. */
  token: string | undefined;
}

type PurgeBody = { tags: string[] } | { everything: true };

interface PurgeReply {
  purged?: boolean;
  everything?: boolean;
  failedCalls?: number;
  error?: string;
}

/** The tags split into request bodies the purge endpoint takes; every cached page when they would overrun the purge bucket. */
function planPurgeRequests(tags: string[]): PurgeBody[] {
  const unique = [...new Set(tags)];
  if (unique.length === 0) return [];
  const room = PURGE_API_MAX_BODY_BYTES - byteLength(JSON.stringify({ tags: [] }));
  const requests = chunkList(unique, { maxItems: PURGE_API_MAX_TAGS, maxBytes: room }, (tag) => byteLength(JSON.stringify(tag)) + 1);
  const calls = requests.reduce((sum, request) => sum + countPurgeCalls(request.length), 0);
  return calls > PURGE_BURST_CALLS ? [{ everything: true }] : requests.map((request) => ({ tags: request }));
}

/** Purges the tags; never fails the publish, but says what to do when it could not purge. */
export async function purgeEdgeAfterPublish(
  tags: string[],
  target: PurgeTarget,
  io: Pick<CliIo, "out" | "err">,
  fetcher: typeof fetch = fetch,
): Promise<boolean> {
  const requests = planPurgeRequests(tags);
  if (requests.length === 0) return true;
  const later = "the changed pages refresh at the edge within 24 hours, or run the publish again with ADMIN_TOKEN set.";
  if (!target.token) {
    io.err(`Edge cache not purged: set ADMIN_TOKEN in the environment to purge it right after publishing; otherwise ${later}`);
    return false;
  }
  let sent = 0;
  let failedCalls = 0;
  let purged = false;
  try {
    for (const body of requests) {
      const reply = await postPurge(body, target, fetcher);
      sent++;
      purged ||= reply.purged === true;
      failedCalls += reply.failedCalls ?? 0;
    }
  } catch (error) {
    const part = sent > 0 ? ` after ${sent} of ${requests.length} requests` : "";
    io.err(`Edge cache not purged${part} (${error instanceof Error ? error.message : String(error)}); ${later}`);
    return false;
  }
  if (!purged) {
    io.out("The Worker runs without Workers Cache: nothing to purge.");
    return true;
  }
  if (failedCalls > 0) {
    io.err(
      `Edge cache purged in part: Cloudflare refused ${failedCalls} purge call(s) (it allows ${PURGE_CALLS_PER_MINUTE} a minute, ${PURGE_BURST_CALLS} at once); ${later}`,
    );
    return false;
  }
  const count = new Set(tags).size;
  if ("everything" in (requests[0] ?? {})) {
    io.out(`Purged every cached page at the edge: ${count} cache tags would take more purge calls than Cloudflare allows at once.`);
  } else io.out(`Purged ${count} cache tag(s) at the edge${requests.length > 1 ? ` in ${requests.length} requests` : ""}.`);
  return true;
}

async function postPurge(body: PurgeBody, target: PurgeTarget, fetcher: typeof fetch): Promise<PurgeReply> {
  const res = await fetcher(`${target.siteUrl}/admin/api/cache/purge`, {
    method: "POST",
    headers: { Authorization: `Bearer ${target.token}`, "Content-Type": "application/json" },
    body: JSON.stringify(body),
    signal: AbortSignal.timeout(15_000),
  });
  const reply = (await res.json().catch(() => ({}))) as PurgeReply;
  if (!res.ok) throw new Error(`HTTP ${res.status}${reply.error ? `: ${reply.error}` : ""}`);
  return reply;
}
