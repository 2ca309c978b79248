// Every URL the old WordPress site had, mapped to its new home: /?p=ID,
// /?page_id=ID, each post's <link> whatever the permalink structure, its
// /feed/, categories (by their path, their own slug and /?cat=ID), tags,
// authors (by login, nicename and /?author=ID), attachment pages and copied
// uploads. The forms WordPress derives from these (feeds, pages, AMP,
// comment pages, queries) the Worker reads itself (src/redirects/old-urls.ts).
import { slugify } from "../../src/lib/slug";
import { normalizeRedirectKey } from "../../src/redirects/normalize";
import { detach } from "./text";
import type { WxrChannel, WxrTerm } from "./wxr-types";

export interface RedirectPost {
  id: string;
  type: "post" | "page";
  link: string;
  newPath: string;
  /** The decoded WordPress slug (may hold umlauts). */
  decodedName: string;
  slug: string;
}

export interface RedirectAttachment {
  id: string;
  link: string;
  parent: string;
}

const NON_ASCII = /[^\x00-\x7f]/;

/** WordPress's default category: not made a tag (it says nothing), its archive (every post without a category) moves to the home page. */
export const DEFAULT_CATEGORY = "uncategorized";

export function createRedirectMap() {
  const entries = new Map<string, string>();
  const posts: RedirectPost[] = [];
  const terms: WxrTerm[] = [];
  const termKeys = new Set<string>();
  const usedTags = new Set<string>();
  const authors: { login: string; id: string }[] = [];
  const attachments: RedirectAttachment[] = [];
  const uploads: [string, string][] = [];

  const add = (from: string, to: string) => {
    const key = normalizeRedirectKey(from);
    if (key === null || key === normalizeRedirectKey(to) || entries.has(key)) return;
    entries.set(key, to);
  };

  const addPostUrls = (post: RedirectPost, blogPath: string) => {
    const link = pathOf(post.link);
    if (link) add(link, post.newPath);
    add(`${blogPath}/?${post.type === "page" ? "page_id" : "p"}=${post.id}`, post.newPath);
    add(`${blogPath}/?p=${post.id}`, post.newPath);
    if (post.type === "post" && link && !link.includes("?")) add(`${link.replace(/\/+$/, "")}/feed/`, `${post.newPath}/comments/feed.xml`);
    if (NON_ASCII.test(post.decodedName)) add(post.type === "post" ? `/articles/${post.decodedName}` : `/${post.decodedName}`, post.newPath);
  };

  return {
    addPost: (post: RedirectPost) => posts.push(detach(post)),
    /** A category or tag; the first of one kind and slug counts (the channel's, with its parent, precede the posts'). */
    addTerm: (term: WxrTerm) => {
      const key = `${term.kind}:${termKey(term.slug)}`;
      if (termKeys.has(key)) return;
      termKeys.add(detach(key));
      terms.push(detach(term));
    },
    useTag: (tagSlug: string) => usedTags.add(detach(tagSlug)),
    addAuthor: (login: string, id = "") => authors.push(detach({ login, id: id.trim() })),
    addAttachment: (attachment: RedirectAttachment) => attachments.push(detach({ id: attachment.id, link: attachment.link, parent: attachment.parent })),
    addUpload: (oldPath: string, newPath: string) => uploads.push(detach([oldPath, newPath])),
    /** All entries, [normalized old key, new path], sorted; `channel` says where the old blog lived. */
    list(channel: WxrChannel): [string, string][] {
      entries.clear();
      const blogPath = pathOf(channel.baseBlogUrl || channel.link).replace(/\/+$/, "");
      for (const post of posts) addPostUrls(post, blogPath);
      const byId = new Map(posts.map((p) => [p.id, p.newPath]));
      for (const attachment of attachments) {
        const target = byId.get(attachment.parent.trim());
        if (!target) continue;
        const link = pathOf(attachment.link);
        if (link) add(link, target);
        add(`${blogPath}/?attachment_id=${attachment.id}`, target);
      }
      const termTargets = termPaths(terms).flatMap(([termPath, term]): [string, WxrTerm, string][] => {
        const tag = slugify(term.name);
        if (term.kind === "category" && termKey(term.slug) === DEFAULT_CATEGORY) return [[termPath, term, "/"]];
        return tag && usedTags.has(tag) ? [[termPath, term, `/tags/${tag}`]] : [];
      });
      for (const [termPath, term, target] of termTargets) add(`${blogPath}/${term.kind === "tag" ? "tag" : "category"}/${termPath}/`, target);
      // WordPress answers a child category by its own slug too (/category/child/), and a category by its id.
      for (const [, term, target] of termTargets) {
        if (term.kind === "category") add(`${blogPath}/category/${term.slug}/`, target);
        if (term.kind === "category" && term.id && /^\d+$/.test(term.id)) add(`${blogPath}/?cat=${term.id}`, target);
      }
      // Authors have no page here: their archive was the blog's articles, so the home page (an id gives no login away).
      for (const { login, id } of authors) {
        add(`${blogPath}/author/${login}/`, "/");
        add(`${blogPath}/author/${slugify(login)}/`, "/");
        if (/^\d+$/.test(id)) add(`${blogPath}/?author=${id}`, "/");
      }
      for (const [from, to] of uploads) add(from, to);
      return [...entries.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    },
  };
}

export type RedirectMap = ReturnType<typeof createRedirectMap>;

/** A term slug as old links are compared (decoded, lower case, without invisible characters): one key for its spellings. */
function termKey(slug: string): string {
  return normalizeRedirectKey(`/${slug.trim()}`)?.slice(1) ?? slug.trim();
}

/** Category archives nest their parents' slugs: /category/parent/child/. */
function termPaths(terms: WxrTerm[]): [string, WxrTerm][] {
  const categories = new Map(terms.filter((t) => t.kind === "category").map((t) => [termKey(t.slug), t]));
  return terms.map((term) => {
    const parts = [term.slug];
    let parent = term.kind === "category" ? categories.get(termKey(term.parent)) : undefined;
    for (let depth = 0; parent && depth < 20; depth++) {
      parts.unshift(parent.slug);
      parent = categories.get(termKey(parent.parent));
    }
    return [parts.join("/"), term];
  });
}

function pathOf(url: string): string {
  try {
    const parsed = new URL(url.trim());
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return "";
  }
}
