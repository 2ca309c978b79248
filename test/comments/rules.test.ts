import { describe, expect, it } from "vitest";
import { retryDelaySeconds } from "../../src/comments/consumer";
import { listDisallowedIps, type ModerationContext, moderateComment } from "../../src/comments/rules";
import { parseWordList } from "../../src/config";
import { lookalikeEmails, lookalikeNames, UNLIKE_EMAILS, UNLIKE_NAMES } from "../helpers/lookalikes";

const base: ModerationContext = {
  mode: "all",
  maxLinks: 2,
  disallowedWords: [],
  moderationWords: [],
  ipDisallowed: false,
  approvedBefore: false,
  editor: { name: "Agenturteam", email: "editor@agentur.example" },
};
const input = { author: "Erika", email: "erika@example.com", url: null, text: "Hallo", linkCount: 0 };

describe("moderateComment", () => {
  it.each([
    ["everything waits by default", input, base, "pending", []],
    [
      "a disallowed word in the name is spam",
      { ...input, author: "Casino King" },
      { ...base, disallowedWords: ["casino"] },
      "spam",
      [{ code: "disallowed_word", field: "author", word: "casino" }],
    ],
    [
      "a disallowed word in the e-mail is spam",
      input,
      { ...base, disallowedWords: ["example.com"] },
      "spam",
      [{ code: "disallowed_word", field: "email", word: "example.com" }],
    ],
    [
      "a disallowed word in the website is spam",
      { ...input, url: "https://pills.example/" },
      { ...base, disallowedWords: ["pills"] },
      "spam",
      [{ code: "disallowed_word", field: "url", word: "pills" }],
    ],
    ["a disallowed IP is spam", input, { ...base, ipDisallowed: true }, "spam", [{ code: "disallowed_ip" }]],
    ["links below the limit pass", { ...input, linkCount: 1 }, base, "pending", []],
    ["links at the limit are a reason", { ...input, linkCount: 2 }, base, "pending", [{ code: "too_many_links", count: 2, limit: 2 }]],
    ["a link limit of 0 is off", { ...input, linkCount: 50 }, { ...base, maxLinks: 0 }, "pending", []],
    [
      "a moderation word is a reason",
      { ...input, text: "Günstiger KREDIT" },
      { ...base, moderationWords: ["kredit"] },
      "pending",
      [{ code: "moderation_word", field: "comment", word: "kredit" }],
    ],
    ["first_time approves a known author", input, { ...base, mode: "first_time", approvedBefore: true }, "approved", []],
    ["first_time holds a new author", input, { ...base, mode: "first_time" }, "pending", []],
    [
      "first_time still holds a known author's comment with reasons",
      { ...input, linkCount: 3 },
      { ...base, mode: "first_time", approvedBefore: true },
      "pending",
      [{ code: "too_many_links", count: 3, limit: 2 }],
    ],
    ["all holds even a known author", input, { ...base, approvedBefore: true }, "pending", []],
  ] as const)("%s", (_, comment, ctx, status, reasons) => {
    const verdict = moderateComment(comment, { ...ctx, disallowedWords: [...ctx.disallowedWords], moderationWords: [...ctx.moderationWords] });
    expect(verdict.status).toBe(status);
    expect(verdict.reasons).toEqual(reasons);
  });
});

describe("comments that pass for the editor's", () => {
  const knownReader = { ...base, mode: "first_time" as const, approvedBefore: true };

  it("holds the editor's own name and e-mail, with a reason, even for a known author", () => {
    const verdict = moderateComment({ ...input, author: "Agenturteam", email: "editor@agentur.example" }, knownReader);
    expect(verdict.status).toBe("pending");
    expect(verdict.reasons).toEqual([
      { code: "editor_identity", field: "author" },
      { code: "editor_identity", field: "email" },
    ]);
  });

  const names = lookalikeNames("Agenturteam");
  it(`holds every generated look-alike of the editor's name (${names.length})`, () => {
    expect(names.length).toBeGreaterThan(60);
    const passed = names.filter((author) => moderateComment({ ...input, author }, knownReader).status !== "pending");
    expect(passed.map((n) => JSON.stringify(n))).toEqual([]);
    for (const author of names) expect(moderateComment({ ...input, author }, knownReader).reasons).toContainEqual({ code: "editor_identity", field: "author" });
  });

  const emails = lookalikeEmails("editor@agentur.example");
  it(`holds every generated look-alike of the editor's e-mail (${emails.length})`, () => {
    expect(emails.length).toBeGreaterThan(15);
    for (const email of emails) {
      expect(moderateComment({ ...input, email }, knownReader).reasons, JSON.stringify(email)).toEqual([{ code: "editor_identity", field: "email" }]);
    }
  });

  it("lets other names and addresses through, and spam stays spam", () => {
    for (const author of UNLIKE_NAMES) expect(moderateComment({ ...input, author }, knownReader), author).toEqual({ status: "approved", reasons: [] });
    for (const email of UNLIKE_EMAILS("editor@agentur.example")) expect(moderateComment({ ...input, email }, knownReader).status, email).toBe("approved");
    const spam = moderateComment({ ...input, author: "Agenturteam", text: "casino" }, { ...knownReader, disallowedWords: ["casino"] });
    expect(spam.status).toBe("spam");
  });
});

describe("settings helpers", () => {
  it("reads word lists one per line or comma-separated, case-folded", () => {
    expect(parseWordList(" Viagra \n\ncasino, Kredit ")).toEqual(["viagra", "casino", "kredit"]);
    expect(parseWordList(undefined)).toEqual([]);
  });

  it("finds IP addresses in the disallowed list", () => {
    expect(listDisallowedIps(["spam", "192.0.2.1", "2001:db8::1", "casino"])).toEqual(["192.0.2.1", "2001:db8::1"]);
  });

  it("backs off exponentially up to ten minutes", () => {
    expect([1, 2, 3, 4, 10].map(retryDelaySeconds)).toEqual([10, 20, 40, 80, 600]);
  });
});
