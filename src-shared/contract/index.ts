/** The one typed contract for IPC, the web-mode bridge, the CLI and (later) HTTP to the service. */
export * from './errors.js';
export * from './calls.js';
export * from './events.js';
export * from './api.js';
export * from './schemas/app.js';
export * from './schemas/token.js';
export * from './schemas/certificate.js';
export * from './schemas/diagnostics.js';
export * from './schemas/settings.js';
export * from './schemas/support.js';
export * from './schemas/reminders.js';
export * from './schemas/export.js';
export * from './schemas/pin.js';
export * from './schemas/renewal.js';
export * from './schemas/renewal-order.js';
export * from './schemas/renewal-receive.js';
