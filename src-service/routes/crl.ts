/** GET /crl/{root|issuing}.crl — the current signed CRL (RFC 5280 §5, served as application/pkix-crl). */
import type { FastifyInstance } from 'fastify';
import type { CaService } from '../ca/ca-service.js';

export async function crlRoutes(app: FastifyInstance, opts: { service: CaService }): Promise<void> {
  app.get<{ Params: { name: string } }>('/crl/:name', async (request, reply) => {
    const match = /^(root|issuing)\.crl$/.exec(request.params.name);
    if (!match) return reply.callNotFound();
    const crl = await opts.service.crl.get(match[1] as 'root' | 'issuing');
    const maxAge = Math.max(0, Math.floor((crl.nextUpdate.getTime() - Date.now()) / 1000));
    return reply
      .type('application/pkix-crl')
      .header('cache-control', `public, max-age=${Math.min(maxAge, opts.service.config.crl.refreshMinutes * 60)}`)
      .header('last-modified', crl.thisUpdate.toUTCString())
      .send(Buffer.from(crl.der));
  });
}
