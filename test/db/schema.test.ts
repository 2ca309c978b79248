// The drizzle schema (src/db/schema.ts) against the database the migrations
// build: every table, and in each the columns (name, type affinity,
// nullability, default, primary key), the foreign keys (columns, target, on
// delete and on update), the unique constraints and the indexes with their
// columns or expressions, uniqueness and partial WHERE clause. Queries are
// written against the drizzle mirror, so where it drifts the code believes
// in a schema D1 does not have.
import { env } from "cloudflare:test";
import { is, SQL } from "drizzle-orm";
import { getTableConfig, type SQLiteColumn, SQLiteSyncDialect, SQLiteTable } from "drizzle-orm/sqlite-core";
import { describe, expect, it } from "vitest";
import * as schema from "../../src/db/schema";

const tables: SQLiteTable[] = Object.values(schema as Record<string, unknown>).filter((value): value is SQLiteTable => is(value, SQLiteTable));
const dialect = new SQLiteSyncDialect();

/** The affinity SQLite gives a declared column type (sqlite.org/datatype3.html, 3.1). */
function affinityOf(declared: string): string {
  const type = declared.toUpperCase();
  if (type.includes("INT")) return "INTEGER";
  if (/CHAR|CLOB|TEXT/.test(type)) return "TEXT";
  if (type === "" || type.includes("BLOB")) return "BLOB";
  if (/REAL|FLOA|DOUB/.test(type)) return "REAL";
  return "NUMERIC";
}

/**
 * SQL text in one spelling: identifiers unquoted, keywords and names lower
 * case (string literals kept as written), one space between words and none
 * inside parentheses or before commas, an explicit ASC dropped.
 */
