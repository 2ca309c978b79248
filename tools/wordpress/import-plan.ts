// Plans an import without touching the content folder or D1: streams the
// export, converts each post and page into a staged Markdown file, validates
// it with the publisher's own parser, stages the comments' SQL, and collects
// the redirect map. Applying it is import-apply.ts.
import { mkdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import type { Language } from "../../src/db/schema";
import { LANGUAGES } from "../../src/db/schema";
import { slugify } from "../../src/lib/slug";
import { listMarkdownFiles, readContentFiles } from "../lib/content-files";
import { readFileRecord } from "../lib/file-record";
import { parseFrontMatter } from "../publish/front-matter";
import { checkSources } from "../publish/publish-checks";
import { collectAttachments } from "./attachments";
import { listRemovableSamples, scanSamples } from "./import-samples";
import { IMPORT_RECORD, type ImportOptions, type ImportPlan } from "./import-types";
import { createLinkMap, type LinkMap } from "./link-map";
import { createMediaMapper } from "./media";
import { collectLinkTargets, createPostHandler, type PlanState } from "./plan-item";
import { readWxrFile } from "./reader";
import { createRedirectMap } from "./redirect-map";
import { createSqlStager } from "./sql-stager";
import { detach, htmlToText } from "./text";

/** Reads and checks everything; the plan says what applying would write. Throws WxrError for an unreadable export. */
export async function planImport(options: ImportOptions): Promise<ImportPlan> {
  const stagedFiles = path.join(options.stagingDir, "files");
  const sqlFile = path.join(options.stagingDir, "import.sql");
  await mkdir(stagedFiles, { recursive: true });
  const plan: ImportPlan = {
    channel: { title: "", link: "", language: "", baseSiteUrl: "", baseBlogUrl: "", version: "" },
    files: [],
    skipped: [],
    skippedKinds: new Map(),
    errors: [],
    comments: {
      approved: 0,
      pending: 0,
      spam: 0,
      trash: 0,
      pingbacksSkipped: 0,
      otherTypes: new Map(),
      withoutPost: 0,
      tooBig: 0,
      onDeletedFiles: 0,
      importedBefore: 0,
      unknownStatuses: new Map(),
    },
    redirects: [],
    media: { copies: [], absolute: [], missing: [], skipped: [] },
    roles: {},
    sources: [],
    ipHashed: options.ipSalt !== null,
    stagedFiles,
    sqlFile,
    commentedSlugs: [],
    record: await readFileRecord(options.contentDir, IMPORT_RECORD),
    samples: { removable: [], edited: [], givingWay: [] },
  };
  const state = await readExisting(options, plan);
  const redirects = createRedirectMap();
  const links = await readLinkTargets(options.exportFile);
  const media = createMediaMapper(options.uploadsDir, links.isOwnUrl);
  links.useUploads(media.rewrite);
  const sql = createSqlStager(sqlFile);
  // A [gallery] shows attachments that the export usually lists after the post: they are read first.
  const attachments = await collectAttachments(options.exportFile);
  const handle = createPostHandler({ options, plan, state, redirects, media, links, sql, attachments });
  for await (const event of readWxrFile(options.exportFile)) {
    if (event.kind === "channel") {
      plan.channel = detach(event.channel);
      state.lang = channelLanguage(event.channel.language);
      state.site = event.channel.baseBlogUrl || event.channel.link || event.channel.baseSiteUrl;
    } else if (event.kind === "author") {
      state.authors.set(detach(event.author.login), detach(htmlToText(event.author.displayName) || event.author.login));
      redirects.addAuthor(event.author.login, event.author.id);
    } else if (event.kind === "term") {
      redirects.addTerm(event.term);
      state.tagSpelling(htmlToText(event.term.name));
    } else await handle(event.item);
  }
  plan.media = { copies: media.copies(), absolute: media.absolute(), missing: media.missing(), skipped: media.skipped() };
  for (const copy of plan.media.copies)
    for (const old of copy.oldPaths) redirects.addUpload(old, `/media/${copy.relative.split("/").map(encodeURIComponent).join("/")}`);
  plan.redirects = redirects.list(plan.channel);
  const written = new Set(plan.files.map((f) => f.path));
  plan.samples.removable = plan.samples.removable.filter((s) => !written.has(s.path));
  plan.errors.push(...checkAcrossFiles(state));
  plan.sources = state.sources;
  await sql.finish(plan.redirects);
  plan.commentedSlugs = sql.commentedSlugs();
  return plan;
}

/** The first pass: every post, page, attachment and archive of the old site and where it goes, before any post's links are rewritten. */
async function readLinkTargets(exportFile: string): Promise<LinkMap> {
  const links = createLinkMap();
  const collect = collectLinkTargets(links);
  for await (const event of readWxrFile(exportFile)) {
    if (event.kind === "channel") links.addChannel(event.channel);
    else if (event.kind === "term") links.addTerm(event.term);
    else if (event.kind === "item") collect(event.item);
  }
  links.finish();
  return links;
}

async function readExisting(options: ImportOptions, plan: ImportPlan): Promise<PlanState> {
  const exists = await listMarkdownFiles(options.contentDir).then(
    () => true,
    () => false,
  );
  const content = exists ? await readContentFiles(options.contentDir, options.settings) : { sources: [], errors: [] };
  for (const e of content.errors) plan.errors.push(`${path.join(options.contentDir, e.path)}:${e.line}: ${e.message} (an existing file; fix it first)`);
  const samples = exists ? await scanSamples(options.contentDir, content.sources) : { unchanged: new Map(), edited: [] };
  plan.samples.edited = samples.edited;
  plan.samples.removable = listRemovableSamples(samples, content.sources);
  const spellings = new Map<string, string>();
  const state: PlanState = {
    existingBySlug: new Map(content.sources.map((s) => [s.fields.slug, s])),
    existingPaths: new Set(content.sources.map((s) => s.path)),
    existingByPath: new Map(content.sources.map((s) => [s.path, s])),
    unchangedSamples: samples.unchanged,
    record: plan.record,
    sources: content.sources.map((s) => ({ ...s, bodyMd: "" })),
    authors: new Map(),
    lang: null,
    site: "",
    readExisting: (file) => readFile(path.join(options.contentDir, file), "utf8"),
    stage: async (file, text) => {
      const target = path.join(plan.stagedFiles, ...file.split("/"));
      await mkdir(path.dirname(target), { recursive: true });
      await writeFile(target, text);
    },
    parse: (file, text) => parseFrontMatter(file, text, options.settings),
    tagSpelling: (name) => {
      const key = slugify(name);
      if (!spellings.has(key)) spellings.set(key, detach(name));
      return spellings.get(key) ?? name;
    },
  };
  for (const source of content.sources) for (const tag of source.fields.tags) state.tagSpelling(tag.name);
  return state;
}

function checkAcrossFiles(state: PlanState): string[] {
  return checkSources(state.sources, { staying: new Set(), aliases: [], stayingRoles: [] }, (p) => p).map((e) => `${e.path}:${e.line}: ${e.message}`);
}

function channelLanguage(language: string): Language | null {
  const primary = language.trim().toLowerCase().split(/[-_]/)[0] ?? "";
  return LANGUAGES.find((l) => l === primary) ?? null;
}
