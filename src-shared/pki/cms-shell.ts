/**
 * A shallow asn1-schema description of ContentInfo { SignedData } whose parts stay raw bytes: one decoding
 * pass finds the certificates, the encapsulated content and the signer infos without mapping every
 * certificate field (RFC 5652 §3, §5.1). Decorators are applied as calls so any TS transpiler handles them.
 */
import { EncapsulatedContentInfo, SignerInfos } from '@peculiar/asn1-cms';
import { AsnArray, AsnProp, AsnPropTypes, AsnType, AsnTypeTypes } from '@peculiar/asn1-schema';

/** SET OF <anything>, each element kept as its DER. */
export class RawSet extends AsnArray<ArrayBuffer> {
  constructor(items?: ArrayBuffer[]) {
    super(items);
    Object.setPrototypeOf(this, RawSet.prototype);
  }
}
AsnType({ type: AsnTypeTypes.Set, itemType: AsnPropTypes.Any })(RawSet);

/** SignedData with the certificates, CRLs and digest algorithms left raw. */
export class SignedDataShell {
  version = 0;
  digestAlgorithms = new ArrayBuffer(0);
  encapContentInfo = new EncapsulatedContentInfo();
  certificates?: RawSet;
  crls?: RawSet;
  signerInfos = new SignerInfos();
}
AsnProp({ type: AsnPropTypes.Integer })(SignedDataShell.prototype, 'version');
AsnProp({ type: AsnPropTypes.Any })(SignedDataShell.prototype, 'digestAlgorithms');
AsnProp({ type: EncapsulatedContentInfo })(SignedDataShell.prototype, 'encapContentInfo');
AsnProp({ type: RawSet, context: 0, implicit: true, optional: true })(SignedDataShell.prototype, 'certificates');
AsnProp({ type: RawSet, context: 1, implicit: true, optional: true })(SignedDataShell.prototype, 'crls');
AsnProp({ type: SignerInfos })(SignedDataShell.prototype, 'signerInfos');

/** ContentInfo whose [0] EXPLICIT content is a {@link SignedDataShell}. */
export class ContentInfoShell {
  contentType = '';
  content = new SignedDataShell();
}
AsnProp({ type: AsnPropTypes.ObjectIdentifier })(ContentInfoShell.prototype, 'contentType');
AsnProp({ type: SignedDataShell, context: 0 })(ContentInfoShell.prototype, 'content');
