// The redirects table's SQL: old URLs (a WordPress site's) and where they live now.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { redirects } from "../db/schema";
import { normalizeRedirectKey } from "./normalize";

export interface Redirect {
  location: string;
  status: 301 | 302 | 307 | 308;
}

const STATUSES = new Set([301, 302, 307, 308]);

/** Where an old URL moved to, or null when it has no redirect. */
export async function getRedirect(db: Db, url: string): Promise<Redirect | null> {
  const key = normalizeRedirectKey(url);
  if (key === null) return null;
  const row = await db.select({ toPath: redirects.toPath, status: redirects.status }).from(redirects).where(eq(redirects.fromPath, key)).get();
  if (!row?.toPath.startsWith("/") || row.toPath.startsWith("//")) return null;
  return { location: row.toPath, status: STATUSES.has(row.status) ? (row.status as Redirect["status"]) : 301 };
}
