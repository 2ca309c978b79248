// Planning one exported item: a post or page becomes a staged file, its
// comments staged SQL, its URLs redirects; other kinds are counted and skipped.

import type { Language } from "../../src/db/schema";
import { slugify } from "../../src/lib/slug";
import type { ArticleSource, ParsedFile, ParseResult } from "../publish/front-matter";
import { buildCommentRows } from "./comment-rows";
import type { ImportOptions, ImportPlan, PlannedFile } from "./import-types";
import type { LinkMap } from "./link-map";
import type { createMediaMapper } from "./media";
import { detectPageRole } from "./page-roles";
import { isImportedAsDraft, type PageRole, renderPostFile } from "./post-file";
import { DEFAULT_CATEGORY, type RedirectMap } from "./redirect-map";
import { chooseSlug, createSlugRegistry, decodePostName } from "./slugs";
import type { SqlStager } from "./sql-stager";
import { detach, htmlToText } from "./text";
import type { WxrItem } from "./wxr-types";

export interface PlanState {
  existingBySlug: Map<string, ArticleSource>;
  existingPaths: Set<string>;
  /** Every file publish will see after the import (fields only), for the cross-file checks. */
  sources: ArticleSource[];
  authors: Map<string, string>;
  lang: Language | null;
  site: string;
  readExisting(file: string): Promise<string>;
  stage(file: string, text: string): Promise<void>;
  parse(file: string, text: string): ParseResult<ParsedFile>;
  /** The one spelling of a tag (the first seen: existing files, then the export). */
  tagSpelling(name: string): string;
}

interface Context {
  options: ImportOptions;
  plan: ImportPlan;
  state: PlanState;
  redirects: RedirectMap;
  media: ReturnType<typeof createMediaMapper>;
  links: LinkMap;
  sql: SqlStager;
}

const SKIP_STATUSES = new Map([
  ["trash", "in the trash"],
  ["auto-draft", "an automatic draft WordPress never showed"],
  ["inherit", "a revision"],
]);

/** Why an item is not imported as a post or page, or undefined when it is. */
function skipReason(item: WxrItem): string | undefined {
  const type = item.type.trim();
  return type !== "post" && type !== "page" ? `a ${type || "untyped item"}, not a post or page` : SKIP_STATUSES.get(item.status.trim());
}

/**
 * Gives each imported post or page its slug, in the order of the export: the
 * plan and the first pass that collects the links (collectLinkTargets) each
 * keep one, and both see the same items in the same order.
 */
function createItemSlugs() {
  const slugs = createSlugRegistry();
  return (item: WxrItem) => slugs.claim(chooseSlug(item.postName, htmlToText(item.title), `${item.type.trim()}-${item.id.trim()}`));
}

/** The first pass over the export: where each post, page, attachment and archive of the old site goes, for the links inside the content. */
export function collectLinkTargets(links: LinkMap) {
  const claim = createItemSlugs();
  return (item: WxrItem): void => {
    const type = item.type.trim();
    if (type === "attachment")
      links.addAttachment({ id: item.id, link: item.link, parent: item.parent, url: item.attachmentUrl, alt: item.meta._wp_attachment_image_alt ?? "" });
    if (skipReason(item)) return;
    const slug = claim(item);
    links.addPost({ id: item.id, link: item.link, newPath: type === "page" ? `/${slug}` : `/articles/${slug}` });
    if (type !== "post" || isImportedAsDraft(item)) return;
    for (const term of item.terms) {
      if (term.domain === "category" || term.domain === "post_tag") links.useTag(slugify(htmlToText(term.name)));
      const kind = term.domain === "post_tag" ? "tag" : term.domain === "category" ? "category" : null;
      if (kind) links.addTerm({ kind, slug: term.nicename.trim(), name: htmlToText(term.name), parent: "" });
    }
  };
}

export function createPostHandler(ctx: Context) {
  const claim = createItemSlugs();
  return async (item: WxrItem): Promise<void> => {
    const type = item.type.trim();
    if (type === "attachment") ctx.redirects.addAttachment({ id: item.id.trim(), link: item.link, parent: item.parent });
    const label = `${type || "item"} ${item.id.trim()} "${htmlToText(item.title)}"`;
    const skip = skipReason(item);
    if (skip) {
      ctx.plan.comments.withoutPost += item.comments.length;
      if (type === "post" || type === "page") ctx.plan.skipped.push(detach({ item: label, reason: skip }));
      else ctx.plan.skippedKinds.set(detach(type), (ctx.plan.skippedKinds.get(type) ?? 0) + 1);
      return;
    }
    const file = await planFile(ctx, item, type === "page" ? "page" : "post", claim(item));
    if (!file) return;
    ctx.plan.files.push(file);
    await stageComments(ctx, item, file);
  };
}

