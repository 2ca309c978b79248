// What search engines and link previews read: Open Graph, the Twitter card
// and, on article pages, schema.org BlogPosting as JSON-LD.
import { raw } from "hono/html";
import type { SiteSettings } from "../config";
import type { Language } from "../db/schema";
import { getLocale, isoDate } from "../i18n";
import type { TranslationLink } from "./head-links";
import { usePage } from "./page-context";

/** The facts of an article page that its head carries besides title and description. */
export interface ArticleFacts {
  publishedAt: number;
  updatedAt: number;
  author: string | null;
  tags: string[];
  /** The absolute URL of the article's first image, or null. */
  image: string | null;
  /** Each visible language version, this one included; empty without translations. */
  translations: TranslationLink[];
}

export interface SharedPage {
  lang: Language;
  title: string;
  description: string;
  /** Absolute. */
  url: string;
  article?: ArticleFacts;
}

function ogLocale(lang: Language): string {
  return getLocale(lang).replace("-", "_");
}

/** Open Graph (og:*, article:*) and the Twitter card. */
export function SocialMeta(props: { page: SharedPage }) {
  const { site } = usePage();
  const { page } = props;
  const article = page.article;
  const others = (article?.translations ?? []).filter((tr) => tr.lang !== page.lang);
  return (
    <>
      <meta property="og:type" content={article ? "article" : "website"} />
      <meta property="og:title" content={page.title} />
      {page.description && <meta property="og:description" content={page.description} />}
      <meta property="og:url" content={page.url} />
      <meta property="og:site_name" content={site.title} />
      <meta property="og:locale" content={ogLocale(page.lang)} />
      {others.map((tr) => (
        <meta property="og:locale:alternate" content={ogLocale(tr.lang)} />
      ))}
      {article?.image && <meta property="og:image" content={article.image} />}
      {article && <meta property="article:published_time" content={isoDate(article.publishedAt)} />}
      {article && <meta property="article:modified_time" content={isoDate(article.updatedAt)} />}
      {article?.tags.map((tag) => (
        <meta property="article:tag" content={tag} />
      ))}
      <meta name="twitter:card" content={article?.image ? "summary_large_image" : "summary"} />
    </>
  );
}

/** schema.org BlogPosting for an article page. */
export function blogPosting(site: SiteSettings, page: SharedPage & { article: ArticleFacts }): Record<string, unknown> {
  const { article } = page;
  return {
    "@context": "https://schema.org",
    "@type": "BlogPosting",
    headline: page.title,
    ...(page.description ? { description: page.description } : {}),
    datePublished: isoDate(article.publishedAt),
    dateModified: isoDate(article.updatedAt),
    author: article.author ? { "@type": "Person", name: article.author } : { "@type": "Organization", name: site.title },
    ...(article.image ? { image: [article.image] } : {}),
    inLanguage: page.lang,
    ...(article.tags.length > 0 ? { keywords: article.tags.join(", ") } : {}),
    url: page.url,
    mainEntityOfPage: { "@type": "WebPage", "@id": page.url },
    publisher: { "@type": "Organization", name: site.title },
  };
}

const JSON_ESCAPES: Record<string, string> = { "<": "\\u003c", ">": "\\u003e", "&": "\\u0026", "\u2028": "\\u2028", "\u2029": "\\u2029" };

/** JSON for a script element: <, > and & written as \u escapes, so no text can end the element or open a comment. */
function serializeJsonLd(data: unknown): string {
  return JSON.stringify(data).replace(/[<>&\u2028\u2029]/g, (ch) => JSON_ESCAPES[ch] ?? ch);
}

/**
 * The one place where JSON enters a page unescaped: serializeJsonLd leaves no
 * character that HTML reads inside a script element. A data block, not
 * executed, so the CSP (no script-src) has nothing to allow.
 */
export function TrustedJsonLd(props: { data: unknown }) {
  return <script type="application/ld+json">{raw(serializeJsonLd(props.data))}</script>;
}
