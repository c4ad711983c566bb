/** keyUsage bits (RFC 5280 §4.2.1.3) by name. */
import 'reflect-metadata';
import { KeyUsageFlags } from '@peculiar/x509';

export type KeyUsageName =
  | 'digitalSignature'
  | 'nonRepudiation'
  | 'keyEncipherment'
  | 'dataEncipherment'
  | 'keyAgreement'
  | 'keyCertSign'
  | 'cRLSign'
  | 'encipherOnly'
  | 'decipherOnly';

const order: KeyUsageName[] = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement', 'keyCertSign', 'cRLSign', 'encipherOnly', 'decipherOnly'];

/** Names of the bits set in @peculiar/x509's KeyUsageFlags. */
export function keyUsageNames(flags: KeyUsageFlags): KeyUsageName[] {
  return order.filter((name) => (flags & KeyUsageFlags[name]) !== 0);
}
