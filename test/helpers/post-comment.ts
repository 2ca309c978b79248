import { env } from "cloudflare:test";
import { createFormToken } from "../../src/comments/form-token";
import { get } from "./http";

let counter = 0;

/** A token as the form would have carried it, old enough to pass the minimum wait. */
export function oldToken(articleId: number, ageMs = 60_000): Promise<string> {
  return createFormToken(env.FORM_SECRET, articleId, Date.now() - ageMs);
}

/** Fields of a valid comment with an e-mail no other test uses. */
export function validFields(extra: Record<string, unknown> = {}): Record<string, unknown> {
  counter += 1;
  return {
    author: "Erika Mustermann",
    email: `erika.${Date.now().toString(36)}.${counter}.${Math.random().toString(36).slice(2, 6)}@example.com`,
    url: "",
    comment: `Ein Kommentar Nummer ${counter} (${Math.random()}).`,
    ...extra,
  };
}

/** An IP address no other test uses, so flood and rate checks do not cross tests. */
export function uniqueIp(): string {
  counter += 1;
  return `198.51.${Math.floor(counter / 250) % 250}.${(counter % 250) + 1}`;
}

export async function postForm(slug: string, fields: Record<string, unknown>, headers: Record<string, string> = {}): Promise<Response> {
  const body = new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)]));
  return get(`/articles/${slug}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded", "CF-Connecting-IP": uniqueIp(), ...headers },
    body,
  });
}

export async function postJson(slug: string, body: unknown, headers: Record<string, string> = {}): Promise<Response> {
  return get(`/articles/${slug}/comments`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "CF-Connecting-IP": uniqueIp(), ...headers },
    body: JSON.stringify(body),
  });
}

/** Waits until the queue consumer has stored the comment, and returns its row. */
export async function waitForComment(id: string, timeoutMs = 10_000): Promise<Record<string, unknown>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const row = await env.DB.prepare("SELECT * FROM comments WHERE id = ?").bind(id).first();
    if (row) return row;
    if (Date.now() > deadline) throw new Error(`comment ${id} was not stored within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 50));
  }
}
