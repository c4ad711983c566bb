/**
 * The subject DN comes from the holder record, never from the request
 * (EN 319 412-2 §4.2.4 natural person, EN 319 412-3 §4.2.1 legal person, EN 319 412-1 §5.1 identifiers).
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import type { Holder } from '../holders/holder-schema.js';

export const oid = {
  country: '2.5.4.6',
  commonName: '2.5.4.3',
  givenName: '2.5.4.42',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  organization: '2.5.4.10',
  organizationIdentifier: '2.5.4.97',
} as const;

export interface SubjectAttribute {
  type: string;
  value: string;
  /** PrintableString for codes and identifiers, UTF8String for names. */
  printable: boolean;
}

/** Attributes in DN order for this holder. */
export function subjectAttributes(holder: Holder): SubjectAttribute[] {
  const personId = `PNO${holder.country}-${holder.personalNumber}`;
  if (holder.kind === 'natural') {
    return [
      { type: oid.country, value: holder.country, printable: true },
      { type: oid.givenName, value: holder.givenName, printable: false },
      { type: oid.surname, value: holder.surname, printable: false },
      { type: oid.commonName, value: `${holder.givenName} ${holder.surname}`, printable: false },
      { type: oid.serialNumber, value: personId, printable: true },
    ];
  }
  return [
    { type: oid.country, value: holder.country, printable: true },
    { type: oid.organization, value: holder.legalName ?? '', printable: false },
    { type: oid.organizationIdentifier, value: `VAT${holder.country}-${holder.organizationId ?? ''}`, printable: true },
    { type: oid.commonName, value: holder.legalName ?? '', printable: false },
    // The representative who holds the seal's card (EN 319 412-3 allows serialNumber for disambiguation).
    { type: oid.serialNumber, value: personId, printable: true },
  ];
}

/** The holder's subject as an x509 Name (one attribute per RDN). */
export function subjectName(holder: Holder): x509.Name {
  return toName(subjectAttributes(holder));
}

/** Builds a Name with explicit string types. */
export function toName(attributes: SubjectAttribute[]): x509.Name {
  return new x509.Name(attributes.map((a) => ({ [a.type]: [a.printable ? { printableString: a.value } : { utf8String: a.value }] })));
}
