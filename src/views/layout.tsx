import type { Child } from "hono/jsx";
import type { Language } from "../db/schema";
import type { Translate } from "../i18n";
import type { SiteSettings } from "../settings";
import { STYLESHEET_PATH, STYLESHEET_VERSION } from "./style";

export interface PageMeta {
  lang: Language;
  /** The page's own title; the home page passes none and gets the site's. */
  title?: string;
  description?: string;
  /** Path of the canonical URL, e.g. "/articles/x"; omitted on error pages. */
  canonicalPath?: string;
}

export function Layout(props: { site: SiteSettings; t: Translate; meta: PageMeta; children: Child }) {
  const { site, t, meta } = props;
  const fullTitle = meta.title ? `${meta.title} – ${site.title}` : site.title;
  return (
    <html lang={meta.lang}>
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{fullTitle}</title>
        {(meta.description ?? site.description) && <meta name="description" content={meta.description ?? site.description} />}
        {meta.canonicalPath !== undefined && <link rel="canonical" href={`${site.url}${meta.canonicalPath}`} />}
        <meta name="color-scheme" content="light dark" />
        <link rel="stylesheet" href={`${STYLESHEET_PATH}?v=${STYLESHEET_VERSION}`} />
      </head>
      <body>
        <a class="skip-link" href="#main">
          {t("skipToContent")}
        </a>
        <header class="site-header">
          <div class="wrap">
            <a class="site-title" href="/">
              {site.title}
            </a>
            {site.description && <p class="site-description">{site.description}</p>}
          </div>
        </header>
        <main id="main" class="wrap">
          {props.children}
        </main>
        <footer class="site-footer">
          <div class="wrap">
            <p>
              © {site.title} · <a href="/">{t("home")}</a>
            </p>
          </div>
        </footer>
      </body>
    </html>
  );
}
