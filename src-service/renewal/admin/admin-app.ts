/**
 * The back-office API: a separate Fastify app on its own port, bound to loopback, every request
 * with the admin bearer token. The public app never registers these routes.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Registry } from 'prom-client';
import { z } from 'zod';
import { ObnovaError } from '../../../src-shared/contract/errors.js';
import { orderStatusSchema } from '../../../src-shared/contract/protocol/order.js';
import { markPaid, moveOrder } from '../admin-actions.js';
import { cardDelivered, shipCard } from '../new-media.js';
import { pendingNotifications } from '../notifications.js';
import { getOrder, listOrders, orderTimeline } from '../orders/order-repository.js';
import { importPayments } from '../payments/import-payments.js';
import type { RenewalContext } from '../renewal-context.js';
import { adminLoopbackHosts } from '../renewal-config.js';
import { renewalErrorHandler } from '../renewal-problem.js';

function digest(text: string): Buffer {
  return createHash('sha256').update(text).digest();
}

/** Builds the admin app; `token` must be at least 24 characters. */
export async function buildAdminApp(ctx: RenewalContext, token: string, metrics?: Registry): Promise<FastifyInstance> {
  if (token.length < 24) throw new ObnovaError('CA_CONFIG_INVALID', 'the admin token must be at least 24 characters');
  const expected = digest(token);
  const app = Fastify({ logger: false, bodyLimit: 16 * 1024 * 1024 });
  app.setErrorHandler(renewalErrorHandler);
  app.addContentTypeParser(['application/xml', 'text/xml'], { parseAs: 'string' }, (_req, body, done) => done(null, body));
  app.addHook('onRequest', async (request) => {
    const h = request.headers.authorization ?? '';
    const given = digest(h.startsWith('Bearer ') ? h.slice(7) : '');
    if (!h.startsWith('Bearer ') || !timingSafeEqual(given, expected)) throw new ObnovaError('RENEWAL_UNAUTHORIZED', 'admin token required');
  });
  const actor = (request: { headers: Record<string, unknown> }) => `admin:${String(request.headers['x-obnova-actor'] ?? 'api').slice(0, 40)}`;

  app.get<{ Querystring: { status?: string } }>('/admin/orders', async (request) => {
    const status = request.query.status ? orderStatusSchema.parse(request.query.status) : undefined;
    return (await listOrders(ctx.db, status)).map(({ accessTokenSha256: _t, ...o }) => o);
  });
  app.get<{ Params: { id: string } }>('/admin/orders/:id', async (request) => {
    const { accessTokenSha256: _t, ...order } = await getOrder(ctx.db, request.params.id);
    return { ...order, timeline: await orderTimeline(ctx.db, order.id) };
  });
  app.post<{ Params: { id: string } }>('/admin/orders/:id/mark-paid', async (request) => markPaid(ctx, request.params.id, actor(request)).then(({ accessTokenSha256: _t, ...o }) => o));
  app.post<{ Params: { id: string } }>('/admin/orders/:id/ship', async (request) => shipCard(ctx, request.params.id, actor(request)).then((o) => ({ id: o.id, status: o.status })));
  app.post<{ Params: { id: string } }>('/admin/orders/:id/delivered', async (request) => cardDelivered(ctx, request.params.id, actor(request)).then((o) => ({ id: o.id, status: o.status })));
  app.post<{ Params: { id: string } }>('/admin/orders/:id/status', async (request) => {
    const { to } = z.object({ to: z.enum(['cancelled', 'expired', 'rejected']) }).parse(request.body);
    const o = await moveOrder(ctx, request.params.id, to, actor(request));
    return { id: o.id, status: o.status };
  });
  app.post('/admin/payments/import', async (request) => {
    if (typeof request.body !== 'string') throw new ObnovaError('RENEWAL_MEDIA_TYPE_UNSUPPORTED', 'send the camt.053 XML as application/xml');
    return importPayments(ctx, request.body, actor(request));
  });
  app.get('/admin/notifications', async () => pendingNotifications(ctx.db));
  // Prometheus scrapes with the same bearer token (scrape_config authorization.credentials).
  if (metrics) app.get('/metrics', async (_request, reply) => reply.type(metrics.contentType).send(await metrics.metrics()));
  return app;
}

/** Listens on a loopback address only. */
export async function startAdminServer(ctx: RenewalContext, options: { host: string; port: number; token: string; metrics?: Registry }): Promise<{ app: FastifyInstance; url: string }> {
  if (!adminLoopbackHosts.has(options.host)) throw new ObnovaError('CA_CONFIG_INVALID', `the admin API listens on loopback only, not ${options.host}`);
  const app = await buildAdminApp(ctx, options.token, options.metrics);
  await app.listen({ host: options.host, port: options.port });
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  return { app, url: `http://${options.host.includes(':') ? `[${options.host}]` : options.host}:${port}` };
}
