import { z } from 'zod';
import { SenderDomainView } from './sender-domain.js';
import { PortalSettings } from './settings.js';
import { TouchpointDefinition } from './touchpoint.js';

/**
 * The settings page's conversation with the settings λ (all through signed
 * `hubspot.fetch`; the portal and the user come from HubSpot, never from here).
 *
 *   GET    /settings                              → SettingsView
 *   PUT    /settings/portal                       PortalSettingsWrite → Saved
 *   PUT    /settings/touchpoints/{id}             TouchpointWrite     → Saved
 *   DELETE /settings/touchpoints/{id}?expectedVersion=N              → 204
 *   POST   /settings/templates/{templateId}       TemplateChoice      → TemplateApplied
 *   POST   /settings/test-survey                  TestSurveyRequest   → TestSurveySent
 *   DELETE /settings/install                                          → 204 (uninstalls the app, deletes the portal's data)
 *
 * Refusals: 400 `Problems` (each problem names its field: "trigger.stageId: …"),
 * 409 `Problems` when the edit was based on a version someone else replaced.
 */

const Version = z.int().positive();
const Audit = { version: Version, changedAt: z.iso.datetime(), changedBy: z.string() };

export const PipelineView = z.object({
  id: z.string(),
  label: z.string(),
  stages: z.array(z.object({ id: z.string(), label: z.string() })),
});
export type PipelineView = z.infer<typeof PipelineView>;

export const TouchpointView = z.object({
  touchpoint: TouchpointDefinition,
  ...Audit,
  /** What is wrong with it now, e.g. its stage was deleted in HubSpot: shown, never silently ignored. */
  problems: z.array(z.string()),
});
export type TouchpointView = z.infer<typeof TouchpointView>;

export const TemplateView = z.object({
  id: z.string(),
  name: z.string(),
  /** The journey steps the admin maps onto their own pipeline stages. */
  steps: z.array(
    z.object({
      id: z.string(),
      label: z.string(),
      /** A step the portal may not have (a lost stage): left without a stage, its touchpoints are not made. */
      optional: z.boolean().default(false),
    }),
  ),
  touchpointNames: z.array(z.string()),
});
export type TemplateView = z.infer<typeof TemplateView>;

export const ChangeView = z.object({ changedAt: z.iso.datetime(), changedBy: z.string(), change: z.string() });

export const SettingsView = z.object({
  /** Null until the portal's settings are first saved (or a template is applied). */
  portal: z.object({ settings: PortalSettings, ...Audit }).nullable(),
  touchpoints: z.array(TouchpointView),
  pipelines: z.array(PipelineView),
  templates: z.array(TemplateView),
  /** Who changed what and when, newest first (the last 20). */
  recentChanges: z.array(ChangeView),
  /** The portal's users who own records: the report's owner filter. */
  owners: z.array(z.object({ id: z.string(), name: z.string() })),
  /** The sender's domain in SES (null until a sender is saved): surveys wait until it is verified. */
  senderDomain: SenderDomainView.nullable(),
});
export type SettingsView = z.infer<typeof SettingsView>;

/** `expectedVersion` is the version the page read; null when creating. */
export const PortalSettingsWrite = z.object({ settings: z.unknown(), expectedVersion: Version.nullable() }).strict();
export const TouchpointWrite = z.object({ touchpoint: z.unknown(), expectedVersion: Version.nullable() }).strict();
export const TemplateChoice = z
  .object({ pipelineId: z.string().min(1), stageOfStep: z.record(z.string(), z.string().min(1)) })
  .strict();
export const TestSurveyRequest = z.object({ touchpointId: z.string().min(1) }).strict();

export const Saved = z.object({ version: Version });
export const TemplateApplied = z.object({ created: z.array(z.string()), skipped: z.array(z.string()) });
export const TestSurveySent = z.object({ sentTo: z.string() });
export const Problems = z.object({ message: z.string(), problems: z.array(z.string()).optional() });
export type Problems = z.infer<typeof Problems>;