async function planFile(ctx: Context, item: WxrItem, type: "post" | "page", slug: string): Promise<PlannedFile | null> {
  const { state, plan } = ctx;
  const title = htmlToText(item.title);
  const decodedName = decodePostName(item.postName);
  const role = type === "page" && item.status.trim() === "publish" ? claimRole(plan, detectPageRole(decodedName, title)) : null;
  const tags = type === "post" ? itemTags(item, state) : [];
  const image = featuredImage(ctx, item);
  const rendered = renderPostFile(
    {
      item,
      slug,
      tags,
      author: state.authors.get(item.creator.trim()) ?? (item.creator.trim() || null),
      lang: state.lang,
      timeZone: ctx.options.settings.timeZone,
      role,
      rewriteMedia: (html) => ctx.media.rewrite(ctx.links.rewrite(html)),
      image: image.image,
    },
    ctx.options.now,
  );
  if (image.note) rendered.notes.push(image.note);
  const existing = state.existingBySlug.get(slug);
  const path = existing?.path ?? (type === "page" ? `pages/${slug}.md` : `${slug}.md`);
  const name = `${type} ${item.id.trim()} "${title}"`;
  const parsed = state.parse(path, rendered.text);
  if (!parsed.ok) {
    for (const e of parsed.errors) plan.errors.push(`${name}: ${path}:${e.line}: ${e.message}`);
    return null;
  }
  const before = existing || state.existingPaths.has(path) ? await state.readExisting(path).catch(() => null) : null;
  state.sources = state.sources.filter((s) => s.path !== path);
  state.sources.push(detach({ fields: parsed.value.fields, lines: parsed.value.lines, bodyMd: "", path, sourceHash: "", bodyHash: "" }));
  await state.stage(path, rendered.text);
  const file: PlannedFile = {
    item: name,
    title,
    kind: type,
    slug,
    path,
    status: before === null ? "new" : before === rendered.text ? "unchanged" : "replace",
    existing: before !== null && before !== rendered.text ? `"${existing?.fields.title ?? path}"` : undefined,
    draft: rendered.draft,
    scheduled: rendered.scheduled,
    role,
    notes: rendered.notes,
    shortcodes: rendered.shortcodes,
  };
  if (role) plan.roles[role] = file;
  Object.assign(file, detach(file));
  if (!rendered.draft) {
    ctx.redirects.addPost({ id: item.id.trim(), type, link: item.link, newPath: type === "page" ? `/${slug}` : `/articles/${slug}`, decodedName, slug });
    for (const tag of tags) ctx.redirects.useTag(slugify(tag));
    // Exports name terms in posts that the channel does not declare (the Theme Unit Test's "columns"): their archives move too.
    for (const term of item.terms) {
      const kind = term.domain === "post_tag" ? "tag" : term.domain === "category" ? "category" : null;
      if (kind) ctx.redirects.addTerm({ kind, slug: term.nicename.trim(), name: htmlToText(term.name), parent: "" });
    }
  }
  return file;
}

/** The featured image (_thumbnail_id) as the article's image: a copy under /media/ or an https URL; anything else is left out with a note. */
function featuredImage(ctx: Context, item: WxrItem): { image: { url: string; alt: string | null } | null; note?: string } {
  const id = item.meta._thumbnail_id?.trim();
  if (!id || id === "0") return { image: null };
  const image = ctx.links.imageOf(id);
  if (!image) return { image: null, note: `featured image ${id} is not in the export: left out` };
  if (image.url.startsWith("/") || /^https:\/\//i.test(image.url)) return { image };
  return { image: null, note: `featured image left out: ${image.url} is not https and has no copy (--media)` };
}

function claimRole(plan: ImportPlan, role: PageRole | null): PageRole | null {
  return role && !plan.roles[role] ? role : null;
}

function itemTags(item: WxrItem, state: PlanState): string[] {
  const tags = new Map<string, string>();
  for (const term of item.terms) {
    if (term.domain !== "category" && term.domain !== "post_tag") continue;
    if (term.domain === "category" && term.nicename.trim() === DEFAULT_CATEGORY) continue;
    const name = state.tagSpelling(htmlToText(term.name));
    const key = slugify(name);
    if (key && !tags.has(key)) tags.set(key, name);
  }
  return [...tags.values()];
}

async function stageComments(ctx: Context, item: WxrItem, file: PlannedFile): Promise<void> {
  if (item.comments.length === 0) return;
  const { rows, pingbacksSkipped, otherTypes, unknownStatuses } = await buildCommentRows(item.comments, {
    site: ctx.state.site,
    ipSalt: ctx.options.ipSalt,
    pingbacks: ctx.options.pingbacks,
    timeZone: ctx.options.settings.timeZone,
    rewriteLinks: ctx.links.rewrite,
  });
  const counts = ctx.plan.comments;
  counts.pingbacksSkipped += pingbacksSkipped;
  for (const [type, n] of otherTypes) counts.otherTypes.set(detach(type), (counts.otherTypes.get(type) ?? 0) + n);
  const tooBig = await ctx.sql.addComments(rows, file.slug);
  counts.tooBig += tooBig.length;
  for (const row of rows) {
    if (tooBig.includes(row.id)) continue;
    counts[row.status]++;
    const unknown = unknownStatuses.get(row.id);
    if (unknown !== undefined) counts.unknownStatuses.set(detach(unknown), (counts.unknownStatuses.get(unknown) ?? 0) + 1);
  }
}
