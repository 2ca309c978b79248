import { describe, expect, it } from "vitest";
import app from "../../../src/app";
import { SLUG_PATTERN } from "../../../src/lib/slug";
import { RESERVED_PAGE_SLUGS } from "../../../tools/publish/publish-checks";
import { hasWrites, type PlanResult, planPublish, type StoredState } from "../../../tools/publish/publish-plan";
import { articleText, parseSource, sourceFor, storedFrom } from "../../helpers/article-files";

const EMPTY: StoredState = { articles: [], aliases: [] };

function planOf(result: PlanResult) {
  if (!result.ok) throw new Error(`expected a plan, got ${JSON.stringify(result.errors)}`);
  return result.plan;
}

function slugsOf(items: { fields: { slug: string } }[]): string[] {
  return items.map((s) => s.fields.slug);
}

describe("planPublish: what changes", () => {
  it("adds every file to an empty D1 and writes", async () => {
    const sources = [await sourceFor("eins"), await sourceFor("zwei")];
    const plan = planOf(planPublish(sources, EMPTY, { prune: false }));
    expect(slugsOf(plan.added)).toEqual(["eins", "zwei"]);
    expect(plan.changed).toEqual([]);
    expect(plan.unchanged).toEqual([]);
    expect(hasWrites(plan)).toBe(true);
  });

  it("leaves files alone that D1 holds with the same hash, renderer and path, and writes nothing", async () => {
    const sources = [await sourceFor("eins"), await sourceFor("zwei")];
    const state = { articles: sources.map((s) => storedFrom(s)), aliases: [] };
    const plan = planOf(planPublish(sources, state, { prune: true }));
    expect(slugsOf(plan.unchanged)).toEqual(["eins", "zwei"]);
    expect(plan.added.length + plan.changed.length + plan.offline.length).toBe(0);
    expect(hasWrites(plan)).toBe(false);
  });

  it("says why a stored article is written again", async () => {
    const edited = await sourceFor("edited");
    const rerender = await sourceFor("rerender");
    const moved = await sourceFor("moved");
    const state = {
      articles: [
        storedFrom(edited, { sourceHash: "an-older-hash", htmlVersion: "md0:old" }),
        storedFrom(rerender, { htmlVersion: "md0:old" }),
        storedFrom(moved, { sourcePath: "2023/moved.md" }),
      ],
      aliases: [],
    };
    const plan = planOf(planPublish([edited, rerender, moved], state, { prune: false }));
    expect(plan.changed.map((c) => [c.source.fields.slug, c.reasons])).toEqual([
      ["edited", ["content"]],
      ["rerender", ["renderer"]],
      ["moved", ["moved"]],
    ]);
  });

  it("renames the stored article a file names in its aliases, instead of adding one", async () => {
    const renamed = await sourceFor("neuer-name", ["aliases: [alter-name]"]);
    const stored = storedFrom(await sourceFor("alter-name"), { commentCount: 4 });
    const plan = planOf(planPublish([renamed], { articles: [stored], aliases: [] }, { prune: true }));
    expect(plan.added).toEqual([]);
    expect(plan.offline).toEqual([]);
    expect(plan.changed).toEqual([{ source: renamed, stored, reasons: ["renamed", "content", "moved"] }]);
  });

  it("renames the article of a file whose slug changed, found by its path", async () => {
    const before = await parseSource("beitrag.md", articleText(["title: T", "slug: alter-name"]));
    const after = await parseSource("beitrag.md", articleText(["title: T", "slug: neuer-name"]));
    const stored = storedFrom(before, { commentCount: 3 });
    const plan = planOf(planPublish([after], { articles: [stored], aliases: [] }, { prune: true }));
    expect(plan.added).toEqual([]);
    expect(plan.changed).toEqual([{ source: after, stored, reasons: ["renamed", "content"] }]);
  });

  it("finds the article by its id when the path and the slug changed; an id decides over path and slug", async () => {
    const before = await parseSource("2024/alt.md", articleText(["title: T", "id: 01ABCDEFGHJKMNPQRSTVWXYZ0"]));
    const after = await parseSource("neu/anders.md", articleText(["title: T", "id: 01ABCDEFGHJKMNPQRSTVWXYZ0"]));
    const stored = storedFrom(before, { sourceId: "01ABCDEFGHJKMNPQRSTVWXYZ0" });
    const plan = planOf(planPublish([after], { articles: [stored], aliases: [] }, { prune: true }));
    expect(plan.changed).toEqual([{ source: after, stored, reasons: ["renamed", "moved"] }]);
    // A file with another id is another article, even at the same path with the same slug.
    const other = await parseSource("2024/alt.md", articleText(["title: T", "id: 01ZZZZZZZZZZZZZZZZZZZZZZZZ"]));
    const result = planPublish([other], { articles: [stored], aliases: [] }, { prune: false });
    expect(result.ok ? [] : result.errors.map((e) => e.message)).toEqual([
      'slug: "alt" belongs to another article in D1 (on the site, published from 2024/alt.md, id 01ABCDEFGHJKMNPQRSTVWXYZ0) that has no file here; choose another slug, or delete that article for good with npm run delete -- alt',
    ]);
  });

  it("refuses two files with one id, naming both", async () => {
    const a = await parseSource("a.md", articleText(["title: A", "id: 01ABCDEFGHJKMNPQRSTVWXYZ0"]));
    const b = await parseSource("b.md", articleText(["title: B", "id: 01ABCDEFGHJKMNPQRSTVWXYZ0"]));
    const result = planPublish([b, a], EMPTY, { prune: false, displayPath: (p) => `content/${p}` });
    expect(result.ok ? [] : result.errors).toEqual([
      {
        path: "b.md",
        line: 3,
        message:
          'id: "01ABCDEFGHJKMNPQRSTVWXYZ0" is also the id of content/a.md; two files cannot be one article. If this file is a copy, delete its id: line (publishing writes a new one)',
      },
    ]);
  });

  it("lists articles whose file is gone, and takes them offline (not away) only with prune", async () => {
    const kept = await sourceFor("bleibt");
    const gone = storedFrom(await sourceFor("weg"), { commentCount: 2 });
    const state = { articles: [storedFrom(kept), gone], aliases: [] };
    const listed = planOf(planPublish([kept], state, { prune: false }));
    expect([listed.gone, listed.offline, hasWrites(listed)]).toEqual([[gone], [], false]);
    const pruned = planOf(planPublish([kept], state, { prune: true }));
    expect([pruned.gone, pruned.offline, hasWrites(pruned)]).toEqual([[], [gone], true]);
    // Already offline: neither listed nor taken offline again; its file coming back restores it.
    const offline = { ...gone, goneAt: 1 };
    const again = planOf(planPublish([kept], { articles: [storedFrom(kept), offline], aliases: [] }, { prune: true }));
    expect([again.gone, again.offline]).toEqual([[], []]);
    const back = planOf(planPublish([kept, await sourceFor("weg")], { articles: [storedFrom(kept), offline], aliases: [] }, { prune: false }));
    expect(back.changed.map((c) => [c.source.fields.slug, c.reasons])).toEqual([["weg", ["restored"]]]);
  });

  it("takes offline only the named articles whose file is gone with remove, never one that still has its file", async () => {
    const kept = await sourceFor("bleibt");
    const sample = storedFrom(await sourceFor("beispiel"));
    const orphan = storedFrom(await sourceFor("verwaist"));
    const state = { articles: [storedFrom(kept), sample, orphan], aliases: [] };
    const plan = planOf(planPublish([kept], state, { prune: false, remove: new Set(["beispiel", "bleibt", "__proto__"]) }));
    expect(plan.offline).toEqual([sample]);
    expect(plan.gone).toEqual([orphan]);
    expect(slugsOf(plan.unchanged)).toEqual(["bleibt"]);
  });

  it("skips new or changed files outside the selection but still counts unchanged ones", async () => {
    const chosen = await sourceFor("gewaehlt");
    const other = await sourceFor("andere");
    const same = await sourceFor("gleich");
    const state = { articles: [storedFrom(same)], aliases: [] };
    const plan = planOf(planPublish([chosen, other, same], state, { prune: false, isSelected: (p) => p === "gewaehlt.md" }));
    expect(slugsOf(plan.added)).toEqual(["gewaehlt"]);
    expect(slugsOf(plan.skipped)).toEqual(["andere"]);
    expect(slugsOf(plan.unchanged)).toEqual(["gleich"]);
  });
});

