// Uploads that posts reference. With --media (the site's wp-content/uploads
// folder) each referenced file, size variants like -300x200.jpg included, is
// copied under content/media/ and the reference rewritten to /media/…; when
// a variant is missing its original is used. Without --media the links stay
// absolute and the report lists them.
//
// The uploads folder is another site's, and content/ is served as static
// files and read by publish: so only regular files of the media types below
// are copied (no HTML, SVG, scripts or Markdown), never through a symbolic
// link or out of the folder, and each upload skipped is listed with why.
import { constants, createWriteStream, lstatSync, realpathSync } from "node:fs";
import { open, realpath, stat } from "node:fs/promises";
import path from "node:path";
import { pipeline } from "node:stream/promises";
import { detach } from "./text";

// …/wp-content/uploads/2024/05/bild-300x200.jpg, and WordPress.com's <site>.files.wordpress.com/2024/05/bild.jpg
const UPLOAD_URL =
  /(?:https?:)?\/\/[^\s"'<>()[\]]+?\/wp-content\/uploads\/([^\s"'<>()[\]?#]+)|https?:\/\/[a-z0-9-]+\.files\.wordpress\.com\/(\d{4}\/\d{2}\/[^\s"'<>()[\]?#]+)/gi;
const SIZE_VARIANT = /-\d+x\d+(\.[a-z0-9]+)$/i;

// Images, audio, video, PDF and office documents, as WordPress lets authors upload them.
const MEDIA_EXTENSIONS = new Set(
  [
    "jpg jpeg jpe png gif webp avif bmp tif tiff ico heic heif",
    "mp3 m4a m4b aac wav ogg oga opus flac wma mid midi",
    "mp4 m4v webm ogv mov avi wmv mpeg mpg 3gp 3g2 mkv",
    "pdf doc docx docm dot dotx rtf odt xls xlsx xlsm xlsb ods ppt pptx pptm pps ppsx odp odg",
  ]
    .join(" ")
    .split(" "),
);

/** An upload a post links to that is not copied; its links stay absolute. */
export interface SkippedUpload {
  url: string;
  reason: string;
}

type Located = { kind: "found"; relative: string } | { kind: "missing" } | { kind: "skipped"; reason: string };

export interface MediaCopy {
  /** Path under the uploads folder and under content/media/, with forward slashes. */
  relative: string;
  source: string;
  /** The old URL path that pointed at it (/wp-content/uploads/…), when it had one. */
  oldPaths: Set<string>;
}

/** `isOwnUrl` tells the old site's uploads from another site's, whose links stay as they are. */
export function createMediaMapper(uploadsDir: string | null, isOwnUrl: (url: string) => boolean = () => true) {
  const copies = new Map<string, MediaCopy>();
  const absolute = new Set<string>();
  const missing = new Set<string>();
  const skipped = new Map<string, string>();
  const found = new Map<string, Located>();
  const root = uploadsDir ? realUploadsDir(uploadsDir) : null;

  const locate = (relative: string): Located => {
    let result = found.get(relative);
    if (!result) {
      result = root ? checkUpload(root, relative) : { kind: "missing" };
      found.set(detach(relative), result);
    }
    return result;
  };

  const mapUrl = (url: string, encoded: string): string => {
    const relative = decodePath(encoded);
    const asLinked = locate(relative);
    const located = asLinked.kind === "missing" ? locate(relative.replace(SIZE_VARIANT, "$1")) : asLinked;
    if (located.kind !== "found") {
      if (located.kind === "skipped") skipped.set(detach(url), located.reason);
      else (uploadsDir ? missing : absolute).add(detach(url));
      return url;
    }
    const hit = located.relative;
    const copy = copies.get(hit) ?? { relative: detach(hit), source: path.join(root ?? "", ...hit.split("/")), oldPaths: new Set<string>() };
    copies.set(hit, copy);
    const oldPath = /\/wp-content\/uploads\//i.test(url) ? new URL(url, "http://x").pathname : null;
    if (oldPath) copy.oldPaths.add(detach(oldPath));
    return `/media/${hit.split("/").map(encodeURIComponent).join("/")}`;
  };

  return {
    /** The HTML with every upload URL rewritten to its copy (when there is one). */
    rewrite(html: string): string {
      return html.replace(UPLOAD_URL, (url, wpPath: string | undefined, comPath: string | undefined) =>
        isOwnUrl(url) ? mapUrl(url, wpPath ?? comPath ?? "") : url,
      );
    },
    copies: () => [...copies.values()],
    /** Upload links left absolute because no --media folder was given. */
    absolute: () => [...absolute],
    /** Upload links whose file is not in the --media folder. */
    missing: () => [...missing],
    /** Upload links whose file is not copied, and why. */
    skipped: (): SkippedUpload[] => [...skipped].map(([url, reason]) => ({ url, reason })),
  };
}

function realUploadsDir(dir: string): string | null {
  try {
    return realpathSync(dir);
  } catch {
    return null;
  }
}

/** Whether `relative` (below the real uploads folder `root`) may be copied. */
function checkUpload(root: string, relative: string): Located {
  const parts = relative.split("/");
  if (parts.includes("..")) return { kind: "skipped", reason: "a path that leaves the uploads folder" };
  if (parts.some((part) => part === "" || part === ".")) return { kind: "skipped", reason: 'not a plain path ("." or "//" in it)' };
  const extension = path.extname(relative).slice(1).toLowerCase();
  if (!MEDIA_EXTENSIONS.has(extension)) return { kind: "skipped", reason: `not a media file (${extension ? `.${extension}` : "no extension"})` };
  const file = path.join(root, ...parts);
  try {
    const info = lstatSync(file, { throwIfNoEntry: false });
    if (!info) return { kind: "missing" };
    if (info.isSymbolicLink()) return { kind: "skipped", reason: "a symbolic link" };
    if (!info.isFile()) return { kind: "skipped", reason: "not a regular file" };
    // root is real and the file itself is no link: any difference is a linked folder on the way.
    if (realpathSync(file) !== file) return { kind: "skipped", reason: "in a symbolically linked folder" };
  } catch (error) {
    return { kind: "skipped", reason: `unreadable (${error instanceof Error ? error.message : String(error)})` };
  }
  return { kind: "found", relative };
}

/**
 * Copies an upload the plan found to `target`, unless the same bytes are
 * there; checks again, as it opens it, that it is a regular file reached
 * through no symbolic link (the folder may have changed since the plan).
 * Resolves to false when the target was already the same, throws otherwise.
 */
export async function copyUpload(source: string, target: string): Promise<boolean> {
  if ((await realpath(path.dirname(source))) !== path.dirname(source)) throw new Error("its folder is now a symbolic link");
  const handle = await open(source, constants.O_RDONLY | constants.O_NOFOLLOW);
  try {
    const info = await handle.stat();
    if (!info.isFile()) throw new Error("no longer a regular file");
    const existing = await stat(target).catch(() => null);
    if (existing?.size === info.size) {
      const [mine, theirs] = [await handle.readFile(), await open(target).then((t) => t.readFile().finally(() => t.close()))];
      if (mine.equals(theirs)) return false;
    }
    await pipeline(handle.createReadStream({ start: 0, autoClose: false }), createWriteStream(target));
    return true;
  } finally {
    await handle.close();
  }
}

function decodePath(encoded: string): string {
  try {
    return decodeURI(encoded);
  } catch {
    return encoded;
  }
}
