/** A loopback node:http server whose answers a test scripts one by one, recording each request. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: Buffer;
  at: number;
}

export type Answer = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

export interface LocalServer {
  url: string;
  seen: Seen[];
  /** Queue answers in order; when the queue is empty the fallback answers. */
  push(...answers: Answer[]): void;
  close(): Promise<void>;
}

export async function startLocalServer(fallback: Answer): Promise<LocalServer> {
  const queue: Answer[] = [];
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      seen.push({ method: req.method ?? '', url: req.url ?? '', headers: req.headers, body, at: Date.now() });
      (queue.shift() ?? fallback)(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    push: (...answers) => queue.push(...answers),
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

export const problem = (status: number, code: string, headers: Record<string, string> = {}): Answer => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/problem+json', ...headers });
  res.end(JSON.stringify({ code, title: `refused: ${code}`, status }));
};

export const jsonAnswer = (value: unknown, status = 200): Answer => (_req, res) => {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(value));
};

/** Drops the connection without an answer (what a crashing proxy does). */
export const hangUp: Answer = (req) => req.socket.destroy();
