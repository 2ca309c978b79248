// Footer links on every page for finding around and following the site: the
// archive, the tag index, and the article feed in every format.
import { FEED_FORMATS } from "../feeds/feed-data";
import { usePage } from "./page-context";

export function FindLinks() {
  const { t } = usePage();
  const main = FEED_FORMATS[0];
  return (
    <p class="find-links">
      <a href="/archive">{t("archiveNav")}</a> · <a href="/tags">{t("tags")}</a>
      {main && (
        <>
          {" · "}
          <a href={`/${main.file}`} type={main.type}>
            {t("subscribe")}
          </a>{" "}
          ({t("subscribeFeeds")}{" "}
          {FEED_FORMATS.map((f, i) => (
            <>
              {i > 0 && ", "}
              <a href={`/${f.file}`} type={f.type}>
                {f.name}
              </a>
            </>
          ))}
          )
        </>
      )}
    </p>
  );
}
