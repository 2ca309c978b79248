// One WordPress post or page as a Markdown file with front matter in the
// blog's format (docs/writing.md). Pure.
import type { Language, PageRole } from "../../src/db/schema";
import type { AttachmentIndex } from "./attachments";
import { formatFrontMatterDate, parseGmtTime, parsePostTime } from "./dates";
import { convertPostHtml } from "./html-to-markdown";
import { htmlToText, truncateText } from "./text";
import type { WxrItem } from "./wxr-types";

export type { PageRole } from "../../src/db/schema";

export interface PostFileInput {
  item: WxrItem;
  slug: string;
  tags: string[];
  author: string | null;
  /** The channel's language when it is one of the blog's, else null (the default applies). */
  lang: Language | null;
  timeZone: string;
  role: PageRole | null;
  /** Turns the body's links to the old site's posts, pages, archives and uploads into their new paths (or leaves them). */
  rewriteMedia: (html: string) => string;
  /** The export's attachments, which a [gallery] shows. */
  attachments?: AttachmentIndex;
  /** The featured image, as the article's image; absent or null when it has none. */
  image?: { url: string; alt: string | null } | null;
}

export interface PostFile {
  text: string;
  draft: boolean;
  scheduled: boolean;
  /** Things the report lists for this post. */
  notes: string[];
  shortcodes: string[];
}

const MAX_TITLE = 200;
const MAX_SUMMARY = 1000;
const DRAFT_STATUSES = new Set(["draft", "pending", "private"]);
const PUBLIC_STATUSES = new Set(["publish", "future"]);

/** Whether the post becomes a draft: not public in WordPress, or protected by a password there. */
export function isImportedAsDraft(item: WxrItem): boolean {
  return !PUBLIC_STATUSES.has(item.status.trim()) || item.password !== "";
}

/**
 * The post's date, or null. WordPress writes post_date_gmt for a draft only
 * when an editor chose its date (else "0000-00-00 00:00:00", and post_date
 * holds the last save); some versions wrote the save time there, the same as
 * post_modified_gmt. Such a draft stays undated, so that its first publish
 * dates it, as publishing it in WordPress would have.
 */
function postDate(item: WxrItem, draft: boolean, timeZone: string): number | null {
  if (!draft) return parsePostTime(item.dateGmt, item.date, timeZone);
  const chosen = parseGmtTime(item.dateGmt);
  const saved = parseGmtTime(item.modifiedGmt);
  return chosen !== null && (saved === null || Math.abs(chosen - saved) >= 1000) ? chosen : null;
}

/** Renders the file; `now` decides whether a dated post is scheduled. */
export function renderPostFile(input: PostFileInput, now: number): PostFile {
  const { item } = input;
  const notes: string[] = [];
  const status = item.status.trim();
  // A status WordPress does not know (a plugin's, or a broken export) is no permission to publish.
  const known = PUBLIC_STATUSES.has(status) || DRAFT_STATUSES.has(status);
  const draft = isImportedAsDraft(item);
  if (item.password !== "") notes.push("password-protected in WordPress: imported as a draft");
  else if (!known) notes.push(`unknown status ${quote(status)} in WordPress: imported as a draft`);
  else if (draft) notes.push(`${status} in WordPress: imported as a draft`);
  const title = plainTitle(item, input.lang, notes);
  const date = postDate(item, draft, input.timeZone);
  if (draft && date === null) notes.push("never dated in WordPress: stays undated, its first publish dates it");
  const pinned = item.sticky && item.type.trim() === "post";
  const modified = parseGmtTime(item.modifiedGmt);
  const summary = truncateText(htmlToText(item.excerpt), MAX_SUMMARY);
  const footnotes = Object.hasOwn(item.meta, "footnotes") ? item.meta.footnotes : undefined;
  const body = convertPostHtml(item.content, { postId: item.id.trim(), attachments: input.attachments, footnotes, rewriteMedia: input.rewriteMedia });
  if (body.markdown === "") notes.push("empty in WordPress: the body says so in an HTML comment");
  if (body.removed.length > 0) notes.push(`unsafe HTML removed: ${body.removed.join(", ")}`);
  const lines = [
    "---",
    `title: ${quote(title)}`,
    `slug: ${quote(input.slug)}`,
    date !== null ? `date: ${formatFrontMatterDate(date)}` : null,
    modified !== null && date !== null && modified > date + 1000 ? `updated: ${formatFrontMatterDate(modified)}` : null,
    summary ? `summary: ${quote(summary)}` : null,
    input.tags.length > 0 ? `tags: [${input.tags.map(quote).join(", ")}]` : null,
    input.lang ? `lang: ${input.lang}` : null,
    input.author ? `author: ${quote(truncateText(input.author, 200))}` : null,
    input.image ? `image: ${quote(input.image.url)}` : null,
    input.image?.alt ? `imageAlt: ${quote(truncateText(input.image.alt, 300))}` : null,
    pinned ? "pinned: true" : null,
    `draft: ${draft}`,
    `comments: ${item.commentStatus === "closed" ? "closed" : "open"}`,
    input.role ? `role: ${input.role}` : null,
    "---",
    "",
    body.markdown || "<!-- This post was empty in WordPress. -->",
    "",
  ];
  const scheduled = !draft && date !== null && date > now;
  return { text: lines.filter((l) => l !== null).join("\n"), draft, scheduled, notes, shortcodes: body.shortcodes };
}

function plainTitle(item: WxrItem, lang: Language | null, notes: string[]): string {
  const text = htmlToText(item.title);
  if (text === "") {
    notes.push("no title in WordPress: titled by its id");
    return `${lang === "en" ? "Untitled" : "Ohne Titel"} ${item.id}`;
  }
  if (text !== item.title.trim()) notes.push("title had markup: imported as plain text");
  if (text.length > MAX_TITLE) notes.push(`title longer than ${MAX_TITLE} characters: shortened`);
  return truncateText(text, MAX_TITLE);
}

/** A YAML double-quoted scalar (JSON's string syntax is a subset of it). */
function quote(text: string): string {
  return JSON.stringify(text);
}
