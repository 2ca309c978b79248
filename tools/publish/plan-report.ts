// The plan as editors read it: one line per article that changes, then totals.

import { formatSiteDate } from "../../src/articles/site-dates";
import type { ArticleSource } from "./front-matter";
import type { ArticleChange, PublishPlan, StoredArticle } from "./publish-plan";

export interface ReportContext {
  /** e.g. 'local D1 "DB"' */
  target: string;
  displayPath: (path: string) => string;
  timeZone: string;
  now: number;
}

/** The printed plan: a heading, a line per new, changed, gone, offline or skipped article, and the counts. */
export function formatPlan(plan: PublishPlan, ctx: ReportContext): string[] {
  const rows: [string, string, string][] = [
    ...plan.added.map((s): [string, string, string] => ["new", s.fields.slug, describeSource(s, ctx)]),
    ...plan.changed.map((c): [string, string, string] => [
      c.reasons.includes("restored") ? "restored" : "changed",
      c.source.fields.slug,
      describeChange(c, ctx),
    ]),
    ...plan.gone.map((a): [string, string, string] => ["gone", a.slug, describeGone(a, ctx)]),
    ...plan.offline.map((a): [string, string, string] => ["offline", a.slug, describeOffline(a, ctx)]),
    ...plan.skipped.map((s): [string, string, string] => ["skipped", s.fields.slug, `${ctx.displayPath(s.path)}: not among the given paths`]),
  ];
  const width = Math.min(48, Math.max(0, ...rows.map(([, slug]) => slug.length)));
  const lines = [`Plan for the ${ctx.target}:`];
  for (const [kind, slug, detail] of rows) lines.push(`  ${kind.padEnd(9)}${slug.padEnd(width)}  ${detail}`);
  lines.push(formatCounts(plan));
  return lines;
}

/** "2 new, 1 changed, 3 unchanged" (and gone, to take offline, skipped, when any). */
export function formatCounts(plan: PublishPlan): string {
  const parts = [`${plan.added.length} new`, `${plan.changed.length} changed`, `${plan.unchanged.length} unchanged`];
  if (plan.gone.length > 0) parts.push(`${plan.gone.length} gone but still in D1`);
  if (plan.offline.length > 0) parts.push(`${plan.offline.length} to take offline`);
  if (plan.skipped.length > 0) parts.push(`${plan.skipped.length} skipped`);
  return `${parts.join(", ")}.`;
}

/** An article's or a page's URL path on the site. */
export function sitePath(article: { slug: string; kind?: "article" | "page" }): string {
  return (article.kind ?? "article") === "page" ? `/${article.slug}` : `/articles/${article.slug}`;
}

function describeSource(source: ArticleSource, ctx: ReportContext): string {
  const { date, draft } = source.fields;
  const notes: string[] = [];
  if (draft) notes.push("draft");
  else if (date !== null && date > ctx.now) notes.push(`scheduled for ${formatSiteDate(date, ctx.timeZone)}`);
  return `${ctx.displayPath(source.path)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}

function describeChange(change: ArticleChange, ctx: ReportContext): string {
  const reasons = change.reasons.flatMap((reason) => {
    if (reason === "restored")
      return [`back on the site at ${sitePath({ slug: change.source.fields.slug, kind: change.source.fields.page ? "page" : "article" })}`];
    if (reason === "renamed") return [`renamed ${change.stored.slug} → ${change.source.fields.slug}`];
    if (reason === "moved") return [`moved from ${change.stored.sourcePath ?? "nowhere"}`];
    return [reason === "renderer" ? "rendered again" : "content"];
  });
  const base = describeSource(change.source, ctx);
  return base.endsWith(")") ? `${base.slice(0, -1)}, ${reasons.join(", ")})` : `${base} (${reasons.join(", ")})`;
}

/** What a stored article without a file is: "article /articles/x", "page /impressum". */
function describeStored(article: StoredArticle, ctx: ReportContext): string {
  const file = article.sourcePath === null ? "no file" : ctx.displayPath(article.sourcePath);
  return `${file} — ${(article.kind ?? "article") === "page" ? "page" : "article"} ${sitePath(article)}`;
}

function describeGone(article: StoredArticle, ctx: ReportContext): string {
  const live = (article.status ?? (article.publishedAt === null ? "draft" : "published")) === "published";
  return `${describeStored(article, ctx)} is ${live ? "still live" : "still in D1 (a draft)"}; --prune takes it offline`;
}

function describeOffline(article: StoredArticle, ctx: ReportContext): string {
  return `${describeStored(article, ctx)} goes offline (410 Gone); kept in D1 with ${describeComments(article.commentCount)}, back when its file is`;
}

/** "its 3 comments", "its comment", "no comments". */
export function describeComments(count: number): string {
  if (count === 0) return "no comments";
  return count === 1 ? "its 1 comment" : `its ${count} comments`;
}
