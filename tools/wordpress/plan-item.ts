// Planning one exported item: a post or page becomes a staged file, its
// comments staged SQL, its URLs redirects; other kinds are counted and skipped.

import type { Language } from "../../src/db/schema";
import { slugify } from "../../src/lib/slug";
import { type FileHashes, hashFileBytes } from "../lib/file-record";
import type { ArticleSource, ParsedFile, ParseResult } from "../publish/front-matter";
import type { AttachmentIndex } from "./attachments";
import { buildCommentRows } from "./comment-rows";
import type { ImportOptions, ImportPlan, PlannedFile, SampleFile } from "./import-types";
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
  existingByPath: Map<string, ArticleSource>;
  /** What the import wrote before, by path (content/.wordpress-import.json). */
  record: FileHashes;
  /** Sample files still as they shipped, by path. */
  unchangedSamples: Map<string, SampleFile>;
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
  attachments: AttachmentIndex;
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
  const existing = state.existingBySlug.get(slug);
  const path = existing?.path ?? (type === "page" ? `pages/${slug}.md` : `${slug}.md`);
  const detected = type === "page" && item.status.trim() === "publish" ? claimRole(plan, detectPageRole(decodedName, title)) : null;
  const roleHolder = detected ? findRoleHolder(state, detected, path) : undefined;
  // A page of one's own keeps its role; the unchanged placeholder that ships with the blog gives way.
  const role = roleHolder && !state.unchangedSamples.has(roleHolder.path) ? null : detected;
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
      attachments: ctx.attachments,
      image: image.image,
    },
    ctx.options.now,
  );
  if (image.note) rendered.notes.push(image.note);
  const name = `${type} ${item.id.trim()} "${title}"`;
  const parsed = state.parse(path, rendered.text);
  if (!parsed.ok) {
    for (const e of parsed.errors) plan.errors.push(`${name}: ${path}:${e.line}: ${e.message}`);
    return null;
  }
  const before = existing || state.existingPaths.has(path) ? await state.readExisting(path).catch(() => null) : null;
  const hash = hashFileBytes(rendered.text);
  const status = fileStatus(state, path, before, rendered.text, ctx.options.overwriteEdited ?? false);
  const kept = status === "edited" || status === "deleted";
  // A kept file stays as it is: publish sees its own fields, its comments go to the slug it has now.
  const keptSource = status === "edited" ? state.existingByPath.get(path) : undefined;
  if (!kept) {
    state.sources = state.sources.filter((s) => s.path !== path);
    state.sources.push(detach({ fields: parsed.value.fields, lines: parsed.value.lines, bodyMd: "", path, sourceHash: "", bodyHash: "" }));
    await state.stage(path, rendered.text);
  }
  const notes = [...rendered.notes];
  if (detected && role === null && roleHolder)
    notes.push(
      `recognised as the ${detected} page, but ${roleHolder.path} already has role: ${detected}; it keeps it (move the role by hand if this page should have it)`,
    );
  const file: PlannedFile = {
    item: name,
    title,
    kind: type,
    slug: keptSource?.fields.slug ?? slug,
    path,
    status,
    existing: status === "replace" ? `"${existing?.fields.title ?? path}"` : undefined,
    hash,
    draft: rendered.draft,
    scheduled: rendered.scheduled,
    role: kept ? null : role,
    notes,
    shortcodes: rendered.shortcodes,
  };
  Object.assign(file, detach(file));
  if (file.role) plan.roles[file.role] = file;
  const giving = roleHolder && role !== null && !kept ? state.unchangedSamples.get(roleHolder.path) : undefined;
  if (giving) {
    plan.samples.givingWay.push({ sample: giving, by: file });
    state.sources = state.sources.filter((s) => s.path !== giving.path);
  }
  if (status === "deleted") return file;
  const draft = keptSource ? keptSource.fields.draft : rendered.draft;
  if (!draft) {
    const isPage = keptSource ? keptSource.fields.page !== undefined : type === "page";
    ctx.redirects.addPost({
      id: item.id.trim(),
      type,
      link: item.link,
      newPath: isPage ? `/${file.slug}` : `/articles/${file.slug}`,
      decodedName,
      slug: file.slug,
    });
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

/**
 * What applying does with the file at `path`, from what is there now and
 * what the import wrote there before (its record): a file changed or deleted
 * since the import is someone's work and stays as it is, unless asked.
 */
function fileStatus(state: PlanState, path: string, before: string | null, text: string, overwriteEdited: boolean): PlannedFile["status"] {
  const recorded = state.record.get(path);
  if (before === null) return recorded !== undefined && !overwriteEdited ? "deleted" : "new";
  if (before === text) return "unchanged";
  const now = hashFileBytes(before);
  if (now === recorded || state.unchangedSamples.has(path)) return "update";
  if (recorded !== undefined) return overwriteEdited ? "overwrite" : "edited";
  return "replace";
}

/** The existing page (other than the one at `path`) that has this role. */
function findRoleHolder(state: PlanState, role: PageRole, path: string): ArticleSource | undefined {
  return state.sources.find((s) => s.path !== path && s.fields.page?.role === role);
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
  if (file.status === "deleted") {
    ctx.plan.comments.onDeletedFiles += item.comments.length;
    return;
  }
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
  // A comment an earlier import brought is left as it is in D1 now, also when an editor deleted it; a reply to a deleted one stands alone.
  const known = ctx.options.importedComments;
  const fresh = known
    ? rows.filter((r) => !known.has(r.id)).map((r) => (r.parentId !== null && known.get(r.parentId) === false ? { ...r, parentId: null } : r))
    : rows;
  counts.importedBefore += rows.length - fresh.length;
  const tooBig = await ctx.sql.addComments(fresh, file.slug);
  counts.tooBig += tooBig.length;
  for (const row of fresh) {
    if (tooBig.includes(row.id)) continue;
    counts[row.status]++;
    const unknown = unknownStatuses.get(row.id);
    if (unknown !== undefined) counts.unknownStatuses.set(detach(unknown), (counts.unknownStatuses.get(unknown) ?? 0) + 1);
  }
}
