/** The `renewal.check` call: the Order step's checklist for one certificate on a card. */
import type { AppError } from '../../src-shared/contract/errors.js';
import { toAppError } from '../../src-shared/contract/errors.js';
import type { EligibilityResponse } from '../../src-shared/contract/protocol/eligibility.js';
import type { CertificateRef, EligibilityView } from '../../src-shared/contract/schemas/renewal.js';
import { findOnCard } from '../export/export-handler.js';
import type { RenewalClient } from '../service-client/renewal-client.js';
import type { CallOptions } from '../service-client/http-call.js';
import type { RevocationChecker } from '../revocation/revocation-checker.js';
import { buildChecklist, daysToExpiry } from './checklist.js';
import { runLocalChecks } from './local-checks.js';
import type { RenewalDeps } from './renewal-deps.js';

export interface CheckHandlerDeps extends Pick<RenewalDeps, 'certificateSource' | 'trustAnchors'> {
  /** The service client, or null when no service URL is configured. */
  client(): RenewalClient | null;
  revocation: RevocationChecker;
  now?: () => Date;
  callOptions?: () => CallOptions;
}

export function createCheckHandler(deps: CheckHandlerDeps): (ref: CertificateRef) => Promise<EligibilityView> {
  return async (ref) => {
    const now = deps.now?.() ?? new Date();
    const { certificate, others } = await findOnCard(deps.certificateSource, ref.slotId, ref.objectId, ref.fingerprintSha256);
    const client = deps.client();
    // Both at once: the service's answer does not depend on ours, and each may wait on the network.
    const servicePromise: Promise<{ answer: EligibilityResponse | null; problem: AppError | null }> = client
      ? client.eligibility(certificate.der, deps.callOptions?.()).then(
          (answer) => ({ answer, problem: null }),
          (error: unknown) => ({ answer: null, problem: toAppError(error) }),
        )
      : Promise.resolve({ answer: null, problem: { code: 'SERVICE_NOT_CONFIGURED', message: 'no renewal service URL is configured' } });
    const local = await runLocalChecks(certificate, { trustAnchors: await deps.trustAnchors(), intermediates: others, revocation: deps.revocation, now });
    const service = await servicePromise;
    const checks = buildChecklist(local, service.answer, service.problem);
    const answer = service.answer;
    return {
      certificate: {
        slotId: ref.slotId,
        objectId: ref.objectId,
        fingerprintSha256: certificate.fingerprintSha256,
        subject: certificate.subject,
        commonName: certificate.subjectCommonName,
        issuerCommonName: certificate.issuerCommonName,
        serialNumber: certificate.serialNumber,
        notAfter: certificate.notAfter.toISOString(),
        daysToExpiry: daysToExpiry(certificate.notAfter, now),
      },
      checks,
      eligible: answer !== null && answer.eligible && checks.every((c) => c.status === 'pass'),
      path: answer?.path ?? null,
      steps: answer?.steps ?? [],
      windowOpensAt: answer?.windowOpensAt ?? null,
      price: answer?.price ?? null,
      currency: answer?.currency ?? null,
      serviceProblem: service.problem,
      revocationSource: local.revocation && local.revocation.status !== 'unknown' ? local.revocation.source : null,
      checkedAt: now.toISOString(),
    };
  };
}
