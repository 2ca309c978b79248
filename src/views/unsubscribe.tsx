import { usePage } from "./page-context";

/** The confirm step of an unsubscribe link (a GET must not change anything: mail scanners follow links). */
export function UnsubscribeConfirmView(props: { action: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t("unsubscribeTitle")}</h1>
      <p>{t("unsubscribeText")}</p>
      <form method="post" action={props.action}>
        <button type="submit">{t("unsubscribeButton")}</button>
      </form>
    </>
  );
}

export function UnsubscribedView() {
  const { t } = usePage();
  return (
    <>
      <h1>{t("unsubscribedTitle")}</h1>
      <p>{t("unsubscribedText")}</p>
      <p>
        <a href="/">{t("backHome")}</a>
      </p>
    </>
  );
}
