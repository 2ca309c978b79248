// Drizzle mirror of migrations/0008_wordpress.sql (to be folded into src/db/schema.ts).
import { integer, sqliteTable, text } from "drizzle-orm/sqlite-core";

export const redirects = sqliteTable("redirects", {
  /** normalizeRedirectKey() of the old URL. */
  fromPath: text("from_path").primaryKey(),
  toPath: text("to_path").notNull(),
  status: integer("status").notNull().default(301),
});

export type RedirectRow = typeof redirects.$inferSelect;
