// .dev.vars read as wrangler reads it (dotenv's rules), by the one reader the
// commands share: preview's PREVIEW_SECRET, the import's IP_HASH_SALT and the
// dev server's SITE_URL all come through it.
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { parseDevVars, readDevVars, readLocalSecret } from "../../../tools/lib/dev-vars";

let tmp = "";

beforeAll(async () => {
  tmp = await mkdtemp(path.join(os.tmpdir(), "dev-vars-"));
});

afterAll(async () => {
  if (tmp) await rm(tmp, { recursive: true, force: true });
});

describe("parseDevVars", () => {
  it("reads quotes, comments, = in values and export, as wrangler does", () => {
    const vars = parseDevVars(
      [
        "# a comment line",
        'DOUBLE="a # not a comment"',
        "SINGLE='it has \"quotes\"'",
        "BARE=plain value   # a comment after it",
        "EQUALS=a=b==c",
        "  export EXPORTED = spaced  ",
        'NEWLINES="one\\ntwo"',
        "RAW='one\\ntwo'",
        "EMPTY=",
        "not a variable line",
        "DOUBLE=later wins",
      ].join("\n"),
    );
    expect(Object.fromEntries(vars)).toEqual({
      DOUBLE: "later wins",
      SINGLE: 'it has "quotes"',
      BARE: "plain value",
      EQUALS: "a=b==c",
      EXPORTED: "spaced",
      NEWLINES: "one\ntwo",
      RAW: "one\\ntwo",
      EMPTY: "",
    });
  });

  it("reads CRLF files like LF files, and a value in quotes across lines", () => {
    const vars = parseDevVars('A=1\r\nB="x"\r\nC="line one\r\nline two"\r\n');
    expect(Object.fromEntries(vars)).toEqual({ A: "1", B: "x", C: "line one\nline two" });
  });

  it("takes a key named __proto__ or constructor as a key like any other", () => {
    const vars = parseDevVars("__proto__=polluted\nconstructor=x\ntoString=y\n");
    expect(vars.get("__proto__")).toBe("polluted");
    expect(vars.get("constructor")).toBe("x");
    expect(vars.get("toString")).toBe("y");
    expect(vars.has("hasOwnProperty")).toBe(false);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});

describe("readDevVars and readLocalSecret", () => {
  it("read .dev.vars beside the wrangler configuration; the environment wins; remote never reads the file", async () => {
    const config = path.join(tmp, "wrangler.toml");
    await writeFile(path.join(tmp, ".dev.vars"), 'IP_HASH_SALT="salz aus der datei"\nPREVIEW_SECRET=\n');
    expect((await readDevVars(config)).get("IP_HASH_SALT")).toBe("salz aus der datei");
    expect(await readLocalSecret("IP_HASH_SALT", { remote: false, config }, {})).toBe("salz aus der datei");
    expect(await readLocalSecret("IP_HASH_SALT", { remote: false, config }, { IP_HASH_SALT: "aus der umgebung" })).toBe("aus der umgebung");
    expect(await readLocalSecret("IP_HASH_SALT", { remote: true, config }, {})).toBeNull();
    // Empty counts as unset, as a missing file does.
    expect(await readLocalSecret("PREVIEW_SECRET", { remote: false, config }, {})).toBeNull();
    expect(await readLocalSecret("IP_HASH_SALT", { remote: false, config: path.join(tmp, "none", "wrangler.toml") }, {})).toBeNull();
  });
});
