// Moderation rules, as WordPress's discussion settings have them. Pure: the
// consumer gathers the facts (settings, earlier approvals) and stores the verdict.

import type { EditorIdentity, ModerationMode } from "../config";
import { COMMENT_APPROVED, COMMENT_PENDING, COMMENT_SPAM, type CommentStatus } from "../db/schema";
import { findEditorLookalikes } from "./editor-lookalike";

export type ModerationReason =
  | { code: "disallowed_word"; field: string; word: string }
  | { code: "disallowed_ip" }
  | { code: "moderation_word"; field: string; word: string }
  | { code: "too_many_links"; count: number; limit: number }
  /** The name or e-mail passes for the editor's, which only the editor's own replies carry. */
  | { code: "editor_identity"; field: "author" | "email" }
  /** Set by the consumer: the comment replied to was deleted while this reply waited in the queue. */
  | { code: "parent_deleted"; parentId: string };

export interface ModerationInput {
  author: string;
  email: string;
  url: string | null;
  text: string;
  /** Links in the sanitized HTML, bare URLs included. */
  linkCount: number;
}

export interface ModerationContext {
  mode: ModerationMode;
  maxLinks: number;
  disallowedWords: string[];
  moderationWords: string[];
  /** The submitter's IP is on the disallowed list (compared as salted hashes). */
  ipDisallowed: boolean;
  /** The same name and e-mail have an approved comment already (the editor's own replies do not count). */
  approvedBefore: boolean;
  /** EDITOR_NAME and EDITOR_EMAIL: a reader's comment that passes for them is held. */
  editor: EditorIdentity;
}

function findWord(input: ModerationInput, words: string[]): { field: string; word: string } | null {
  const fields: [string, string][] = [
    ["author", input.author],
    ["email", input.email],
    ["url", input.url ?? ""],
    ["comment", input.text],
  ];
  for (const word of words) {
    for (const [field, value] of fields) if (value.toLowerCase().includes(word)) return { field, word };
  }
  return null;
}

/** The status a new comment gets and the reasons a moderator will see. */
export function moderateComment(input: ModerationInput, ctx: ModerationContext): { status: CommentStatus; reasons: ModerationReason[] } {
  const disallowed = findWord(input, ctx.disallowedWords);
  if (disallowed) return { status: COMMENT_SPAM, reasons: [{ code: "disallowed_word", ...disallowed }] };
  if (ctx.ipDisallowed) return { status: COMMENT_SPAM, reasons: [{ code: "disallowed_ip" }] };
  const reasons: ModerationReason[] = [];
  const moderation = findWord(input, ctx.moderationWords);
  if (moderation) reasons.push({ code: "moderation_word", ...moderation });
  for (const field of findEditorLookalikes(input, ctx.editor)) reasons.push({ code: "editor_identity", field });
  if (ctx.maxLinks > 0 && input.linkCount >= ctx.maxLinks) {
    reasons.push({ code: "too_many_links", count: input.linkCount, limit: ctx.maxLinks });
  }
  const trusted = ctx.mode === "first_time" && ctx.approvedBefore && reasons.length === 0;
  return { status: trusted ? COMMENT_APPROVED : COMMENT_PENDING, reasons };
}

/** Entries of the disallowed list that are IP addresses (compared to the stored salted hash). */
export function listDisallowedIps(words: string[]): string[] {
  return words.filter((w) => /^(\d{1,3}\.){3}\d{1,3}$/.test(w) || /^[0-9a-f:]+:[0-9a-f:]*$/.test(w));
}
