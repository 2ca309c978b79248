// The public URLs an old WordPress site had, read straight from its export
// (not through the importer): each published post's and page's <link>,
// ?p= and ?page_id=, and the archives of the categories and tags its
// published posts use, under the folder the blog lived in. Regexes suffice
// for the test exports.

export interface WordPressItem {
  id: string;
  type: string;
  status: string;
  title: string;
  link: string;
  password: string;
  date: number;
  terms: { domain: string; nicename: string }[];
}

function field(xml: string, name: string): string {
  const match = xml.match(new RegExp(`<${name}>(?:\\s*<!\\[CDATA\\[)?([\\s\\S]*?)(?:\\]\\]>\\s*)?</${name}>`));
  return match?.[1]?.trim() ?? "";
}

/** Every <item> of the export with what the links depend on. */
export function listItems(xml: string): WordPressItem[] {
  return [...xml.matchAll(/<item>([\s\S]*?)<\/item>/g)].map(([, item = ""]) => ({
    id: field(item, "wp:post_id"),
    type: field(item, "wp:post_type"),
    status: field(item, "wp:status"),
    title: field(item, "title"),
    link: field(item, "link"),
    password: field(item, "wp:post_password"),
    date: Date.parse(`${field(item, "wp:post_date_gmt").replace(" ", "T")}Z`),
    terms: [...item.matchAll(/<category domain="([^"]+)" nicename="([^"]+)"/g)].map(([, domain = "", nicename = ""]) => ({ domain, nicename })),
  }));
}

/** Whether an item is public on the old site today: published, no password, not in the future. */
export function isPublic(item: WordPressItem, now = Date.now()): boolean {
  return item.status === "publish" && item.password === "" && !(item.date > now);
}

/** /category/parent/child/ for each category, by its nicename (WordPress nests parents' slugs). */
function categoryPaths(xml: string): Map<string, string> {
  const parents = new Map<string, string>();
  for (const [, block = ""] of xml.matchAll(/<wp:category>([\s\S]*?)<\/wp:category>/g)) {
    parents.set(field(block, "wp:category_nicename"), field(block, "wp:category_parent"));
  }
  const paths = new Map<string, string>();
  for (const slug of parents.keys()) {
    const parts = [slug];
    for (let parent = parents.get(slug); parent && parts.length < 20; parent = parents.get(parent)) parts.unshift(parent);
    paths.set(slug, `/category/${parts.join("/")}/`);
  }
  return paths;
}

function pathOf(url: string): string {
  const parsed = new URL(url);
  return `${parsed.pathname}${parsed.search}`;
}

/** The folder the blog lived in: "" at the host's root, "/journal" for https://example.org/journal. */
function blogPath(xml: string): string {
  return new URL(field(xml, "wp:base_blog_url") || field(xml, "link")).pathname.replace(/\/+$/, "");
}

/** The old site's public links to posts, pages, categories and tags, as paths. */
export function listOldLinks(xml: string, now = Date.now()): string[] {
  const items = listItems(xml).filter((i) => (i.type === "post" || i.type === "page") && isPublic(i, now));
  const categories = categoryPaths(xml);
  const blog = blogPath(xml);
  const links = new Set<string>();
  for (const item of items) {
    links.add(pathOf(item.link));
    links.add(item.type === "page" ? `${blog}/?page_id=${item.id}` : `${blog}/?p=${item.id}`);
    for (const term of item.terms) {
      if (term.domain === "post_tag") links.add(`${blog}/tag/${term.nicename}/`);
      if (term.domain === "category") links.add(`${blog}${categories.get(term.nicename) ?? `/category/${term.nicename}/`}`);
    }
  }
  return [...links].sort();
}
