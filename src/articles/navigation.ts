// What the header and footer of every page link: static pages, from
// navigationQuery's rows (./static-page-queries.ts).
// Pure: the routes run the query in their own batch, the layout shows this.
import type { Language, PageRole } from "../db/schema";
import type { NavigationEntry } from "./static-page-queries";

export interface NavLink {
  slug: string;
  title: string;
  lang: Language;
}

export interface Navigation {
  /** Static pages with `nav: header`, by navOrder (unordered last), then title. */
  header: NavLink[];
  /** Static pages with `nav: footer` in that order, then the Impressum and the privacy statement wherever they are placed. */
  footer: NavLink[];
  /** The privacy statement, which the comment form links; null when the site has none published. */
  privacy: NavLink | null;
}

/** No static pages to link: a site without any, or a page whose navigation could not be read. */
export const NO_NAVIGATION: Navigation = { header: [], footer: [], privacy: null };

const ROLE_ORDER: readonly PageRole[] = ["imprint", "privacy"];

function toLink(entry: NavigationEntry): NavLink {
  return { slug: entry.slug, title: entry.title, lang: entry.lang };
}

/** The navigation from the rows of navigationQuery (already in display order). */
export function toNavigation(entries: NavigationEntry[]): Navigation {
  const header = entries.filter((p) => p.nav === "header").map(toLink);
  const placed = entries.filter((p) => p.nav === "footer");
  // A German site must link its Impressum and privacy statement from every page (§ 5 DDG, Art. 13 DSGVO), placed or not.
  const roles = ROLE_ORDER.flatMap((role) => entries.filter((p) => p.role === role).slice(0, 1));
  const unplacedRoles = roles.filter((p) => !placed.includes(p));
  const privacy = roles.find((p) => p.role === "privacy");
  return { header, footer: [...placed, ...unplacedRoles].map(toLink), privacy: privacy ? toLink(privacy) : null };
}
