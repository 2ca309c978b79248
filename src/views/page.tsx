import type { PageDetail } from "../pages/queries";
import { TrustedArticleBody } from "./article";

/** A static page (Impressum, privacy statement, about us): its title and body; no date, tags or comments. */
export function PageView(props: { page: PageDetail; html: string }) {
  return (
    <article class="article page">
      <header class="article-header">
        <h1>{props.page.title}</h1>
      </header>
      <TrustedArticleBody html={props.html} />
    </article>
  );
}
