// The terminal moderates through the Worker's own code: with --remote the CLI
// calls the Worker's API, which runs the moderation service (and purges);
// checked here on real D1.
import { env, SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { eraseDataRemotely, exportDataRemotely, moderateRemotely } from "../../../tools/comments/comments-remote";
import { insertArticle } from "../../helpers/articles";
import { insertComment } from "../../helpers/comments";
import { ORIGIN } from "../../helpers/http";

const status = (id: string) => env.DB.prepare("SELECT status FROM comments WHERE id = ?").bind(id).first<string>("status");
const fetcher = ((input: RequestInfo | URL, init?: RequestInit) => SELF.fetch(input, init)) as typeof fetch;

describe("npm run comments --remote", () => {
  it("moderates through the Worker's API and gets back the tags of the pages that changed", async () => {
    const { id } = await insertArticle();
    const a = await insertComment(id, "pending");
    const b = await insertComment(id, "approved");
    const result = await moderateRemotely({ action: "spam", ids: [a, b] }, { siteUrl: ORIGIN, token: env.ADMIN_TOKEN }, fetcher);
    expect(result.changed.sort()).toEqual([a, b].sort());
    expect(result.tags).toEqual([`c:${id}`, "comments"]);
    // Miniflare runs no Workers Cache: nothing to purge here (test/comments/service.test.ts purges through a stand-in).
    expect(result.purge).toBe("none");
    expect([await status(a), await status(b)]).toEqual(["spam", "spam"]);
  });

  it("is refused without the right token, and with bad input, changing nothing", async () => {
    const { id } = await insertArticle();
    const a = await insertComment(id, "pending");
    await expect(moderateRemotely({ action: "approve", ids: [a] }, { siteUrl: ORIGIN, token: "wrong-token-0123456789" }, fetcher)).rejects.toThrow(/401/);
    const bad = { action: "constructor", ids: [a] } as unknown as Parameters<typeof moderateRemotely>[0];
    await expect(moderateRemotely(bad, { siteUrl: ORIGIN, token: env.ADMIN_TOKEN }, fetcher)).rejects.toThrow(/422.*action/);
    expect(await status(a)).toBe("pending");
  });
});

describe("npm run comments -- export|erase --remote", () => {
  const email = () => `brief.${crypto.randomUUID().slice(0, 8)}@example.com`;
  const setEmail = (id: string, address: string) => env.DB.prepare("UPDATE comments SET email = ? WHERE id = ?").bind(address, id).run();
  const viaOf = (n: number) => env.DB.prepare("SELECT action, via, comments FROM data_request_log ORDER BY id DESC LIMIT ?").bind(n).all();

  it("exports and erases through the Worker's API, which logs both as the CLI's", async () => {
    const { id } = await insertArticle();
    const address = email();
    const a = await insertComment(id, "approved", "Per Brief");
    await setEmail(a, address);
    const target = { siteUrl: ORIGIN, token: env.ADMIN_TOKEN };
    const data = (await exportDataRemotely(address.toUpperCase(), target, fetcher)) as { comments: { id: string; text: string }[] };
    expect(data.comments).toEqual([expect.objectContaining({ id: a, text: "Per Brief" })]);
    const erased = await eraseDataRemotely(address, false, target, fetcher);
    expect(erased).toMatchObject({ comments: 1, deleted: false, subscriptions: 0, tags: [`c:${id}`, "comments"] });
    expect(await env.DB.prepare("SELECT author, email FROM comments WHERE id = ?").bind(a).first()).toEqual({ author: "Anonym", email: "" });
    expect((await viaOf(2)).results).toEqual([
      { action: "erase", via: "cli", comments: 1 },
      { action: "export", via: "cli", comments: 1 },
    ]);
  });

  it("is refused without the right token, and for what is no address (422 naming the field), erasing nothing", async () => {
    const { id } = await insertArticle();
    const address = email();
    const a = await insertComment(id, "approved");
    await setEmail(a, address);
    await expect(eraseDataRemotely(address, true, { siteUrl: ORIGIN, token: "wrong-token-0123456789" }, fetcher)).rejects.toThrow(/401/);
    for (const bad of ["kein-at", "", `${"x".repeat(120)}@example.com`]) {
      await expect(eraseDataRemotely(bad, true, { siteUrl: ORIGIN, token: env.ADMIN_TOKEN }, fetcher)).rejects.toThrow(/422.*email/);
    }
    expect(await status(a)).toBe("approved");
  });
});
