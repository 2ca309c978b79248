// Reads tried again after D1's transient errors. D1 answers some requests with
// an error that says nothing about the query (the connection to the database
// dropped, its Durable Object was reset or moved by a deploy); the same query
// a moment later succeeds. Cloudflare's D1 Sessions template retries these; so
// does this, for reads only: a write that failed this way may have committed
// before the answer was lost, and running it again could apply it twice.
// Writes fail as they did, and each caller's own path (the queue's retry, the
// submitter's "try again") decides what happens next.

/** Messages of D1 errors that mean "try again", as Cloudflare's template matches them. */
const TRANSIENT_MESSAGES = ["Network connection lost", "storage caused object to be reset", "reset because its code was updated"];

/** The first try and at most two more. */
export const MAX_READ_TRIES = 3;
/** The pause before the second try; it doubles before the third, with up to as much again at random. */
const FIRST_PAUSE_MS = 20;

/** Whether D1 failed for a reason that a moment's wait may cure (its message or a cause's). */
function isTransientD1Error(err: unknown): boolean {
  let e: unknown = err;
  for (let depth = 0; depth < 4 && e !== undefined && e !== null; depth++) {
    const text = e instanceof Error ? e.message : String(e);
    if (TRANSIENT_MESSAGES.some((m) => text.includes(m))) return true;
    e = e instanceof Error ? e.cause : undefined;
  }
  return false;
}

const WRITE_WORDS = /\b(?:insert|update|delete|replace)\b/i;

/**
 * Whether a statement only reads: a SELECT (in SQLite a statement that starts
 * so cannot write), or a WITH whose text names no write. Anything else counts
 * as a write and is never tried twice.
 */
export function isReadOnlySql(sqlText: string): boolean {
  const start = sqlText.trimStart().slice(0, 6).toLowerCase();
  if (start === "select") return true;
  return start.startsWith("with") && !WRITE_WORDS.test(sqlText);
}

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Runs `read`, again after a transient D1 error, at most MAX_READ_TRIES times in all. */
async function retryRead<T>(read: () => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await read();
    } catch (err) {
      if (attempt >= MAX_READ_TRIES || !isTransientD1Error(err)) throw err;
      const wait = FIRST_PAUSE_MS * 2 ** (attempt - 1);
      await pause(wait + Math.random() * wait);
    }
  }
}

type D1Target = D1Database | D1DatabaseSession;

/** A statement whose reads are retried; D1's own statement is kept for batches. */
class RetryingStatement {
  constructor(
    readonly inner: D1PreparedStatement,
    readonly reads: boolean,
  ) {}

  private attempt<T>(call: () => Promise<T>): Promise<T> {
    return this.reads ? retryRead(call) : call();
  }

  bind(...values: unknown[]): RetryingStatement {
    return new RetryingStatement(this.inner.bind(...values), this.reads);
  }

  first<T>(column?: string): Promise<T | null> {
    return this.attempt(() => (column === undefined ? this.inner.first<T>() : this.inner.first<T>(column)));
  }

  all<T>(): Promise<D1Result<T>> {
    return this.attempt(() => this.inner.all<T>());
  }

  run<T>(): Promise<D1Result<T>> {
    return this.attempt(() => this.inner.run<T>());
  }

  raw<T>(options?: { columnNames?: boolean }): Promise<T[]> {
    return this.attempt(() => this.inner.raw<T>(options as { columnNames?: false }));
  }
}

const unwrap = (s: D1PreparedStatement): D1PreparedStatement => (s instanceof RetryingStatement ? s.inner : s);

/**
 * The D1 binding or session as drizzle and the raw-SQL modules use it
 * (prepare, batch), with every read retried after a transient error. A batch
 * is retried only when all its statements read.
 */
export function withReadRetries(d1: D1Target): D1Database {
  const client = {
    prepare(sqlText: string): D1PreparedStatement {
      return new RetryingStatement(d1.prepare(sqlText), isReadOnlySql(sqlText)) as unknown as D1PreparedStatement;
    },
    batch<T>(statements: D1PreparedStatement[]): Promise<D1Result<T>[]> {
      const reads = statements.every((s) => s instanceof RetryingStatement && s.reads);
      const call = () => d1.batch<T>(statements.map(unwrap));
      return reads ? retryRead(call) : call();
    },
  };
  // drizzle and the modules that batch raw statements call only prepare and batch.
  return client as unknown as D1Database;
}
