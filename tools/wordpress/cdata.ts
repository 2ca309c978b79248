// WordPress writes content into CDATA sections without escaping a "]]>"
// inside it, so exports hold "nested" sections that strict XML would end too
// early (crazy-cdata.xml). WordPress's own importer reads them as text; this
// stream does the same by escaping, before the XML parser sees it, each "]]>"
// that closes an inner "<![CDATA[" or is directly followed by another "]]>".
const OPEN = "<![CDATA[";
const CLOSE = "]]>";
const ESCAPED_CLOSE = "]]]]><![CDATA[>";

interface ScanState {
  inCdata: boolean;
  depth: number;
}

/** The XML text with WordPress's unescaped CDATA ends escaped; chunks may split anywhere. */
export async function* repairCdata(chunks: AsyncIterable<string>): AsyncGenerator<string> {
  const state: ScanState = { inCdata: false, depth: 0 };
  let rest = "";
  for await (const chunk of chunks) {
    const scanned = scanCdata(rest + chunk, state, false);
    rest = scanned.rest;
    if (scanned.out) yield scanned.out;
  }
  const last = scanCdata(rest, state, true);
  if (last.out) yield last.out;
}

/** Scans `text`; returns what can be passed on and the tail that needs more input to decide. */
export function scanCdata(text: string, state: ScanState, end: boolean): { out: string; rest: string } {
  let out = "";
  let i = 0;
  while (i < text.length) {
    if (!state.inCdata) {
      const open = text.indexOf(OPEN, i);
      if (open < 0) {
        const keep = end ? text.length : Math.max(i, text.length - OPEN.length + 1);
        return { out: out + text.slice(i, keep), rest: text.slice(keep) };
      }
      out += text.slice(i, open + OPEN.length);
      i = open + OPEN.length;
      state.inCdata = true;
      state.depth = 0;
      continue;
    }
    const close = text.indexOf(CLOSE, i);
    const inner = text.indexOf(OPEN, i);
    if (inner >= 0 && (close < 0 || inner < close)) {
      out += text.slice(i, inner + OPEN.length);
      i = inner + OPEN.length;
      state.depth++;
      continue;
    }
    if (close < 0 || (!end && close + CLOSE.length >= text.length)) {
      // Hold back what could be the start of "]]>" or "<![CDATA[", or a "]]>" whose next character is unknown.
      const keep = close >= 0 ? close : end ? text.length : Math.max(i, text.length - OPEN.length + 1);
      return { out: out + text.slice(i, keep), rest: text.slice(keep) };
    }
    out += text.slice(i, close);
    i = close + CLOSE.length;
    if (state.depth > 0 || text[i] === "]") {
      state.depth = Math.max(0, state.depth - 1);
      out += ESCAPED_CLOSE;
    } else {
      out += CLOSE;
      state.inCdata = false;
    }
  }
  return { out, rest: "" };
}
