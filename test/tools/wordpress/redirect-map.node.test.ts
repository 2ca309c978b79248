// The redirect map from a WordPress site's URLs, and the normalized keys the
// Worker looks them up by.
import { describe, expect, it } from "vitest";
import { hasWordPressQuery, normalizeRedirectKey } from "../../../src/redirects/normalize";
import { createRedirectMap } from "../../../tools/wordpress/redirect-map";
import type { WxrChannel } from "../../../tools/wordpress/wxr-types";

const CHANNEL: WxrChannel = {
  title: "Alt",
  link: "https://alt.test",
  language: "de-DE",
  baseSiteUrl: "https://alt.test",
  baseBlogUrl: "https://alt.test",
  version: "1.2",
};

describe("redirect keys", () => {
  it("normalize paths: decoded, trailing slashes gone, lower case except uploads", () => {
    expect(normalizeRedirectKey("https://alt.test/2014/03/Hallo-Welt/")).toBe("/2014/03/hallo-welt");
    expect(normalizeRedirectKey("/%C3%BCber-uns/")).toBe("/über-uns");
    expect(normalizeRedirectKey("/%c3%bcber-uns")).toBe("/über-uns");
    expect(normalizeRedirectKey("/über-uns")).toBe("/über-uns");
    expect(normalizeRedirectKey("/wp-content/uploads/2024/05/Bild.JPG")).toBe("/wp-content/uploads/2024/05/Bild.JPG");
    expect(normalizeRedirectKey("/%E0%A4%A/")).toBe("/%e0%a4%a");
    // A doubled slash (the Theme Unit Test export links a page so) is a path, not a host; stored and requested alike.
    expect(normalizeRedirectKey("//greek/%ce%b5-2/")).toBe("/greek/ε-2");
    expect(normalizeRedirectKey("https://blog.test//greek/%ce%b5-2/")).toBe("/greek/ε-2");
  });
  it("keep only the query parameters WordPress routes by, in one order", () => {
    expect(normalizeRedirectKey("/?p=12")).toBe("/?p=12");
    expect(normalizeRedirectKey("/?utm_source=x&p=12")).toBe("/?p=12");
    expect(normalizeRedirectKey("/index.php?page_id=3&p=1")).toBe("/index.php?p=1&page_id=3");
    expect(normalizeRedirectKey("/?p=12&p=13")).toBe("/?p=12");
    expect(normalizeRedirectKey("/?constructor=1&__proto__=2")).toBe("/");
    expect(hasWordPressQuery("https://neu.test/?p=1")).toBe(true);
    expect(hasWordPressQuery("https://neu.test/?q=1")).toBe(false);
    expect(hasWordPressQuery("https://neu.test/?toString=1")).toBe(false);
  });
});

