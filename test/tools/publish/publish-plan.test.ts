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
    expect(plan.added.length + plan.changed.length + plan.removed.length).toBe(0);
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
    expect(plan.removed).toEqual([]);
    expect(plan.changed).toEqual([{ source: renamed, stored, reasons: ["renamed", "content", "moved"] }]);
  });

  it("removes articles whose file is gone only with prune", async () => {
    const kept = await sourceFor("bleibt");
    const gone = storedFrom(await sourceFor("weg"), { commentCount: 2 });
    const state = { articles: [storedFrom(kept), gone], aliases: [] };
    expect(planOf(planPublish([kept], state, { prune: false })).removed).toEqual([]);
    const pruned = planOf(planPublish([kept], state, { prune: true }));
    expect(pruned.removed).toEqual([gone]);
    expect(hasWrites(pruned)).toBe(true);
  });

  it("removes only the named articles whose file is gone with remove, never one that still has its file", async () => {
    const kept = await sourceFor("bleibt");
    const sample = storedFrom(await sourceFor("beispiel"));
    const orphan = storedFrom(await sourceFor("verwaist"));
    const state = { articles: [storedFrom(kept), sample, orphan], aliases: [] };
    const plan = planOf(planPublish([kept], state, { prune: false, remove: new Set(["beispiel", "bleibt", "__proto__"]) }));
    expect(plan.removed).toEqual([sample]);
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

  it("rejects an alias naming a stored article that stays, unless prune removes it", async () => {
    const stays = storedFrom(await sourceFor("stays"));
    const state = { articles: [stays, storedFrom(await sourceFor("a"))], aliases: [] };
    const files: [string, string[]][] = [["a.md", ["title: A", "aliases: [stays]"]]];
    expect(await errorsOf(files, state)).toEqual([
      'a.md:3: aliases: "stays" is an article in D1 that has no file here; delete "stays" with --prune or drop this alias',
    ]);
    expect(await errorsOf(files, state, true)).toEqual([]);
  });

  it("rejects a slug or alias that already redirects to a stored article without a file", async () => {
    const state = {
      articles: [storedFrom(await sourceFor("z"))],
      aliases: [
        { alias: "x", articleSlug: "z" },
        { alias: "y", articleSlug: "z" },
      ],
    };
    const errors = await errorsOf([["x.md", ["title: X", "aliases: [y]"]]], state);
    expect(errors).toEqual([
      'x.md:1: slug: "x" is an alias of the article "z" in D1 that has no file here; delete "z" with --prune or choose another slug',
      'x.md:3: aliases: "y" already redirects to the article "z" in D1 that has no file here; delete "z" with --prune or drop this alias',
    ]);
    expect(await errorsOf([["x.md", ["title: X", "aliases: [y]"]]], state, true)).toEqual([]);
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
