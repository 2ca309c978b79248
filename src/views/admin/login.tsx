import { usePage } from "../page-context";

export function LoginView(props: { failed: boolean }) {
  const { t } = usePage();
  return (
    <>
      <h1>{t("adminTitle")}</h1>
      <p>{t("adminLoginIntro")}</p>
      {props.failed && (
        <p class="form-error" role="alert">
          {t("adminLoginFailed")}
        </p>
      )}
      <form method="post" action="/admin/login" class="comment-form">
        <p>
          <label for="token">{t("adminTokenLabel")}</label>
          <input id="token" name="token" type="password" autocomplete="current-password" required aria-invalid={props.failed ? "true" : undefined} />
        </p>
        <p class="form-submit">
          <button type="submit">{t("adminLogin")}</button>
        </p>
      </form>
    </>
  );
}
