/** OCSP over HTTP (RFC 6960 Appendix A): POST /ocsp with a DER body, GET /ocsp/{url-encoded base64}. */
import type { FastifyInstance } from 'fastify';
import type { CaService } from '../ca/ca-service.js';

const maxRequestBytes = 8 * 1024;

export async function ocspRoutes(app: FastifyInstance, opts: { service: CaService }): Promise<void> {
  app.addContentTypeParser('application/ocsp-request', { parseAs: 'buffer', bodyLimit: maxRequestBytes }, (_request, body, done) => done(null, body));
  const send = async (der: Uint8Array, reply: import('fastify').FastifyReply) =>
    reply.type('application/ocsp-response').send(Buffer.from(der.buffer, der.byteOffset, der.byteLength));

  app.post('/ocsp', async (request, reply) => {
    const body = request.body;
    const bytes = Buffer.isBuffer(body) ? new Uint8Array(body) : new Uint8Array(0);
    return send(await opts.service.ocsp.respond(bytes), reply);
  });

  app.get<{ Params: { '*': string } }>('/ocsp/*', async (request, reply) => {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(Buffer.from(decodeURIComponent(request.params['*']), 'base64'));
    } catch {
      bytes = new Uint8Array(0);
    }
    if (bytes.byteLength > maxRequestBytes) bytes = new Uint8Array(0);
    reply.header('cache-control', `public, max-age=${Math.floor((opts.service.config.ocsp.validityMinutes * 60) / 2)}`);
    return send(await opts.service.ocsp.respond(bytes), reply);
  });
}
