// Drizzle mirror of migrations/. The SQL files are the source of truth; keep
// this file in step with them (test/db/schema.test.ts checks that it is).
import { sql } from "drizzle-orm";
import { type AnySQLiteColumn, index, integer, primaryKey, sqliteTable, text, uniqueIndex } from "drizzle-orm/sqlite-core";

export const LANGUAGES = ["de", "en"] as const;
export type Language = (typeof LANGUAGES)[number];

export const ARTICLE_STATUSES = ["draft", "published"] as const;
export type ArticleStatus = (typeof ARTICLE_STATUSES)[number];
/** @public */
export const ARTICLE_DRAFT: ArticleStatus = "draft";
export const ARTICLE_PUBLISHED: ArticleStatus = "published";

/** An article is listed and fed; a page (content/pages/*.md) is served at /<slug> and only linked from navigation. */
export const ARTICLE_KINDS = ["article", "page"] as const;
export type ArticleKind = (typeof ARTICLE_KINDS)[number];
export const KIND_ARTICLE: ArticleKind = "article";
export const KIND_PAGE: ArticleKind = "page";

/** Where a page is linked from. */
export const NAV_PLACES = ["header", "footer"] as const;
export type NavPlace = (typeof NAV_PLACES)[number];

/** Pages a German site must link from every page: the Impressum (§ 5 DDG) and the privacy statement (Art. 13 DSGVO). */
export const PAGE_ROLES = ["imprint", "privacy"] as const;
export type PageRole = (typeof PAGE_ROLES)[number];

/** Where an alias came from: the file's `aliases:`, or a rename the publisher saw. */
const ALIAS_ORIGINS = ["file", "rename"] as const;

export const COMMENTS_MODES = ["open", "closed"] as const;
export type CommentsMode = (typeof COMMENTS_MODES)[number];

export const COMMENT_STATUSES = ["pending", "approved", "spam", "trash"] as const;
export type CommentStatus = (typeof COMMENT_STATUSES)[number];
export const COMMENT_PENDING: CommentStatus = "pending";
export const COMMENT_APPROVED: CommentStatus = "approved";
export const COMMENT_SPAM: CommentStatus = "spam";
/** @public */
export const COMMENT_TRASH: CommentStatus = "trash";

/** A comment status from untrusted input, or null. */
export function parseCommentStatus(value: unknown): CommentStatus | null {
  return (COMMENT_STATUSES as readonly unknown[]).includes(value) ? (value as CommentStatus) : null;
}

export const articles = sqliteTable(
  "articles",
  {
    id: integer("id").primaryKey(),
    slug: text("slug").notNull().unique(),
    title: text("title").notNull(),
    summary: text("summary"),
    bodyMd: text("body_md").notNull(),
    bodyHash: text("body_hash").notNull(),
    bodyHtml: text("body_html"),
    htmlVersion: text("html_version"),
    excerpt: text("excerpt"),
    /** The body as plain text, for search (migrations/0009_search.sql). */
    bodyText: text("body_text"),
    lang: text("lang", { enum: LANGUAGES }).notNull(),
    status: text("status", { enum: ARTICLE_STATUSES }).notNull().default("draft"),
    publishedAt: integer("published_at"),
    updatedAt: integer("updated_at").notNull(),
    author: text("author"),
    comments: text("comments", { enum: COMMENTS_MODES }).notNull().default("open"),
    sourceHash: text("source_hash"),
    sourcePath: text("source_path"),
    translationKey: text("translation_key"),
    kind: text("kind", { enum: ARTICLE_KINDS }).notNull().default("article"),
    nav: text("nav", { enum: NAV_PLACES }),
    navOrder: integer("nav_order"),
    role: text("role", { enum: PAGE_ROLES }),
    /** The `id:` of the article's file, written there by its first publish (migrations/0024_article_identity.sql). */
    sourceId: text("source_id"),
    /** When publish --prune took it off the site (its file is gone); null while it has one. */
    goneAt: integer("gone_at"),
    /** The article's own image (migrations/0028): a site path (/media/…) or an https URL, its text alternative and measured size. */
    image: text("image"),
    imageAlt: text("image_alt"),
    imageWidth: integer("image_width"),
    imageHeight: integer("image_height"),
    /** Leads the home page (front matter pinned:, WordPress's sticky posts). */
    pinned: integer("pinned", { mode: "boolean" }).notNull().default(false),
  },
  (t) => [
    uniqueIndex("articles_by_source_id").on(t.sourceId),
    index("articles_by_visibility").on(t.status, sql`${t.publishedAt} DESC`),
    index("articles_by_translation_key").on(t.translationKey),
    index("articles_by_kind").on(t.kind, t.status, sql`${t.publishedAt} DESC`, t.translationKey, t.lang),
    index("articles_home").on(t.kind, t.status, sql`${t.pinned} DESC`, sql`${t.publishedAt} DESC`, t.translationKey, t.lang),
  ],
);

