// The export's attachments (uploads), by id and by the post they were
// uploaded to: what a [gallery] shortcode shows. Attachments usually come
// after the post that shows them (their ids are higher), so the export is
// read once for them before the posts are converted.
import { readWxrFile } from "./reader";
import { detach } from "./text";
import type { WxrItem } from "./wxr-types";

interface Attachment {
  id: string;
  url: string;
  /** The caption (the attachment's excerpt), HTML as WordPress stores it. */
  caption: string;
  alt: string;
  parent: string;
  menuOrder: number;
}

export interface AttachmentIndex {
  byId: Map<string, Attachment>;
  /** Each post's attachments in WordPress's gallery order: menu order, then id. */
  byParent: Map<string, Attachment[]>;
}

function emptyAttachmentIndex(): AttachmentIndex {
  return { byId: new Map(), byParent: new Map() };
}

/** Adds an item when it is an attachment with a URL; other items are ignored. */
function addAttachment(index: AttachmentIndex, item: WxrItem): void {
  if (item.type.trim() !== "attachment" || item.attachmentUrl.trim() === "") return;
  const attachment: Attachment = detach({
    id: item.id.trim(),
    url: item.attachmentUrl.trim(),
    caption: item.excerpt,
    alt: Object.hasOwn(item.meta, "_wp_attachment_image_alt") ? (item.meta._wp_attachment_image_alt ?? "") : "",
    parent: item.parent.trim(),
    menuOrder: Number.parseInt(item.menuOrder, 10) || 0,
  });
  index.byId.set(attachment.id, attachment);
  if (attachment.parent === "" || attachment.parent === "0") return;
  const siblings = index.byParent.get(attachment.parent) ?? [];
  siblings.push(attachment);
  siblings.sort((a, b) => a.menuOrder - b.menuOrder || Number(a.id) - Number(b.id));
  index.byParent.set(attachment.parent, siblings);
}

/** Reads the export once for its attachments. */
export async function collectAttachments(exportFile: string): Promise<AttachmentIndex> {
  const index = emptyAttachmentIndex();
  for await (const event of readWxrFile(exportFile)) if (event.kind === "item") addAttachment(index, event.item);
  return index;
}
