// What the WordPress export (WXR 1.0–1.2) carries that the importer uses,
// exactly as written in the file (no unslashing, no trimming of content).

export const WXR_VERSIONS = ["1.0", "1.1", "1.2"] as const;

export interface WxrChannel {
  title: string;
  link: string;
  language: string;
  baseSiteUrl: string;
  baseBlogUrl: string;
  version: string;
}

export interface WxrAuthor {
  login: string;
  displayName: string;
  /** wp:author_id (old links ask for /?author=ID); absent in some exports. */
  id?: string;
}

export interface WxrTerm {
  kind: "category" | "tag";
  /** wp:term_id (old links ask for /?cat=ID); a post's own term names carry none. */
  id?: string;
  slug: string;
  name: string;
  parent: string;
}

interface WxrItemTerm {
  domain: string;
  nicename: string;
  name: string;
}

export interface WxrComment {
  id: string;
  author: string;
  email: string;
  url: string;
  ip: string;
  date: string;
  dateGmt: string;
  content: string;
  /** "1", "0", "spam", "trash" (or "post-trashed"). */
  approved: string;
  /** "" or "comment", "pingback", "trackback"; "note" (WordPress 6.9's editorial notes) or a plugin's own type. */
  type: string;
  parent: string;
}

export interface WxrItem {
  id: string;
  title: string;
  link: string;
  guid: string;
  creator: string;
  content: string;
  excerpt: string;
  postName: string;
  status: string;
  type: string;
  parent: string;
  menuOrder: string;
  date: string;
  dateGmt: string;
  modifiedGmt: string;
  password: string;
  commentStatus: string;
  sticky: boolean;
  attachmentUrl: string;
  terms: WxrItemTerm[];
  meta: Record<string, string>;
  comments: WxrComment[];
}

export type WxrEvent =
  | { kind: "channel"; channel: WxrChannel }
  | { kind: "author"; author: WxrAuthor }
  | { kind: "term"; term: WxrTerm }
  | { kind: "item"; item: WxrItem };

/** The file cannot be read as a WordPress export; `line`/`column` are 1-based when known. */
export class WxrError extends Error {
  constructor(
    message: string,
    readonly line?: number,
    readonly column?: number,
  ) {
    super(line === undefined ? message : `line ${line}, column ${column ?? 0}: ${message}`);
    this.name = "WxrError";
  }
}

export function emptyItem(): WxrItem {
  return {
    id: "",
    title: "",
    link: "",
    guid: "",
    creator: "",
    content: "",
    excerpt: "",
    postName: "",
    status: "",
    type: "",
    parent: "",
    menuOrder: "",
    date: "",
    dateGmt: "",
    modifiedGmt: "",
    password: "",
    commentStatus: "",
    sticky: false,
    attachmentUrl: "",
    terms: [],
    meta: Object.create(null) as Record<string, string>,
    comments: [],
  };
}

export function emptyComment(): WxrComment {
  return { id: "", author: "", email: "", url: "", ip: "", date: "", dateGmt: "", content: "", approved: "", type: "", parent: "" };
}
