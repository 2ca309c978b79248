// An export's bytes as text, decoded by what the file says it is: a byte
// order mark first, else the encoding its XML declaration names (older
// WordPress sites, and exports passed through other tools, are ISO-8859-1 or
// windows-1252), else UTF-8, XML's default. Labels are the WHATWG Encoding
// Standard's, which TextDecoder knows (ISO-8859-1 is read as windows-1252,
// as browsers and WordPress's own importer do).
import { WxrError } from "./wxr-types";

// The declaration is the file's first thing; its encoding is named within these bytes.
const HEAD_BYTES = 1024;
const DECLARED_ENCODING = /^<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([^"']*)\1/;

/** The chunks decoded as text; throws WxrError for an encoding TextDecoder does not know. */
export async function* decodeXmlChunks(chunks: AsyncIterable<Uint8Array>): AsyncGenerator<string> {
  let decoder: TextDecoder | null = null;
  let head: Uint8Array = new Uint8Array(0);
  for await (const chunk of chunks) {
    if (!decoder) {
      head = concat(head, chunk);
      if (head.length < HEAD_BYTES) continue;
      decoder = createDecoder(head);
      yield decoder.decode(head, { stream: true });
      continue;
    }
    yield decoder.decode(chunk, { stream: true });
  }
  if (!decoder) {
    decoder = createDecoder(head);
    yield decoder.decode(head, { stream: true });
  }
  yield decoder.decode();
}

function createDecoder(head: Uint8Array): TextDecoder {
  const label = sniffEncoding(head);
  try {
    return new TextDecoder(label);
  } catch {
    throw new WxrError(
      `unknown encoding "${label}" in the XML declaration (known are the WHATWG Encoding Standard's names, such as UTF-8, ISO-8859-1, windows-1252)`,
    );
  }
}

function sniffEncoding(head: Uint8Array): string {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return "utf-8";
  if (head[0] === 0xfe && head[1] === 0xff) return "utf-16be";
  if (head[0] === 0xff && head[1] === 0xfe) return "utf-16le";
  // The declaration is ASCII in every encoding that can declare itself without a byte order mark.
  const declaration = new TextDecoder("latin1").decode(head.subarray(0, HEAD_BYTES));
  return DECLARED_ENCODING.exec(declaration)?.[2]?.trim() || "utf-8";
}

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const joined = new Uint8Array(a.length + b.length);
  joined.set(a);
  joined.set(b, a.length);
  return joined;
}
