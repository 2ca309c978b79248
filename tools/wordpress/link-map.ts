// Links inside the imported content (posts, pages, comments) that point at the
// old site itself, turned into the new relative paths: posts and pages (by
// their <link>, ?p=, ?page_id=), attachment pages (to the post they belong
// to), category and tag archives (to the tag's page) and uploads (to their
// copy under /media/, when there is one). The old site is every host the
// export names for it (<wp:base_site_url>, <wp:base_blog_url>, the channel's
// and each item's <link>, the uploads' hosts), in either scheme, with or
// without "www."; a link to any other site stays as it is. Paths are compared
// percent-decoded, without trailing slashes and case-insensitively, as
// WordPress finds them. Built from a first pass over the export, so a link
// to a post further down the file is known too.
import { slugify } from "../../src/lib/slug";
import { DEFAULT_CATEGORY } from "./redirect-map";
import { detach } from "./text";
import type { WxrChannel, WxrTerm } from "./wxr-types";

interface OldPlace {
  path: string;
  params: URLSearchParams;
  hash: string;
}

/** WordPress.com serves a site's uploads from <site>.files.wordpress.com. */
const WPCOM_FILES = /^([a-z0-9-]+)\.files\.wordpress\.com$/;
const UPLOADS = "/wp-content/uploads/";
// href and src attributes, quoted as WordPress's editors write them.
const URL_ATTRIBUTE = /(\s(?:href|src)\s*=\s*)(?:"([^"]*)"|'([^']*)')/gi;