export const articleAliases = sqliteTable(
  "article_aliases",
  {
    slug: text("slug").primaryKey(),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    /** 'file': from the file's `aliases:`; 'rename': a former slug, kept by the publisher. */
    origin: text("origin", { enum: ALIAS_ORIGINS }).notNull().default("file"),
  },
  (t) => [index("article_aliases_by_article").on(t.articleId)],
);

export const tags = sqliteTable("tags", {
  id: integer("id").primaryKey(),
  slug: text("slug").notNull().unique(),
  name: text("name").notNull(),
});

export const articleTags = sqliteTable(
  "article_tags",
  {
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    tagId: integer("tag_id")
      .notNull()
      .references(() => tags.id, { onDelete: "cascade" }),
  },
  (t) => [primaryKey({ columns: [t.articleId, t.tagId] }), index("article_tags_by_tag").on(t.tagId, t.articleId)],
);

const HELD_MAIL_STATES = ["sent", "digest", "digested"] as const;
export type HeldMailState = (typeof HELD_MAIL_STATES)[number];

export const comments = sqliteTable(
  "comments",
  {
    id: text("id").primaryKey(),
    articleId: integer("article_id")
      .notNull()
      .references(() => articles.id, { onDelete: "cascade" }),
    /** A deleted parent leaves its replies as top-level comments (ON DELETE SET NULL). */
    parentId: text("parent_id").references((): AnySQLiteColumn => comments.id, { onDelete: "set null" }),
    author: text("author").notNull(),
    email: text("email").notNull(),
    url: text("url"),
    bodyRaw: text("body_raw").notNull(),
    bodyHtml: text("body_html").notNull(),
    status: text("status", { enum: COMMENT_STATUSES }).notNull().default("pending"),
    reasons: text("reasons").notNull().default("[]"),
    ipHash: text("ip_hash"),
    userAgent: text("user_agent"),
    createdAt: integer("created_at").notNull(),
    decidedAt: integer("decided_at"),
    /** When the purge or notice after storing was done; null until then (see comments/service-queue.ts). */
    effectsDoneAt: integer("effects_done_at"),
    /** What the moderators were told of a held comment (migrations/0013): sent, digest (waiting), digested. */
    heldMail: text("held_mail", { enum: HELD_MAIL_STATES }),
    heldMailAt: integer("held_mail_at"),
    /** The commenter asked for mail about the approval and replies. */
    notifyReplies: integer("notify_replies", { mode: "boolean" }).notNull().default(false),
    approvalMailAt: integer("approval_mail_at"),
    replyMailAt: integer("reply_mail_at"),
    /** Double opt-in (migrations/0017): when the confirmation mail went out, and when its link was followed. */
    confirmMailAt: integer("confirm_mail_at"),
    notifyConfirmedAt: integer("notify_confirmed_at"),
    /** The digest run (its scheduled time) that took this waiting comment. */
    heldDigestRun: integer("held_digest_run"),
    /** Written by the editor in the admin (migrations/0019): marked as such for readers; set by replyAsEditor only. */
    byEditor: integer("by_editor", { mode: "boolean" }).notNull().default(false),
    /** Imported from WordPress (migrations/0028): the comment's id there, whose anchor its page keeps. */
    wordpressId: text("wordpress_id"),
  },
  (t) => [
    index("comments_by_article").on(t.articleId, t.status, t.createdAt),
    index("comments_by_status").on(t.status, t.createdAt, t.id),
    index("comments_by_time").on(t.createdAt, t.id),
    index("comments_by_decision").on(t.decidedAt),
    index("comments_expiring").on(sql`coalesce(${t.decidedAt}, ${t.createdAt})`).where(sql`${t.status} IN ('spam', 'trash')`),
    index("comments_by_parent").on(t.parentId),
    index("comments_by_email").on(sql`lower(${t.email})`, t.status),
    index("comments_top_level").on(t.articleId, t.createdAt, t.id, t.parentId, t.status).where(sql`${t.parentId} IS NULL AND ${t.status} = 'approved'`),
    index("comments_by_held_mail").on(t.heldMail, t.heldMailAt),
    index("comments_confirm_due").on(t.createdAt).where(sql`${t.notifyReplies} = 1 AND ${t.notifyConfirmedAt} IS NULL AND ${t.confirmMailAt} IS NULL`),
    index("comments_approval_due").on(t.createdAt).where(sql`${t.notifyReplies} = 1 AND ${t.approvalMailAt} IS NULL`),
    index("comments_reply_due").on(t.createdAt).where(sql`${t.parentId} IS NOT NULL AND ${t.replyMailAt} IS NULL`),
    index("comments_with_client").on(t.createdAt).where(sql`${t.ipHash} IS NOT NULL OR ${t.userAgent} IS NOT NULL`),
  ],
);

