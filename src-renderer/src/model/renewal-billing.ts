/** The billing form's values and their checks as the holder types, by the contract's own rules (protocol billingSchema). */
import { z } from 'zod';
import { billingSchema } from '../../../src-shared/contract/protocol/order.js';

export interface BillingForm {
  buyer: 'person' | 'company';
  name: string;
  street: string;
  postalCode: string;
  city: string;
  country: string;
  vatId: string;
  email: string;
}

export type BillingField = Exclude<keyof BillingForm, 'buyer'>;

/** i18n key under renewalSubmit.invalid for each problem. */
export type FieldProblem = 'required' | 'tooLong' | 'country' | 'email' | 'vatId';

const limits: Record<'name' | 'street' | 'postalCode' | 'city', number> = { name: 70, street: 70, postalCode: 12, city: 35 };
const emailSchema = z.string().email().max(254);

export function emptyBillingForm(name: string | null, country: string | null, email: string | null): BillingForm {
  return { buyer: 'person', name: name ?? '', street: '', postalCode: '', city: '', country: country ?? '', vatId: '', email: email ?? '' };
}

/** Every field's problem, or none; a company needs its VAT number. */
export function billingProblems(form: BillingForm): Partial<Record<BillingField, FieldProblem>> {
  const out: Partial<Record<BillingField, FieldProblem>> = {};
  for (const field of ['name', 'street', 'postalCode', 'city'] as const) {
    const value = form[field].trim();
    if (!value) out[field] = 'required';
    else if (value.length > limits[field]) out[field] = 'tooLong';
  }
  if (!/^[A-Z]{2}$/.test(form.country.trim().toUpperCase())) out.country = 'country';
  if (form.buyer === 'company' && !/^[A-Z]{0,2}[0-9A-Z]{8,12}$/.test(form.vatId.replace(/\s+/g, '').toUpperCase())) out.vatId = 'vatId';
  if (!emailSchema.safeParse(form.email.trim()).success) out.email = form.email.trim() ? 'email' : 'required';
  return out;
}

/** The order document's billing and e-mail from a valid form (null otherwise). */
export function billingOf(form: BillingForm): { billing: z.infer<typeof billingSchema>; email: string } | null {
  if (Object.keys(billingProblems(form)).length > 0) return null;
  const billing = billingSchema.safeParse({
    name: form.name,
    street: form.street,
    postalCode: form.postalCode,
    city: form.city,
    country: form.country.trim().toUpperCase(),
    vatId: form.buyer === 'company' ? form.vatId.replace(/\s+/g, '').toUpperCase() : null,
  });
  return billing.success ? { billing: billing.data, email: form.email.trim() } : null;
}
