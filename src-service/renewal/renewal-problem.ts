/** The renewal API's problem+json: HTTP status per code, Retry-After for 429/503, reasons for refusals. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { ObnovaError, type ErrorCode } from '../../src-shared/contract/errors.js';
import { problemContentType, type Problem } from '../../src-shared/contract/protocol/problem.js';
import { databaseFault } from '../db/database-fault.js';
import { RefusedError } from './eligibility.js';

const status: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  CERT_PARSE_FAILED: 400,
  PKI_INPUT_TOO_LARGE: 413,
  PKI_ALGORITHM_UNSUPPORTED: 400,
  CMS_PARSE_FAILED: 400,
  CMS_NOT_SIGNED_DATA: 400,
  CMS_NO_SIGNER: 400,
  CMS_MULTIPLE_SIGNERS: 400,
  CMS_CONTENT_MISSING: 400,
  CMS_ATTRIBUTE_MISSING: 400,
  CMS_ATTRIBUTE_INVALID: 400,
  CMS_CONTENT_TYPE_MISMATCH: 400,
  CMS_DIGEST_MISMATCH: 400,
  CMS_SIGNER_CERT_MISSING: 400,
  CMS_SIGNING_CERT_MISMATCH: 400,
  CMS_BAD_SIGNATURE: 400,
  CA_CSR_INVALID: 400,
  CA_CSR_BAD_SIGNATURE: 400,
  CA_CSR_WEAK_KEY: 400,
  CA_CSR_SUBJECT_MISMATCH: 400,
  // A signer certificate not meant for signatures (e.g. keyEncipherment only) is a bad request, not a fault.
  CERT_KEY_USAGE_INVALID: 400,
  CA_HSM_BUSY: 503,
  CA_DATABASE_UNAVAILABLE: 503,
  CA_DATABASE_BUSY: 503,
  RENEWAL_CERT_UNKNOWN_ISSUER: 403,
  RENEWAL_CERT_NOT_ON_RECORD: 403,
  RENEWAL_CERT_REVOKED: 403,
  RENEWAL_CERT_EXPIRED: 403,
  RENEWAL_HOLDER_DATA_CHANGED: 403,
  RENEWAL_TOO_EARLY: 403,
  RENEWAL_PERSONAL_NUMBER_MISSING: 403,
  RENEWAL_LEGAL_ENTITY_PROCEDURE: 403,
  RENEWAL_KEY_TYPE_NOT_ACCEPTED: 403,
  RENEWAL_NOT_ELIGIBLE: 403,
  RENEWAL_SIGNER_MISMATCH: 403,
  RENEWAL_ORDER_EXISTS: 409,
  RENEWAL_CHALLENGE_UNKNOWN: 400,
  RENEWAL_CHALLENGE_EXPIRED: 409,
  RENEWAL_CHALLENGE_USED: 409,
  RENEWAL_SIGNATURE_INVALID: 400,
  RENEWAL_DOCUMENT_INVALID: 400,
  RENEWAL_CSR_SAME_KEY: 400,
  RENEWAL_RATE_LIMITED: 429,
  RENEWAL_OVERLOADED: 503,
  RENEWAL_UNAUTHORIZED: 401,
  RENEWAL_MEDIA_TYPE_UNSUPPORTED: 415,
  RENEWAL_BODY_TOO_LARGE: 413,
  ORDER_NOT_FOUND: 404,
  ORDER_TRANSITION_INVALID: 409,
  ORDER_NOT_PAID: 409,
  ORDER_PATH_MISMATCH: 409,
  ORDER_ALREADY_ISSUED: 409,
  PAYMENT_STATEMENT_INVALID: 400,
  PAYMENT_AMOUNT_MISMATCH: 400,
  PAYMENT_REFERENCE_UNKNOWN: 400,
};

/** Fastify's own errors mapped onto our codes. */
function fromFastify(error: FastifyError): ObnovaError {
  if (error.statusCode === 413 || error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return new ObnovaError('RENEWAL_BODY_TOO_LARGE', 'request body too large');
  if (error.statusCode === 415 || error.code === 'FST_ERR_CTP_INVALID_MEDIA_TYPE') return new ObnovaError('RENEWAL_MEDIA_TYPE_UNSUPPORTED', 'unsupported content type');
  if (error.statusCode && error.statusCode < 500) return new ObnovaError('INPUT_INVALID', error.message.slice(0, 200));
  return new ObnovaError('INTERNAL', 'unexpected error');
}

/** Error handler for the renewal routes (installed in their plugin's scope). */
export function renewalErrorHandler(error: FastifyError | Error, request: FastifyRequest, reply: FastifyReply): FastifyReply {
  const coded = error instanceof ObnovaError ? error : (databaseFault(error) ?? fromFastify(error as FastifyError));
  const code = status[coded.code] ? coded.code : 'INTERNAL';
  const http = status[coded.code] ?? 500;
  if (http >= 500) request.log.error({ code: coded.code, err: error }, 'renewal request failed');
  const body: Problem = { code, title: http === 500 ? 'Internal error' : coded.message, status: http };
  if (http < 500 && coded.details) body.details = coded.details;
  if (error instanceof RefusedError) body.reasons = error.reasons;
  const retryAfter = coded.details?.retryAfter;
  if (http === 429 || http === 503) reply.header('Retry-After', String(typeof retryAfter === 'number' ? retryAfter : 1));
  return reply.status(http).type(problemContentType).send(body);
}
