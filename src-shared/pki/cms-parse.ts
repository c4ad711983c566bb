/** Strict parsing of untrusted CMS SignedData: size limit first, one signer, every failure a code. */
import 'reflect-metadata';
import * as asn1js from 'asn1js';
import { ContentInfo, SignedData, type SignerInfo, id_signedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ObnovaError } from '../contract/errors.js';
import { Certificate } from './certificate.js';
import { toArrayBuffer } from './encoding.js';

/** Largest CMS accepted by default: orders and certificate requests are a few KB. */
export const defaultMaxCmsBytes = 1024 * 1024;

export interface ParsedSignedData {
  signedData: SignedData;
  signerInfo: SignerInfo;
  contentType: string;
  /** eContent, or null when detached. */
  content: Uint8Array | null;
  certificates: Certificate[];
  /** signedAttrs exactly as received, re-tagged as SET OF: the bytes the signature covers (RFC 5652 §5.4). */
  signedAttrsDer: Uint8Array | null;
}

function parseFailed(message: string, cause?: unknown): ObnovaError {
  return new ObnovaError('CMS_PARSE_FAILED', message, undefined, cause === undefined ? undefined : { cause });
}

/** eContent bytes; BER allows a constructed OCTET STRING (streamed CMS), which asn1js joins for us. */
function contentBytes(signedData: SignedData): Uint8Array | null {
  const e = signedData.encapContentInfo.eContent;
  if (!e) return null;
  if (e.single) return new Uint8Array(e.single.buffer);
  if (e.any) {
    const parsed = asn1js.fromBER(e.any);
    if (parsed.offset !== -1 && parsed.result instanceof asn1js.OctetString) return new Uint8Array(parsed.result.getValue());
  }
  throw parseFailed('eContent is not an OCTET STRING');
}

/** The raw [0] IMPLICIT signedAttrs of the first SignerInfo, re-tagged 0x31; asn1-schema does not keep raw bytes of SET OF fields. */
function rawSignedAttrs(signedDataDer: ArrayBuffer): Uint8Array | null {
  const parsed = asn1js.fromBER(signedDataDer);
  if (parsed.offset === -1 || !(parsed.result instanceof asn1js.Sequence)) return null;
  const signerInfos = parsed.result.valueBlock.value.at(-1);
  if (!(signerInfos instanceof asn1js.Set)) return null;
  const signerInfo = signerInfos.valueBlock.value[0];
  if (!(signerInfo instanceof asn1js.Sequence)) return null;
  const attrs = signerInfo.valueBlock.value.find((e) => e.idBlock.tagClass === 3 && e.idBlock.tagNumber === 0);
  if (!attrs) return null;
  const der = new Uint8Array(attrs.valueBeforeDecodeView);
  der[0] = 0x31;
  return der;
}

/** Parses ContentInfo → SignedData with exactly one SignerInfo; never throws anything but ObnovaError. */
export async function parseSignedData(der: Uint8Array, maxBytes = defaultMaxCmsBytes): Promise<ParsedSignedData> {
  if (der.byteLength > maxBytes) {
    throw new ObnovaError('PKI_INPUT_TOO_LARGE', `CMS of ${der.byteLength} bytes exceeds the ${maxBytes}-byte limit`, { size: der.byteLength, limit: maxBytes });
  }
  if (der.byteLength < 2 || der[0] !== 0x30) throw parseFailed('CMS does not start with a SEQUENCE');
  let contentInfo: ContentInfo;
  try {
    contentInfo = AsnConvert.parse(toArrayBuffer(der), ContentInfo);
  } catch (cause) {
    throw parseFailed('value is not a CMS ContentInfo', cause);
  }
  if (contentInfo.contentType !== id_signedData) {
    throw new ObnovaError('CMS_NOT_SIGNED_DATA', `ContentInfo holds ${contentInfo.contentType}, not SignedData`, { contentType: contentInfo.contentType });
  }
  let signedData: SignedData;
  try {
    signedData = AsnConvert.parse(contentInfo.content, SignedData);
  } catch (cause) {
    throw parseFailed('ContentInfo content is not a SignedData', cause);
  }
  const signers = signedData.signerInfos.length;
  if (signers === 0) throw new ObnovaError('CMS_NO_SIGNER', 'SignedData has no SignerInfo');
  // Our protocol has exactly one signer: the holder. A second one could be a countersignature we would otherwise ignore.
  if (signers > 1) throw new ObnovaError('CMS_MULTIPLE_SIGNERS', `SignedData has ${signers} signers; exactly one is accepted`, { signers });
  const content = contentBytes(signedData);
  const certificates: Certificate[] = [];
  for (const choice of signedData.certificates ?? []) {
    if (!choice.certificate) continue; // attribute and other certificate formats play no part in verification
    try {
      certificates.push(await Certificate.fromDer(new Uint8Array(AsnConvert.serialize(choice.certificate))));
    } catch (cause) {
      throw parseFailed('a certificate inside the CMS does not parse', cause);
    }
  }
  return {
    signedData,
    signerInfo: signedData.signerInfos[0]!,
    contentType: signedData.encapContentInfo.eContentType,
    content,
    certificates,
    signedAttrsDer: rawSignedAttrs(contentInfo.content),
  };
}
