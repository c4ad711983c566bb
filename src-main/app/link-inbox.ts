/**
 * Holds the obnova:// link opened last until the window takes it: a link can arrive before the
 * renderer has loaded (the app was started by it), so an event alone could be missed.
 */
import type { EventHub } from './event-hub.js';
import type { DeepLink } from './deep-link.js';

export class LinkInbox {
  private pending: DeepLink | null = null;

  constructor(private readonly events: EventHub) {}

  /** Keeps the link and tells any open window about it. */
  deliver(link: DeepLink): void {
    this.pending = link;
    this.events.emit('app.link-opened', link);
  }

  /** The link not yet shown, once. */
  take(): DeepLink | null {
    const link = this.pending;
    this.pending = null;
    return link;
  }
}
