// Why a comment was held, as sentences: one plain module shared by the admin
// pages, the moderators' mail and the CLI (which must not import views).
import type { Translate } from "../i18n";
import type { ModerationReason } from "./rules";

/** The stored reasons JSON as a list; anything unreadable is no reason. */
export function parseReasons(json: string | null | undefined): ModerationReason[] {
  try {
    const value: unknown = JSON.parse(json ?? "[]");
    return Array.isArray(value) ? value.filter((r): r is ModerationReason => typeof r === "object" && r !== null && "code" in r) : [];
  } catch {
    return [];
  }
}

function describeReason(t: Translate, r: ModerationReason): string {
  switch (r.code) {
    case "disallowed_word":
      return t("adminReasonDisallowedWord", { word: r.word, field: r.field });
    case "disallowed_ip":
      return t("adminReasonDisallowedIp");
    case "moderation_word":
      return t("adminReasonModerationWord", { word: r.word, field: r.field });
    case "too_many_links":
      return t("adminReasonLinks", { count: r.count, limit: r.limit });
    case "parent_deleted":
      return t("adminReasonParentDeleted");
    case "editor_identity":
      return t(r.field === "email" ? "adminReasonEditorEmail" : "adminReasonEditorName");
    default:
      return JSON.stringify(r);
  }
}

/** Why a comment was held or flagged, in the translator's language. */
export function describeReasons(t: Translate, json: string | null, status: string, firstTimeMode: boolean): string[] {
  const reasons = parseReasons(json).map((r) => describeReason(t, r));
  if (reasons.length === 0 && status === "pending") reasons.push(t(firstTimeMode ? "adminReasonFirstTime" : "adminReasonAll"));
  return reasons;
}
