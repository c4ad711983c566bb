/** The holder's identity from a subject Name (ETSI EN 319 412-2 §4.2.4, EN 319 412-3 §4.2.1). */
import type { Name } from '@peculiar/x509';

export interface HolderIdentity {
  commonName: string | null;
  givenName: string | null;
  surname: string | null;
  /** Semantic serialNumber (EN 319 412-1 §5.1.3), e.g. `PNOSI-1234567890123`. */
  serialNumber: string | null;
  organization: string | null;
  /** Semantic organizationIdentifier (EN 319 412-1 §5.1.4), e.g. `VATSI-12345678`. */
  organizationIdentifier: string | null;
  country: string | null;
  email: string | null;
}

const attributeOids = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  organization: '2.5.4.10',
  givenName: '2.5.4.42',
  organizationIdentifier: '2.5.4.97',
  email: '1.2.840.113549.1.9.1',
} as const;

/** Reads the identity attributes; each is the first value of its type, or null. */
export function holderIdentity(name: Name): HolderIdentity {
  const field = (oid: string) => name.getField(oid)[0] ?? null;
  return {
    commonName: field(attributeOids.commonName),
    givenName: field(attributeOids.givenName),
    surname: field(attributeOids.surname),
    serialNumber: field(attributeOids.serialNumber),
    organization: field(attributeOids.organization),
    organizationIdentifier: field(attributeOids.organizationIdentifier),
    country: field(attributeOids.country),
    email: field(attributeOids.email),
  };
}
