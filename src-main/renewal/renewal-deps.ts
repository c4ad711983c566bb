/** What the renewal journey and export share inside main: certificate bytes from the card and the trust anchors. */
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { Certificate } from '../../src-shared/pki/certificate.js';
import type { CertificateSource } from '../export/certificate-source.js';
import { findNativeConfigDir } from '../token/native-config.js';
import type { TokenService } from '../token/token-service.js';
import { loadTrustAnchors, trustDirs } from './trust-anchors.js';

export interface RenewalDeps {
  certificateSource: CertificateSource;
  trustAnchors(): Promise<Certificate[]>;
}

/** The token layer's certificate value reader, when it offers one (docs/renewal.md, "Depends on"). */
type ValueReader = Partial<CertificateSource>;

export function createRenewalDeps(options: { tokens: () => TokenService; env: NodeJS.ProcessEnv; appDataDir: string }): RenewalDeps {
  let nativeConfigDir: string | null | undefined;
  const configDir = (): string | null => {
    if (nativeConfigDir === undefined) {
      try {
        nativeConfigDir = findNativeConfigDir({ env: options.env });
      } catch {
        nativeConfigDir = null;
      }
    }
    return nativeConfigDir;
  };
  return {
    certificateSource: {
      certificateValues: async (slotId) => {
        const service = options.tokens() as TokenService & ValueReader;
        if (typeof service.certificateValues !== 'function') {
          throw new ObnovaError('INTERNAL', 'the token layer has no certificate value reader (TokenService.certificateValues)');
        }
        return service.certificateValues(slotId);
      },
    },
    // Read on every call: the demo writes its root into <appData>/trust while the app runs.
    trustAnchors: async () => (await loadTrustAnchors(trustDirs(configDir(), options.appDataDir))).anchors,
  };
}
