// The moderator's desk: the page's details and its numbers, on
// real local D1 through the Worker.
import { env } from "cloudflare:test";
import { beforeAll, describe, expect, it } from "vitest";
import { getDeskStats, STATS_WINDOW_MS } from "../../src/comments/desk-stats";
import { getDb } from "../../src/db/client";
import { adminGet, adminPost, api, commentStatus, getCsrf, login } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { insertComment } from "../helpers/comments";

let cookie = "";
let csrf = "";
beforeAll(async () => {
  cookie = await login();
  csrf = await getCsrf(cookie);
});

const setTimes = (id: string, createdAt: number, decidedAt: number | null) =>
  env.DB.prepare("UPDATE comments SET created_at = ?, decided_at = ? WHERE id = ?").bind(createdAt, decidedAt, id).run();

describe("the bulk action", () => {
  it("starts on an empty choice; submitting it changes nothing and says so", async () => {
    const { id } = await insertArticle();
    const cid = await insertComment(id, "pending");
    const html = await (await adminGet("/admin", cookie)).text();
    expect(html).toMatch(/<select id="bulk-action" name="action"><option value="" selected="">— wählen —<\/option>/);
    const submissions: Record<string, string | string[]>[] = [
      { csrf, id: [cid] },
      { csrf, id: [cid], action: "" },
    ];
    for (const fields of submissions) {
      const res = await adminPost("/admin/comments/bulk?return=%2Fadmin%3Fstatus%3Dpending", cookie, fields);
      expect(res.status).toBe(303);
      const location = res.headers.get("Location") ?? "";
      expect(location).toBe("/admin?status=pending&problem=action");
      expect(await commentStatus(cid)).toBe("pending");
      expect(await (await adminGet(location, cookie)).text()).toContain("Wähle zuerst eine Aktion; nichts wurde geändert.");
    }
    // A chosen action still works, and a name that is no action is refused with the field named.
    expect((await adminPost("/admin/comments/bulk", cookie, { csrf, id: [cid], action: "constructor" })).status).toBe(422);
    expect(await commentStatus(cid)).toBe("pending");
    expect((await adminPost("/admin/comments/bulk", cookie, { csrf, id: [cid], action: "spam" })).status).toBe(303);
    expect(await commentStatus(cid)).toBe("spam");
  });

  it("offers a select-all box to the desk's script, which is a file under the CSP", async () => {
    const { id } = await insertArticle();
    await insertComment(id, "pending");
    const res = await adminGet("/admin", cookie);
    const html = await res.text();
    expect(html).toContain('<input type="checkbox" id="select-all" aria-label="Alle auswählen" hidden=""');
    const src = /<script src="(\/assets\/admin-desk\.[^"]+\.js)" defer=""><\/script>/.exec(html)?.[1];
    expect(src).toBeTruthy();
    expect(res.headers.get("Content-Security-Policy")).toMatch(/script-src 'self'/);
    const script = await adminGet(src ?? "", cookie);
    expect(script.status).toBe(200);
    expect(await script.text()).toContain("select-all");
  });
});

describe("what a row shows", () => {
  it("names the comment a reply answers, linked; dates carry time and zone; parent_deleted reads as a sentence", async () => {
    const { id } = await insertArticle();
    const parent = await insertComment(id, "approved", "Die Frage.");
    await env.DB.prepare("UPDATE comments SET author = 'Paula Parent' WHERE id = ?").bind(parent).run();
    const reply = await insertComment(id, "pending", "Die Antwort.");
    await env.DB.prepare("UPDATE comments SET parent_id = ?, created_at = ? WHERE id = ?")
      .bind(parent, Date.UTC(2026, 10, 29, 19, 15), reply)
      .run();
    const orphan = await insertComment(id, "pending", "Waise.");
    await env.DB.prepare("UPDATE comments SET reasons = ? WHERE id = ?")
      .bind(JSON.stringify([{ code: "parent_deleted", parentId: crypto.randomUUID() }]), orphan)
      .run();
    const html = await (await adminGet("/admin?status=pending", cookie)).text();
    expect(html).toContain(`Antwort auf <a href="/admin/comments/${parent}">Paula Parent</a>`);
    expect(html).toContain("29.11.2026, 20:15 MEZ");
    expect(html).toContain("Der Kommentar, auf den er antwortet, wurde gelöscht");
    expect(html).not.toContain('"code":"parent_deleted"');
    const detail = await (await adminGet(`/admin/comments/${reply}`, cookie)).text();
    expect(detail).toContain(`Antwort auf <a href="/admin/comments/${parent}">Paula Parent</a>`);
    expect(detail).toContain("29.11.2026, 20:15 MEZ");
  });
});

describe("the moderation numbers", () => {
  it("counts waiting comments, the oldest's age, decisions and their median time in the last 7 days", async () => {
    const db = getDb(env.DB);
    // A moment far ahead, so only this test's decisions fall into its window.
    const now = Date.UTC(2099, 0, 1);
    const before = await getDeskStats(db, now);
    const { id } = await insertArticle();
    const minute = 60_000;
    const waits = [5, 10, 60, 240];
    for (const wait of waits) {
      const cid = await insertComment(id, "approved");
      await setTimes(cid, now - 86_400_000 - wait * minute, now - 86_400_000);
    }
    // Out of the window, and an editor's reply (decided as written): neither counts.
    await setTimes(await insertComment(id, "spam"), now - STATS_WINDOW_MS - 2 * minute, now - STATS_WINDOW_MS - minute);
    await setTimes(await insertComment(id, "approved"), now - minute, now - minute);
    const oldest = await insertComment(id, "pending");
    await setTimes(oldest, 1_000, null);
    const stats = await getDeskStats(db, now);
    expect(stats.waiting).toBe(before.waiting + 1);
    expect(stats.oldestWaitingAt).toBe(1_000);
    expect(stats.decisions).toBe(4);
    expect(stats.medianDecisionMs).toBe(35 * minute);
    // An odd count takes the middle one.
    const cid = await insertComment(id, "trash");
    await setTimes(cid, now - 1000 * minute, now - 10);
    expect((await getDeskStats(db, now)).medianDecisionMs).toBe(60 * minute);
  });

  it("shows them on the dashboard", async () => {
    const { id } = await insertArticle();
    await setTimes(await insertComment(id, "pending"), Date.now() - 3 * 3_600_000, null);
    const html = await (await adminGet("/admin", cookie)).text();
    expect(html).toContain("Moderation in Zahlen");
    expect(html).toMatch(/<dt>Wartende Kommentare<\/dt><dd>\d+<\/dd>/);
    expect(html).toMatch(/<dt>Der älteste wartet seit<\/dt><dd>[\d.]+ (Stunden|Tage)<\/dd>/);
    expect(html).toMatch(/<dt>Entscheidungen \(7 Tage\)<\/dt><dd>\d+<\/dd>/);
  });
});

describe("the JSON API", () => {
  it("lists every status with status=all", async () => {
    const { id, slug } = await insertArticle();
    const ids = await Promise.all((["pending", "approved", "spam", "trash"] as const).map((s) => insertComment(id, s)));
    const body = await (await api(`/comments?status=all&article=${slug}`)).json<{ comments: { id: string; status: string }[] }>();
    expect(body.comments.map((c) => c.status).sort()).toEqual(["approved", "pending", "spam", "trash"]);
    expect(body.comments.map((c) => c.id).sort()).toEqual([...ids].sort());
    const pendingOnly = await (await api(`/comments?status=pending&article=${slug}`)).json<{ comments: unknown[] }>();
    expect(pendingOnly.comments).toHaveLength(1);
  });
});
