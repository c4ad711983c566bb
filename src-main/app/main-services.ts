/**
 * The main process's services, free of Electron: the same object serves the Electron shell (IPC),
 * web mode (loopback bridge) and the CLI.
 */
import packageJson from '../../package.json' with { type: 'json' };
import type { AppInfo } from '../../src-shared/contract/index.js';
import { resolveLocale } from '../../src-shared/i18n/index.js';
import { existsSync } from 'node:fs';
import { resolveModule, type ResolvedModule } from '../token/module-resolver.js';
import type { TraceSink } from '../token/call-trace.js';
import { createTokenService, type TokenService } from '../token/token-service.js';
import type { Handlers } from '../ipc/dispatch.js';
import { createPinHandlers } from '../card-tools/pin-handlers.js';
import { createHelpdeskHandlers } from '../diagnostics/helpdesk-handlers.js';
import { resolveAppDataDir } from '../settings/app-data-dir.js';
import { createExportHandler } from '../export/export-handler.js';
import { createOrderOutbox } from '../orders/order-outbox.js';
import { createOrderStore } from '../orders/order-store.js';
import { plainFileBox, type SecretBox } from '../orders/secret-box.js';
import { createCheckHandler } from '../renewal/check-handler.js';
import { createOrderFlow } from '../renewal/order-flow.js';
import { createReceiveFlow } from '../renewal/receive/receive-flow.js';
import { createNewCardFlow } from '../renewal/new-card-flow.js';
import { createRenewalDeps } from '../renewal/renewal-deps.js';
import { EventHub } from './event-hub.js';
import { LinkInbox } from './link-inbox.js';
import type { Logger } from './logger.js';

export interface MainServicesOptions {
  mode: AppInfo['mode'];
  log: Logger;
  /** `--module PATH` from the command line, ahead of the environment and probing. */
  moduleArgument?: string;
  env?: NodeJS.ProcessEnv;
  /** The OS locale string (Electron's app.getLocale(), or LANG / Intl under Node). */
  systemLocale?: string;
  /** Settings, logs, journal and support bundles; Electron passes app.getPath('userData'). Default: OBNOVA_APP_DATA or the OS convention. */
  appDataDir?: string;
  /** Seals order access tokens (Electron: safeStorage); a 0600 file otherwise. */
  secretBox?: SecretBox;
  /** Opt-in PKCS#11 call trace (names, results, times; no values): every library the app or diagnostics loads reports to it. */
  trace?: TraceSink;
}

export interface MainServices {
  readonly handlers: Handlers;
  readonly events: EventHub;
  /** obnova:// links the shell received, kept until the window takes them. */
  readonly links: LinkInbox;
  /** Starts pushing tokens.changed events; returns a stop function. */
  watchTokens(intervalMs?: number): () => void;
  close(): Promise<void>;
}

