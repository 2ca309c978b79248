// <link> elements in every page's head: feed autodiscovery (the site's feeds,
// and a tag's or an article's comments where there are) and hreflang between
// an article's translations.

import type { Language } from "../db/schema";
import { FEED_FORMATS } from "../feeds/feed-data";
import { usePage } from "./page-context";

/** A feed in every format: basePath + /feed.xml, /atom.xml, /feed.json. */
export interface PageFeed {
  title: string;
  /** "" for the site's article feed, "/tags/x", "/articles/x/comments" … */
  basePath: string;
}

export interface TranslationLink {
  lang: Language;
  /** Path of that version, e.g. "/articles/x". */
  path: string;
}

/** The site's article and comment feeds, then the page's own, each in every format. */
export function FeedLinks(props: { feeds: PageFeed[] }) {
  const { site, t } = usePage();
  const all: PageFeed[] = [{ title: site.title, basePath: "" }, { title: `${site.title} – ${t("feedComments")}`, basePath: "/comments" }, ...props.feeds];
  return (
    <>
      {all.flatMap((feed) =>
        FEED_FORMATS.map((f) => <link rel="alternate" type={f.type} title={`${feed.title} (${f.name})`} href={`${site.url}${feed.basePath}/${f.file}`} />),
      )}
    </>
  );
}

/** One link per language version (the page's own included), and x-default for the site's default language. */
export function HreflangLinks(props: { translations: TranslationLink[] }) {
  const { site } = usePage();
  const { translations } = props;
  if (translations.length < 2) return null;
  const fallback = translations.find((tr) => tr.lang === site.defaultLang);
  return (
    <>
      {translations.map((tr) => (
        <link rel="alternate" hreflang={tr.lang} href={`${site.url}${tr.path}`} />
      ))}
      {fallback && <link rel="alternate" hreflang="x-default" href={`${site.url}${fallback.path}`} />}
    </>
  );
}
