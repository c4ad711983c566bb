/** Where the app gets certificate bytes from a card: the token layer's reader (no PIN). */

/** One X.509 certificate object on a token: its CKA_ID (lowercase hex) and CKA_VALUE. */
export interface CardCertificateValue {
  objectId: string;
  der: Uint8Array;
}

/** Reads the DER of every certificate object on the token in `slotId` (decimal CK_SLOT_ID). */
export interface CertificateSource {
  certificateValues(slotId: string): Promise<CardCertificateValue[]>;
}
