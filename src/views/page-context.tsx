// What every view of a page shares: the site's settings, the page's language,
// its translator and the site's time zone. renderPage sets it once; a
// component reads it with usePage() instead of passing it down as props.
import { createContext, useContext } from "hono/jsx";
import type { SiteSettings } from "../config";
import type { Language } from "../db/schema";
import { formatDate, formatDateTime, isoDate, type Translate } from "../i18n";

export interface PageContext {
  site: SiteSettings;
  lang: Language;
  t: Translate;
  timeZone: string;
}

const Page = createContext<PageContext | null>(null);

/** Wraps a page's tree; renderPage is the one place that uses it. */
export const PageProvider = Page.Provider;

/** The page being rendered. */
export function usePage(): PageContext {
  const page = useContext(Page);
  if (!page) throw new Error("a view was rendered outside renderPage (no PageProvider)");
  return page;
}

/** A point in time as the page's readers write dates (with the time and zone when asked), with its ISO form for machines. */
export function DateTime(props: { at: number; withTime?: boolean }) {
  const { lang, timeZone } = usePage();
  const text = props.withTime ? formatDateTime(props.at, lang, timeZone) : formatDate(props.at, lang, timeZone);
  return <time datetime={isoDate(props.at)}>{text}</time>;
}
