/**
 * The renewal protocol v1 (docs/protocol.md) as one encapsulated Fastify plugin: its own body
 * limit, CMS content type, rate limits, overload shedding and problem+json handler.
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { eligibilityRequestSchema } from '../../../src-shared/contract/protocol/eligibility.js';
import { installedRequestSchema } from '../../../src-shared/contract/protocol/order.js';
import { cmsContentType } from '../../../src-shared/contract/protocol/problem.js';
import { fromBase64 } from '../../../src-shared/pki/encoding.js';
import type { CaService } from '../../ca/ca-service.js';
import { createChallenge } from '../../renewal/challenges.js';
import { assessCertificate } from '../../renewal/eligibility.js';
import { authorizedOrder, confirmInstalled, orderView } from '../../renewal/holder-access.js';
import { invoicePdf } from '../../renewal/invoice-view.js';
import { pickUp } from '../../renewal/pickup.js';
import { placeOrder } from '../../renewal/place-order.js';
import { admitRequests, InFlight, type RateLimitOptions } from '../../renewal/rate-limit.js';
import { renewalContext, type RenewalContext } from '../../renewal/renewal-context.js';
import { renewalErrorHandler } from '../../renewal/renewal-problem.js';
import { cmpRoutes } from '../cmp-route.js';

export interface RenewalRoutesOptions {
  service: CaService;
  /** Prebuilt context (tests inject a clock); built from the service otherwise. */
  context?: RenewalContext;
  rateLimit?: RateLimitOptions;
  maxInFlight?: number;
  /** Largest request body; signed requests are a few KB. */
  bodyLimit?: number;
}

function parseJson<T>(schema: { safeParse(v: unknown): { success: true; data: T } | { success: false; error: { issues: { path: PropertyKey[]; message: string }[] } } }, body: unknown): T {
  const parsed = schema.safeParse(body);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ObnovaError('INPUT_INVALID', `request invalid: ${first ? `${first.path.join('.')}: ${first.message}` : '?'}`);
  }
  return parsed.data;
}

function cmsBody(request: FastifyRequest): Uint8Array {
  if (!Buffer.isBuffer(request.body)) throw new ObnovaError('RENEWAL_MEDIA_TYPE_UNSUPPORTED', `signed requests are ${cmsContentType}`);
  return new Uint8Array(request.body);
}

function bearer(request: FastifyRequest): string | undefined {
  const h = request.headers.authorization;
  return h?.startsWith('Bearer ') ? h.slice(7).trim() : undefined;
}

function noStore(reply: FastifyReply): FastifyReply {
  return reply.header('Cache-Control', 'no-store');
}

/** Registers /v1/* plus /healthz and /readyz. */
export async function renewalRoutes(app: FastifyInstance, options: RenewalRoutesOptions): Promise<void> {
  const ctx = options.context ?? (await renewalContext(options.service));
  const limit = options.rateLimit ?? { limit: 600, windowSeconds: 60 };
  const admit = admitRequests(ctx.db, new InFlight(options.maxInFlight ?? 256), limit);
  const bodyLimit = options.bodyLimit ?? 256 * 1024;

  app.setErrorHandler(renewalErrorHandler);
  app.addContentTypeParser([cmsContentType, 'application/cms'], { parseAs: 'buffer', bodyLimit }, (_req, body, done) => done(null, body));

  app.get('/healthz', async () => ({ status: 'ok' }));
  app.get('/readyz', async (_request, reply) => {
    try {
      await ctx.db.selectFrom('renewal_challenges').select('nonce').limit(1).execute();
      return { status: 'ready' };
    } catch {
      return reply.status(503).header('Retry-After', '5').send({ status: 'not-ready' });
    }
  });

  await app.register(
    async (v1) => {
      v1.setErrorHandler(renewalErrorHandler);
      v1.addHook('onRequest', admit);
      // Request log without personal data: method, route pattern, status, time, and the order id only.
      v1.addHook('onResponse', async (request, reply) => {
        const params = request.params as { id?: string } | undefined;
        request.log.info({ method: request.method, route: request.routeOptions.url, status: reply.statusCode, ms: Math.round(reply.elapsedTime), orderId: params?.id ?? null }, 'renewal');
      });

      v1.get('/policy', async (_request, reply) => noStore(reply).header('Cache-Control', 'public, max-age=300').send(ctx.policy));

      v1.post('/challenges', async (_request, reply) => noStore(reply).status(201).send(await createChallenge(ctx.db, ctx.policy.challengeTtlSeconds, ctx.now())));

      v1.post('/eligibility', { bodyLimit }, async (request, reply) => {
        const input = parseJson(eligibilityRequestSchema, request.body);
        const { response } = await assessCertificate(ctx.db, ctx.issuing, ctx.policy, fromBase64(input.certificate), ctx.now());
        return noStore(reply).send(response);
      });

      v1.post('/orders', { bodyLimit }, async (request, reply) => {
        const { created, value } = await placeOrder(ctx, cmsBody(request));
        return noStore(reply).status(created ? 201 : 200).send(value);
      });

      v1.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) => {
        const order = await authorizedOrder(ctx, request.params.id, bearer(request));
        return noStore(reply).send(await orderView(ctx, order));
      });

      v1.get<{ Params: { id: string } }>('/orders/:id/invoice.pdf', async (request, reply) => {
        const order = await authorizedOrder(ctx, request.params.id, bearer(request));
        const pdf = await invoicePdf(ctx.policy, order);
        return noStore(reply).type('application/pdf').header('Content-Disposition', `inline; filename="${order.invoiceNumber}.pdf"`).send(Buffer.from(pdf));
      });

      v1.post<{ Params: { id: string } }>('/orders/:id/certificate', { bodyLimit }, async (request, reply) => {
        return noStore(reply).send(await pickUp(ctx, request.params.id, cmsBody(request)));
      });

      v1.post<{ Params: { id: string } }>('/orders/:id/installed', { bodyLimit }, async (request, reply) => {
        const order = await authorizedOrder(ctx, request.params.id, bearer(request));
        const input = parseJson(installedRequestSchema, request.body);
        const done = await confirmInstalled(ctx, order, input.serial);
        return noStore(reply).send({ orderId: done.id, status: done.status });
      });
    },
    { prefix: '/v1' },
  );
  await app.register(cmpRoutes, { context: ctx, admit });
}
