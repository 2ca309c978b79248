import type { ModerationReason } from "../../comments/rules";
import type { Translate } from "../../i18n";

function parseReasons(json: string): ModerationReason[] {
  try {
    const value: unknown = JSON.parse(json);
    return Array.isArray(value) ? (value as ModerationReason[]) : [];
  } catch {
    return [];
  }
}

/** Why a comment was held or flagged, in the moderator's language. */
export function describeReasons(t: Translate, json: string, status: string, firstTimeMode: boolean): string[] {
  const reasons = parseReasons(json).map((r) => {
    switch (r.code) {
      case "disallowed_word":
        return t("adminReasonDisallowedWord", { word: r.word, field: r.field });
      case "disallowed_ip":
        return t("adminReasonDisallowedIp");
      case "moderation_word":
        return t("adminReasonModerationWord", { word: r.word, field: r.field });
      case "too_many_links":
        return t("adminReasonLinks", { count: r.count, limit: r.limit });
      default:
        return JSON.stringify(r);
    }
  });
  if (reasons.length === 0 && status === "pending") reasons.push(t(firstTimeMode ? "adminReasonFirstTime" : "adminReasonAll"));
  return reasons;
}
