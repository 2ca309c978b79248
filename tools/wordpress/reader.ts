// Streaming reader of WordPress exports (WXR 1.0–1.2): the file goes through
// saxes chunk by chunk, and each author, term and item is yielded as soon as
// its closing tag is read, so memory stays flat however large the export.
import { createReadStream } from "node:fs";
import { SaxesParser } from "saxes";
import { repairCdata } from "./cdata";
import { createWxrCollector } from "./wxr-collector";
import { WXR_VERSIONS, WxrError, type WxrEvent } from "./wxr-types";
import { decodeXmlChunks } from "./xml-encoding";

const NOT_WXR = "not a WordPress export";

/** Reads the export at `file` in its declared encoding; throws WxrError on broken XML, an unknown encoding, or a missing or unknown WXR version. */
export async function* readWxrFile(file: string): AsyncGenerator<WxrEvent> {
  yield* readWxr(decodeXmlChunks(createReadStream(file, { highWaterMark: 256 * 1024 }) as AsyncIterable<Buffer>));
}

/** Reads an export from text chunks (see readWxrFile). */
export async function* readWxr(chunks: AsyncIterable<string>): AsyncGenerator<WxrEvent> {
  const parser = new SaxesParser({ xmlns: false, position: true });
  const events: WxrEvent[] = [];
  let failure: WxrError | null = null;
  const collector = createWxrCollector((event) => {
    if (event.kind === "item") failure ??= checkVersion(collector.version());
    events.push(event);
  });
  parser.on("error", (error) => {
    failure ??= new WxrError(`malformed XML: ${error.message.replace(/^.*?\d+:\d+: /, "")}`, parser.line, parser.column + 1);
  });
  parser.on("opentag", (tag) => collector.open(tag.name, tag.attributes as Record<string, string>));
  parser.on("text", (text) => collector.text(text));
  parser.on("cdata", (text) => collector.text(text));
  parser.on("closetag", (tag) => collector.close(tag.name));
  let sawRoot = false;
  for await (const chunk of repairCdata(chunks)) {
    parser.write(chunk);
    sawRoot ||= collector.sawRss();
    if (failure) throw failure;
    yield* events.splice(0);
  }
  parser.close();
  if (failure) throw failure;
  yield* events.splice(0);
  if (!sawRoot && !collector.sawRss()) throw new WxrError(`${NOT_WXR}: no <rss> root element`);
  const problem = checkVersion(collector.version());
  if (problem) throw problem;
}

function checkVersion(version: string | null): WxrError | null {
  if (version === null) return new WxrError(`${NOT_WXR}: no <wp:wxr_version> before the first item (WordPress writes 1.0, 1.1 or 1.2)`);
  if ((WXR_VERSIONS as readonly string[]).includes(version)) return null;
  return new WxrError(`${NOT_WXR}: unknown <wp:wxr_version> "${version}" (known: ${WXR_VERSIONS.join(", ")})`);
}
