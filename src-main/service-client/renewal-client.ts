/**
 * The renewal protocol v1 from the app's side (src-shared/contract/protocol): one method per endpoint,
 * answers checked with the protocol's zod schemas, every call retried with backoff and cancellable.
 */
import { z } from 'zod';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { type ChallengeResponse, challengeResponseSchema } from '../../src-shared/contract/protocol/challenge.js';
import { type EligibilityResponse, eligibilityResponseSchema } from '../../src-shared/contract/protocol/eligibility.js';
import {
  type OrderCreated,
  orderCreatedSchema,
  type OrderView,
  orderViewSchema,
  type PickupResponse,
  pickupResponseSchema,
  orderStatusSchema,
} from '../../src-shared/contract/protocol/order.js';
import { type Policy, policySchema } from '../../src-shared/contract/protocol/policy.js';
import { cmsContentType } from '../../src-shared/contract/protocol/problem.js';
import { toBase64 } from '../../src-shared/pki/encoding.js';
import { type CallOptions, createHttpCaller, type HttpAnswer, type HttpCallerOptions } from './http-call.js';

export interface RenewalClient {
  policy(options?: CallOptions): Promise<Policy>;
  challenge(options?: CallOptions): Promise<ChallengeResponse>;
  eligibility(certificateDer: Uint8Array, options?: CallOptions): Promise<EligibilityResponse>;
  /** Posts the CMS-signed order document; the same document twice gives the same order (the service is idempotent on it). */
  placeOrder(cms: Uint8Array, options?: CallOptions): Promise<OrderCreated>;
  order(orderId: string, accessToken: string, options?: CallOptions): Promise<OrderView>;
  invoicePdf(orderId: string, accessToken: string, options?: CallOptions): Promise<Uint8Array>;
  /** Posts the CMS-signed pickup document (the new key's PKCS#10) and gets the new certificate and chain. */
  pickup(orderId: string, cms: Uint8Array, options?: CallOptions): Promise<PickupResponse>;
  installed(orderId: string, accessToken: string, serial: string, options?: CallOptions): Promise<{ orderId: string; status: z.infer<typeof orderStatusSchema> }>;
}

function json<T>(operation: string, schema: z.ZodType<T>, answer: HttpAnswer): T {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder().decode(answer.body));
  } catch (cause) {
    throw new ObnovaError('SERVICE_RESPONSE_INVALID', `${operation}: the answer is not JSON`, { operation }, { cause });
  }
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new ObnovaError('SERVICE_RESPONSE_INVALID', `${operation}: ${issue?.path.join('.') || 'answer'}: ${issue?.message ?? 'invalid'}`, { operation });
  }
  return parsed.data;
}

/** `POST /v1/orders/{id}/installed` answers the order's id and new status. */
const installedAnswerSchema = z.object({ orderId: z.string(), status: orderStatusSchema });

const id = (orderId: string): string => encodeURIComponent(orderId);
const auth = (token: string): Record<string, string> => ({ authorization: `Bearer ${token}` });
const jsonBody = { 'content-type': 'application/json' };
const cmsBody = { 'content-type': cmsContentType };

/** A client for the service at `baseUrl` (e.g. http://127.0.0.1:8443; the /v1 prefix is added here). */
export function createRenewalClient(options: HttpCallerOptions): RenewalClient {
  const call = createHttpCaller(options);
  return {
    policy: async (o) => json('policy', policySchema, await call({ operation: 'policy', method: 'GET', path: '/v1/policy' }, o)),
    challenge: async (o) => json('challenge', challengeResponseSchema, await call({ operation: 'challenge', method: 'POST', path: '/v1/challenges' }, o)),
    eligibility: async (der, o) =>
      json('eligibility', eligibilityResponseSchema, await call({ operation: 'eligibility', method: 'POST', path: '/v1/eligibility', headers: jsonBody, body: JSON.stringify({ certificate: toBase64(der) }) }, o)),
    placeOrder: async (cms, o) => json('order', orderCreatedSchema, await call({ operation: 'order', method: 'POST', path: '/v1/orders', headers: cmsBody, body: cms }, o)),
    order: async (orderId, token, o) => json('status', orderViewSchema, await call({ operation: 'status', method: 'GET', path: `/v1/orders/${id(orderId)}`, headers: auth(token) }, o)),
    invoicePdf: async (orderId, token, o) => {
      const answer = await call({ operation: 'invoice', method: 'GET', path: `/v1/orders/${id(orderId)}/invoice.pdf`, headers: { ...auth(token), accept: 'application/pdf' } }, o);
      if (!answer.contentType.startsWith('application/pdf')) throw new ObnovaError('SERVICE_RESPONSE_INVALID', `invoice: content type ${answer.contentType}`, { operation: 'invoice' });
      return answer.body;
    },
    pickup: async (orderId, cms, o) => json('pickup', pickupResponseSchema, await call({ operation: 'pickup', method: 'POST', path: `/v1/orders/${id(orderId)}/certificate`, headers: cmsBody, body: cms }, o)),
    installed: async (orderId, token, serial, o) =>
      json(
        'installed',
        installedAnswerSchema,
        await call({ operation: 'installed', method: 'POST', path: `/v1/orders/${id(orderId)}/installed`, headers: { ...auth(token), ...jsonBody }, body: JSON.stringify({ serial }) }, o),
      ),
  };
}
