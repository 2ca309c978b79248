import { usePage } from "./page-context";

export function ErrorView(props: { title: string; text: string }) {
  const { t } = usePage();
  return (
    <>
      <h1>{props.title}</h1>
      <p>{props.text}</p>
      <p>
        <a href="/">{t("backHome")}</a>
      </p>
    </>
  );
}
