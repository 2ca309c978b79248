// The one parser of --local, --remote, --persist-to and --config: every
// command gets the same target and the same message for the same flag.
import { describe, expect, it } from "vitest";
import { runBackup } from "../../../tools/backup/backup-command";
import { runComments } from "../../../tools/comments/comments-command";
import { readTargetFlags, TARGET_MESSAGES, takeTargetFlags } from "../../../tools/lib/target-flags";
import { parsePreviewArgs } from "../../../tools/preview/preview-args";
import { parsePublishArgs } from "../../../tools/publish/publish-args";
import { parseImportArgs } from "../../../tools/wordpress/import-args";

/** The target (as JSON) or the message that the parsing commands make of the flags. */
function everyParser(flags: string[]): string[] {
  const messageOf = (parsed: unknown) => (typeof parsed === "string" ? parsed : JSON.stringify((parsed as { target: unknown }).target));
  const dev = takeTargetFlags(flags);
  return [
    messageOf(parsePublishArgs(flags)),
    messageOf(parsePreviewArgs([...flags, "content/x.md"])),
    messageOf(parseImportArgs([...flags, "export.xml"])),
    typeof dev === "string" ? dev : JSON.stringify(dev.target),
  ];
}

/** The message each command gives for flags it refuses (the runners stop before wrangler). */
async function everyCommand(flags: string[]): Promise<string[]> {
  const lines: string[] = [];
  const io = { out: (l: string) => lines.push(l), err: (l: string) => lines.push(l) };
  const messageOf = (parsed: unknown) => (typeof parsed === "string" ? parsed : JSON.stringify((parsed as { target: unknown }).target));
  const results = [
    messageOf(parsePublishArgs(flags)),
    messageOf(parsePreviewArgs([...flags, "content/x.md"])),
    messageOf(parseImportArgs([...flags, "export.xml"])),
  ];
  lines.length = 0;
  await runComments(["list", ...flags], { out: () => {}, err: (l) => lines.push(l) });
  results.push(lines[0] ?? "");
  lines.length = 0;
  await runBackup(flags, io);
  results.push(lines[0] ?? "");
  const dev = takeTargetFlags(flags);
  results.push(typeof dev === "string" ? dev : JSON.stringify(dev.target));
  return results;
}

describe("the target flags", () => {
  it("refuse --local with --remote, the same words in every command", async () => {
    expect(new Set(await everyCommand(["--local", "--remote"]))).toEqual(new Set([TARGET_MESSAGES.localAndRemote]));
  });

  it("refuse --persist-to with --remote, the same words in every command that has it", async () => {
    const messages = await everyCommand(["--remote", "--persist-to", "state"]);
    // wrangler d1 export has no --persist-to: backup says so instead.
    expect(messages[4]).toMatch(/^--persist-to: wrangler d1 export reads only/);
    expect(new Set(messages.filter((_, i) => i !== 4))).toEqual(new Set([TARGET_MESSAGES.persistToRemote]));
  });

  it("refuse an empty path, and take prototype names as plain paths", async () => {
    expect(readTargetFlags({ "persist-to": "" })).toBe(TARGET_MESSAGES.persistToEmpty);
    expect(readTargetFlags({ config: "" })).toBe(TARGET_MESSAGES.configEmpty);
    expect(readTargetFlags({ "persist-to": true })).toBe(TARGET_MESSAGES.persistToEmpty);
    const target = { remote: false, persistTo: "__proto__", config: "constructor" };
    for (const result of everyParser(["--persist-to", "__proto__", "-c", "constructor"])) expect(JSON.parse(result)).toEqual(target);
    expect(readTargetFlags({ remote: true, config: "toString" })).toEqual({ remote: true, config: "toString" });
    expect(Object.getPrototypeOf(readTargetFlags({}))).toBe(Object.prototype);
  });

  it("leave the rest of the command line to wrangler dev, in order", () => {
    const argv = ["--ip", "127.0.0.1", "--persist-to=state", "--port", "8788", "-c", "other.toml", "--local", "--var", "A:b"];
    expect(takeTargetFlags(argv)).toEqual({
      target: { remote: false, persistTo: "state", config: "other.toml" },
      rest: ["--ip", "127.0.0.1", "--port", "8788", "--var", "A:b"],
    });
    expect(takeTargetFlags(["--persist-to"])).toBe(TARGET_MESSAGES.persistToEmpty);
    expect(takeTargetFlags(["--persist-to", "--ip"])).toBe(TARGET_MESSAGES.persistToEmpty);
    expect(takeTargetFlags(["--remote"], { remoteUnsupported: "local only" })).toBe("local only");
  });
});