function normalizeSql(text: string): string {
  return text
    .split(/('(?:[^']|'')*')/)
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(/["`]/g, "")
            .toLowerCase()
            .replace(/\s+/g, " ")
            .replace(/\s*([(),])\s*/g, "$1")
            .replace(/,/g, ", "),
    )
    .join("")
    .replace(/ asc$/, "")
    .trim();
}

/** An index column, a WHERE clause or a default as drizzle would write it into CREATE INDEX / CREATE TABLE. */
function renderSql(value: SQL): string {
  const query = dialect.sqlToQuery(value, "indexes");
  // A schema statement cannot carry bound parameters: the value must be written into the SQL.
  expect(query.params, query.sql).toEqual([]);
  return normalizeSql(query.sql);
}

/** The column's DEFAULT as SQL text, or null: a literal as its driver value, a sql`` default as rendered. */
function drizzleDefault(column: SQLiteColumn): string | null {
  if (column.default === undefined) return null;
  if (is(column.default, SQL)) return renderSql(column.default);
  const value: unknown = column.mapToDriverValue(column.default);
  if (typeof value === "string") return `'${value.replaceAll("'", "''")}'`;
  if (typeof value === "number" || typeof value === "bigint") return String(value);
  throw new Error(`${column.name}: a default of type ${typeof value} has no SQL literal here`);
}

/** Splits at the commas outside parentheses and string literals. */
function splitTopLevel(list: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < list.length; i++) {
    const ch = list[i];
    if (ch === "'") quoted = !quoted;
    else if (!quoted && ch === "(") depth++;
    else if (!quoted && ch === ")") depth--;
    else if (!quoted && depth === 0 && ch === ",") {
      parts.push(list.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(list.slice(start));
  return parts.map(normalizeSql);
}

interface IndexShape {
  unique: boolean;
  columns: string[];
  where: string | null;
}

/** A CREATE INDEX statement as sqlite_master keeps it, taken apart. */
function parseCreateIndex(sql: string): IndexShape {
  const head = /^CREATE\s+(UNIQUE\s+)?INDEX\s+\S+\s+ON\s+\S+?\s*\(/i.exec(sql);
  if (!head) throw new Error(`not a CREATE INDEX statement: ${sql}`);
  let depth = 1;
  let end = head[0].length;
  for (; end < sql.length && depth > 0; end++) {
    if (sql[end] === "(") depth++;
    else if (sql[end] === ")") depth--;
  }
  const where = /^\s*WHERE\s+([\s\S]+)$/i.exec(sql.slice(end));
  return { unique: head[1] !== undefined, columns: splitTopLevel(sql.slice(head[0].length, end - 1)), where: where?.[1] ? normalizeSql(where[1]) : null };
}

async function all<T>(sql: string, ...binds: unknown[]): Promise<T[]> {
  return (
    await env.DB.prepare(sql)
      .bind(...binds)
      .all<T>()
  ).results;
}

type ColumnInfo = { name: string; type: string; notnull: number; dflt_value: string | null; pk: number };
type ForeignKeyInfo = { id: number; seq: number; table: string; from: string; to: string | null; on_update: string; on_delete: string };
type IndexListEntry = { name: string; unique: number; origin: string };

describe("the drizzle schema mirrors migrations/", () => {
  it("covers every table the migrations create", async () => {
    const results = await all<{ name: string }>(
      // Full-text search tables (virtual, with FTS5's shadow tables) are not drizzle tables: src/search owns them.
      `SELECT name FROM sqlite_master m WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '_cf_%' AND name <> 'd1_migrations'
       AND sql NOT LIKE 'CREATE VIRTUAL TABLE%'
       AND NOT EXISTS (SELECT 1 FROM sqlite_master v WHERE v.sql LIKE 'CREATE VIRTUAL TABLE%' AND m.name LIKE v.name || '\\_%' ESCAPE '\\')`,
    );
    expect(tables.map((t) => getTableConfig(t).name).sort()).toEqual(results.map((r) => r.name).sort());
  });

  describe.each(tables.map((t) => [getTableConfig(t).name, getTableConfig(t)] as const))("%s", (name, config) => {
    it("has the same columns: name, type affinity, nullability, default and primary key position", async () => {
      const sqlColumns = await all<ColumnInfo>(`PRAGMA table_info(${name})`);
      const compositeKey = config.primaryKeys[0]?.columns ?? [];
      const drizzleColumns = config.columns.map((c) => {
        const pk = c.primary ? 1 : compositeKey.indexOf(c) + 1;
        return { name: c.name, affinity: affinityOf(c.getSQLType()), notNull: c.notNull, default: drizzleDefault(c), pk };
      });
      const migrated = sqlColumns.map((c) => {
        // drizzle makes every primary key NOT NULL (its inserts require one). SQLite enforces that for an
        // INTEGER PRIMARY KEY (the rowid) and in WITHOUT ROWID tables, and by a legacy quirk not for a
        // TEXT key of a rowid table (sqlite.org/lang_createtable.html): there drizzle is the stricter one.
        const notNull = c.notnull === 1 || c.pk > 0;
        const dflt = c.dflt_value === null ? null : normalizeSql(c.dflt_value.replace(/^\((.*)\)$/s, "$1"));
        return { name: c.name, affinity: affinityOf(c.type), notNull, default: dflt, pk: c.pk };
      });
      const byName = (a: { name: string }, b: { name: string }) => a.name.localeCompare(b.name);
      expect(drizzleColumns.sort(byName)).toEqual(migrated.sort(byName));
    });

    it("has the same foreign keys: columns, target table and columns, on delete, on update", async () => {
      const rows = await all<ForeignKeyInfo>(`PRAGMA foreign_key_list(${name})`);
      const ids = [...new Set(rows.map((r) => r.id))];
      const migrated = ids.map((id) => {
        const parts = rows.filter((r) => r.id === id).sort((a, b) => a.seq - b.seq);
        const first = parts[0] as ForeignKeyInfo;
        return {
          columns: parts.map((p) => p.from),
          table: first.table,
          to: parts.map((p) => p.to),
          onDelete: first.on_delete.toLowerCase(),
          onUpdate: first.on_update.toLowerCase(),
        };
      });
      const drizzle = config.foreignKeys.map((fk) => {
        const ref = fk.reference();
        return {
          columns: ref.columns.map((c) => c.name),
          table: getTableConfig(ref.foreignTable).name,
          to: ref.foreignColumns.map((c) => c.name),
          onDelete: fk.onDelete ?? "no action",
          onUpdate: fk.onUpdate ?? "no action",
        };
      });
      const key = (fk: { columns: string[] }) => fk.columns.join(",");
      expect(drizzle.sort((a, b) => key(a).localeCompare(key(b)))).toEqual(migrated.sort((a, b) => key(a).localeCompare(key(b))));
    });

    it("has the same unique constraints and indexes: columns or expressions, uniqueness, partial WHERE", async () => {
      const list = await all<IndexListEntry>(`PRAGMA index_list(${name})`);
      const uniqueConstraints: string[] = [];
      for (const entry of list.filter((e) => e.origin === "u")) {
        const columns = await all<{ seqno: number; name: string }>(`PRAGMA index_info(${entry.name})`);
        uniqueConstraints.push(columns.map((c) => c.name).join(", "));
      }
      const created = new Map<string, IndexShape>();
      for (const entry of list.filter((e) => e.origin === "c")) {
        const [row] = await all<{ sql: string }>("SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?", entry.name);
        created.set(entry.name, parseCreateIndex(row?.sql ?? ""));
      }
      const drizzleUnique = [
        ...config.columns.filter((c) => c.isUnique).map((c) => c.name),
        ...config.uniqueConstraints.map((u) => u.columns.map((c) => c.name).join(", ")),
      ];
      const drizzleIndexes = new Map(
        config.indexes.map((index) => [
          index.config.name,
          {
            unique: index.config.unique,
            columns: index.config.columns.map((c) => (is(c, SQL) ? renderSql(c) : c.name)),
            where: index.config.where ? renderSql(index.config.where) : null,
          } satisfies IndexShape,
        ]),
      );
      expect(drizzleUnique.sort()).toEqual(uniqueConstraints.sort());
      expect(Object.fromEntries(drizzleIndexes)).toEqual(Object.fromEntries(created));
    });
  });

  it("reads an index the way SQLite writes it: quoting, case, spacing, ASC and literals", () => {
    expect(parseCreateIndex(`CREATE UNIQUE INDEX x ON t ("a" ASC, lower( b ),c DESC) WHERE b IS NULL AND s = 'Approved'`)).toEqual({
      unique: true,
      columns: ["a", "lower(b)", "c desc"],
      where: "b is null and s = 'Approved'",
    });
    expect(parseCreateIndex("CREATE INDEX x ON t (a)")).toEqual({ unique: false, columns: ["a"], where: null });
    expect(affinityOf("VARCHAR(20)")).toBe("TEXT");
    expect(affinityOf("BIGINT")).toBe("INTEGER");
    expect(affinityOf("")).toBe("BLOB");
  });
});
