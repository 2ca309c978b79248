// Turns saxes' open/text/close events into WXR records. Knows the element
// names WordPress writes (wp:, content:, excerpt:, dc: prefixes as in every
// export since WXR 1.0) and where each may appear. Element names come from the
// file, so every table keyed by them is a Map ("constructor" is a name too).
import { emptyComment, emptyItem, type WxrAuthor, type WxrChannel, type WxrComment, type WxrEvent, type WxrItem, type WxrTerm } from "./wxr-types";

type Emit = (event: WxrEvent) => void;

const ITEM_FIELDS = new Map<string, keyof WxrItem>([
  ["title", "title"],
  ["link", "link"],
  ["guid", "guid"],
  ["dc:creator", "creator"],
  ["content:encoded", "content"],
  ["excerpt:encoded", "excerpt"],
  ["wp:post_id", "id"],
  ["wp:post_name", "postName"],
  ["wp:status", "status"],
  ["wp:post_type", "type"],
  ["wp:post_parent", "parent"],
  ["wp:menu_order", "menuOrder"],
  ["wp:post_date", "date"],
  ["wp:post_date_gmt", "dateGmt"],
  ["wp:post_modified_gmt", "modifiedGmt"],
  ["wp:post_password", "password"],
  ["wp:comment_status", "commentStatus"],
  ["wp:attachment_url", "attachmentUrl"],
]);

const COMMENT_FIELDS = new Map<string, keyof WxrComment>([
  ["wp:comment_id", "id"],
  ["wp:comment_author", "author"],
  ["wp:comment_author_email", "email"],
  ["wp:comment_author_url", "url"],
  ["wp:comment_author_IP", "ip"],
  ["wp:comment_date", "date"],
  ["wp:comment_date_gmt", "dateGmt"],
  ["wp:comment_content", "content"],
  ["wp:comment_approved", "approved"],
  ["wp:comment_type", "type"],
  ["wp:comment_parent", "parent"],
]);

const CHANNEL_FIELDS = new Map<string, keyof WxrChannel>([
  ["title", "title"],
  ["link", "link"],
  ["language", "language"],
  ["wp:base_site_url", "baseSiteUrl"],
  ["wp:base_blog_url", "baseBlogUrl"],
  ["wp:wxr_version", "version"],
]);

export function createWxrCollector(emit: Emit) {
  const stack: string[] = [];
  const attrs: Record<string, string>[] = [];
  let text = "";
  let sawRss = false;
  const channel: WxrChannel = { title: "", link: "", language: "", baseSiteUrl: "", baseBlogUrl: "", version: "" };
  let version: string | null = null;
  let channelSent = false;
  let item: WxrItem | null = null;
  let comment: WxrComment | null = null;
  let record = new Map<string, string>();

  const parent = () => stack[stack.length - 2] ?? "";
  const sendChannel = () => {
    if (!channelSent) emit({ kind: "channel", channel: { ...channel } });
    channelSent = true;
  };

  return {
    sawRss: () => sawRss,
    version: () => version,
    open(name: string, attributes: Record<string, string>) {
      if (stack.length === 0 && name === "rss") sawRss = true;
      stack.push(name);
      attrs.push(attributes);
      text = "";
      if (name === "item") {
        sendChannel();
        item = emptyItem();
      } else if (name === "wp:comment" && item) comment = emptyComment();
      else if (name === "wp:author" || name === "wp:category" || name === "wp:tag" || name === "wp:postmeta") record = new Map();
    },
    text(chunk: string) {
      text += chunk;
    },
    close(name: string) {
      const value = text;
      const attributes = attrs.pop() ?? {};
      const within = parent();
      text = "";
      if (comment && within === "wp:comment") {
        const field = COMMENT_FIELDS.get(name);
        if (field) comment[field] = value;
      } else if (name === "wp:comment" && item && comment) {
        item.comments.push(comment);
        comment = null;
      } else if (name === "wp:postmeta" && item) {
        const key = (record.get("wp:meta_key") ?? "").trim();
        if (key) item.meta[key] = record.get("wp:meta_value") ?? "";
      } else if (item && within === "item") closeItemField(item, name, value, attributes);
      else if (item && within === "wp:postmeta") record.set(name, value);
      else if (name === "item" && item) {
        emit({ kind: "item", item });
        item = null;
      } else if (within === "channel" && CHANNEL_FIELDS.has(name)) {
        const field = CHANNEL_FIELDS.get(name) as keyof WxrChannel;
        channel[field] = value.trim();
        if (field === "version") version = value.trim();
      } else if (within === "wp:author" || within === "wp:category" || within === "wp:tag") record.set(name, value);
      else if (within === "channel") closeChannelRecord(name, record, emit);
      if (name === "channel") sendChannel();
      stack.pop();
    },
  };
}

function closeItemField(item: WxrItem, name: string, value: string, attributes: Record<string, string>): void {
  const field = ITEM_FIELDS.get(name);
  if (field) (item as unknown as Record<string, string>)[field] = value;
  else if (name === "wp:is_sticky") item.sticky = value.trim() === "1";
  else if (name === "category") item.terms.push({ domain: attributes.domain ?? "", nicename: attributes.nicename ?? "", name: value });
}

function closeChannelRecord(name: string, record: Map<string, string>, emit: Emit): void {
  if (name === "wp:author") {
    const author: WxrAuthor = {
      login: (record.get("wp:author_login") ?? "").trim(),
      displayName: record.get("wp:author_display_name") ?? "",
      id: (record.get("wp:author_id") ?? "").trim(),
    };
    emit({ kind: "author", author });
  } else if (name === "wp:category") {
    const term: WxrTerm = {
      kind: "category",
      id: (record.get("wp:term_id") ?? "").trim(),
      slug: (record.get("wp:category_nicename") ?? "").trim(),
      name: record.get("wp:cat_name") ?? "",
      parent: record.get("wp:category_parent") ?? "",
    };
    emit({ kind: "term", term });
  } else if (name === "wp:tag") {
    const id = (record.get("wp:term_id") ?? "").trim();
    emit({ kind: "term", term: { kind: "tag", id, slug: (record.get("wp:tag_slug") ?? "").trim(), name: record.get("wp:tag_name") ?? "", parent: "" } });
  }
}
