// The dev command's Server-Sent Events: the reload script on each open page
// listens here (http://localhost:<port>/events) and reloads, or shows the
// file:line problem instead of the article. A page opened while a file is
// broken gets the problem at once.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

type DevEvent = { type: "reload"; files: string[] } | { type: "problem"; lines: string[] };

export interface DevEvents {
  url: string;
  send(event: DevEvent): void;
  close(): Promise<void>;
}

/** Where the blog runs locally: its port, and SITE_URL when one is set. */
export interface BlogAddress {
  port: number;
  siteUrl?: string;
}

const LOOPBACK_HOST = /^(?:localhost|[a-z0-9-]+(?:\.[a-z0-9-]+)*\.localhost|127\.0\.0\.1|\[::1\])$/;

/**
 * Whether a page of this origin is the blog's own: the blog's port on a
 * loopback name, or SITE_URL's origin. Any other site open in the browser
 * must not read the stream (file names, the lines of a broken file).
 */
export function isBlogOrigin(origin: string, blog: BlogAddress): boolean {
  if (blog.siteUrl && URL.canParse(blog.siteUrl) && new URL(blog.siteUrl).origin === origin) return true;
  if (!URL.canParse(origin)) return false;
  const url = new URL(origin);
  return url.origin === origin && url.protocol === "http:" && url.port === String(blog.port) && LOOPBACK_HOST.test(url.hostname);
}

/** Starts the event server on a free port of 127.0.0.1, for the blog's own pages only. */
export function startDevEvents(blog: BlogAddress): Promise<DevEvents> {
  const clients = new Set<ServerResponse>();
  let problem: DevEvent | null = null;
  const write = (res: ServerResponse, event: DevEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  const server = createServer((req, res) => {
    if (req.url !== "/events") {
      res.writeHead(404).end();
      return;
    }
    // The page comes from the blog's port, another origin: only that origin may read the stream.
    const origin = req.headers.origin;
    if (origin !== undefined && !isBlogOrigin(origin, blog)) {
      res.writeHead(403, { "Content-Type": "text/plain; charset=utf-8" }).end("only the blog's own pages may listen here\n");
      return;
    }
    const cors = origin === undefined ? {} : { "Access-Control-Allow-Origin": origin, Vary: "Origin" };
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", ...cors });
    res.write("retry: 500\n\n");
    if (problem) write(res, problem);
    clients.add(res);
    req.on("close", () => clients.delete(res));
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        url: `http://localhost:${port}/events`,
        send: (event) => {
          problem = event.type === "problem" ? event : null;
          for (const res of clients) write(res, event);
        },
        close: () =>
          new Promise((done) => {
            for (const res of clients) res.end();
            server.close(() => done());
          }),
      });
    });
  });
}
