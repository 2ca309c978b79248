// What planning an import produces, and what applying it needs.
import type { FileHashes } from "../lib/file-record";
import type { ArticleSource, SourceSettings } from "../publish/front-matter";
import type { MediaCopy, SkippedUpload } from "./media";
import type { PageRole } from "./post-file";
import type { WxrChannel } from "./wxr-types";

export interface ImportOptions {
  exportFile: string;
  contentDir: string;
  uploadsDir: string | null;
  pingbacks: boolean;
  settings: SourceSettings;
  ipSalt: string | null;
  /** Where staged files and SQL go until they are applied (a fresh temporary folder). */
  stagingDir: string;
  now: number;
  /** Replace files edited since the import wrote them (and write again the ones deleted since). */
  overwriteEdited?: boolean;
  /** The comments earlier imports brought, by id: true while D1 still has it (imported_comments, migrations/0025). */
  importedComments?: ReadonlyMap<string, boolean>;
}

/**
 * What applying does with a file: write it (new; update, a file the import
 * wrote and nobody changed since; replace, a file the import did not write,
 * after a yes; overwrite, an edited one with --overwrite-edited), leave it
 * (unchanged), or keep what a person did since the import (edited, deleted).
 */
type FileStatus = "new" | "unchanged" | "update" | "replace" | "overwrite" | "edited" | "deleted";

/** The record of what the import wrote, in the content folder (tools/lib/file-record.ts). */
export const IMPORT_RECORD = ".wordpress-import.json";

/** The statuses whose staged file applying writes into the content folder. */
export const WRITTEN_STATUSES: ReadonlySet<FileStatus> = new Set(["new", "update", "replace", "overwrite"]);

/** A file of the sample content the blog ships with (content/.sample-content.json), as it shipped. */
export interface SampleFile {
  path: string;
  /** Markdown files: the slug D1 holds it under; null for media. */
  slug: string | null;
  kind: "article" | "page" | "media";
}

export interface PlannedFile {
  /** "post 123" or "page 7", as errors and the report name it. */
  item: string;
  title: string;
  kind: "post" | "page";
  slug: string;
  /** Relative to the content directory, forward slashes. */
  path: string;
  status: FileStatus;
  /** For "replace": what the existing file is (its slug/title). */
  existing?: string;
  /** SHA-256 of the staged file (tools/lib/file-record.ts), recorded once it is written. */
  hash: string;
  draft: boolean;
  scheduled: boolean;
  role: PageRole | null;
  notes: string[];
  shortcodes: string[];
}

interface Skipped {
  item: string;
  reason: string;
}

interface CommentCounts {
  approved: number;
  pending: number;
  spam: number;
  trash: number;
  pingbacksSkipped: number;
  /** Comments of other types (editorial notes, a plugin's), left out, by type. */
  otherTypes: Map<string, number>;
  /** On items that are not imported (attachments, menu items, trashed posts). */
  withoutPost: number;
  tooBig: number;
  /** On posts whose file was deleted since the import (not written again). */
  onDeletedFiles: number;
  /** Brought by an earlier import: left as D1 has them (or as an editor deleted them). */
  importedBefore: number;
  /** comment_approved values WordPress does not write, with how many comments had each (imported as pending). */
  unknownStatuses: Map<string, number>;
}

export interface ImportPlan {
  channel: WxrChannel;
  files: PlannedFile[];
  skipped: Skipped[];
  /** Items that are not posts or pages, counted by WordPress post type. */
  skippedKinds: Map<string, number>;
  errors: string[];
  comments: CommentCounts;
  redirects: [string, string][];
  media: { copies: MediaCopy[]; absolute: string[]; missing: string[]; skipped: SkippedUpload[] };
  roles: Partial<Record<PageRole, PlannedFile>>;
  ipHashed: boolean;
  /** Every file publish will see after the import (front matter fields only), for the checks against D1. */
  sources: ArticleSource[];
  /** Staged Markdown files, by content-relative path. */
  stagedFiles: string;
  /** Staged SQL (comments, then redirects), one file, applied with the posts in one transaction. */
  sqlFile: string;
  /** The posts (by slug) that get comments: their pages must be purged. */
  commentedSlugs: string[];
  /** What the import wrote before (content/.wordpress-import.json). */
  record: FileHashes;
  samples: {
    /** Unchanged sample articles, and sample media only they link: what removing the samples removes. */
    removable: SampleFile[];
    /** Sample files edited since they shipped: never removed. */
    edited: string[];
    /** Unchanged placeholder pages whose role an imported page takes: removed with the import. */
    givingWay: { sample: SampleFile; by: PlannedFile }[];
  };
}
