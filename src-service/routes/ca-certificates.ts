/** GET /ca/{root|issuing|ocsp}.cer — the CA certificates in DER (AIA caIssuers points here). */
import type { FastifyInstance } from 'fastify';
import type { CaService } from '../ca/ca-service.js';

export async function caCertificateRoutes(app: FastifyInstance, opts: { service: CaService }): Promise<void> {
  app.get<{ Params: { name: string } }>('/ca/:name', async (request, reply) => {
    const match = /^(root|issuing|ocsp)\.(cer|pem)$/.exec(request.params.name);
    if (!match) return reply.callNotFound();
    const member = opts.service.authority.member(match[1] as 'root' | 'issuing' | 'ocsp');
    if (match[2] === 'pem') return reply.type('application/x-pem-file').send(member.cert.toString('pem') + '\n');
    return reply.type('application/pkix-cert').header('cache-control', 'public, max-age=86400').send(Buffer.from(member.der));
  });
}
