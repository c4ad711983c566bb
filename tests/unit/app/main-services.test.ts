import { describe, expect, it } from 'vitest';
import { createLogger } from '../../../src-main/app/logger.js';
import { createMainServices } from '../../../src-main/app/main-services.js';

const log = createLogger({ level: 'silent' });

describe('main services: app.info', () => {
  it.each([
    ['sr_RS.UTF-8@latin', 'sr-Latn'],
    ['sr_RS.UTF-8', 'sr-Cyrl'],
    ['sl_SI.UTF-8', 'sl'],
    ['en_US.UTF-8', 'en'],
  ])('maps LANG=%s to %s', async (lang, locale) => {
    const services = createMainServices({ mode: 'web', log, env: { LANG: lang } });
    expect((await services.handlers['app.info']({})).systemLocale).toBe(locale);
    await services.close();
  });

  it('prefers the locale Electron reports over the environment', async () => {
    const services = createMainServices({ mode: 'electron', log, env: { LANG: 'en_US.UTF-8' }, systemLocale: 'sl-SI' });
    expect(await services.handlers['app.info']({})).toMatchObject({ mode: 'electron', systemLocale: 'sl', name: 'Obnova' });
    await services.close();
  });
});