const MAIL_KINDS = ["confirm", "approval", "reply", "digest"] as const;
export type MailKind = (typeof MAIL_KINDS)[number];

/** Mails about a comment that failed (migrations/0017): retried after retry_at, given up when it is null. */
export const commentMailFailures = sqliteTable(
  "comment_mail_failures",
  {
    commentId: text("comment_id")
      .notNull()
      .references(() => comments.id, { onDelete: "cascade" }),
    kind: text("kind", { enum: MAIL_KINDS }).notNull(),
    tries: integer("tries").notNull(),
    lastError: text("last_error").notNull(),
    failedAt: integer("failed_at").notNull(),
    retryAt: integer("retry_at"),
  },
  (t) => [primaryKey({ columns: [t.commentId, t.kind] })],
);

/** A row of the comments table, as drizzle reads it. */
export type CommentRecord = typeof comments.$inferSelect;

export const commentSubmissions = sqliteTable(
  "comment_submissions",
  {
    id: text("id").primaryKey(),
    articleId: integer("article_id").notNull(),
    ipHash: text("ip_hash"),
    emailHash: text("email_hash").notNull(),
    fingerprint: text("fingerprint").notNull().unique(),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("comment_submissions_by_ip").on(t.ipHash, t.createdAt),
    index("comment_submissions_by_email").on(t.emailHash, t.createdAt),
    index("comment_submissions_by_time").on(t.createdAt),
  ],
);

export const failedMessages = sqliteTable(
  "failed_messages",
  {
    id: text("id").primaryKey(),
    queue: text("queue").notNull(),
    body: text("body").notNull(),
    error: text("error").notNull(),
    attempts: integer("attempts").notNull(),
    createdAt: integer("created_at").notNull(),
    resolvedAt: integer("resolved_at"),
  },
  (t) => [
    index("failed_messages_open").on(t.resolvedAt, t.createdAt),
    index("failed_messages_by_email").on(sql`(CASE WHEN json_valid(${t.body}) THEN lower(json_extract(${t.body}, '$.email')) END)`),
  ],
);

