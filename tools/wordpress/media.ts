// Uploads that posts reference. With --media (the site's wp-content/uploads
// folder) each referenced file, size variants like -300x200.jpg included, is
// copied under content/media/ and the reference rewritten to /media/…; when
// a variant is missing its original is used. Without --media the links stay
// absolute and the report lists them.
import { existsSync, statSync } from "node:fs";
import path from "node:path";
import { detach } from "./text";

// …/wp-content/uploads/2024/05/bild-300x200.jpg, and WordPress.com's <site>.files.wordpress.com/2024/05/bild.jpg
const UPLOAD_URL =
  /(?:https?:)?\/\/[^\s"'<>()[\]]+?\/wp-content\/uploads\/([^\s"'<>()[\]?#]+)|https?:\/\/[a-z0-9-]+\.files\.wordpress\.com\/(\d{4}\/\d{2}\/[^\s"'<>()[\]?#]+)/gi;
const SIZE_VARIANT = /-\d+x\d+(\.[a-z0-9]+)$/i;

export interface MediaCopy {
  /** Path under the uploads folder and under content/media/, with forward slashes. */
  relative: string;
  source: string;
  /** The old URL path that pointed at it (/wp-content/uploads/…), when it had one. */
  oldPaths: Set<string>;
}

export function createMediaMapper(uploadsDir: string | null) {
  const copies = new Map<string, MediaCopy>();
  const absolute = new Set<string>();
  const missing = new Set<string>();
  const found = new Map<string, string | null>();

  const locate = (relative: string): string | null => {
    if (!uploadsDir || relative.split("/").some((part) => part === ".." || part === "")) return null;
    if (!found.has(relative)) {
      const file = path.join(uploadsDir, ...relative.split("/"));
      found.set(detach(relative), existsSync(file) && statSync(file).isFile() ? relative : null);
    }
    return found.get(relative) ?? null;
  };

  const mapUrl = (url: string, encoded: string): string => {
    const relative = decodePath(encoded);
    const hit = locate(relative) ?? locate(relative.replace(SIZE_VARIANT, "$1"));
    if (!hit) {
      (uploadsDir ? missing : absolute).add(detach(url));
      return url;
    }
    const copy = copies.get(hit) ?? { relative: detach(hit), source: path.join(uploadsDir ?? "", ...hit.split("/")), oldPaths: new Set<string>() };
    copies.set(hit, copy);
    const oldPath = /\/wp-content\/uploads\//i.test(url) ? new URL(url, "http://x").pathname : null;
    if (oldPath) copy.oldPaths.add(detach(oldPath));
    return `/media/${hit.split("/").map(encodeURIComponent).join("/")}`;
  };

  return {
    /** The HTML with every upload URL rewritten to its copy (when there is one). */
    rewrite(html: string): string {
      return html.replace(UPLOAD_URL, (url, wpPath: string | undefined, comPath: string | undefined) => mapUrl(url, wpPath ?? comPath ?? ""));
    },
    copies: () => [...copies.values()],
    /** Upload links left absolute because no --media folder was given. */
    absolute: () => [...absolute],
    /** Upload links whose file is not in the --media folder. */
    missing: () => [...missing],
  };
}

function decodePath(encoded: string): string {
  try {
    return decodeURI(encoded);
  } catch {
    return encoded;
  }
}
