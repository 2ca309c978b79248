// The streaming WXR reader: on the project's own exports
// (test/fixtures/wordpress/, so it runs in any clone), then on WordPress's
// test exports in ../shared/wordpress/ when present (read in place, never
// copied): counts, exact text, and refusals.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scanCdata } from "../../../tools/wordpress/cdata";
import { readWxr, readWxrFile } from "../../../tools/wordpress/reader";
import type { WxrEvent, WxrItem } from "../../../tools/wordpress/wxr-types";

const FIXTURES = path.resolve(import.meta.dirname, "../../fixtures/wordpress");
const SHARED = path.resolve(import.meta.dirname, "../../../../shared/wordpress");
const available = existsSync(path.join(SHARED, "theme-unit-test-data.xml"));
if (!available) console.warn(`Outside corpus not run: ${SHARED} is absent (WordPress's test exports); the reader ran on test/fixtures/wordpress/ only.`);

async function readAll(file: string): Promise<WxrEvent[]> {
  const events: WxrEvent[] = [];
  for await (const event of readWxrFile(file)) events.push(event);
  return events;
}

const readFixture = (file: string) => readAll(path.join(FIXTURES, file));
const readShared = (file: string) => readAll(path.join(SHARED, file));
const items = (events: WxrEvent[]): WxrItem[] => events.flatMap((e) => (e.kind === "item" ? [e.item] : []));
const byId = (events: WxrEvent[], id: string): WxrItem | undefined => items(events).find((i) => i.id === id);

