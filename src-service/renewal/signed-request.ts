/** Verifies a CMS-signed request from a holder and parses its JSON content with a protocol schema. */
import type { z } from 'zod';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import { verifyCms, type VerifiedCms } from '../../src-shared/pki/cms-verify.js';

/** Signed requests are a few KB; anything bigger is refused before parsing. */
export const maxSignedRequestBytes = 64 * 1024;

export interface SignedRequest<T> {
  document: T;
  cms: VerifiedCms;
}

/** CMS signature (CAdES-BES) must verify; the content must be UTF-8 JSON matching `schema`. */
export async function readSignedRequest<S extends z.ZodType>(der: Uint8Array, schema: S): Promise<SignedRequest<z.infer<S>>> {
  const cms = await verifyCms(der, { maxBytes: maxSignedRequestBytes });
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(cms.content));
  } catch (cause) {
    throw new ObnovaError('RENEWAL_DOCUMENT_INVALID', 'signed content is not UTF-8 JSON', undefined, { cause });
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const first = parsed.error.issues[0];
    throw new ObnovaError('RENEWAL_DOCUMENT_INVALID', `signed document invalid: ${first ? `${first.path.join('.')}: ${first.message}` : '?'}`, {
      field: first ? first.path.join('.') : null,
    });
  }
  return { document: parsed.data, cms };
}
