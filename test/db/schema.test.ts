import { env } from "cloudflare:test";
import { is } from "drizzle-orm";
import { getTableConfig, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";

const tables: SQLiteTable[] = Object.values(schema as Record<string, unknown>).filter((value): value is SQLiteTable => is(value, SQLiteTable));

describe("the drizzle schema mirrors migrations/", () => {
  it("covers every table the migrations create", async () => {
    const { results } = await env.DB.prepare(
      // Full-text search tables (virtual, with FTS5's shadow tables) are not drizzle tables: src/search owns them.
      `SELECT name FROM sqlite_master m WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'
       AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
       AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' AND m.name LIKE v.name || '\\_%' ESCAPE '\\')`,
    ).all<{ name: string }>();
    expect(tables.map((t) => getTableConfig(t).name).sort()).toEqual(results.map((r) => r.name).sort());
  });

  it.each(tables.map((t) => [getTableConfig(t).name, t] as const))("%s: same columns, nullability, primary key and indexes", async (name, table) => {
    const config = getTableConfig(table);
    const { results: columns } = await env.DB.prepare(`PRAGMA table_info(${name})`).all<{ name: string; notnull: number; pk: number }>();
    expect(config.columns.map((c) => c.name).sort()).toEqual(columns.map((c) => c.name).sort());
    for (const column of config.columns) {
      const sqlColumn = columns.find((c) => c.name === column.name);
      expect(column.primary || config.primaryKeys.some((pk) => pk.columns.includes(column)), `${name}.${column.name} pk`).toBe((sqlColumn?.pk ?? 0) > 0);
      if (!column.primary) expect(column.notNull, `${name}.${column.name} not null`).toBe(sqlColumn?.notnull === 1);
    }
    const { results: indexes } = await env.DB.prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? AND sql IS NOT NULL`)
      .bind(name)
      .all<{ name: string }>();
    expect(config.indexes.map((i) => i.config.name).sort()).toEqual(indexes.map((i) => i.name).sort());
  });
});
