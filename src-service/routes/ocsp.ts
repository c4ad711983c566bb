/** OCSP over HTTP (RFC 6960 Appendix A): POST /ocsp with a DER body, GET /ocsp/{url-encoded base64}. */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { FastifyInstance, FastifyReply } from 'fastify';
import type { CaService } from '../ca/ca-service.js';

const maxRequestBytes = 8 * 1024;

/** PEM certificate chain and key for serving HTTPS directly. */
export interface TlsFiles {
  cert: Buffer;
  key: Buffer;
}

/**
 * Writes the DER answer straight to the socket: OCSP answers are pre-signed bytes, and going
 * around Fastify's reply pipeline (serialisers, onSend hooks) is a large share of a cached answer's cost.
 */
function sendDer(reply: FastifyReply, der: Uint8Array, cacheControl?: string): void {
  reply.hijack();
  const headers: Record<string, string | number> = { 'content-type': 'application/ocsp-response', 'content-length': der.byteLength };
  if (cacheControl) headers['cache-control'] = cacheControl;
  reply.raw.writeHead(200, headers);
  reply.raw.end(der);
}

export async function ocspRoutes(app: FastifyInstance, opts: { service: CaService }): Promise<void> {
  app.addContentTypeParser('application/ocsp-request', { parseAs: 'buffer', bodyLimit: maxRequestBytes }, (_request, body, done) => done(null, body));

  app.post('/ocsp', async (request, reply) => {
    const body = request.body;
    const bytes = Buffer.isBuffer(body) ? new Uint8Array(body.buffer, body.byteOffset, body.byteLength) : new Uint8Array(0);
    sendDer(reply, await opts.service.ocsp.respond(bytes, undefined, request.ip));
  });

  app.get<{ Params: { '*': string } }>('/ocsp/*', async (request, reply) => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(Buffer.from(decodeURIComponent(request.params['*']), 'base64'));
    } catch {
      bytes = new Uint8Array(0);
    }
    if (bytes.byteLength > maxRequestBytes) bytes = new Uint8Array(0);
    sendDer(reply, await opts.service.ocsp.respond(bytes, undefined, request.ip), `public, max-age=${Math.floor((opts.service.config.ocsp.validityMinutes * 60) / 2)}`);
  });
}

/** Who pays for a fresh signature: the socket's address, or behind our proxy the hop it appended last. */
function clientAddress(req: IncomingMessage, behindProxy: boolean): string {
  const forwarded = behindProxy ? req.headers['x-forwarded-for'] : undefined;
  const hops = (Array.isArray(forwarded) ? forwarded.join(',') : (forwarded ?? '')).split(',').map((h) => h.trim()).filter(Boolean);
  return hops.at(-1) ?? req.socket.remoteAddress ?? 'unknown';
}

/**
 * Fastify `serverFactory` that answers `POST /ocsp` before Fastify's router: the OCSP hot path
 * is a body read and a Map lookup, and routing, request decoration and the content-type parser
 * would cost several times that. Every other request (and `app.inject`) goes through Fastify and
 * the routes above, which answer the same way.
 */
export function ocspServerFactory(service: CaService, tls: TlsFiles | null = null, behindProxy = false): (handler: (req: IncomingMessage, res: ServerResponse) => void) => Server {
  const create = (listener: (req: IncomingMessage, res: ServerResponse) => void): Server => (tls ? createTlsServer(tls, listener) : createServer(listener));
  return (handler) =>
    create((req, res) => {
      if (req.method !== 'POST' || req.url !== '/ocsp' || req.headers['content-type'] !== 'application/ocsp-request') return handler(req, res);
      const declared = Number(req.headers['content-length'] ?? 0);
      if (declared > maxRequestBytes) return handler(req, res);
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (chunk: Buffer) => {
        size += chunk.length;
        if (size <= maxRequestBytes) chunks.push(chunk);
      });
      req.on('end', () => {
        if (size > maxRequestBytes) {
          res.writeHead(413, { 'content-type': 'application/problem+json' }).end(JSON.stringify({ code: 'INPUT_INVALID', title: 'Request too large', status: 413 }));
          return;
        }
        const body = chunks.length === 1 ? chunks[0]! : Buffer.concat(chunks);
        const bytes = new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
        const write = (der: Uint8Array) => {
          res.writeHead(200, { 'content-type': 'application/ocsp-response', 'content-length': der.byteLength });
          res.end(der);
        };
        const cached = service.ocsp.cachedAnswer(bytes);
        if (cached) return write(cached);
        service.ocsp.respond(bytes, undefined, clientAddress(req, behindProxy)).then(write, () => res.writeHead(500).end());
      });
    });
}
