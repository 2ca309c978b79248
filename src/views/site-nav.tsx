// The navigation blocks of the layout: static pages placed in the header, and
// the footer's links (placed static pages, the Impressum and the privacy statement).
import type { NavLink } from "../articles/navigation";
import { usePage } from "./page-context";

function PageLinks(props: { links: NavLink[] }) {
  const { lang } = usePage();
  return (
    <ul>
      {props.links.map((link) => (
        <li>
          <a href={`/${link.slug}`} hreflang={link.lang === lang ? undefined : link.lang}>
            {link.title}
          </a>
        </li>
      ))}
    </ul>
  );
}

/** The header's links to static pages; nothing when none is placed there. */
export function HeaderNav() {
  const { navigation, t } = usePage();
  if (navigation.header.length === 0) return null;
  return (
    <nav class="site-nav" aria-label={t("mainNavigation")}>
      <PageLinks links={navigation.header} />
    </nav>
  );
}

/** The footer's links to static pages; nothing when the site has none placed there. */
export function FooterLinks() {
  const { navigation, t } = usePage();
  if (navigation.footer.length === 0) return null;
  return (
    <nav class="footer-links" aria-label={t("footerNavigation")}>
      <PageLinks links={navigation.footer} />
    </nav>
  );
}

/** The privacy notice beside the comment form (WordPress's since 4.9.6), when the site has a privacy statement. */
export function PrivacyNotice() {
  const { navigation, t } = usePage();
  if (!navigation.privacy) return null;
  return (
    <p class="comment-form-privacy">
      {t("privacyNoticeBefore")} <a href={`/${navigation.privacy.slug}`}>{t("privacyNoticeLink")}</a>
      {t("privacyNoticeAfter")}
    </p>
  );
}
