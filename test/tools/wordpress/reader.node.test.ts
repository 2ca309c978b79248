// The streaming WXR reader on WordPress's own test exports (../shared/wordpress/,
// read in place, never copied): counts, exact text, and refusals.
import { existsSync } from "node:fs";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { scanCdata } from "../../../tools/wordpress/cdata";
import { readWxr, readWxrFile } from "../../../tools/wordpress/reader";
import type { WxrEvent, WxrItem } from "../../../tools/wordpress/wxr-types";

const SHARED = path.resolve(import.meta.dirname, "../../../../shared/wordpress");
const available = existsSync(path.join(SHARED, "theme-unit-test-data.xml"));
const suite = available ? describe : describe.skip;
if (!available) console.warn(`WordPress test exports not found at ${SHARED}: skipping the WXR reader tests`);

async function readAll(file: string): Promise<WxrEvent[]> {
  const events: WxrEvent[] = [];
  for await (const event of readWxrFile(path.join(SHARED, file))) events.push(event);
  return events;
}

const items = (events: WxrEvent[]): WxrItem[] => events.flatMap((e) => (e.kind === "item" ? [e.item] : []));

function countBy<T>(values: T[], key: (v: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const v of values) counts[key(v)] = (counts[key(v)] ?? 0) + 1;
  return counts;
}

async function* chunked(text: string, size: number): AsyncGenerator<string> {
  for (let i = 0; i < text.length; i += size) yield text.slice(i, i + size);
}

suite("reading WordPress exports", () => {
  it("reads the Theme Unit Test export: 58 posts, 21 pages, 33 comments, 2 authors", async () => {
    const events = await readAll("theme-unit-test-data.xml");
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
      { login: "themedemos", displayName: "Theme Buster" },
      { login: "themereviewteam", displayName: "Theme Reviewer" },
    ]);
    const channel = events.find((e) => e.kind === "channel");
    expect(channel?.kind === "channel" && channel.channel).toMatchObject({
      version: "1.2",
      language: "en",
      baseBlogUrl: "https://wpthemetestdata.wordpress.com",
    });
    const terms = events.flatMap((e) => (e.kind === "term" ? [e.term] : []));
    expect(terms.find((t) => t.slug === "sub")).toEqual({ kind: "category", slug: "sub", name: "sub", parent: "aciform" });
    const password = all.find((i) => i.id === "1168");
    expect(password?.password).toBe("enter");
    const image = all.find((i) => i.id === "1177");
    expect(image?.terms.map((t) => t.domain).sort()).toContain("post_tag");
  });

  it("reads the small valid exports", async () => {
    expect(countBy(items(await readAll("valid-wxr-1.1.xml")), (i) => i.type)).toEqual({ post: 1, page: 1 });
    expect(countBy(items(await readAll("wxr-simple.xml")), (i) => i.type)).toEqual({ post: 1 });
  });

  it("reads split and nested CDATA exactly as WordPress does", async () => {
    const [post] = items(await readAll("crazy-cdata.xml"));
    expect(post?.content).toBe("Content with nested <![CDATA[ tags ]]> :)");
    expect({ ...post?.meta }).toEqual({
      "Plain string": "Foo",
      "Closing CDATA": "]]>",
      "Alot of CDATA": "This has <![CDATA[ opening and ]]> closing <![CDATA[ tags like this: ]]>",
    });
  });

  it("keeps backslashes exactly", async () => {
    const events = await readAll("slashes.xml");
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
    await expect(readAll("malformed.xml")).rejects.toThrow(/^line 90, column \d+: malformed XML: /);
  });

  it("refuses an export without <wp:wxr_version> or with an unknown one: not a WordPress export", async () => {
    await expect(readAll("missing-version-tag.xml")).rejects.toThrow("not a WordPress export: no <wp:wxr_version>");
    await expect(readAll("invalid-version-tag.xml")).rejects.toThrow('not a WordPress export: unknown <wp:wxr_version> "abc" (known: 1.0, 1.1, 1.2)');
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
