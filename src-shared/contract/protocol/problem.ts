/** `application/problem+json` (RFC 9457) with the stable `code` every client switches on. */
import { z } from 'zod';
import { reasonSchema } from './eligibility.js';

export const problemSchema = z.object({
  /** An ErrorCode, or INTERNAL. */
  code: z.string(),
  title: z.string(),
  status: z.number().int(),
  details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])).optional(),
  /** Every failing eligibility rule, when the refusal is about the certificate. */
  reasons: z.array(reasonSchema).optional(),
});
export type Problem = z.infer<typeof problemSchema>;

export const problemContentType = 'application/problem+json';
/** Content type of CMS-signed requests (RFC 8551 §3.2). */
export const cmsContentType = 'application/pkcs7-mime';
