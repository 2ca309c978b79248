// The size publish writes beside an article's image, read from the file's header.
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { measureSiteImage, readImageSize } from "../../../tools/lib/image-size";

const hex = (text: string) => Buffer.from(text.replace(/\s/g, ""), "hex");
const PNG_3X2 = hex("89504e470d0a1a0a 0000000d 49484452 00000003 00000002 0806000000");
const GIF_5X4 = Buffer.concat([Buffer.from("GIF89a", "latin1"), hex("0500 0400 000000")]);
// An APP0 segment first, then the frame: the reader skips segments by their length.
const JPEG_640X480 = hex("ffd8 ffe0 0010 4a46494600010100000100010000 ffc0 0011 08 01e0 0280 03 012200 021101 031101 ffd9");
const WEBP_LOSSY_7X9 = Buffer.concat([
  Buffer.from("RIFF", "latin1"),
  hex("00000000"),
  Buffer.from("WEBPVP8 ", "latin1"),
  hex("00000000 000000 9d012a 0700 0900 0000"),
]);
const WEBP_EXTENDED_800X600 = Buffer.concat([
  Buffer.from("RIFF", "latin1"),
  hex("00000000"),
  Buffer.from("WEBPVP8X", "latin1"),
  hex("0a000000 00000000 1f0300 570200 0000"),
]);

let dir = "";
beforeAll(async () => {
  dir = await mkdtemp(path.join(os.tmpdir(), "image-size-"));
  await mkdir(path.join(dir, "content/media/2024"), { recursive: true });
  await writeFile(path.join(dir, "content/media/2024/foto mit leerzeichen.jpg"), JPEG_640X480);
  await writeFile(path.join(dir, "secret.png"), PNG_3X2);
});
afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe("readImageSize", () => {
  it.each([
    ["PNG", PNG_3X2, { width: 3, height: 2 }],
    ["GIF", GIF_5X4, { width: 5, height: 4 }],
    ["JPEG", JPEG_640X480, { width: 640, height: 480 }],
    ["WebP (lossy)", WEBP_LOSSY_7X9, { width: 7, height: 9 }],
    ["WebP (extended)", WEBP_EXTENDED_800X600, { width: 800, height: 600 }],
  ])("reads a %s header", (_kind, bytes, size) => {
    expect(readImageSize(bytes)).toEqual(size);
  });

  it("gives null for what it cannot read: SVG, a cut file, a JPEG without a frame, nothing", () => {
    for (const bytes of [Buffer.from("<svg xmlns='http://www.w3.org/2000/svg'/>"), PNG_3X2.subarray(0, 20), hex("ffd8ffd9"), Buffer.alloc(0)]) {
      expect(readImageSize(bytes)).toBeNull();
    }
  });
});

describe("measureSiteImage", () => {
  it("measures a site path under the content folder, percent-encoded too", async () => {
    expect(await measureSiteImage(path.join(dir, "content"), "/media/2024/foto%20mit%20leerzeichen.jpg")).toEqual({ width: 640, height: 480 });
  });

  it("reads nothing outside the content folder or missing, and follows no hidden path", async () => {
    const content = path.join(dir, "content");
    for (const sitePath of ["/../secret.png", "/media/%2e%2e/%2e%2e/secret.png", "/media/missing.png", "/.hidden/x.png", "/media/%E0%A4%A.png"]) {
      expect(await measureSiteImage(content, sitePath), sitePath).toBeNull();
    }
  });
});