export const adminSessions = sqliteTable(
  "admin_sessions",
  {
    id: text("id").primaryKey(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
    revokedAt: integer("revoked_at"),
  },
  (t) => [index("admin_sessions_live").on(t.revokedAt, t.expiresAt)],
);

/** Shared drafts (migrations/0012_previews.sql): apart from articles, so no list sees them. */
export const previews = sqliteTable(
  "previews",
  {
    id: text("id").primaryKey(),
    slug: text("slug").notNull(),
    title: text("title").notNull(),
    lang: text("lang", { enum: LANGUAGES }).notNull(),
    bodyHtml: text("body_html").notNull(),
    createdAt: integer("created_at").notNull(),
    expiresAt: integer("expires_at").notNull(),
  },
  (t) => [index("previews_by_slug").on(t.slug), index("previews_by_expiry").on(t.expiresAt)],
);

export const adminTokenFailures = sqliteTable(
  "admin_token_failures",
  {
    client: text("client").notNull(),
    failedAt: integer("failed_at").notNull(),
  },
  (t) => [index("admin_token_failures_by_client").on(t.client, t.failedAt), index("admin_token_failures_by_time").on(t.failedAt)],
);

/** Old URLs (an imported WordPress site's) and where they live now (migrations/0008_wordpress.sql). */
export const redirects = sqliteTable("redirects", {
  /** normalizeRedirectKey() of the old URL (src/redirects/normalize.ts). */
  fromPath: text("from_path").primaryKey(),
  toPath: text("to_path").notNull(),
  status: integer("status").notNull().default(301),
});

/** A counter every change to `articles` moves on, by trigger (migrations/0015_archive_counts.sql). */
/** @public */
export const articlesVersion = sqliteTable("articles_version", {
  id: integer("id").primaryKey(),
  version: integer("version").notNull(),
});

/** How many comments have each status, kept by triggers on comments (migrations/0023). */
export const commentCounts = sqliteTable("comment_counts", {
  status: text("status", { enum: COMMENT_STATUSES }).primaryKey(),
  n: integer("n").notNull(),
});

/** The archive's month counts as last counted, for one articles version (migrations/0015). */
export const archiveCounts = sqliteTable("archive_counts", {
  key: text("key").primaryKey(),
  version: integer("version").notNull(),
  validUntil: integer("valid_until"),
  /** JSON: [{year, month, count}], newest first. */
  months: text("months").notNull(),
});

/** Edge-cache tags whose purge failed after their write (migrations/0021): the 10-minute cron purges them again. */
export const pendingPurges = sqliteTable("pending_purges", {
  tag: text("tag").primaryKey(),
  recordedAt: integer("recorded_at").notNull(),
});

/** The ids of the comments the WordPress import brought in, also after they are deleted (migrations/0025); written by the import's SQL (tools/wordpress/sql.ts). */
/** @public */
export const importedComments = sqliteTable("imported_comments", {
  id: text("id").primaryKey(),
});

/** Requests for a "your data" link (migrations/0029), counted per address and client hash; kept a day. */
export const dataLinkRequests = sqliteTable(
  "data_link_requests",
  {
    id: integer("id").primaryKey(),
    emailHash: text("email_hash").notNull(),
    clientHash: text("client_hash"),
    createdAt: integer("created_at").notNull(),
  },
  (t) => [
    index("data_link_requests_by_email").on(t.emailHash, t.createdAt),
    index("data_link_requests_by_client").on(t.clientHash, t.createdAt),
    index("data_link_requests_by_time").on(t.createdAt),
  ],
);

const DATA_REQUEST_ACTIONS = ["export", "erase"] as const;
const DATA_REQUEST_CHANNELS = ["page", "cli", "api"] as const;
export type DataRequestChannel = (typeof DATA_REQUEST_CHANNELS)[number];

/** Exports and erasures done on a commenter's request (migrations/0029), by the salted hash of the address. */
export const dataRequestLog = sqliteTable(
  "data_request_log",
  {
    id: integer("id").primaryKey(),
    action: text("action", { enum: DATA_REQUEST_ACTIONS }).notNull(),
    via: text("via", { enum: DATA_REQUEST_CHANNELS }).notNull(),
    emailHash: text("email_hash").notNull(),
    comments: integer("comments").notNull(),
    deleted: integer("deleted", { mode: "boolean" }).notNull().default(false),
    subscriptions: integer("subscriptions").notNull().default(0),
    at: integer("at").notNull(),
  },
  (t) => [index("data_request_log_by_email").on(t.emailHash, t.action, t.at)],
);
