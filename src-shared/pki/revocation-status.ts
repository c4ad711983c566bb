/** The answer of a revocation check, whichever source gave it. */

/** CRLReason (RFC 5280 §5.3.1) by name. */
export type RevocationReason =
  | 'unspecified'
  | 'keyCompromise'
  | 'cACompromise'
  | 'affiliationChanged'
  | 'superseded'
  | 'cessationOfOperation'
  | 'certificateHold'
  | 'removeFromCRL'
  | 'privilegeWithdrawn'
  | 'aACompromise';

const reasons: (RevocationReason | null)[] = [
  'unspecified',
  'keyCompromise',
  'cACompromise',
  'affiliationChanged',
  'superseded',
  'cessationOfOperation',
  'certificateHold',
  null,
  'removeFromCRL',
  'privilegeWithdrawn',
  'aACompromise',
];

/** Name of a CRLReason code; null for absent or unknown codes. */
export function reasonName(code: number | undefined | null): RevocationReason | null {
  return code === undefined || code === null ? null : (reasons[code] ?? null);
}

export type RevocationStatus =
  | { status: 'good' }
  | { status: 'revoked'; reason: RevocationReason | null; revokedAt: Date }
  | { status: 'unknown' };

/** A status with where it came from and how long it holds. */
export type RevocationResult = RevocationStatus & {
  source: 'ocsp' | 'crl';
  url: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
};
