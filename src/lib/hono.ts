// The Hono class every app and sub-app here is made from: Hono's own, with its
// trie router alone. Hono's default router tries RegExpRouter first, which
// cannot take this app's routes (static paths beside patterned parameters,
// /:slug last) and falls back to the trie on the first request anyway; leaving
// it out keeps its 3.5 KB out of the bundle.
import { HonoBase, type HonoOptions } from "hono/hono-base";
import { TrieRouter } from "hono/router/trie-router";
import type { BlankEnv, BlankSchema, Env, Schema } from "hono/types";

export class Hono<E extends Env = BlankEnv, S extends Schema = BlankSchema, BasePath extends string = "/"> extends HonoBase<E, S, BasePath> {
  constructor(options: HonoOptions<E> = {}) {
    super(options);
    this.router = options.router ?? new TrieRouter();
  }
}
