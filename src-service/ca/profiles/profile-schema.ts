/** Certificate profiles as data: the JSON files next to this schema say what a certificate contains. */
import { z } from 'zod';

export const keyUsageNames = ['digitalSignature', 'nonRepudiation', 'keyEncipherment', 'dataEncipherment', 'keyAgreement'] as const;

export const profileSchema = z
  .object({
    id: z.string().regex(/^[a-z0-9-]+$/),
    title: z.string(),
    /** Which holder records the profile applies to. */
    holderKind: z.enum(['natural', 'legal']),
    standard: z.string(),
    validity: z.object({ years: z.number().int().min(1).max(10) }),
    keyUsage: z.array(z.enum(keyUsageNames)).min(1),
    extendedKeyUsage: z.array(z.enum(['clientAuth', 'emailProtection'])),
    /** Policy OIDs, e.g. QCP-n-qscd 0.4.0.194112.1.2 (EN 319 411-2) plus the CA's own policy. */
    policies: z.array(z.string().regex(/^\d+(\.\d+)+$/)).min(1),
    qcStatements: z.object({
      /** EN 319 412-5 §4.2.1 */
      compliance: z.literal(true),
      /** EN 319 412-5 §4.2.2: the private key lives on a QSCD. */
      sscd: z.boolean(),
      /** EN 319 412-5 §4.2.3 */
      type: z.enum(['esign', 'eseal']),
      /** EN 319 412-5 §4.3.4; `{baseUrl}` is replaced with the CA's base URL. */
      pds: z.array(z.object({ url: z.string(), language: z.string().length(2) })).min(1),
      /** EN 319 412-1 §5.1: semantics identifier of the subject's serialNumber / organizationIdentifier. */
      semantics: z.enum(['natural', 'legal']),
    }),
    emailInSubjectAltName: z.boolean(),
    acceptedKeys: z.object({
      rsaMinBits: z.number().int().min(2048),
      ecCurves: z.array(z.enum(['P-256', 'P-384', 'P-521'])),
    }),
  })
  .strict();

export type Profile = z.infer<typeof profileSchema>;
