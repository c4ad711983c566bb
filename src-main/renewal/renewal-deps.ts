/** What the renewal journey and export share inside main: certificate bytes from the card, trust anchors, the service. */
import type { Certificate } from '../../src-shared/pki/certificate.js';
import type { CertificateSource } from '../export/certificate-source.js';
import { createRevocationChecker, type RevocationChecker } from '../revocation/revocation-checker.js';
import type { CallOptions } from '../service-client/http-call.js';
import { createCmpClient, type CmpClient } from '../service-client/cmp-client.js';
import { createRenewalClient, type RenewalClient } from '../service-client/renewal-client.js';
import type { ServiceWait } from '../service-client/service-wait.js';
import type { Deployment } from '../../src-shared/contract/schemas/settings.js';
import { loadDeployments } from '../settings/deployments.js';
import { findNativeConfigDir } from '../token/native-config.js';
import type { TokenService } from '../token/token-service.js';
import { loadTrustAnchors, trustDirs } from './trust-anchors.js';

export interface RenewalDeps {
  certificateSource: CertificateSource;
  trustAnchors(): Promise<Certificate[]>;
  /** The service client for the URL in effect (OBNOVA_SERVICE_URL, else Settings), or null when there is none. */
  client(): RenewalClient | null;
  /** The service URL in effect, or null. */
  serviceUrl(): string | null;
  /** The CMP client when the deployment in effect names a CMP endpoint (OBNOVA_CMP_URL overrides), else null: Receive then uses v1's pickup. */
  cmp(): CmpClient | null;
  revocation: RevocationChecker;
  /** Options for every service call: the shared cancel signal and the wait reporter. */
  callOptions(): CallOptions;
  /** Stops the service calls in progress (they end with CANCELLED); returns how many were told. */
  cancel(): number;
}

export interface RenewalDepsOptions {
  tokens: () => TokenService;
  env: NodeJS.ProcessEnv;
  appDataDir: string;
  /** The service URL Settings put in effect for these deployments (helpdesk's settings store). */
  settingsServiceUrl: (deployments: Deployment[]) => string | null;
  /** Told whenever a service call waits to try again. */
  onWait?: (wait: ServiceWait) => void;
}

export function createRenewalDeps(options: RenewalDepsOptions): RenewalDeps {
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
  const clients = new Map<string, RenewalClient>();
  // One controller for the calls of the moment; a cancel aborts it and the next call gets a fresh one.
  let controller = new AbortController();
  let handedOut = 0;
  const deployments = (): Deployment[] => {
    const dir = configDir();
    return dir ? loadDeployments(dir).deployments : [];
  };
  const serviceUrl = (): string | null => options.env.OBNOVA_SERVICE_URL || options.settingsServiceUrl(deployments());
  const cmpClients = new Map<string, CmpClient>();
  const cmpUrl = (): string | null => {
    if (options.env.OBNOVA_CMP_URL) return options.env.OBNOVA_CMP_URL;
    // One read of the deployment files gives both the service URL in effect and its deployment's CMP endpoint.
    const known = deployments();
    const url = options.env.OBNOVA_SERVICE_URL || options.settingsServiceUrl(known);
    return (url && known.find((d) => d.serviceUrl === url)?.cmpUrl) || null;
  };
  return {
    cmp: () => {
      const url = cmpUrl();
      if (!url) return null;
      let client = cmpClients.get(url);
      if (!client) cmpClients.set(url, (client = createCmpClient({ url })));
      return client;
    },
    certificateSource: { certificateValues: (slotId) => options.tokens().certificateValues(slotId) },
    // Read on every call: the demo writes its root into <appData>/trust while the app runs.
    trustAnchors: async () => (await loadTrustAnchors(trustDirs(configDir(), options.appDataDir))).anchors,
    serviceUrl,
    client: () => {
      const url = serviceUrl();
      if (!url) return null;
      let client = clients.get(url);
      if (!client) {
        client = createRenewalClient({ baseUrl: url });
        clients.set(url, client);
      }
      return client;
    },
    revocation: createRevocationChecker(),
    callOptions: () => {
      handedOut++;
      return { signal: controller.signal, onWait: options.onWait };
    },
    cancel: () => {
      const told = handedOut;
      controller.abort();
      controller = new AbortController();
      handedOut = 0;
      return told;
    },
  };
}
