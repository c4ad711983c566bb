/** A holder's registered data, as a registration office records it (validated at every entry point). */
import { z } from 'zod';

const name = z.string().trim().min(1).max(64);
const country = z.string().regex(/^[A-Z]{2}$/, 'ISO 3166 two-letter code');
/** National personal number (EMŠO / JMBG are 13 digits; other markets may use letters). */
const personalNumber = z.string().regex(/^[0-9A-Z]{4,20}$/, 'digits and capital letters, 4 to 20');

export const naturalHolderSchema = z.object({
  kind: z.literal('natural'),
  country,
  givenName: name,
  surname: name,
  personalNumber,
  email: z.string().email().nullable().default(null),
});

export const legalHolderSchema = z.object({
  kind: z.literal('legal'),
  country,
  legalName: z.string().trim().min(1).max(64),
  /** VAT or registration number without the country prefix. */
  organizationId: z.string().regex(/^[0-9A-Z]{4,20}$/),
  /** The representative who holds the card. */
  givenName: name,
  surname: name,
  personalNumber,
  email: z.string().email().nullable().default(null),
});

export const newHolderSchema = z.discriminatedUnion('kind', [naturalHolderSchema, legalHolderSchema]);
export type NewHolder = z.input<typeof newHolderSchema>;

/** Fields a registration office may change; kind and country stay fixed. */
export const holderChangeSchema = z
  .object({
    givenName: name,
    surname: name,
    personalNumber,
    email: z.string().email().nullable(),
    legalName: z.string().trim().min(1).max(64),
    organizationId: z.string().regex(/^[0-9A-Z]{4,20}$/),
  })
  .partial()
  .strict();
export type HolderChange = z.infer<typeof holderChangeSchema>;

export interface Holder {
  id: string;
  kind: 'natural' | 'legal';
  country: string;
  givenName: string;
  surname: string;
  personalNumber: string;
  email: string | null;
  legalName: string | null;
  organizationId: string | null;
  dataVersion: number;
  createdAt: string;
  updatedAt: string;
}
