import { SELF } from "cloudflare:test";
import { describe, expect, it } from "vitest";
import { insertArticle } from "./helpers/articles";

describe("smoke", () => {
  it("serves an article", async () => {
    const { slug } = await insertArticle({ title: "Hallo Welt" });
    const res = await SELF.fetch(`https://blog.test/articles/${slug}`);
    const text = await res.text();
    expect(res.status, text).toBe(200);
    expect(text).toContain("Hallo Welt");
  });
});