describe("the redirect map of an old site", () => {
  function mapOf() {
    const map = createRedirectMap();
    map.addPost({
      id: "12",
      type: "post",
      link: "https://alt.test/2014/03/12/hallo-welt/",
      newPath: "/articles/hallo-welt",
      decodedName: "hallo-welt",
      slug: "hallo-welt",
    });
    map.addPost({ id: "3", type: "page", link: "https://alt.test/%c3%bcber-uns/", newPath: "/ueber-uns", decodedName: "über-uns", slug: "ueber-uns" });
    map.addPost({ id: "14", type: "post", link: "https://alt.test/archives/14", newPath: "/articles/zweiter", decodedName: "zweiter", slug: "zweiter" });
    map.addPost({ id: "15", type: "post", link: "https://alt.test/?p=15", newPath: "/articles/dritter", decodedName: "dritter", slug: "dritter" });
    map.addTerm({ kind: "category", slug: "eltern", name: "Eltern", parent: "" });
    map.addTerm({ kind: "category", id: "7", slug: "kind", name: "Kind & Kegel", parent: "eltern" });
    // A slug and name with invisible characters (a zero-width space, a soft hyphen), as pasted titles leave them.
    map.addTerm({ kind: "tag", id: "8", slug: "k%e2%80%8bmu", name: "K\u200bM\u00adU", parent: "" });
    map.addTerm({ kind: "tag", slug: "leer", name: "Leer", parent: "" });
    map.addTerm({ kind: "category", slug: "uncategorized", name: "Uncategorized", parent: "" });
    // As a post names them: a declared category again (without its parent), and a tag the channel never declared.
    map.addTerm({ kind: "category", slug: "kind", name: "Kind & Kegel", parent: "" });
    map.addTerm({ kind: "tag", slug: "spalten", name: "Spalten", parent: "" });
    map.useTag("eltern");
    map.useTag("kind-kegel");
    map.useTag("spalten");
    map.useTag("kmu");
    map.addAuthor("anna", "1");
    map.addAuthor("Ben.Bauer", "2");
    map.addAttachment({ id: "20", link: "https://alt.test/2014/03/12/hallo-welt/bild/", parent: "12" });
    map.addAttachment({ id: "21", link: "https://alt.test/?attachment_id=21", parent: "0" });
    map.addUpload("/wp-content/uploads/2014/03/bild-300x200.jpg", "/media/2014/03/bild-300x200.jpg");
    return new Map(map.list(CHANNEL));
  }

  it("maps every kind of old URL to its new home", () => {
    const map = mapOf();
    expect(Object.fromEntries(map)).toEqual({
      "/2014/03/12/hallo-welt": "/articles/hallo-welt",
      "/2014/03/12/hallo-welt/feed": "/articles/hallo-welt/comments/feed.xml",
      "/?p=12": "/articles/hallo-welt",
      "/über-uns": "/ueber-uns",
      "/?page_id=3": "/ueber-uns",
      "/?p=3": "/ueber-uns",
      "/archives/14": "/articles/zweiter",
      "/archives/14/feed": "/articles/zweiter/comments/feed.xml",
      "/?p=14": "/articles/zweiter",
      "/?p=15": "/articles/dritter",
      "/2014/03/12/hallo-welt/bild": "/articles/hallo-welt",
      "/?attachment_id=20": "/articles/hallo-welt",
      "/category/eltern": "/tags/eltern",
      "/category/eltern/kind": "/tags/kind-kegel",
      // WordPress answers a child category by its own slug, and any category by its id.
      "/category/kind": "/tags/kind-kegel",
      "/?cat=7": "/tags/kind-kegel",
      "/tag/kmu": "/tags/kmu",
      // No tag is made of the default category; its archive held every post, as the home page does.
      "/category/uncategorized": "/",
      "/tag/spalten": "/tags/spalten",
      "/author/anna": "/",
      "/?author=1": "/",
      "/author/ben.bauer": "/",
      "/author/ben-bauer": "/",
      "/?author=2": "/",
      "/wp-content/uploads/2014/03/bild-300x200.jpg": "/media/2014/03/bild-300x200.jpg",
    });
  });

  it("never maps a URL to itself and lists the same every time", () => {
    const map = createRedirectMap();
    map.addPost({ id: "1", type: "page", link: "https://alt.test/impressum/", newPath: "/impressum", decodedName: "impressum", slug: "impressum" });
    const first = map.list(CHANNEL);
    expect(first.map(([from]) => from)).toEqual(["/?p=1", "/?page_id=1"]);
    expect(map.list(CHANNEL)).toEqual(first);
  });

  it("keeps a blog that lived in a folder in its folder", () => {
    const map = createRedirectMap();
    map.addPost({ id: "9", type: "post", link: "https://alt.test/blog/hallo/", newPath: "/articles/hallo", decodedName: "hallo", slug: "hallo" });
    map.addAuthor("anna");
    const list = Object.fromEntries(map.list({ ...CHANNEL, baseBlogUrl: "https://alt.test/blog/" }));
    expect(list["/blog?p=9"]).toBe("/articles/hallo");
    expect(list["/blog/author/anna"]).toBe("/");
  });
});