function countBy<T>(values: T[], key: (v: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[key(v)] = (counts[key(v)] ?? 0) + 1;
  return counts;
}

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

describe("reading the project's WordPress exports (test/fixtures/wordpress)", () => {
  it("reads the WXR 1.2 export: channel, authors, nested and percent-encoded terms, every post type and status", async () => {
    const events = await readFixture("agenturblog-1.2.xml");
    const channel = events.find((e) => e.kind === "channel");
    expect(channel?.kind === "channel" && channel.channel).toEqual({
      title: "Altes Agenturblog",
      link: "https://alt.example",
      language: "de-DE",
      baseSiteUrl: "https://alt.example",
      baseBlogUrl: "https://alt.example",
      version: "1.2",
    });
    expect(events.flatMap((e) => (e.kind === "author" ? [e.author] : []))).toEqual([
      { login: "anna", displayName: "Anna Bäcker", id: "1" },
      { login: "ben", displayName: "Ben Schmidt", id: "2" },
    ]);
    // <wp:term> (a menu's) is no category or tag.
    expect(events.flatMap((e) => (e.kind === "term" ? [`${e.term.kind}:${e.term.slug}:${e.term.name}:${e.term.parent}`] : []))).toEqual([
      "category:uncategorized:Uncategorized:",
      "category:agentur:Agentur:",
      "category:kunden:Kunden:agentur",
      "category:handwerk:Handwerk:kunden",
      "category:b%c3%bcro:Büro:",
      "tag:agentur:agentur:",
      "tag:k%c3%b6ln:Köln:",
      "tag:gr%c3%bc%c3%9fe:Grüße:",
      "tag:barrierefreiheit:Barrierefreiheit:",
      "tag:ungenutzt:Ungenutzt:",
    ]);
    // Term ids: old links ask for /?cat=3.
    expect(events.flatMap((e) => (e.kind === "term" ? [e.term.id] : []))).toEqual(["1", "2", "3", "4", "5", "10", "11", "12", "13", "14"]);
    const all = items(events);
    expect(countBy(all, (i) => i.type)).toEqual({ post: 14, page: 5, attachment: 2, nav_menu_item: 1, portfolio: 1 });
    expect(countBy(all, (i) => `${i.type}:${i.status}`)).toMatchObject({
      ...{ "post:publish": 7, "post:draft": 2, "post:pending": 1, "post:private": 1, "post:future": 1, "post:trash": 1, "post:auto-draft": 1 },
      ...{ "page:publish": 4, "page:draft": 1, "attachment:inherit": 2 },
    });
    expect(all.filter((i) => i.sticky).map((i) => i.id)).toEqual(["101"]);
    expect(all.filter((i) => i.password !== "").map((i) => [i.id, i.password])).toEqual([["109", "geheim"]]);
  });

  it('reads each field of an item exactly: bodies, a "]]>" split across CDATA sections, dates, terms, meta, attachments', async () => {
    const events = await readFixture("agenturblog-1.2.xml");
    const welcome = byId(events, "101");
    expect(welcome?.content.startsWith("<!-- wp:paragraph -->\n<p>Hallo! Das ist unser <strong>neues</strong> Blog.")).toBe(true);
    expect(welcome?.content.endsWith("<cite>Oma Hilde</cite></blockquote>\n<!-- /wp:quote -->")).toBe(true);
    expect(welcome).toMatchObject({ excerpt: "Wir fangen neu an.", postName: "willkommen", commentStatus: "open", modifiedGmt: "2019-03-20 08:00:00" });
    expect(welcome?.terms).toEqual([
      { domain: "category", nicename: "agentur", name: "Agentur" },
      { domain: "post_tag", nicename: "agentur", name: "agentur" },
      { domain: "post_tag", nicename: "k%c3%b6ln", name: "Köln" },
    ]);
    expect({ ...welcome?.meta }).toEqual({ _edit_last: "1", _thumbnail_id: "201" });
    const classic = byId(events, "102");
    expect(classic?.content).toContain("Ein CDATA-Abschnitt endet mit <code>]]></code>, auch hier.");
    expect(classic?.content.startsWith("Ein Absatz im klassischen Editor.\nMit einem Zeilenumbruch darin.\n\nZweiter Absatz")).toBe(true);
    expect(byId(events, "103")).toMatchObject({
      title: "Galerie und <em>Video</em>",
      excerpt: "<p>Fotos &amp; ein <b>Video</b>.</p>",
      commentStatus: "closed",
    });
    expect(byId(events, "104")).toMatchObject({ status: "draft", date: "2019-05-01 09:30:00", dateGmt: "0000-00-00 00:00:00" });
    expect(byId(events, "105")).toMatchObject({ postName: "", date: "0000-00-00 00:00:00", dateGmt: "0000-00-00 00:00:00" });
    expect(byId(events, "114")?.postName).toBe("%c3%bcber-gr%c3%bc%c3%9fe");
    expect(byId(events, "118")).toMatchObject({ title: "", content: "", postName: "118" });
    expect(byId(events, "304")).toMatchObject({ type: "page", parent: "303", link: "https://alt.example/%c3%bcber-uns/team/" });
    expect(byId(events, "201")).toMatchObject({ parent: "102", attachmentUrl: "https://alt.example/wp-content/uploads/2019/04/team.jpg" });
    expect(byId(events, "401")?.terms).toEqual([{ domain: "nav_menu", nicename: "hauptmenue", name: "Hauptmenü" }]);
  });

  it("reads comments: threads, every status, pingbacks and trackbacks, authors named by a URL or with umlauts", async () => {
    const events = await readFixture("agenturblog-1.2.xml");
    const comments = byId(events, "101")?.comments ?? [];
    expect(countBy(comments, (c) => `${c.type}:${c.approved}`)).toEqual({
      ...{ "comment:1": 4, "comment:0": 1, "comment:spam": 1, "comment:trash": 1, "pingback:1": 1, "trackback:1": 1 },
    });
    expect(comments.map((c) => `${c.id}<${c.parent}`)).toEqual(["1<0", "2<1", "3<2", "4<0", "5<0", "6<0", "7<0", "8<0", "9<0"]);
    expect(comments[0]).toEqual({
      id: "1",
      author: "Jürgen Weiß",
      email: "juergen@example.net",
      url: "https://juergen.example/",
      ip: "192.0.2.10",
      date: "2019-03-14 12:00:00",
      dateGmt: "2019-03-14 11:00:00",
      content: "Schön, dass es weitergeht!\n\nZweiter Absatz mit <em>Betonung</em>.",
      approved: "1",
      type: "comment",
      parent: "0",
    });
    expect(comments[4]).toMatchObject({ author: "https://uhren.example/", approved: "spam" });
    // A CDATA section whose text ends in "]" right before its "]]>".
    expect(comments[6]?.content).toBe("[&#8230;] beim alten Agenturblog gibt es Neues [&#8230;]");
    expect(comments[8]).toMatchObject({ url: "javascript:alert(4)", content: expect.stringContaining("<script>alert(1)</script>") });
    expect(byId(events, "116")?.comments.map((c) => c.content)).toEqual(["Geht mit dem Beitrag."]);
  });

  it("reads the WXR 1.1 and 1.0 exports: versions, languages, authors or none, categories without a domain, empty comment types", async () => {
    const journal = await readFixture("journal-1.1.xml");
    const journalChannel = journal.find((e) => e.kind === "channel");
    expect(journalChannel?.kind === "channel" && journalChannel.channel).toMatchObject({
      version: "1.1",
      language: "en-US",
      baseBlogUrl: "https://example.org/journal",
    });
    expect(journal.flatMap((e) => (e.kind === "author" ? [e.author] : []))).toEqual([{ login: "sam", displayName: "Sam &amp; Kim", id: "" }]);
    expect(countBy(items(journal), (i) => i.type)).toEqual({ post: 6, page: 1 });
    expect(
      items(journal)
        .filter((i) => i.postName === "news")
        .map((i) => i.id),
    ).toEqual(["602", "603"]);
    expect(byId(journal, "605")).toMatchObject({ title: "Привет, мир", postName: "%d0%bf%d1%80%d0%b8%d0%b2%d0%b5%d1%82-%d0%bc%d0%b8%d1%80" });
    expect(byId(journal, "601")?.comments.map((c) => [c.id, c.parent, c.type, c.author])).toEqual([
      ["31", "0", "", "Chris"],
      ["32", "31", "", "Sam &amp; Kim"],
    ]);
    const carnet = await readFixture("carnet-1.0.xml");
    const carnetChannel = carnet.find((e) => e.kind === "channel");
    expect(carnetChannel?.kind === "channel" && carnetChannel.channel).toMatchObject({ version: "1.0", language: "fr-FR" });
    expect(carnet.filter((e) => e.kind === "author")).toEqual([]);
    expect(byId(carnet, "801")?.terms).toEqual([
      { domain: "", nicename: "", name: "Carnet" },
      { domain: "category", nicename: "carnet", name: "Carnet" },
      { domain: "tag", nicename: "", name: "Été" },
      { domain: "post_tag", nicename: "ete", name: "Été" },
    ]);
    expect(byId(carnet, "801")?.comments.map((c) => `${c.author}:${c.type}:${c.approved}`)).toEqual(["Élodie::1", "Paul::0"]);
  });

  it("reads the same whatever the chunk boundaries", async () => {
    for (const file of ["agenturblog-1.2.xml", "journal-1.1.xml", "carnet-1.0.xml"]) {
      const text = await readFile(path.join(FIXTURES, file), "utf8");
      const whole = await readFixture(file);
      expect(items(whole).length).toBeGreaterThan(2);
      for (const size of [1, 2, 3, 7, 10, 4096]) {
        const parts: WxrEvent[] = [];
        for await (const e of readWxr(chunked(text, size))) parts.push(e);
        expect(parts, `${file} in chunks of ${size}`).toEqual(whole);
      }
    }
  });

  it("refuses a broken copy with the line and column of the break, and an unknown version", async () => {
    const text = await readFile(path.join(FIXTURES, "agenturblog-1.2.xml"), "utf8");
    const read = async (xml: string) => {
      for await (const _ of readWxr(chunked(xml, 1000))) void _;
    };
    const at = text.indexOf("<title>Klassischer Editor</title>");
    const line = text.slice(0, at).split("\n").length;
    await expect(read(text.replace("<title>Klassischer Editor</title>", "<title>Klassischer Editor</titel>"))).rejects.toThrow(
      new RegExp(`^line ${line}, column \\d+: malformed XML: `),
    );
    await expect(read(text.slice(0, at))).rejects.toThrow(/malformed XML/);
    await expect(read(text.replace("<wp:wxr_version>1.2<", "<wp:wxr_version>2.0<"))).rejects.toThrow('unknown <wp:wxr_version> "2.0"');
  });
});

describe.skipIf(!available)("reading WordPress's own test exports (../shared/wordpress)", () => {
  it("reads the Theme Unit Test export: 58 posts, 21 pages, 33 comments, 2 authors", async () => {
    const events = await readShared("theme-unit-test-data.xml");
    const all = items(events);
    expect(countBy(all, (i) => i.type)).toEqual({ post: 58, page: 21, attachment: 37, nav_menu_item: 70 });
    expect(
      countBy(
        all.filter((i) => i.type === "post"),
        (i) => i.status,
      ),
    ).toEqual({ publish: 56, draft: 1, future: 1 });
    expect(all.reduce((n, i) => n + i.comments.length, 0)).toBe(33);
    const comments = all.flatMap((i) => i.comments);
    expect(countBy(comments, (c) => `${c.type || "comment"}:${c.approved}`)).toEqual({ "comment:1": 26, "comment:0": 3, "pingback:1": 2, "trackback:1": 2 });
    expect(comments.filter((c) => c.parent !== "0" && c.parent !== "").length).toBe(10);
    const authors = events.flatMap((e) => (e.kind === "author" ? [e.author] : []));
    expect(authors).toEqual([
      { login: "themedemos", displayName: "Theme Buster", id: "" },
      { login: "themereviewteam", displayName: "Theme Reviewer", id: "" },
    ]);
    const channel = events.find((e) => e.kind === "channel");
    expect(channel?.kind === "channel" && channel.channel).toMatchObject({
      version: "1.2",
      language: "en",
      baseBlogUrl: "https://wpthemetestdata.wordpress.com",
    });
    const terms = events.flatMap((e) => (e.kind === "term" ? [e.term] : []));
    expect(terms.find((t) => t.slug === "sub")).toEqual({ kind: "category", id: "30849", slug: "sub", name: "sub", parent: "aciform" });
    const password = all.find((i) => i.id === "1168");
    expect(password?.password).toBe("enter");
    const image = all.find((i) => i.id === "1177");
    expect(image?.terms.map((t) => t.domain).sort()).toContain("post_tag");
  });

  it("reads the small valid exports", async () => {
    expect(countBy(items(await readShared("valid-wxr-1.1.xml")), (i) => i.type)).toEqual({ post: 1, page: 1 });
    expect(countBy(items(await readShared("wxr-simple.xml")), (i) => i.type)).toEqual({ post: 1 });
  });

  it("reads split and nested CDATA exactly as WordPress does", async () => {
    const [post] = items(await readShared("crazy-cdata.xml"));
    expect(post?.content).toBe("Content with nested <![CDATA[ tags ]]> :)");
    expect({ ...post?.meta }).toEqual({
      "Plain string": "Foo",
      "Closing CDATA": "]]>",
      "Alot of CDATA": "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>",
    });
  });

  it("keeps backslashes exactly", async () => {
    const events = await readShared("slashes.xml");
    const [post] = items(events);
    expect(post?.content).toBe(`Slashes aren\\'t \\"cool\\"`);
    expect(post?.comments[0]?.content).toBe("\\o/ ¯\\_(ツ)_/¯");
    const terms = events.flatMap((e) => (e.kind === "term" ? [e.term.name] : []));
    expect(terms).toEqual([`a \\"great\\" category`, "foo\\'bar"]);
  });

  it("reads the same whatever the chunk boundaries", async () => {
    for (const file of ["crazy-cdata.xml", "slashes.xml", "valid-wxr-1.1.xml"]) {
      const text = await readFile(path.join(SHARED, file), "utf8");
      const whole: WxrEvent[] = [];
      for await (const e of readWxr(chunked(text, text.length))) whole.push(e);
      for (const size of [1, 2, 3, 7, 10]) {
        const parts: WxrEvent[] = [];
        for await (const e of readWxr(chunked(text, size))) parts.push(e);
        expect(parts, `${file} in chunks of ${size}`).toEqual(whole);
      }
    }
  });

  it("refuses malformed XML with its line and column", async () => {
    await expect(readShared("malformed.xml")).rejects.toThrow(/^line 90, column \d+: malformed XML: /);
  });

  it("refuses an export without <wp:wxr_version> or with an unknown one: not a WordPress export", async () => {
    await expect(readShared("missing-version-tag.xml")).rejects.toThrow("not a WordPress export: no <wp:wxr_version>");
    await expect(readShared("invalid-version-tag.xml")).rejects.toThrow('not a WordPress export: unknown <wp:wxr_version> "abc" (known: 1.0, 1.1, 1.2)');
  });
});

describe("reading what is not an export", () => {
  const read = async (text: string) => {
    for await (const _ of readWxr(chunked(text, 5))) void _;
  };
  it("refuses other XML and plain text", async () => {
    await expect(read("<html><body>hi</body></html>")).rejects.toThrow("not a WordPress export: no <rss> root element");
    await expect(read('<rss version="2.0"><channel><title>x</title></channel></rss>')).rejects.toThrow("not a WordPress export: no <wp:wxr_version>");
    await expect(read("just text")).rejects.toThrow(/malformed XML/);
    await expect(read("")).rejects.toThrow(/not a WordPress export|malformed XML/);
  });
  it("accepts versions 1.0, 1.1 and 1.2 only", async () => {
    for (const v of ["1.0", "1.1", "1.2"]) await expect(read(`<rss><channel><wp:wxr_version>${v}</wp:wxr_version></channel></rss>`)).resolves.toBeUndefined();
    await expect(read("<rss><channel><wp:wxr_version>1.3</wp:wxr_version></channel></rss>")).rejects.toThrow('unknown <wp:wxr_version> "1.3"');
  });
  it("escapes only the CDATA ends WordPress left unescaped", () => {
    const scan = (text: string) => scanCdata(text, { inCdata: false, depth: 0 }, true).out;
    expect(scan("<a><![CDATA[x]]></a>")).toBe("<a><![CDATA[x]]></a>");
    expect(scan("<a><![CDATA[x]]]]><![CDATA[>]]></a>")).toBe("<a><![CDATA[x]]]]><![CDATA[>]]></a>");
    expect(scan("<a><![CDATA[a <![CDATA[ b ]]> c]]></a>")).toBe("<a><![CDATA[a <![CDATA[ b ]]]]><![CDATA[> c]]></a>");
  });
});
