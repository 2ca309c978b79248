// The plan as editors read it: one line per article that changes, then totals.

import { formatSiteDate } from "../../src/articles/site-dates";
import type { ArticleSource } from "./front-matter";
import type { ArticleChange, PublishPlan } from "./publish-plan";

export interface ReportContext {
  /** e.g. 'local D1 "DB"' */
  target: string;
  displayPath: (path: string) => string;
  timeZone: string;
  now: number;
}

/** The printed plan: a heading, a line per new, changed, removed or skipped article, and the counts. */
export function formatPlan(plan: PublishPlan, ctx: ReportContext): string[] {
  const rows: [string, string, string][] = [
    ...plan.added.map((s): [string, string, string] => ["new", s.fields.slug, describeSource(s, ctx)]),
    ...plan.changed.map((c): [string, string, string] => ["changed", c.source.fields.slug, describeChange(c, ctx)]),
    ...plan.removed.map((a): [string, string, string] => ["remove", a.slug, describeRemoval(a.commentCount)]),
    ...plan.skipped.map((s): [string, string, string] => ["skipped", s.fields.slug, `${ctx.displayPath(s.path)}: not among the given paths`]),
  ];
  const width = Math.min(48, Math.max(0, ...rows.map(([, slug]) => slug.length)));
  const lines = [`Plan for the ${ctx.target}:`];
  for (const [kind, slug, detail] of rows) lines.push(`  ${kind.padEnd(9)}${slug.padEnd(width)}  ${detail}`);
  lines.push(formatCounts(plan));
  return lines;
}

/** "2 new, 1 changed, 3 unchanged, 1 to remove" (and skipped, when any). */
export function formatCounts(plan: PublishPlan): string {
  const parts = [`${plan.added.length} new`, `${plan.changed.length} changed`, `${plan.unchanged.length} unchanged`];
  if (plan.removed.length > 0) parts.push(`${plan.removed.length} to remove`);
  if (plan.skipped.length > 0) parts.push(`${plan.skipped.length} skipped`);
  return `${parts.join(", ")}.`;
}

function describeSource(source: ArticleSource, ctx: ReportContext): string {
  const { date, draft } = source.fields;
  const notes: string[] = [];
  if (draft) notes.push("draft");
  else if (date !== null && date > ctx.now) notes.push(`scheduled for ${formatSiteDate(date, ctx.timeZone)}`);
  return `${ctx.displayPath(source.path)}${notes.length > 0 ? ` (${notes.join(", ")})` : ""}`;
}

function describeChange(change: ArticleChange, ctx: ReportContext): string {
  const reasons = change.reasons.map((reason) => {
    if (reason === "renamed") return `renamed from ${change.stored.slug}`;
    if (reason === "moved") return `moved from ${change.stored.sourcePath ?? "nowhere"}`;
    return reason === "renderer" ? "rendered again" : "content";
  });
  const base = describeSource(change.source, ctx);
  return base.endsWith(")") ? `${base.slice(0, -1)}, ${reasons.join(", ")})` : `${base} (${reasons.join(", ")})`;
}

function describeRemoval(commentCount: number): string {
  if (commentCount === 0) return "no file any more";
  return `no file any more; its ${commentCount} comment${commentCount === 1 ? "" : "s"} will be deleted too`;
}
