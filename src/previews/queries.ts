// The previews table's SQL (migrations/0012_previews.sql).
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { previews } from "../db/schema";

export type Preview = typeof previews.$inferSelect;

/** The preview with this id, or null. */
export async function getPreview(db: Db, id: string): Promise<Preview | null> {
  const [row] = await db.select().from(previews).where(eq(previews.id, id)).limit(1);
  return row ?? null;
}
