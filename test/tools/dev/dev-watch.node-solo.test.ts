// `npm run dev`: a saved file is republished and served within two seconds,
// however the editor saves it (renaming a temporary file over it, writing in
// place, deleting and recreating it, a new file in a new folder), the open
// page's event stream says to reload, a broken file's file:line message reaches
// the terminal and the page, and a deleted file's article stays until a prune.
// Runs tools/dev.ts as `npm run dev` does, with its own content and local D1.
import { rename, unlink, writeFile } from "node:fs/promises";
import path from "node:path";
import { setTimeout as delay } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { articleText, type DevCommand, listenToEvents, SAVE_WAYS, saveTarget, startDevCommand, until } from "../helpers/dev-command";

let dev: DevCommand | undefined;
let file = "";

function started(): DevCommand {
  if (!dev) throw new Error("npm run dev was not started");
  return dev;
}

async function getPage(slug = "probe"): Promise<{ status: number; text: string; csp: string | null }> {
  const res = await fetch(`${started().origin}/articles/${slug}`, { signal: AbortSignal.timeout(5_000) });
  return { status: res.status, text: await res.text(), csp: res.headers.get("Content-Security-Policy") };
}

/** Waits (at most two seconds, the dev loop's bound) until the page of `slug` shows `text`; returns the milliseconds. */
async function served(slug: string, text: string, since: number): Promise<number> {
  await until(`"${text}" on /articles/${slug}`, 2_000, async () => ((await getPage(slug)).text.includes(text) ? true : null), dev);
  return Date.now() - since;
}

beforeAll(async () => {
  dev = await startDevCommand({ "probe.md": articleText("Probe", "First text of the probe.") }, "/articles/probe");
  file = path.join(dev.content, "probe.md");
}, 180_000);

afterAll(async () => {
  await dev?.stop();
});

describe("npm run dev", () => {
  it("serves a saved file within two seconds and tells the open page to reload", async () => {
    const first = await getPage();
    const events = /<script src="\/assets\/dev-reload\.[a-z0-9]+\.js" data-events="(http:\/\/localhost:\d+\/events)"/.exec(first.text)?.[1];
    expect(events).toBeDefined();
    // The reload script may reach the event server, and only it.
    expect(first.csp).toContain(`connect-src ${new URL(events ?? "").origin}`);
    // The banner names the port the blog runs on.
    expect(started().output()).toContain(`Starting the blog on http://localhost:${new URL(started().origin).port};`);
    const stream = listenToEvents(events ?? "");
    await delay(300);
    const savedAt = Date.now();
    await writeFile(file, articleText("Probe", "Second text, saved while the page was open."));
    expect(await served("probe", "Second text, saved", savedAt)).toBeLessThan(2_000);
    await until("the reload event", 2_000, async () => (stream.text().includes("event: reload") ? true : null), dev);
    stream.stop();
  });

  it("reports a broken file as file:line in the terminal and on the page's event stream", async () => {
    const stream = listenToEvents((/data-events="([^"]+)"/.exec((await getPage()).text) ?? [])[1] ?? "");
    await delay(300);
    await writeFile(file, articleText("Probe", "Text.", "titel: Tippfehler\n"));
    // The event carries the lines as JSON, where the quotes around "title" are escaped.
    const message = "probe.md:3: titel: unknown field; did you mean";
    await until("the problem in the terminal", 3_000, async () => (started().output().includes(message) ? true : null), dev);
    await until("the problem event", 3_000, async () => (stream.text().includes("event: problem") && stream.text().includes(message) ? true : null), dev);
    stream.stop();
    // A page opened while the file is broken learns of it at once.
    const late = listenToEvents((/data-events="([^"]+)"/.exec((await getPage()).text) ?? [])[1] ?? "");
    await until("the problem for a new page", 2_000, async () => (late.text().includes(message) ? true : null), dev);
    late.stop();
    // The stored article stays as it was.
    expect((await getPage()).text).toContain("Second text, saved");
    // Wrangler's bindings table is printed once, not once per start of a Miniflare.
    expect(
      started()
        .output()
        .match(/following bindings/g)?.length ?? 0,
    ).toBeLessThanOrEqual(1);
    // Mended, so that the next saves publish (every file is validated on each publish).
    await writeFile(file, articleText("Probe", "Third text, mended."));
    await served("probe", "Third text, mended.", Date.now());
  });

  it.each(SAVE_WAYS.map((way) => [way.name, way.editors, way] as const))(
    "follows a file saved by %s (%s): every save of three in a row is served within two seconds",
    async (name, _editors, way) => {
      for (let i = 1; i <= 3; i++) {
        const { file, slug } = saveTarget(started().content, way, i);
        const savedAt = Date.now();
        await way.save(file, articleText(`Weg ${i}`, `Save number ${i} by ${name}.`));
        await served(slug, `Save number ${i} by ${name}.`, savedAt);
        // The next save must not fall into the same quiet spell.
        await delay(300);
      }
    },
  );

  it("follows a renamed file: the article is renamed (same id), and the old address leads to the new one", async () => {
    const old = path.join(started().content, "alter-name.md");
    await writeFile(old, articleText("Alter Name", "Text unter altem Namen."));
    await served("alter-name", "Text unter altem Namen.", Date.now());
    await rename(old, path.join(started().content, "neuer-name.md"));
    await served("neuer-name", "Text unter altem Namen.", Date.now());
    await until("the rename in the plan", 2_000, async () => (started().output().includes("renamed") ? true : null), dev);
    // The old slug answers 301 to the new one (fetch follows it).
    const moved = await getPage("alter-name");
    expect(moved.status).toBe(200);
    expect(moved.text).toContain("Text unter altem Namen.");
  });

  it("keeps a deleted file's article and says it stays in the local D1 until an explicit prune", async () => {
    const doomed = path.join(started().content, "geloescht.md");
    await writeFile(doomed, articleText("Gelöscht", "Bald ohne Datei."));
    await served("geloescht", "Bald ohne Datei.", Date.now());
    await unlink(doomed);
    const line = await until(
      "the deletion notice",
      2_000,
      async () =>
        started()
          .output()
          .split("\n")
          .find((l) => l.includes("geloescht.md. Its article")) ?? null,
      dev,
    );
    expect(line).toMatch(
      /^Deleted: .*geloescht\.md\. Its article "geloescht" stays on the local site until you take it offline with `npm run publish -- --local --prune --content \S+ --persist-to \S+` \(it keeps it and its comments in D1\); restore the file to keep it\.$/,
    );
    await delay(500);
    const page = await getPage("geloescht");
    expect(page.status).toBe(200);
    expect(page.text).toContain("Bald ohne Datei.");
  });
});
