// What every view of a page shares: the site's settings, the page's language,
// its translator, the site's time zone and the static pages its navigation
// links. renderPage sets it once; a component reads it with usePage() instead
// of passing it down as props. "Page" here, as throughout src/, is the HTML
// page being rendered (a list's page 2 is one); content/pages/*.md are static pages.
//
// Kept by hand: hono/jsx's createContext brings its client-side DOM renderer
// into the Worker bundle (several KiB gzipped), and the blog's views
// are synchronous, so the value only has to live while the page renders.
import type { Child } from "hono/jsx";
import type { Navigation } from "../articles/navigation";
import type { SiteSettings } from "../config";
import type { Language } from "../db/schema";
import { formatDate, formatDateTime, isoDate, type Translate } from "../i18n";

export interface PageContext {
  site: SiteSettings;
  lang: Language;
  t: Translate;
  timeZone: string;
  /** The header and footer links, and the privacy page the comment form links. */
  navigation: Navigation;
}

let current: PageContext | null = null;

/**
 * Renders a page's tree to HTML with `page` as the context. Rendering is
 * synchronous (no view awaits), so no other request can run in between;
 * a view that awaited would find no context and fail loudly, never read
 * another request's.
 */
export function renderWithPage(page: PageContext, tree: () => Child): string {
  const outer = current;
  current = page;
  try {
    const html = String(tree());
    if (html === "[object Promise]") throw new Error("a view rendered asynchronously: usePage() needs synchronous views");
    return html;
  } finally {
    current = outer;
  }
}

/** The page being rendered. */
export function usePage(): PageContext {
  if (!current) throw new Error("a view was rendered outside renderPage (renderWithPage)");
  return current;
}

/** A point in time as the page's readers write dates (with the time and zone when asked), with its ISO form for machines. */
export function DateTime(props: { at: number; withTime?: boolean }) {
  const { lang, timeZone } = usePage();
  const text = props.withTime ? formatDateTime(props.at, lang, timeZone) : formatDate(props.at, lang, timeZone);
  return <time datetime={isoDate(props.at)}>{text}</time>;
}
