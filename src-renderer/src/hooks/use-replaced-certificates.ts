/** Fingerprints of the certificates a completed renewal replaced (from the stored orders), so they stop warning about expiry. */
import { useEffect, useState } from 'react';
import type { ObnovaApi } from '../../../src-shared/contract/index.js';
import { replacedFingerprints } from '../model/order-certificates.js';

const none: ReadonlySet<string> = new Set();

export function useReplacedCertificates(api: ObnovaApi): ReadonlySet<string> {
  const [replaced, setReplaced] = useState<ReadonlySet<string>>(none);
  useEffect(() => {
    let live = true;
    const load = (): void => {
      void api.listOrders({}).then((result) => live && result.ok && setReplaced(replacedFingerprints(result.value.orders)));
    };
    load();
    // A receive finishing (renewal.progress "installed") is when a certificate becomes replaced.
    const stop = api.onRenewalProgress((p) => p.step === 'installed' && p.state === 'done' && load());
    return () => {
      live = false;
      stop();
    };
  }, [api]);
  return replaced;
}
