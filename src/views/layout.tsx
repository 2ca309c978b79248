import type { Child } from "hono/jsx";
import type { Navigation } from "../articles/navigation";
import { getAssetPath } from "../assets";
import { getThemePath } from "../assets/theme";
import type { SiteSettings } from "../config";
import type { Language } from "../db/schema";
import { FindLinks } from "./find-links";
import { FeedLinks, HreflangLinks, type PageFeed } from "./head-links";
import { usePage } from "./page-context";
import { FooterLinks, HeaderNav } from "./site-nav";
import { HeaderSearchForm, OpenSearchLink } from "./site-search";
import { type ArticleFacts, blogPosting, type SharedPage, SocialMeta, TrustedJsonLd } from "./social-meta";

export interface PageMeta {
  lang: Language;
  /** The page's own title; the home page passes none and gets the site's. */
  title?: string;
  description?: string;
  /** Path of the canonical URL, e.g. "/articles/x"; omitted on error pages. */
  canonicalPath?: string;
  /** The page's own feeds, announced besides the site's: a tag's, an article's comments. */
  feeds?: PageFeed[];
  /** Neighbouring pages of a paged document (comment pages): paths for rel="prev" and rel="next". */
  pager?: { prev: string | null; next: string | null };
  /** On article pages: what search engines and link previews read besides title and description. */
  article?: ArticleFacts;
  /** Pages search engines should not index (search results, shared drafts): robots noindex. */
  noindex?: boolean;
  /** The header and footer links, when the route read them in its own batch; renderPage reads them otherwise. */
  navigation?: Navigation;
}

/** What Open Graph describes: pages with a canonical URL (not error or admin pages). */
function describeSharedPage(site: SiteSettings, meta: PageMeta): SharedPage | null {
  if (meta.canonicalPath === undefined) return null;
  const url = `${site.url}${meta.canonicalPath}`;
  return { lang: meta.lang, title: meta.title ?? site.title, description: meta.description ?? site.description, url, article: meta.article };
}

export function Layout(props: { meta: PageMeta; children: Child }) {
  const { site, t } = usePage();
  const { meta } = props;
  const fullTitle = meta.title ? `${meta.title} – ${site.title}` : site.title;
  const shared = describeSharedPage(site, meta);
  return (
    <html lang={meta.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {(meta.description ?? site.description) && <meta name="description" content={meta.description ?? site.description} />}
        {shared && <link rel="canonical" href={shared.url} />}
        {meta.noindex && <meta name="robots" content="noindex" />}
        {meta.pager?.prev && <link rel="prev" href={`${site.url}${meta.pager.prev}`} />}
        {meta.pager?.next && <link rel="next" href={`${site.url}${meta.pager.next}`} />}
        <HreflangLinks translations={meta.article?.translations ?? []} />
        <FeedLinks feeds={meta.feeds ?? []} />
        {shared && <SocialMeta page={shared} />}
        <meta name="color-scheme" content="light dark" />
        <link rel="icon" href="/favicon.svg" type="image/svg+xml" />
        <link rel="stylesheet" href={getAssetPath("stylesheet")} />
        {/* search: OpenSearch description */}
        <OpenSearchLink />
        {site.accentColor && <link rel="stylesheet" href={getThemePath(site.accentColor)} />}
        {site.devReloadUrl && <script src={getAssetPath("devReload")} data-events={site.devReloadUrl} defer />}
        {shared?.article && <TrustedJsonLd data={blogPosting(site, { ...shared, article: shared.article })} />}
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t("skipToContent")}
        </a>
        <header class="site-header">
          <div class="wrap">
            <a class="site-title" href="/">
              {site.logo ? <img class="site-logo" src={site.logo} alt={site.title} /> : site.title}
            </a>
            {site.description && <p class="site-description">{site.description}</p>}
            <HeaderNav />
            {/* search: the header's search form */}
            <HeaderSearchForm />
          </div>
        </header>
        <main id="main" class="wrap">
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <FooterLinks />
            {site.footerText && <p class="site-footer-text">{site.footerText}</p>}
            <p>
              © {site.title} · <a href="/">{t("home")}</a>
            </p>
            {/* find: archive, tags and subscribe links */}
            <FindLinks />
          </div>
        </footer>
      </body>
    </html>
  );
}
