/**
 * The OCSP load generator used for both responders: keep-alive HTTP/1.1 POSTs of pre-built
 * DER requests from a fixed number of concurrent workers for a fixed time, on loopback.
 */
import http from 'node:http';

export interface LoadResult {
  requests: number;
  errors: number;
  seconds: number;
  perSecond: number;
  /** Responses whose first bytes were not a successful OCSPResponse. */
  unsuccessful: number;
}

/** True when the DER OCSPResponse has responseStatus successful (0). */
function successful(body: Buffer): boolean {
  // SEQUENCE (short or long length) then ENUMERATED 0
  const offset = (body[1] ?? 0) & 0x80 ? 2 + ((body[1] ?? 0) & 0x7f) : 2;
  return body[offset] === 0x0a && body[offset + 1] === 0x01 && body[offset + 2] === 0x00;
}

/** Sends requests round-robin from `bodies` to `url` with `concurrency` workers for `seconds`. */
export async function runLoad(url: string, bodies: Buffer[], concurrency: number, seconds: number): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: concurrency });
  const target = new URL(url);
  const deadline = Date.now() + seconds * 1000;
  let requests = 0;
  let errors = 0;
  let unsuccessful = 0;
  let next = 0;
  const once = (body: Buffer) =>
    new Promise<void>((resolve) => {
      const req = http.request(
        { host: target.hostname, port: target.port, path: target.pathname, method: 'POST', agent, headers: { 'content-type': 'application/ocsp-request', 'content-length': body.length } },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            if (res.statusCode === 200) {
              requests++;
              if (!successful(Buffer.concat(chunks))) unsuccessful++;
            } else errors++;
            resolve();
          });
        },
      );
      req.on('error', () => {
        errors++;
        resolve();
      });
      req.end(body);
    });
  const started = process.hrtime.bigint();
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (Date.now() < deadline) await once(bodies[next++ % bodies.length]!);
    }),
  );
  const elapsed = Number(process.hrtime.bigint() - started) / 1e9;
  agent.destroy();
  return { requests, errors, unsuccessful, seconds: elapsed, perSecond: requests / elapsed };
}
