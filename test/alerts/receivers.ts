import http from "node:http";
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";

/**
 * A real HTTP receiver and a real SMTP server for the alert tests, vitest's and the browser's
 * (e2e/alerts.spec.ts): nothing here imports server-only code.
 */
export interface ReceivedRequest {
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
  at: number;
}

export interface Receiver {
  url: string;
  requests: ReceivedRequest[];
  /** What to answer a path with (default 200 "ok"); `hang` never answers. */
  respond: (path: string, handler: (req: ReceivedRequest, res: http.ServerResponse) => void | "hang") => void;
  /** Resolves when `n` requests to `path` arrived. */
  waitFor: (path: string, n: number) => Promise<ReceivedRequest[]>;
  close: () => Promise<void>;
}

/** A real HTTP receiver on a free port, recording every request. */
export async function startReceiver(): Promise<Receiver> {
  const requests: ReceivedRequest[] = [];
  const handlers = new Map<string, (req: ReceivedRequest, res: http.ServerResponse) => void | "hang">();
  const waiters: { path: string; n: number; resolve: (r: ReceivedRequest[]) => void }[] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const path = req.url ?? "/";
      const received = { path, headers: req.headers, body: Buffer.concat(chunks).toString("utf8"), at: Date.now() };
      requests.push(received);
      for (const w of [...waiters]) {
        const matching = requests.filter((r) => r.path === w.path);
        if (matching.length >= w.n) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve(matching);
        }
      }
      const handler = handlers.get(path);
      if (handler) {
        if (handler(received, res) === "hang") return;
      } else {
        res.writeHead(200, { "content-type": "text/plain" }).end("ok");
      }
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    respond: (path, handler) => handlers.set(path, handler),
    waitFor: (path, n) =>
      new Promise((resolve) => {
        const matching = requests.filter((r) => r.path === path);
        if (matching.length >= n) resolve(matching);
        else waiters.push({ path, n, resolve });
      }),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export interface SmtpReceiver {
  port: number;
  messages: ParsedMail[];
  raw: string[];
  waitFor: (n: number) => Promise<ParsedMail[]>;
  close: () => Promise<void>;
}

/** A real SMTP server (smtp-server) on a free port that accepts every message and parses it (mailparser). */
export async function startSmtp(): Promise<SmtpReceiver> {
  const messages: ParsedMail[] = [];
  const raw: string[] = [];
  const waiters: { n: number; resolve: (m: ParsedMail[]) => void }[] = [];
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ["STARTTLS"],
    logger: false,
    onData(stream, _session, callback) {
      const chunks: Buffer[] = [];
      stream.on("data", (c: Buffer) => chunks.push(c));
      stream.on("end", () => {
        const text = Buffer.concat(chunks).toString("utf8");
        raw.push(text);
        simpleParser(text)
          .then((mail) => {
            messages.push(mail);
            for (const w of [...waiters]) {
              if (messages.length >= w.n) {
                waiters.splice(waiters.indexOf(w), 1);
                w.resolve(messages);
              }
            }
            callback();
          })
          .catch((error: unknown) => callback(error instanceof Error ? error : new Error(String(error))));
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.server.address() as AddressInfo;
  return {
    port: address.port,
    messages,
    raw,
    waitFor: (n) =>
      new Promise((resolve) => {
        if (messages.length >= n) resolve(messages);
        else waiters.push({ n, resolve });
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
