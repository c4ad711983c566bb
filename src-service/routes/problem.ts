/** One error handler: ObnovaErrors become application/problem+json with their code; 5xx hide details. */
import type { FastifyError, FastifyInstance } from 'fastify';
import { ObnovaError, type ErrorCode } from '../../src-shared/contract/errors.js';
import { databaseFault } from '../db/database-fault.js';

const statusByCode: Partial<Record<ErrorCode, number>> = {
  INPUT_INVALID: 400,
  CA_CSR_INVALID: 400,
  CA_CSR_BAD_SIGNATURE: 400,
  CA_CSR_WEAK_KEY: 400,
  CA_CSR_SUBJECT_MISMATCH: 400,
  CA_HOLDER_INVALID: 400,
  CA_REVOCATION_REASON_INVALID: 400,
  CA_OCSP_REQUEST_INVALID: 400,
  CA_HOLDER_NOT_FOUND: 404,
  CA_CERT_NOT_FOUND: 404,
  CA_PROFILE_NOT_FOUND: 404,
  CA_CERT_ALREADY_REVOKED: 409,
  CA_PROFILE_HOLDER_MISMATCH: 409,
  CA_CARD_ALREADY_REGISTERED: 409,
  CA_HSM_BUSY: 503,
  CA_DATABASE_UNAVAILABLE: 503,
  CA_DATABASE_BUSY: 503,
};

/** Installs the handler and the JSON 404. */
export function installProblemHandler(app: FastifyInstance): void {
  app.setErrorHandler((thrown: FastifyError | ObnovaError, request, reply) => {
    const error = databaseFault(thrown) ?? thrown;
    if (error instanceof ObnovaError) {
      const status = statusByCode[error.code] ?? 500;
      if (status >= 500) request.log.error({ code: error.code }, error.message);
      if (status === 503) reply.header('Retry-After', String(typeof error.details?.retryAfter === 'number' ? error.details.retryAfter : 1));
      const body = status >= 500 && status !== 503 ? { code: 'INTERNAL', title: 'Internal error' } : { code: error.code, title: error.message, details: error.details };
      return reply.status(status).type('application/problem+json').send({ ...body, status });
    }
    const status = error.statusCode && error.statusCode < 500 ? error.statusCode : 500;
    if (status >= 500) request.log.error(error);
    return reply
      .status(status)
      .type('application/problem+json')
      .send({ code: status >= 500 ? 'INTERNAL' : 'INPUT_INVALID', title: status >= 500 ? 'Internal error' : error.message, status });
  });
  app.setNotFoundHandler((_request, reply) => reply.status(404).type('application/problem+json').send({ code: 'INPUT_INVALID', title: 'Not found', status: 404 }));
}
