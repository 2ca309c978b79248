// What planning an import produces, and what applying it needs.
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
}

type FileStatus = "new" | "unchanged" | "replace";

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
}
