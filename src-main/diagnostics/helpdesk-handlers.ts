/**
 * Handlers for the helpdesk calls — diagnostics, settings, support bundle, reminders — kept out of
 * main-services.ts, which only spreads them into its table.
 */
import { randomUUID } from 'node:crypto';
import { ObnovaError } from '../../src-shared/contract/errors.js';
import type { Locale } from '../../src-shared/contract/schemas/app.js';
import type { DiagnosticsRunInput } from '../../src-shared/contract/schemas/diagnostics.js';
import type { SettingsView } from '../../src-shared/contract/schemas/settings.js';
import type { BundleFile } from '../../src-shared/contract/schemas/support.js';
import type { Logger } from '../app/logger.js';
import type { Handlers } from '../ipc/dispatch.js';
import { dueReminders } from '../reminders/expiry-reminders.js';
import { loadDeployments } from '../settings/deployments.js';
import { createSettingsStore, defaultSettings, type SettingsStore } from '../settings/settings-store.js';
import { collectBundleFiles, writeBundle } from '../support/support-bundle.js';
import { findNativeConfigDir } from '../token/native-config.js';
import type { TokenService } from '../token/token-service.js';
import { runDiagnostics } from './run-diagnostics.js';
import type { TraceSink } from '../token/call-trace.js';

type HelpdeskCalls = 'diagnostics.run' | 'settings.get' | 'settings.update' | 'settings.reset' | 'support.preview' | 'support.create' | 'reminders.list';

export interface HelpdeskDeps {
  appDataDir: string;
  env: NodeJS.ProcessEnv;
  mode: 'electron' | 'web';
  appVersion: string;
  moduleArgument?: string | undefined;
  log: Logger;
  /** The locale of the OS, used when settings say "follow the system". */
  systemLocale: () => Locale;
  /** The app's token service and the library path it loaded; throws when no module can be resolved. */
  tokens: () => { service: TokenService; path: string };
  /** Drops the app's token service so the next call resolves the module again (after extraModulePaths change). */
  resetTokens: () => Promise<void>;
  /** The PKCS#11 call trace (--trace): the libraries diagnostics loads for itself report to it too. */
  trace?: TraceSink | undefined;
  serviceTimeoutMs?: number;
}

/** How many previews are kept for support.create (a preview is only needed until the holder saves). */
const keptPreviews = 4;

/** The settings store and the helpdesk handlers over it. */
export function createHelpdeskHandlers(deps: HelpdeskDeps): { store: SettingsStore; handlers: Pick<Handlers, HelpdeskCalls> } {
  const store = createSettingsStore(deps.appDataDir);
  const previews = new Map<string, BundleFile[]>();

  const deployments = () => {
    try {
      return loadDeployments(findNativeConfigDir({ env: deps.env })).deployments;
    } catch {
      return [];
    }
  };

  const view = (): SettingsView => {
    const list = deployments();
    return { settings: store.get(), defaults: { ...defaultSettings }, deployments: list, effectiveServiceUrl: store.effectiveServiceUrl(list), path: store.path };
  };

  const applyLogLevel = (): void => {
    deps.log.level = store.get().logLevel;
  };

  const diagnose = async (input: DiagnosticsRunInput) => {
    const settings = store.get();
    let shared: { path: string; service: TokenService } | undefined;
    try {
      shared = deps.tokens();
    } catch {
      // No module the app could use: diagnostics says why, module by module.
    }
    return runDiagnostics({
      locale: input.locale ?? settings.language ?? deps.systemLocale(),
      appVersion: deps.appVersion,
      mode: deps.mode,
      env: deps.env,
      moduleArgument: deps.moduleArgument,
      extraModulePaths: settings.extraModulePaths,
      // The same URL the renewal client uses: OBNOVA_SERVICE_URL (demo, tests), else Settings.
      serviceUrl: deps.env.OBNOVA_SERVICE_URL || store.effectiveServiceUrl(deployments()),
      skipService: input.skipService === true,
      reminderLeadDays: settings.reminderLeadDays,
      shared,
      trace: deps.trace,
      appDataDir: deps.appDataDir,
      ...(deps.serviceTimeoutMs ? { serviceTimeoutMs: deps.serviceTimeoutMs } : {}),
    });
  };

  const collect = async (): Promise<BundleFile[]> => collectBundleFiles({ appDataDir: deps.appDataDir, report: await diagnose({}) });

  return {
    store,
    handlers: {
      'diagnostics.run': diagnose,
      'settings.get': async () => view(),
      'settings.update': async (change) => {
        const before = store.get();
        store.update(change);
        applyLogLevel();
        if (change.extraModulePaths && JSON.stringify(change.extraModulePaths) !== JSON.stringify(before.extraModulePaths)) await deps.resetTokens();
        deps.log.info({ source: 'settings', changed: Object.keys(change) }, 'settings updated');
        return view();
      },
      'settings.reset': async () => {
        store.reset();
        applyLogLevel();
        await deps.resetTokens();
        deps.log.info({ source: 'settings' }, 'settings reset to defaults');
        return view();
      },
      'support.preview': async () => {
        const files = await collect();
        const id = randomUUID();
        previews.set(id, files);
        while (previews.size > keptPreviews) previews.delete(previews.keys().next().value!);
        return { id, files };
      },
      'support.create': async (input) => {
        let files = input.previewId ? previews.get(input.previewId) : undefined;
        if (input.previewId && !files) throw new ObnovaError('INPUT_INVALID', 'the preview has expired; show the preview again', { field: 'previewId' });
        files ??= await collect();
        const result = writeBundle(files, { appDataDir: deps.appDataDir });
        deps.log.info({ source: 'support', files: result.files.length, sizeBytes: result.sizeBytes }, 'support bundle written');
        return result;
      },
      'reminders.list': async () => {
        const leadDays = store.get().reminderLeadDays;
        const checkedAt = new Date();
        try {
          const list = await deps.tokens().service.listCertificates({});
          return { leadDays, checkedAt: checkedAt.toISOString(), reminders: dueReminders(list.certificates, leadDays, checkedAt) };
        } catch (error) {
          // No module or no card: nothing to remind about now; the next check will look again.
          if (error instanceof ObnovaError && error.code.startsWith('TOKEN_')) return { leadDays, checkedAt: checkedAt.toISOString(), reminders: [] };
          throw error;
        }
      },
    },
  };
}
