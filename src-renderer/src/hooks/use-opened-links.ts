/**
 * obnova:// links from the CA's e-mails: the one the app was started with, and any opened while it runs.
 * Taking the link clears it in main, so a link opens its screen once.
 */
import { useEffect } from 'react';
import type { EventPayload, ObnovaApi } from '../../../src-shared/contract/index.js';

export type OpenedLink = EventPayload<'app.link-opened'>;

export function useOpenedLinks(api: ObnovaApi, onLink: (link: OpenedLink) => void): void {
  useEffect(() => {
    let active = true;
    const take = (): void => {
      void api.takeOpenedLink({}).then((result) => {
        if (active && result.ok && result.value) onLink(result.value);
      });
    };
    take();
    const unsubscribe = api.onLinkOpened(() => take());
    return () => {
      active = false;
      unsubscribe();
    };
  }, [api, onLink]);
}
