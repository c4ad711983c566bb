/**
 * A proxy in front of the renewal service that a test can make refuse, drop or hold back requests —
 * the service busy, stopped or stalled — while everything it lets through reaches the real service.
 */
import { createServer, type IncomingMessage, request as httpRequest, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Answers (or drops, or keeps) a request itself and returns true; false passes it on to the service. */
export type Intercept = (req: IncomingMessage, res: ServerResponse) => boolean;

export interface ServiceProxy {
  url: string;
  close(): Promise<void>;
}

export async function startServiceProxy(upstreamUrl: string, intercept: Intercept): Promise<ServiceProxy> {
  const upstream = new URL(upstreamUrl);
  const server = createServer((req, res) => {
    if (intercept(req, res)) return;
    const forward = httpRequest({ host: upstream.hostname, port: upstream.port, path: req.url, method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    req.pipe(forward);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: async () => {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