export function createMainServices(options: MainServicesOptions): MainServices {
  const env = options.env ?? process.env;
  const events = new EventHub();
  const links = new LinkInbox(events);
  let tokenService: TokenService | undefined;
  let tokenModule: ResolvedModule | undefined;
  const appDataDir = options.appDataDir ?? resolveAppDataDir({ env });
  const systemLocale = () => resolveLocale(options.systemLocale ?? systemLocaleFromEnv(env));

  // Resolved on first use and again after a failure, so installing middleware while the app runs works.
  const tokens = (): TokenService => {
    if (!tokenService) {
      const module = resolveWithSettings();
      tokenService = createTokenService({ module, trace: options.trace });
      tokenModule = module;
    }
    return tokenService;
  };

  // --module and OBNOVA_PKCS11_MODULE first, then an existing extra path from Settings, then probing.
  const resolveWithSettings = (): ResolvedModule => {
    if (options.moduleArgument || env.OBNOVA_PKCS11_MODULE) return resolveModule({ argument: options.moduleArgument, env });
    const extra = helpdesk.store.get().extraModulePaths.find((path) => existsSync(path));
    if (extra) return { ...resolveModule({ argument: extra, env }), source: 'settings' as ResolvedModule['source'] };
    return resolveModule({ env });
  };

  const helpdesk = createHelpdeskHandlers({
    appDataDir,
    env,
    mode: options.mode,
    appVersion: packageJson.version,
    moduleArgument: options.moduleArgument,
    log: options.log,
    systemLocale,
    tokens: () => ({ service: tokens(), path: tokenModule?.path ?? '' }),
    trace: options.trace,
    resetTokens: async () => {
      const old = tokenService;
      tokenService = undefined;
      await old?.close();
    },
  });

  const renewal = createRenewalDeps({
    tokens,
    env,
    appDataDir,
    settingsServiceUrl: (deployments) => helpdesk.store.effectiveServiceUrl(deployments),
    onWait: (wait) => events.emit('renewal.waiting', wait),
  });

  const secretBox = options.secretBox ?? plainFileBox;
  const orderStore = createOrderStore(appDataDir, secretBox);
  // The card is looked up on every call: the token service is created lazily and replaced after a module change.
  const card = {
    login: (...a: Parameters<TokenService['login']>) => tokens().login(...a),
    signer: (...a: Parameters<TokenService['signer']>) => tokens().signer(...a),
    generateKeyPair: (...a: Parameters<TokenService['generateKeyPair']>) => tokens().generateKeyPair(...a),
    findKeyPair: (...a: Parameters<TokenService['findKeyPair']>) => tokens().findKeyPair(...a),
    writeCertificate: (...a: Parameters<TokenService['writeCertificate']>) => tokens().writeCertificate(...a),
  };
  const orders = createOrderFlow({ ...renewal, card, store: orderStore, outbox: createOrderOutbox(appDataDir), tokenStorage: secretBox.kind });
  const receiving = createReceiveFlow({
    ...renewal,
    card,
    store: orderStore,
    appDataDir,
    listCertificates: () => tokens().listCertificates({}),
    onProgress: (progress) => events.emit('renewal.progress', progress),
  });
  const newCards = createNewCardFlow({ ...renewal, store: orderStore, listCertificates: () => tokens().listCertificates({}) });

  const handlers: Handlers = {
    'app.info': async () => ({
      name: 'Obnova',
      version: packageJson.version,
      mode: options.mode,
      systemLocale: systemLocale(),
    }),
    'app.takeOpenedLink': async () => links.take(),
    'tokens.list': async () => tokens().listTokens(),
    'certificates.list': async (selector) => tokens().listCertificates(selector),
    ...helpdesk.handlers,
    ...createPinHandlers({
      tokens,
      unblockStrategy: () => tokenModule?.pinUnblockStrategy ?? 'so-login-init-pin',
      pinStateReported: () => tokenModule?.pinFlagsBeforeFailedLogin !== false,
      log: options.log,
    }),
    'export.certificate': createExportHandler({ source: renewal.certificateSource, trustAnchors: renewal.trustAnchors, systemLocale }),
    'renewal.check': createCheckHandler(renewal),
    'renewal.prepareOrder': (ref) => orders.prepareOrder(ref),
    'renewal.placeOrder': (input) => orders.placeOrder(input),
    'orders.list': async () => orders.listOrders(),
    'orders.refresh': ({ orderId }) => orders.refreshOrder(orderId),
    'orders.resend': ({ id }) => orders.resendOrder(id),
    'orders.invoice': ({ orderId }) => orders.invoice(orderId),
    'renewal.receive': ({ orderId, pin }) => receiving.receive(orderId, pin),
    'renewal.completeNewCard': ({ orderId }) => newCards.completeNewCard(orderId),
    'renewal.cancel': async () => ({ cancelled: renewal.cancel() }),
  };

  const watchTokens = (intervalMs = 2000): (() => void) => {
    let stopWatch: (() => void) | undefined;
    let retry: NodeJS.Timeout | undefined;
    const start = (): void => {
      try {
        stopWatch = tokens().watch(() => events.emit('tokens.changed', { at: new Date().toISOString() }), intervalMs);
      } catch (error) {
        options.log.debug({ err: error }, 'token watch not started; retrying');
        retry = setTimeout(start, intervalMs * 2);
        retry.unref();
      }
    };
    start();
    return () => {
      clearTimeout(retry);
      stopWatch?.();
    };
  };

  return {
    handlers,
    events,
    links,
    watchTokens,
    close: async () => {
      await tokenService?.close();
      tokenService = undefined;
    },
  };
}

/** The raw OS locale string; resolveLocale understands glibc forms such as sr_RS.UTF-8@latin. */
function systemLocaleFromEnv(env: NodeJS.ProcessEnv): string {
  const fromEnv = env.LC_ALL || env.LC_MESSAGES || env.LANG;
  if (fromEnv && fromEnv !== 'C' && fromEnv !== 'POSIX') return fromEnv;
  return Intl.DateTimeFormat().resolvedOptions().locale;
}
