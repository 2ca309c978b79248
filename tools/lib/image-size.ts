// The pixel size of an image file from its first bytes (PNG, GIF, JPEG,
// WebP), so that a page can reserve an article image's room before it loads.
// Anything else (SVG, AVIF, a broken file) has no size here: the page shows
// the image all the same, without width and height.
import { open } from "node:fs/promises";
import path from "node:path";

export interface ImageSize {
  width: number;
  height: number;
}

const HEAD_BYTES = 256 * 1024;

/** The size of the image a site path (/media/…) names under the content folder, or null when it is not there or not measurable. */
export async function measureSiteImage(contentDir: string, sitePath: string): Promise<ImageSize | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(sitePath.replace(/[?#].*$/, ""));
  } catch {
    return null;
  }
  const parts = decoded.split("/").filter((part) => part !== "");
  if (parts.some((part) => part === ".." || part.startsWith("."))) return null;
  const handle = await open(path.join(contentDir, ...parts), "r").catch(() => null);
  if (!handle) return null;
  try {
    const buffer = Buffer.alloc(HEAD_BYTES);
    const { bytesRead } = await handle.read(buffer, 0, HEAD_BYTES, 0);
    return readImageSize(buffer.subarray(0, bytesRead));
  } catch {
    return null;
  } finally {
    await handle.close();
  }
}

/** The size written in an image's header, or null. */
export function readImageSize(bytes: Buffer): ImageSize | null {
  const size = readPng(bytes) ?? readGif(bytes) ?? readJpeg(bytes) ?? readWebp(bytes);
  return size && size.width > 0 && size.height > 0 ? size : null;
}

function readPng(b: Buffer): ImageSize | null {
  if (b.length < 24 || b.toString("latin1", 1, 4) !== "PNG" || b.toString("latin1", 12, 16) !== "IHDR") return null;
  return { width: b.readUInt32BE(16), height: b.readUInt32BE(20) };
}

function readGif(b: Buffer): ImageSize | null {
  if (b.length < 10 || !/^GIF8[79]a$/.test(b.toString("latin1", 0, 6))) return null;
  return { width: b.readUInt16LE(6), height: b.readUInt16LE(8) };
}

// Start-of-frame markers carry the size; every other segment is skipped by its length.
const JPEG_FRAMES = new Set([0xc0, 0xc1, 0xc2, 0xc3, 0xc5, 0xc6, 0xc7, 0xc9, 0xca, 0xcb, 0xcd, 0xce, 0xcf]);

function readJpeg(b: Buffer): ImageSize | null {
  if (b.length < 4 || b[0] !== 0xff || b[1] !== 0xd8) return null;
  let at = 2;
  while (at + 9 < b.length) {
    if (b[at] !== 0xff) return null;
    const marker = b[at + 1] ?? 0;
    if (marker === 0xff) {
      at++;
      continue;
    }
    if (JPEG_FRAMES.has(marker)) return { height: b.readUInt16BE(at + 5), width: b.readUInt16BE(at + 7) };
    at += 2 + b.readUInt16BE(at + 2);
  }
  return null;
}

function readWebp(b: Buffer): ImageSize | null {
  if (b.length < 30 || b.toString("latin1", 0, 4) !== "RIFF" || b.toString("latin1", 8, 12) !== "WEBP") return null;
  const chunk = b.toString("latin1", 12, 16);
  if (chunk === "VP8 ") return { width: b.readUInt16LE(26) & 0x3fff, height: b.readUInt16LE(28) & 0x3fff };
  if (chunk === "VP8L") {
    const bits = b.readUInt32LE(21);
    return { width: (bits & 0x3fff) + 1, height: ((bits >> 14) & 0x3fff) + 1 };
  }
  if (chunk === "VP8X") return { width: b.readUIntLE(24, 3) + 1, height: b.readUIntLE(27, 3) + 1 };
  return null;
}
