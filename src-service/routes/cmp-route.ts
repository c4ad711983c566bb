/**
 * `POST /.well-known/cmp` (HTTP transfer of RFC 6712 / RFC 9811): a DER PKIMessage in, a DER
 * PKIMessage out, both `application/pkixcmp`. CMP-level refusals are CMP error messages with
 * HTTP 200 (what CMP clients such as `openssl cmp` read); only a body that is not CMP at all
 * (wrong media type, too large) gets a plain HTTP error.
 */
import { OctetString } from '@peculiar/asn1-schema';
import type { FastifyInstance } from 'fastify';
import { cmpContentType, directoryName, maxCmpMessageBytes } from '../../src-shared/pki/cmp/cmp-message.js';
import { fromHex, toArrayBuffer } from '../../src-shared/pki/encoding.js';
import { softwareSigner, type SubtleSigner } from '../../src-shared/pki/signer.js';
import type { CmpResponder } from '../renewal/cmp/cmp-envelope.js';
import { handleCmpRequest } from '../renewal/cmp/cmp-server.js';
import type { AdmitHook } from '../renewal/rate-limit.js';
import type { RenewalContext } from '../renewal/renewal-context.js';
import { renewalErrorHandler } from '../renewal/renewal-problem.js';

export interface CmpRouteOptions {
  context: RenewalContext;
  /** The same in-flight cap and rate limit as /v1 (admitRequests), shared with it. */
  admit: AdmitHook;
}

/** The CA answers with the issuing CA key in the HSM; its certificate (then the root) goes in extraCerts. */
export function cmpResponder(ctx: RenewalContext): CmpResponder {
  const issuing = ctx.ca.authority.issuing;
  const signer = softwareSigner(issuing.signer.privateKey, { subtle: issuing.signer.webCrypto.subtle as unknown as SubtleSigner });
  const ski = ctx.issuing.subjectKeyIdentifier;
  return {
    signer,
    chain: [issuing.der, ctx.ca.authority.root.der],
    sender: directoryName(issuing.der),
    senderKID: ski ? new OctetString(toArrayBuffer(fromHex(ski))) : undefined,
  };
}

export async function cmpRoutes(app: FastifyInstance, options: CmpRouteOptions): Promise<void> {
  const ctx = options.context;
  const responder = cmpResponder(ctx);
  app.setErrorHandler(renewalErrorHandler);
  app.addContentTypeParser(cmpContentType, { parseAs: 'buffer', bodyLimit: maxCmpMessageBytes }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', options.admit);
  app.post('/.well-known/cmp', async (request, reply) => {
    if (!Buffer.isBuffer(request.body)) {
      return reply.status(415).type('text/plain').send(`CMP requests are ${cmpContentType}`);
    }
    const outcome = await handleCmpRequest(ctx, responder, new Uint8Array(request.body));
    if (outcome.internal) request.log.error({ err: outcome.internal }, 'CMP request failed');
    request.log.info({ method: 'POST', route: '/.well-known/cmp', answer: outcome.type, code: outcome.code ?? null, ms: Math.round(reply.elapsedTime) }, 'cmp');
    return reply.status(200).header('Cache-Control', 'no-store').type(cmpContentType).send(Buffer.from(outcome.der));
  });
}
