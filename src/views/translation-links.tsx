// Near an article's title: its published translations ("Auch auf Englisch: …"),
// said in the page's language, each linked in its own language (hreflang, lang).
import type { Translation } from "../articles/queries";
import type { Language } from "../db/schema";
import type { MessageKey } from "../i18n/messages";
import { usePage } from "./page-context";

const LANGUAGE_NAMES: Record<Language, MessageKey> = { de: "languageNameDe", en: "languageNameEn" };

export function TranslationLinks(props: { own: Language; translations: Translation[] }) {
  const { t } = usePage();
  const others = props.translations.filter((tr) => tr.lang !== props.own);
  if (others.length === 0) return null;
  return (
    <>
      {others.map((tr) => (
        <p class="meta translations">
          {t("alsoIn", { language: t(LANGUAGE_NAMES[tr.lang]) })}:{" "}
          <a href={`/articles/${tr.slug}`} hreflang={tr.lang} lang={tr.lang}>
            {tr.title}
          </a>
        </p>
      ))}
    </>
  );
}
