/**
 * Strict parsing of untrusted CMS SignedData: size limit first, one signer, every failure a code.
 * The blob is decoded once through a shallow schema ({@link ContentInfoShell}) that maps the SignerInfos and
 * EncapsulatedContentInfo but leaves certificates raw; they go to {@link Certificate.fromDer} (which caches
 * them), so the usual CA certificates are not mapped again for every request.
 */
import 'reflect-metadata';
import * as asn1js from 'asn1js';
import { ContentInfo, type EncapsulatedContentInfo, type SignerInfo, id_signedData } from '@peculiar/asn1-cms';
import { AsnConvert } from '@peculiar/asn1-schema';
import { ObnovaError } from '../contract/errors.js';
import { Certificate } from './certificate.js';
import { encodeSignedAttributes } from './cms-attributes.js';
import { ContentInfoShell } from './cms-shell.js';

/** Largest CMS accepted by default: orders and certificate requests are a few KB. */
export const defaultMaxCmsBytes = 1024 * 1024;

export interface ParsedSignedData {
  signerInfo: SignerInfo;
  contentType: string;
  /** eContent, or null when detached. */
  content: Uint8Array | null;
  certificates: Certificate[];
  /** DER of the signedAttrs as SET OF: the bytes the signature covers (RFC 5652 §5.4); null when absent. */
  signedAttrsDer: Uint8Array | null;
}

function parseFailed(message: string, cause?: unknown): ObnovaError {
  return new ObnovaError('CMS_PARSE_FAILED', message, undefined, cause === undefined ? undefined : { cause });
}

/** eContent bytes; BER allows a constructed OCTET STRING (streamed CMS), which asn1js joins for us. */
function contentBytes(encap: EncapsulatedContentInfo): Uint8Array | null {
  const e = encap.eContent;
  if (!e) return null;
  if (e.single) return new Uint8Array(e.single.buffer);
  if (e.any) {
    const parsed = asn1js.fromBER(e.any);
    if (parsed.offset !== -1 && parsed.result instanceof asn1js.OctetString) return new Uint8Array(parsed.result.getValue());
  }
  throw parseFailed('eContent is not an OCTET STRING');
}

async function parseStructure(der: Uint8Array): Promise<ParsedSignedData> {
  let shell: ContentInfoShell;
  try {
    shell = AsnConvert.parse(der, ContentInfoShell);
  } catch (cause) {
    // Not shaped like SignedData: say whether it is another CMS type or not CMS at all.
    let contentType: string | null = null;
    try {
      contentType = AsnConvert.parse(der, ContentInfo).contentType;
    } catch {
      // not a ContentInfo either
    }
    if (contentType !== null && contentType !== id_signedData) {
      throw new ObnovaError('CMS_NOT_SIGNED_DATA', `ContentInfo holds ${contentType}, not SignedData`, { contentType });
    }
    throw parseFailed(contentType === null ? 'value is not a CMS ContentInfo' : 'ContentInfo content is not a SignedData', cause);
  }
  if (shell.contentType !== id_signedData) {
    throw new ObnovaError('CMS_NOT_SIGNED_DATA', `ContentInfo holds ${shell.contentType}, not SignedData`, { contentType: shell.contentType });
  }
  const signers = shell.content.signerInfos;
  if (signers.length === 0) throw new ObnovaError('CMS_NO_SIGNER', 'SignedData has no SignerInfo');
  // Our protocol has exactly one signer: the holder. A second one could be a countersignature we would otherwise ignore.
  if (signers.length > 1) throw new ObnovaError('CMS_MULTIPLE_SIGNERS', `SignedData has ${signers.length} signers; exactly one is accepted`, { signers: signers.length });
  const signerInfo = signers[0]!;
  const encap = shell.content.encapContentInfo;
  const certificates: Certificate[] = [];
  for (const choice of shell.content.certificates ?? []) {
    const bytes = new Uint8Array(choice);
    if (bytes[0] !== 0x30) continue; // attribute and other certificate formats ([1]..[3]) play no part in verification
    try {
      certificates.push(await Certificate.fromDer(bytes));
    } catch (cause) {
      throw parseFailed('a certificate inside the CMS does not parse', cause);
    }
  }
  // RFC 5652 §5.4: the signature covers the DER of the attributes as an EXPLICIT SET OF. asn1-schema keeps the
  // values' bytes and their order, so re-encoding gives back the DER the signer signed (OpenSSL re-encodes too).
  const signedAttrsDer = signerInfo.signedAttrs ? encodeSignedAttributes(signerInfo.signedAttrs) : null;
  return { signerInfo, contentType: encap.eContentType, content: contentBytes(encap), certificates, signedAttrsDer };
}

/** Parses ContentInfo → SignedData with exactly one SignerInfo; never throws anything but ObnovaError. */
export async function parseSignedData(der: Uint8Array, maxBytes = defaultMaxCmsBytes): Promise<ParsedSignedData> {
  if (der.byteLength > maxBytes) {
    throw new ObnovaError('PKI_INPUT_TOO_LARGE', `CMS of ${der.byteLength} bytes exceeds the ${maxBytes}-byte limit`, { size: der.byteLength, limit: maxBytes });
  }
  if (der.byteLength < 2 || der[0] !== 0x30) throw parseFailed('CMS does not start with a SEQUENCE');
  try {
    return await parseStructure(der);
  } catch (error) {
    if (error instanceof ObnovaError) throw error;
    throw parseFailed('CMS structure is malformed', error);
  }
}
