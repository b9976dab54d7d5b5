/**
 * What the card, the settings page and the back end agree on: the touchpoint
 * and settings schemas, lights, languages, the card, settings and report API
 * contracts, and how a time is shown to a person. One package (an npm workspace of the HubSpot project), so
 * every extension and every λ imports the same definitions by name.
 */
export * from './card-api.js';
export * from './connection.js';
export * from './duration.js';
export * from './interviews-api.js';
export * from './language.js';
export * from './light.js';
export * from './report-api.js';
export * from './report-format.js';
export * from './sender-domain.js';
export * from './settings.js';
export * from './settings-api.js';
export * from './settings-checks.js';
export * from './time-display.js';
export * from './touchpoint.js';
export * from './validation.js';
