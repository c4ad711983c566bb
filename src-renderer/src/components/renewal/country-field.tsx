/**
 * The billing country as a choice of the markets' countries (Slovenia, Serbia), named in the holder's language
 * with the ISO code underneath as the value; a country the certificate names beyond those is offered too.
 */
import { useId } from 'react';
import { intlTags, type Locale } from '../../../../src-shared/i18n/core.js';
import type { Market } from '../../../../src-shared/contract/protocol/policy.js';

const marketCountries: Record<Market, string> = { si: 'SI', rs: 'RS' };

export function countryChoices(market: Market, certificateCountry: string | null): string[] {
  const own = marketCountries[market];
  const others = Object.values(marketCountries).filter((c) => c !== own);
  const extra = certificateCountry && /^[A-Z]{2}$/.test(certificateCountry) ? [certificateCountry] : [];
  return [...new Set([own, ...others, ...extra])];
}

/** A country as the holder reads it: its name in the holder's language, then its ISO code. */
export function countryName(code: string, locale: Locale): string {
  return `${new Intl.DisplayNames([intlTags[locale]], { type: 'region' }).of(code) ?? code} (${code})`;
}

export function CountryField(props: { label: string; value: string; choices: readonly string[]; locale: Locale; onChange: (value: string) => void; testId: string }) {
  const id = useId();
  return (
    <div className="field">
      <label htmlFor={id} className="field__label">
        {props.label}
      </label>
      <select id={id} className="field__input" value={props.value} autoComplete="country" onChange={(e) => props.onChange(e.target.value)} data-testid={props.testId}>
        {props.choices.map((code) => (
          <option key={code} value={code}>
            {countryName(code, props.locale)}
          </option>
        ))}
      </select>
    </div>
  );
}
