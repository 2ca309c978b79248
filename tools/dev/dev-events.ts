// The dev command's Server-Sent Events: the reload script on each open page
// listens here (http://localhost:<port>/events) and reloads, or shows the
// file:line problem instead of the article. A page opened while a file is
// broken gets the problem at once.
import { createServer, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export type DevEvent = { type: "reload"; files: string[] } | { type: "problem"; lines: string[] };

export interface DevEvents {
  url: string;
  send(event: DevEvent): void;
  close(): Promise<void>;
}

/** Starts the event server on a free port of 127.0.0.1. */
export function startDevEvents(): Promise<DevEvents> {
  const clients = new Set<ServerResponse>();
  let problem: DevEvent | null = null;
  const write = (res: ServerResponse, event: DevEvent) => res.write(`event: ${event.type}\ndata: ${JSON.stringify(event)}\n\n`);
  const server = createServer((req, res) => {
    if (req.url !== "/events") {
      res.writeHead(404).end();
      return;
    }
    // The page comes from the blog's port: another origin.
    res.writeHead(200, { "Content-Type": "text/event-stream", "Cache-Control": "no-store", "Access-Control-Allow-Origin": "*" });
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
