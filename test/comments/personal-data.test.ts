// A commenter's own data on request (Art. 15 and 17 DSGVO) through the real
// Worker: the "your data" page mails a sealed link through Miniflare's
// send_email binding, the link lists every comment under the address, the
// download holds everything stored about them, and the erasure anonymises or
// deletes in one batch, ends the subscriptions, purges the pages that showed
// the comments and records it. Bad links, bad addresses and bursts get a
// clear answer and change nothing.
import { env } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { buildDataLink } from "../../src/comments/data-link";
import { erasePersonalData } from "../../src/comments/personal-data";
import { LINK_REQUEST_LIMITS } from "../../src/comments/personal-data-queries";
import { hashCommenterEmail } from "../../src/comments/submit";
import { getDb } from "../../src/db/client";
import worker from "../../src/index";
import { toBase64Url } from "../../src/lib/crypto";
import { freshClientIp } from "../helpers/admin";
import { insertArticle } from "../helpers/articles";
import { watchD1 } from "../helpers/d1-watch";
import { recordingContext } from "../helpers/edge-cache";
import { findMailLink, MAIL_VARS, recordingMailer, type SentMail } from "../helpers/mail";

const ORIGIN = "https://blog.test";
const SECRET = "test-form-secret-0123456789abcdef";
const SALT = "test-ip-salt-0123456789abcdef";

/**
 * The Worker with mail on, mails recorded, edge purges recorded, every
 * waitUntil awaited (the mail goes out in one) but the edge's second purge,
 * five seconds later, after an erasure.
 */
function setup(extra: Partial<Env> = {}) {
  const mailer = recordingMailer();
  const workerEnv = { ...env, ...MAIL_VARS, MODERATION_EMAIL: "", EMAIL: mailer.binding, ...extra } as Env;
  const purges: string[][] = [];
  const fetch = async (path: string, init: RequestInit = {}) => {
    const rec = recordingContext();
    const res = await worker.fetch(new Request(`${ORIGIN}${path}`, { redirect: "manual", ...init }), workerEnv, rec.ctx);
    if (!path.startsWith("/my-data/erase")) await rec.settle();
    purges.push(...rec.purges);
    return res;
  };
  const post = (path: string, fields: Record<string, string>, headers: Record<string, string> = {}) =>
    fetch(path, {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, "CF-Connecting-IP": freshClientIp(), ...headers },
      body: new URLSearchParams(fields).toString(),
    });
  return { sent: mailer.sent, purges, fetch, post };
}

type World = ReturnType<typeof setup>;

const uniqueEmail = (name = "leser") => `${name}.${crypto.randomUUID().slice(0, 8)}@example.com`;
const to = (sent: SentMail[], address: string) => sent.filter((m) => m.to === address);
const pathOf = (url: string) => url.replace(/^https?:\/\/[^/]+/, "");
const tokenOf = (path: string) => new URL(`${ORIGIN}${path}`).searchParams.get("t") ?? "";

interface Row {
  email: string;
  status?: "pending" | "approved" | "spam" | "trash";
  text?: string;
  author?: string;
  url?: string | null;
  ipHash?: string | null;
  userAgent?: string | null;
  notify?: boolean;
  parentId?: string | null;
}