export function createLinkMap() {
  const hosts = new Set<string>();
  const byPath = new Map<string, string>();
  const postById = new Map<string, string>();
  const attachments: { id: string; link: string; parent: string }[] = [];
  const images = new Map<string, { url: string; alt: string }>();
  const terms: WxrTerm[] = [];
  const usedTags = new Set<string>();
  let blogPath = "";
  let mapUpload: (url: string) => string = (url) => url;

  const addHost = (url: string) => {
    const host = hostOf(url);
    if (host) hosts.add(detach(host));
  };
  const isOwnHost = (host: string): boolean => {
    const bare = host.replace(/^www\./, "");
    const files = WPCOM_FILES.exec(bare);
    return hosts.has(bare) || (files !== null && hosts.has(`${files[1]}.wordpress.com`));
  };

  /** Where the link leads on the old site, when it is the old site's; null for other sites and for links without a host or root. */
  const readOld = (raw: string): OldPlace | null => {
    const value = raw.trim().replace(/&amp;/gi, "&");
    let url: URL;
    try {
      if (/^(?:https?:)?\/\//i.test(value)) {
        url = new URL(value, "https://x.invalid");
        if (!isOwnHost(url.hostname.toLowerCase())) return null;
      } else if (value.startsWith("/")) url = new URL(value, "https://x.invalid");
      else return null;
    } catch {
      return null;
    }
    return { path: url.pathname, params: url.searchParams, hash: url.hash };
  };

  const newPathOf = (old: OldPlace): string | null => {
    const id = (name: string) => old.params.get(name)?.trim() ?? "";
    const byId = id("p") || id("page_id") || id("attachment_id");
    if (byId) return postById.get(byId) ?? null;
    return byPath.get(pathKey(old.path)) ?? null;
  };

  const rewriteUrl = (raw: string): string => {
    const old = readOld(raw);
    if (!old) return raw;
    if (old.path.toLowerCase().includes(UPLOADS)) {
      // Relative upload links are the site's too: the mapper knows them by an absolute URL.
      const absolute = /^(?:https?:)?\/\//i.test(raw.trim()) ? raw.trim() : `//${[...hosts][0] ?? "x.invalid"}${raw.trim()}`;
      const mapped = mapUpload(absolute);
      return mapped === absolute ? raw : mapped;
    }
    const target = newPathOf(old);
    return target === null ? raw : `${target}${old.hash}`;
  };

  return {
    addChannel(channel: WxrChannel) {
      for (const url of [channel.baseSiteUrl, channel.baseBlogUrl, channel.link]) addHost(url);
      blogPath = pathKey(pathOf(channel.baseBlogUrl || channel.link));
    },
    /** A post or page the import writes, at its new path. */
    addPost(post: { id: string; link: string; newPath: string }) {
      addHost(post.link);
      const key = pathKey(pathOf(post.link));
      if (key !== blogPath) byPath.set(detach(key), detach(post.newPath));
      postById.set(detach(post.id.trim()), detach(post.newPath));
    },
    addAttachment(attachment: { id: string; link: string; parent: string; url: string; alt: string }) {
      addHost(attachment.link);
      addHost(attachment.url);
      if (attachment.url.trim()) images.set(detach(attachment.id.trim()), detach({ url: attachment.url.trim(), alt: attachment.alt.trim() }));
      attachments.push(detach({ id: attachment.id.trim(), link: attachment.link, parent: attachment.parent.trim() }));
    },
    /** A category or tag; the first of one kind and slug counts (the channel's, with its parent, precede the posts'). */
    addTerm(term: WxrTerm) {
      if (!terms.some((t) => t.kind === term.kind && t.slug === term.slug)) terms.push(detach(term));
    },
    /** A tag a public post carries: its page exists. */
    useTag: (tagSlug: string) => usedTags.add(detach(tagSlug)),
    /** Resolves what needs every post first: attachment pages to their post, archives to their tag. */
    finish() {
      for (const attachment of attachments) {
        const target = postById.get(attachment.parent);
        if (!target) continue;
        postById.set(attachment.id, target);
        const key = pathKey(pathOf(attachment.link));
        if (key !== blogPath && !byPath.has(key)) byPath.set(key, target);
      }
      for (const [termPath, term] of termPaths(terms)) {
        const tag = slugify(term.name);
        const target = term.kind === "category" && term.slug === DEFAULT_CATEGORY ? "/" : usedTags.has(tag) ? `/tags/${tag}` : null;
        const key = pathKey(`${blogPath}/${term.kind === "tag" ? "tag" : "category"}/${termPath}`);
        if (target && !byPath.has(key)) byPath.set(key, target);
      }
    },
    /**
     * A featured image (_thumbnail_id) as an article image: the attachment's
     * original file (not a size variant) at its copy's path when there is
     * one, else its URL; its alternative text. Null for an unknown id.
     */
    imageOf(attachmentId: string): { url: string; alt: string | null } | null {
      const image = images.get(attachmentId.trim());
      if (!image) return null;
      return { url: this.isOwnUrl(image.url) ? mapUpload(image.url) : image.url, alt: image.alt || null };
    },
    /** Whether an upload's URL is the old site's (its hosts, either scheme, with or without www). */
    isOwnUrl(url: string): boolean {
      const host = hostOf(url.startsWith("//") ? `https:${url}` : url);
      return host !== null && isOwnHost(host);
    },
    /** Sets how an upload's URL becomes its copy's path (the media mapper, made once the hosts are known). */
    useUploads(map: (url: string) => string) {
      mapUpload = map;
    },
    /** The HTML with every href and src that points at the old site's posts, pages, archives or uploads made the new path. */
    rewrite(html: string): string {
      return html.replace(URL_ATTRIBUTE, (whole, head: string, double: string | undefined, single: string | undefined) => {
        const raw = double ?? single ?? "";
        const next = rewriteUrl(raw);
        if (next === raw) return whole;
        return double !== undefined ? `${head}"${next}"` : `${head}'${next}'`;
      });
    },
  };
}

export type LinkMap = ReturnType<typeof createLinkMap>;

function hostOf(url: string): string | null {
  try {
    const parsed = new URL(url.trim());
    return parsed.protocol === "http:" || parsed.protocol === "https:" ? parsed.hostname.toLowerCase().replace(/^www\./, "") : null;
  } catch {
    return null;
  }
}

function pathOf(url: string): string {
  try {
    return new URL(url.trim()).pathname;
  } catch {
    return "";
  }
}

/** A path as WordPress matches it: percent-decoded, lower case, without trailing slashes. */
function pathKey(path: string): string {
  let decoded = path;
  try {
    decoded = decodeURIComponent(path);
  } catch {
    // Not valid UTF-8 once decoded: compared as written.
  }
  return decoded.normalize("NFC").toLowerCase().replace(/\/+$/, "");
}

/** Category archives nest their parents' slugs: category/parent/child. */
function termPaths(terms: WxrTerm[]): [string, WxrTerm][] {
  const categories = new Map(terms.filter((t) => t.kind === "category").map((t) => [t.slug, t]));
  return terms.map((term) => {
    const parts = [term.slug];
    let parent = term.kind === "category" ? categories.get(term.parent.trim()) : undefined;
    for (let depth = 0; parent && depth < 20; depth++) {
      parts.unshift(parent.slug);
      parent = categories.get(parent.parent.trim());
    }
    return [parts.join("/"), term];
  });
}
