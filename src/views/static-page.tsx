import type { StaticPageDetail } from "../articles/static-page-queries";
import { TrustedArticleBody } from "./article";

/** A static page (Impressum, privacy statement, about us): its title and body; no date, tags or comments. */
export function StaticPageView(props: { staticPage: StaticPageDetail; html: string }) {
  return (
    <article class="article page">
      <header class="article-header">
        <h1>{props.staticPage.title}</h1>
      </header>
      <TrustedArticleBody html={props.html} />
    </article>
  );
}
