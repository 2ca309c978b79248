// Writes the import's comments and redirects to one staged SQL file as it
// goes (so memory stays flat): comments post by post, parents first, then
// the record of the comments as imported (their ids), then the redirects. Every statement is checked as it is written; publish applies
// the file in the same transaction as the posts (tools/publish/publish-command.ts).
import { writeFile } from "node:fs/promises";
import { packRows } from "../../src/db/sql-text";
import { appendSqlFile } from "../lib/sql-file";
import type { CommentRow } from "./comment-rows";
import {
  COMMENT_INSERT_HEAD,
  COMMENT_INSERT_TAIL,
  commentValues,
  IMPORTED_INSERT_HEAD,
  IMPORTED_INSERT_TAIL,
  importedValues,
  REDIRECT_INSERT_HEAD,
  REDIRECT_INSERT_TAIL,
  redirectValues,
} from "./sql";

const FLUSH_BYTES = 1_000_000;

export function createSqlStager(file: string) {
  let tuples: string[] = [];
  let size = 0;
  let started = false;
  let statements = 0;
  const commented = new Set<string>();
  const imported: string[] = [];
  const write = async (batch: string[]) => {
    if (!started) await writeFile(file, "");
    started = true;
    statements += batch.length;
    await appendSqlFile(file, batch);
  };
  const flush = async () => {
    await write(packRows(COMMENT_INSERT_HEAD, COMMENT_INSERT_TAIL, tuples).statements);
    tuples = [];
    size = 0;
  };
  return {
    /** Stages one post's comment rows (in order); returns the ids of rows too big for one statement, which are left out. */
    async addComments(rows: CommentRow[], articleSlug: string): Promise<string[]> {
      const values = rows.map((row) => commentValues(row, articleSlug));
      const skipped = new Set(packRows(COMMENT_INSERT_HEAD, COMMENT_INSERT_TAIL, values).tooBig);
      values.forEach((v, i) => {
        if (skipped.has(i)) return;
        tuples.push(v);
        size += v.length;
        imported.push(importedValues(rows[i]?.id ?? ""));
      });
      if (values.length > skipped.size) commented.add(articleSlug);
      if (size > FLUSH_BYTES) await flush();
      return [...skipped].map((i) => rows[i]?.id ?? "");
    },
    /** Writes what is left, then the record of the imported comments, then the redirects; returns the number of statements. */
    async finish(redirects: [string, string][]): Promise<number> {
      await flush();
      await write(packRows(IMPORTED_INSERT_HEAD, IMPORTED_INSERT_TAIL, imported).statements);
      await write(
        packRows(
          REDIRECT_INSERT_HEAD,
          REDIRECT_INSERT_TAIL,
          redirects.map(([from, to]) => redirectValues(from, to)),
        ).statements,
      );
      return statements;
    },
    /** The slugs of the posts that got comments: their pages show them. */
    commentedSlugs(): string[] {
      return [...commented];
    },
  };
}

export type SqlStager = ReturnType<typeof createSqlStager>;
