// Writes the import's SQL to one staged file as it goes (so memory stays
// flat): comments post by post, parents first, then the redirects.
import { appendFile, writeFile } from "node:fs/promises";
import type { CommentRow } from "./comment-rows";
import { batchInserts, COMMENT_INSERT_HEAD, COMMENT_INSERT_TAIL, commentValues, REDIRECT_INSERT_HEAD, REDIRECT_INSERT_TAIL, redirectValues } from "./sql";

const FLUSH_BYTES = 1_000_000;

export function createSqlStager(file: string) {
  let tuples: string[] = [];
  let size = 0;
  let started = false;
  let statements = 0;
  const write = async (text: string) => {
    if (!started) await writeFile(file, "");
    started = true;
    if (text) await appendFile(file, text);
  };
  const flush = async () => {
    const { statements: batch } = batchInserts(COMMENT_INSERT_HEAD, COMMENT_INSERT_TAIL, tuples);
    statements += batch.length;
    await write(batch.join(""));
    tuples = [];
    size = 0;
  };
  return {
    /** Stages one post's comment rows (in order); returns the ids of rows too big for one statement, which are left out. */
    async addComments(rows: CommentRow[], articleSlug: string): Promise<string[]> {
      const values = rows.map((row) => commentValues(row, articleSlug));
      const { tooBig } = batchInserts(COMMENT_INSERT_HEAD, COMMENT_INSERT_TAIL, values);
      const skipped = new Set(tooBig);
      values.forEach((v, i) => {
        if (skipped.has(i)) return;
        tuples.push(v);
        size += v.length;
      });
      if (size > FLUSH_BYTES) await flush();
      return tooBig.map((i) => rows[i]?.id ?? "");
    },
    /** Writes what is left, then the redirects; returns the number of statements. */
    async finish(redirects: [string, string][]): Promise<number> {
      await flush();
      const { statements: batch } = batchInserts(
        REDIRECT_INSERT_HEAD,
        REDIRECT_INSERT_TAIL,
        redirects.map(([from, to]) => redirectValues(from, to)),
      );
      statements += batch.length;
      await write(batch.join(""));
      return statements;
    },
  };
}

export type SqlStager = ReturnType<typeof createSqlStager>;