/** Comments as the consumer stores them, in batches. */
async function insertComments(articleId: number, rows: Row[]): Promise<string[]> {
  const ids = rows.map(() => crypto.randomUUID());
  const statements = rows.map((r, i) =>
    env.DB.prepare(
      `INSERT INTO comments (id, article_id, parent_id, author, email, url, body_raw, body_html, status, ip_hash, user_agent, notify_replies, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).bind(
      ids[i],
      articleId,
      r.parentId ?? null,
      r.author ?? "Erika Muster",
      r.email,
      r.url === undefined ? "https://erika.example/" : r.url,
      r.text ?? `Kommentar ${i}`,
      `<p>${r.text ?? `Kommentar ${i}`}</p>`,
      r.status ?? "approved",
      r.ipHash === undefined ? "iphash-erika" : r.ipHash,
      r.userAgent === undefined ? "Mozilla/5.0 (Erika)" : r.userAgent,
      r.notify ? 1 : 0,
      Date.now() - 60_000 + i,
    ),
  );
  for (let i = 0; i < statements.length; i += 100) await env.DB.batch(statements.slice(i, i + 100));
  return ids;
}

const commentRow = (id: string) =>
  env.DB.prepare("SELECT author, email, url, ip_hash, user_agent, notify_replies, body_raw, status FROM comments WHERE id = ?")
    .bind(id)
    .first<Record<string, unknown>>();
const logRows = async (email: string) =>
  (
    await env.DB.prepare("SELECT action, via, comments, deleted, subscriptions FROM data_request_log WHERE email_hash = ? ORDER BY id")
      .bind(await hashCommenterEmail(SALT, email))
      .all()
  ).results;

/** Asks for the link on the page and returns the path it mailed. */
async function requestLink(w: World, email: string): Promise<string> {
  const res = await w.post("/my-data", { email });
  expect(res.status).toBe(200);
  const mail = to(w.sent, email).at(-1);
  const link = findMailLink(mail, "/my-data/open");
  expect(link, "the mail holds the link").not.toBe("");
  return pathOf(link);
}

describe("asking for the link", () => {
  it("mails a sealed link to a known address, and gives an unknown one the same answer and no mail", async () => {
    const { id } = await insertArticle({ title: "Datenschutz im Kleinen" });
    const known = uniqueEmail();
    await insertComments(id, [{ email: known }]);
    const w = setup();

    const page = await w.fetch("/my-data");
    expect(page.status).toBe(200);
    expect(page.headers.get("Cache-Control")).toMatch(/no-store|private/);
    expect(await page.text()).toContain('name="email"');

    const knownAnswer = await w.post("/my-data", { email: known.toUpperCase() });
    const unknownAnswer = await w.post("/my-data", { email: uniqueEmail("fremd") });
    expect([knownAnswer.status, unknownAnswer.status]).toEqual([200, 200]);
    expect(await knownAnswer.text()).toBe(await unknownAnswer.text());
    expect(w.sent.map((m) => m.to)).toEqual([known]);

    const [mail] = w.sent;
    expect(mail?.subject).toBe("Deine Daten bei Agenturblog");
    expect(mail?.text).toContain("24 Stunden");
    const link = findMailLink(mail, "/my-data/open");
    expect(link).toMatch(/^http:\/\/localhost:8787\/my-data\/open\?t=[\w-]+$/);
    // The address is in the link neither as it is nor as base64url.
    expect(link).not.toContain(known);
    expect(link).not.toContain(toBase64Url(known).slice(0, 12));
  });

  it("speaks the site's register and the reader's language in page and mail", async () => {
    const { id } = await insertArticle();
    const email = uniqueEmail();
    await insertComments(id, [{ email }]);
    const formal = setup({ FORM_OF_ADDRESS: "formal" });
    const page = await formal.post("/my-data", { email });
    expect(await page.text()).toContain("Bitte sehen Sie in Ihr Postfach");
    expect(to(formal.sent, email)[0]?.subject).toBe("Ihre Daten bei Agenturblog");
    expect(to(formal.sent, email)[0]?.text).toContain("hoffentlich Sie");
    const english = setup();
    const enPage = await english.post("/my-data", { email }, { "Accept-Language": "en" });
    expect(await enPage.text()).toContain("Check your inbox");
    expect(to(english.sent, email)[0]?.subject).toBe("Your data at Agenturblog");
  });

  it("refuses a malformed, empty or too long address by name (422), an oversized body (413), a foreign origin (403), and mails nothing", async () => {
    const w = setup();
    for (const email of ["kein-at-zeichen", "", "a@b", `${"x".repeat(95)}@example.com`, "__proto__", "constructor@"]) {
      const res = await w.post("/my-data", { email });
      expect(res.status, email).toBe(422);
      const html = await res.text();
      expect(html, email).toContain("E-Mail-Adresse:");
      expect(html, email).toContain('aria-invalid="true"');
    }
    expect((await w.post("/my-data", { email: uniqueEmail(), filler: "x".repeat(5000) })).status).toBe(413);
    expect((await w.post("/my-data", { email: uniqueEmail() }, { Origin: "https://evil.example" })).status).toBe(403);
    // A repeated field has two readings: refused as a bad body.
    const twice = await w.fetch("/my-data", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN },
      body: "email=a%40example.com&email=b%40example.com",
    });
    expect(twice.status).toBe(400);
    // Prototype names as field names are fields like any other: an unknown address, the usual answer.
    const proto = await w.fetch("/my-data", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Origin: ORIGIN, "CF-Connecting-IP": freshClientIp() },
      body: `__proto__=x&constructor=y&email=${encodeURIComponent(uniqueEmail("proto"))}`,
    });
    expect(proto.status).toBe(200);
    expect(w.sent).toEqual([]);
  });

  it(`lets through ${LINK_REQUEST_LIMITS.perAddress} of 24 parallel requests for one address, and ${LINK_REQUEST_LIMITS.perClient} of 24 from one client`, async () => {
    const { id } = await insertArticle();
    const email = uniqueEmail();
    await insertComments(id, [{ email }]);
    const w = setup();
    const burst = await Promise.all(Array.from({ length: 24 }, () => w.post("/my-data", { email })));
    const statuses = burst.map((r) => r.status);
    expect(statuses.filter((s) => s === 200)).toHaveLength(LINK_REQUEST_LIMITS.perAddress);
    expect(statuses.filter((s) => s === 429)).toHaveLength(24 - LINK_REQUEST_LIMITS.perAddress);
    expect(to(w.sent, email)).toHaveLength(LINK_REQUEST_LIMITS.perAddress);
    const refused = burst.find((r) => r.status === 429);
    expect(Number(refused?.headers.get("Retry-After"))).toBeGreaterThan(3000);
    expect(await refused?.text()).toContain("zu viele Anfragen");

    const ip = freshClientIp();
    const addresses = Array.from({ length: 24 }, () => uniqueEmail("viele"));
    const fromOne = await Promise.all(addresses.map((a) => w.post("/my-data", { email: a }, { "CF-Connecting-IP": ip })));
    expect(fromOne.filter((r) => r.status === 200)).toHaveLength(LINK_REQUEST_LIMITS.perClient);
    expect(fromOne.filter((r) => r.status === 429)).toHaveLength(24 - LINK_REQUEST_LIMITS.perClient);
  });

  it("says how to write instead when the blog sends no mail (503), and the comment form links the page", async () => {
    const w = setup({ EMAIL_FROM: "" });
    const page = await w.fetch("/my-data");
    expect(await page.text()).toContain("Impressum");
    expect((await w.post("/my-data", { email: uniqueEmail() })).status).toBe(503);
    const { slug } = await insertArticle();
    const article = await (await w.fetch(`/articles/${slug}`)).text();
    expect(article).toContain('<a href="/my-data">Deine Kommentare und was wir dazu speichern');
  });
});

describe("the link", () => {
  it("lists every comment under the address, of any status, with its article, and none of anyone else's", async () => {
    const { id } = await insertArticle({ title: "Erster Artikel" });
    const other = await insertArticle({ title: "Zweiter Artikel", status: "draft", publishedAt: null });
    const email = uniqueEmail();
    await insertComments(id, [
      { email, status: "approved", text: "Freigegeben und sichtbar" },
      { email: email.toUpperCase(), status: "pending", text: "Wartet noch" },
      { email, status: "spam", text: "Aussortiert" },
      { email: "someone.else@example.com", text: "Fremder Kommentar" },
    ]);
    await insertComments(other.id, [{ email, status: "trash", text: "Im Papierkorb" }]);
    const w = setup();
    const res = await w.fetch(await requestLink(w, email));
    expect(res.status).toBe(200);
    expect(res.headers.get("Cache-Control")).toMatch(/no-store|private/);
    const html = await res.text();
    for (const text of ["Freigegeben und sichtbar", "Wartet noch", "Aussortiert", "Im Papierkorb", "Erster Artikel", "Zweiter Artikel", "iphash-erika"]) {
      expect(html).toContain(text);
    }
    expect(html).not.toContain("Fremder Kommentar");
    // The page's URL holds the token: its links to articles send no Referer.
    expect(html).toMatch(/<a href="\/articles\/[\w-]+" rel="noreferrer">Kommentar vom [^<]+ zu „Erster Artikel“<\/a>/);
    expect(html).toContain("wartet auf Freigabe");
    expect(html).toContain('name="robots" content="noindex');
  });

  it("downloads everything stored as JSON (comments, subscriptions, IP hash, user agent, flood records) and logs the export", async () => {
    const { id, slug } = await insertArticle({ title: "Export" });
    const email = uniqueEmail();
    const [first] = await insertComments(id, [
      { email, notify: true, text: "Mit Abo" },
      { email, status: "pending", ipHash: null, userAgent: null, url: null, text: "Ohne Spuren" },
    ]);
    await env.DB.prepare(
      "INSERT INTO comment_submissions (id, article_id, ip_hash, email_hash, fingerprint, created_at) VALUES (?, ?, 'iphash-flood', ?, ?, ?)",
    )
      .bind(crypto.randomUUID(), id, await hashCommenterEmail(SALT, email), crypto.randomUUID(), Date.now())
      .run();
    const w = setup();
    const token = tokenOf(await requestLink(w, email));
    const res = await w.post("/my-data/export", { t: token });
    expect(res.status).toBe(200);
    expect(res.headers.get("Content-Disposition")).toBe('attachment; filename="my-data.json"');
    expect(res.headers.get("Cache-Control")).toMatch(/no-store|private/);
    const data = (await res.json()) as Record<string, unknown[]> & { email: string };
    expect(data.email).toBe(email);
    expect(data.comments).toEqual([
      expect.objectContaining({
        id: first,
        text: "Mit Abo",
        email,
        author: "Erika Muster",
        website: "https://erika.example/",
        ipHash: "iphash-erika",
        userAgent: "Mozilla/5.0 (Erika)",
        status: "approved",
        article: { title: "Export", url: `http://localhost:8787/articles/${slug}` },
      }),
      expect.objectContaining({ text: "Ohne Spuren", ipHash: null, userAgent: null, status: "pending" }),
    ]);
    expect(data.mailSubscriptions).toEqual([{ commentId: first, confirmedAt: null }]);
    expect(data.floodRecords).toEqual([expect.objectContaining({ ipHash: "iphash-flood" })]);
    expect(await logRows(email)).toEqual([{ action: "export", via: "page", comments: 2, deleted: 0, subscriptions: 1 }]);
  });

  it("refuses a changed, cut, foreign, repeated or missing token (403) and an expired one (410), and none of them erases", async () => {
    const { id } = await insertArticle();
    const email = uniqueEmail();
    const [cid = ""] = await insertComments(id, [{ email }]);
    const w = setup();
    const good = tokenOf(await requestLink(w, email));
    const flip = (s: string, at: number) => s.slice(0, at) + (s[at] === "A" ? "B" : "A") + s.slice(at + 1);
    const foreign = tokenOf(pathOf(await buildDataLink("", "another-secret-0123456789abcdef", email, Date.now())));
    const bad = [flip(good, 5), flip(good, good.length - 2), good.slice(0, -4), foreign, "", "x".repeat(2000), "__proto__"];
    for (const t of bad) {
      expect((await w.fetch(`/my-data/open?t=${encodeURIComponent(t)}`)).status, t.slice(0, 20)).toBe(403);
      expect((await w.post("/my-data/erase", { t })).status, t.slice(0, 20)).toBe(403);
      expect((await w.post("/my-data/export", { t })).status, t.slice(0, 20)).toBe(403);
    }
    expect((await w.fetch("/my-data/open")).status).toBe(403);
    expect((await w.fetch(`/my-data/open?t=${good}&t=${good}`)).status).toBe(403);
    const old = tokenOf(pathOf(await buildDataLink("", SECRET, email, Date.now() - 25 * 3_600_000)));
    const expired = await w.fetch(`/my-data/open?t=${old}`);
    expect(expired.status).toBe(410);
    expect(await expired.text()).toContain("Neuen Link anfordern");
    expect((await w.post("/my-data/erase", { t: old })).status).toBe(410);
    // Without the page's own origin the erasure is refused before the token is read.
    expect((await w.post("/my-data/erase", { t: good }, { Origin: "https://evil.example" })).status).toBe(403);
    expect(await commentRow(cid)).toMatchObject({ author: "Erika Muster", email });
    expect(await logRows(email)).toEqual([]);
  });
});