describe("planPublish: checks across files and D1", () => {
  async function errorsOf(files: [string, string[]][], state: StoredState = EMPTY, prune = false) {
    const sources = await Promise.all(files.map(([path, lines]) => parseSource(path, articleText(lines))));
    const result = planPublish(sources, state, { prune, displayPath: (p) => `content/${p}` });
    return result.ok ? [] : result.errors.map((e) => `${e.path}:${e.line}: ${e.message}`);
  }

  it("rejects two files with one slug, naming the other file", async () => {
    const errors = await errorsOf([
      ["a.md", ["title: A", "slug: gleich"]],
      ["b.md", ["title: B", "slug: gleich"]],
      ["gleich.md", ["title: C"]],
    ]);
    expect(errors).toEqual(['b.md:3: slug: "gleich" is already used by content/a.md', 'gleich.md:1: slug: "gleich" is already used by content/a.md']);
  });

  it("rejects an alias that is another article's slug or another file's alias", async () => {
    const errors = await errorsOf([
      ["a.md", ["title: A", "aliases: [b, alt]"]],
      ["b.md", ["title: B", "aliases:", "  - alt"]],
    ]);
    expect(errors).toEqual(['a.md:3: aliases: "b" is the slug of another article (content/b.md)', 'b.md:4: aliases: "alt" is also an alias in content/a.md']);
  });

  it("rejects an alias naming a stored article that stays in D1, also when prune takes it offline", async () => {
    const stays = storedFrom(await sourceFor("stays"));
    const state = { articles: [stays, storedFrom(await sourceFor("a"))], aliases: [] };
    const files: [string, string[]][] = [["a.md", ["title: A", "aliases: [stays]"]]];
    const expected = [
      'a.md:3: aliases: "stays" is an article in D1 that has no file here; drop this alias, or delete "stays" for good with npm run delete -- stays',
    ];
    expect(await errorsOf(files, state)).toEqual(expected);
    expect(await errorsOf(files, state, true)).toEqual(expected);
  });

  it("rejects a slug or alias that already redirects to a stored article without a file", async () => {
    const state = {
      articles: [storedFrom(await sourceFor("z"))],
      aliases: [
        { alias: "x", articleSlug: "z" },
        { alias: "y", articleSlug: "z" },
      ],
    };
    const expected = [
      'x.md:1: slug: "x" is an alias of the article "z" in D1 that has no file here; choose another slug, or delete "z" for good with npm run delete -- z',
      'x.md:3: aliases: "y" already redirects to the article "z" in D1 that has no file here; drop this alias, or delete "z" for good with npm run delete -- z',
    ];
    expect(await errorsOf([["x.md", ["title: X", "aliases: [y]"]]], state)).toEqual(expected);
    expect(await errorsOf([["x.md", ["title: X", "aliases: [y]"]]], state, true)).toEqual(expected);
  });

  it("lets a file take over aliases that D1 holds for an article it also publishes", async () => {
    const z = await sourceFor("z");
    const state = { articles: [storedFrom(z)], aliases: [{ alias: "y", articleSlug: "z" }] };
    expect(
      await errorsOf(
        [
          ["z.md", ["title: Titel z"]],
          ["x.md", ["title: X", "aliases: [y]"]],
        ],
        state,
      ),
    ).toEqual([]);
  });

  it("rejects one tag spelled two ways", async () => {
    const errors = await errorsOf([
      ["a.md", ["title: A", "tags: [Online-Kommunikation]"]],
      ["b.md", ["title: B", "tags:", "  - Web", "  - online kommunikation"]],
    ]);
    expect(errors).toEqual(['b.md:5: tags: "online kommunikation" is spelled "Online-Kommunikation" in content/a.md; use one spelling']);
  });

  it("rejects two translations in one language, and takes one per language", async () => {
    const errors = await errorsOf([
      ["a.md", ["title: A", "lang: de", "translationKey: schnell"]],
      ["b.md", ["title: B", "lang: en", "translationKey: schnell"]],
      ["c.md", ["title: C", "author: X", "lang: de", "translationKey: schnell"]],
      ["d.md", ["title: D", "lang: de", "translationKey: anders"]],
    ]);
    expect(errors).toEqual([
      'c.md:5: translationKey: "schnell" is already the key of content/a.md in the same language (de); translations need different languages',
    ]);
  });

  it("rejects a page slug that collides with an article's slug", async () => {
    const errors = await errorsOf([
      ["kontakt.md", ["title: Kontakt (Artikel)"]],
      ["pages/kontakt.md", ["title: Kontakt"]],
    ]);
    expect(errors).toEqual(['pages/kontakt.md:1: slug: "kontakt" is already used by content/kontakt.md']);
  });

  it.each([
    "admin",
    "articles",
    "tags",
    "feed",
    "rss",
    "comments",
    "sitemap",
    "robots",
    "media",
    "assets",
    "search",
    "archive",
    "preview",
    "category",
    "wp-content",
    "cdn-cgi",
    "atom",
    "opensearch",
  ])("rejects the page slug %s, a path the blog serves itself, also as an alias", async (reserved) => {
    expect(await errorsOf([["pages/a.md", ["title: A", `slug: ${reserved}`]]])).toEqual([
      `pages/a.md:3: slug: "${reserved}" is a path the blog itself uses (/${reserved}); choose another slug for this page`,
    ]);
    expect(await errorsOf([["pages/b.md", ["title: B", "aliases:", `  - ${reserved}-x`, `  - ${reserved}`]]])).toEqual([
      `pages/b.md:5: aliases: "${reserved}" is a path the blog itself uses (/${reserved}); choose another alias`,
    ]);
  });

  it("reserves the first segment of every path the app routes, file names without their extension", () => {
    const segments = app.routes.map((route) => (route.path.split("/")[1] ?? "").replace(/\..*$/, "")).filter((segment) => SLUG_PATTERN.test(segment));
    expect(segments.length).toBeGreaterThan(5);
    expect([...new Set(segments)].filter((segment) => !RESERVED_PAGE_SLUGS.has(segment))).toEqual([]);
  });

  it("lets an article take a slug that would be reserved for a page (articles live under /articles/)", async () => {
    expect(await errorsOf([["search.md", ["title: Suche"]]])).toEqual([]);
  });

  it("allows one page per role, in files and among the stored pages that stay", async () => {
    const errors = await errorsOf([
      ["pages/impressum.md", ["title: Impressum", "role: imprint"]],
      ["pages/impressum-alt.md", ["title: Altes Impressum", "nav: footer", "role: imprint"]],
      ["pages/datenschutz.md", ["title: Datenschutz", "role: privacy"]],
    ]);
    // Files are checked in path order: impressum-alt.md comes first.
    expect(errors).toEqual(['pages/impressum.md:3: role: "imprint" is already the role of content/pages/impressum-alt.md; a site has one such page']);
    const stays = { ...storedFrom(await sourceFor("privacy-old")), role: "privacy" as const };
    const files: [string, string[]][] = [["pages/datenschutz.md", ["title: Datenschutz", "role: privacy"]]];
    expect(await errorsOf(files, { articles: [stays], aliases: [] })).toEqual([
      'pages/datenschutz.md:3: role: "privacy" is already the role of the page "privacy-old" in D1 that has no file here; a site has one such page',
    ]);
    expect(await errorsOf(files, { articles: [stays], aliases: [] }, true)).toEqual([]);
  });
});
