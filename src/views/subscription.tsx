import { usePage } from "./page-context";

// The steps behind the signed links in commenters' mail. A GET must not
// change anything (mail scanners follow links): each asks with a button.

/** The button that confirms a subscription. */
export function ConfirmView(props: { action: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t("confirmTitle")}</h1>
      <p>{t("confirmText")}</p>
      <form method="post" action={props.action}>
        <button type="submit">{t("confirmButton")}</button>
      </form>
    </>
  );
}

export function ConfirmedView() {
  const { t } = usePage();
  return (
    <>
      <h1>{t("confirmedTitle")}</h1>
      <p>{t("confirmedText")}</p>
      <p>
        <a href="/">{t("backHome")}</a>
      </p>
    </>
  );
}

/** The button that unsubscribes. */
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