describe("erasing", () => {
  it("keeps the text under Anonym/Anonymous, strips the rest, ends subscriptions, purges the pages, logs it, and spends the link", async () => {
    const de = await insertArticle({ lang: "de" });
    const en = await insertArticle({ lang: "en" });
    const email = uniqueEmail();
    const [approved = "", pending = ""] = await insertComments(de.id, [
      { email, notify: true, text: "Bleibt stehen" },
      { email, status: "pending", text: "Wartet" },
    ]);
    const [english = ""] = await insertComments(en.id, [{ email, text: "Stays" }]);
    const [stranger = ""] = await insertComments(de.id, [{ email: "max@example.com", author: "Max", text: "Antwort", parentId: approved }]);
    await env.DB.prepare("INSERT INTO comment_submissions (id, article_id, ip_hash, email_hash, fingerprint, created_at) VALUES (?, ?, 'ip', ?, ?, ?)")
      .bind(crypto.randomUUID(), de.id, await hashCommenterEmail(SALT, email), crypto.randomUUID(), Date.now())
      .run();
    const w = setup();
    const link = await requestLink(w, email);
    const token = tokenOf(link);

    // The GET only asks.
    const confirm = await w.fetch(`/my-data/erase?t=${token}`);
    expect(confirm.status).toBe(200);
    const form = await confirm.text();
    expect(form).toContain('name="delete_comments"');
    expect(form).toContain("3 Kommentaren");
    expect(await commentRow(approved)).toMatchObject({ email });

    const done = await w.post("/my-data/erase", { t: token });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("3 Kommentare stehen jetzt ohne deinen Namen da, und 1 Mail-Bestellungen sind beendet");
    const stripped = { email: "", url: null, ip_hash: null, user_agent: null, notify_replies: 0 };
    expect(await commentRow(approved)).toEqual({ ...stripped, author: "Anonym", body_raw: "Bleibt stehen", status: "approved" });
    expect(await commentRow(pending)).toEqual({ ...stripped, author: "Anonym", body_raw: "Wartet", status: "pending" });
    expect(await commentRow(english)).toEqual({ ...stripped, author: "Anonymous", body_raw: "Stays", status: "approved" });
    expect(await commentRow(stranger)).toMatchObject({ author: "Max", email: "max@example.com", ip_hash: "iphash-erika" });
    // The site search (migrations/0031) follows: the name is gone from its index too.
    const indexed = await env.DB.prepare("SELECT author FROM comment_search WHERE rowid = (SELECT rowid FROM comments WHERE id = ?)")
      .bind(approved)
      .first("author");
    expect(indexed).toBe("Anonym");
    const flood = await env.DB.prepare("SELECT count(*) AS n FROM comment_submissions WHERE email_hash = ?")
      .bind(await hashCommenterEmail(SALT, email))
      .first("n");
    expect(flood).toBe(0);
    // The pages that showed the two approved comments, and the comment feeds.
    expect(w.purges).toEqual([[`c:${de.id}`, `c:${en.id}`, "comments"]]);
    expect(await logRows(email)).toEqual([{ action: "erase", via: "page", comments: 3, deleted: 0, subscriptions: 1 }]);

    // Replayed: the link is spent for every step.
    for (const res of [await w.fetch(link), await w.post("/my-data/erase", { t: token }), await w.post("/my-data/export", { t: token })]) {
      expect(res.status).toBe(410);
      expect(await res.text()).toContain("Link verbraucht");
    }
    expect(await logRows(email)).toHaveLength(1);
    // A new link (after a new comment) works again and shows only what is new.
    await insertComments(de.id, [{ email, text: "Neu danach" }]);
    await new Promise((r) => setTimeout(r, 5));
    const fresh = await w.fetch(await requestLink(setup(), email));
    expect(fresh.status).toBe(200);
    const html = await fresh.text();
    expect(html).toContain("Neu danach");
    expect(html).not.toContain("Bleibt stehen");
  });

  it("deletes the comments too when ticked; others' replies stay, now top-level", async () => {
    const { id } = await insertArticle();
    const email = uniqueEmail();
    const [mine = "", pending = ""] = await insertComments(id, [{ email }, { email, status: "pending" }]);
    const [reply = ""] = await insertComments(id, [{ email: "max@example.com", author: "Max", parentId: mine }]);
    const w = setup();
    const token = tokenOf(await requestLink(w, email));
    const done = await w.post("/my-data/erase", { t: token, delete_comments: "yes" });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("2 Kommentare sind gelöscht");
    expect(await commentRow(mine)).toBeNull();
    expect(await commentRow(pending)).toBeNull();
    const kept = await env.DB.prepare("SELECT author, parent_id FROM comments WHERE id = ?").bind(reply).first();
    expect(kept).toEqual({ author: "Max", parent_id: null });
    expect(w.purges).toEqual([[`c:${id}`, "comments"]]);
    expect(await logRows(email)).toEqual([{ action: "erase", via: "page", comments: 2, deleted: 1, subscriptions: 0 }]);
  });

  it("erases an address with 300 comments in one batch of bounded statements, through the page and the service", async () => {
    const { id } = await insertArticle();
    const email = uniqueEmail("viel");
    const ids = await insertComments(
      id,
      Array.from({ length: 300 }, (_, i) => ({ email, status: i % 3 === 0 ? ("pending" as const) : ("approved" as const), notify: i % 10 === 0 })),
    );
    const w = setup();
    const link = await requestLink(w, email);
    const page = await w.fetch(link);
    expect(page.status).toBe(200);
    expect((await page.text()).match(/class="my-data-comment"/g)).toHaveLength(300);
    const exported = (await (await w.post("/my-data/export", { t: tokenOf(link) })).json()) as { comments: unknown[] };
    expect(exported.comments).toHaveLength(300);

    const done = await w.post("/my-data/erase", { t: tokenOf(link) });
    expect(done.status).toBe(200);
    expect(await done.text()).toContain("300 Kommentare");
    const left = await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE article_id = ? AND (email <> '' OR ip_hash IS NOT NULL OR author <> 'Anonym')")
      .bind(id)
      .first("n");
    expect(left).toBe(0);
    expect(await commentRow(ids[299] ?? "")).toMatchObject({ author: "Anonym", email: "" });

    // The same erasure through the service on a watched binding: one batch, no statement near D1's 100 parameters.
    const again = uniqueEmail("viel");
    await insertComments(
      id,
      Array.from({ length: 300 }, () => ({ email: again })),
    );
    const watched = watchD1(env.DB);
    const platform = { db: getDb(watched.db), purge: null, notices: null, now: Date.now() };
    const outcome = await erasePersonalData(platform, { ipSalt: SALT, formSecret: SECRET }, { email: again, deleteComments: true, via: "cli" });
    expect(outcome.comments).toBe(300);
    const batches = watched.executions.filter((e) => e.method === "batch");
    expect(batches).toHaveLength(1);
    for (const s of batches[0]?.statements ?? []) expect(s.params.length).toBeLessThanOrEqual(6);
    expect(await env.DB.prepare("SELECT count(*) AS n FROM comments WHERE lower(email) = ?").bind(again).first("n")).toBe(0);
  });
});
