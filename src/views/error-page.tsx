import type { Translate } from "../i18n";

export function ErrorView(props: { t: Translate; title: string; text: string }) {
  return (
    <>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p>
        <a href="/">{props.t("backHome")}</a>
      </p>
    </>
  );
}
