/** The renewal protocol v1 between the app and the CA's service (docs/protocol.md). */
export * from './policy.js';
export * from './challenge.js';
export * from './eligibility.js';
export * from './order.js';
export * from './problem.js';
