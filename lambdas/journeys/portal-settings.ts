import type { Client } from '@hubspot/api-client';
import { InvalidInputError, parseOrThrow, type PipelineStages, PortalSettings, type SettingsView, TouchpointDefinition, touchpointProblems } from '@touchpoints/contracts';
import { senderDomainView } from '../domain/sender-domain.js';
import { applyTemplate, journeyTemplates } from '../domain/templates.js';
import { SenderDomainNotVerifiedError, SenderDomainTakenError, UnmappedStepError } from '../errors.js';
import type { BackoffOptions } from '../hubspot/backoff.js';
import { readDealPipelines, readOwners } from '../hubspot/crm.js';
import { uninstallApp } from '../hubspot/writes.js';
import { logger } from '../logger.js';
import type { TouchpointsStore, Versioned } from '../store/store.js';
import { SenderVerification, type SenderVerificationPorts } from './sender-verification.js';
import { surveyMailFor, type SurveyLinks } from './survey-mail.js';

export interface PortalSettingsPorts extends SurveyLinks, Pick<SenderVerificationPorts, 'identities' | 'sharedSenderDomains'> {
  store: SenderVerificationPorts['store'] & Pick<TouchpointsStore, 'deleteTouchpoint' | 'forgetPortal' | 'getSettings' | 'getTouchpoint' | 'listTouchpoints' | 'recentChanges' | 'recordChange' | 'saveSettings' | 'saveTouchpoint'>;
  hubspot: { forPortal(portalId: number): Promise<Client> };
  sendMail: (raw: Buffer) => Promise<string>;
  now: () => Date;
  backoff?: BackoffOptions;
}

/** The admin making the change, as HubSpot vouched for them. */
export interface Admin {
  portalId: number;
  userEmail: string;
}

/**
 * What the settings page does with a portal's configuration: read it with the
 * live pipelines, save settings and touchpoints with optimistic concurrency
 * (the store refuses a stale version), start from a template, send a test
 * survey (once SES has verified the sender's domain). A sender on a domain another portal holds
 * is refused. Every change is checked
 * against HubSpot's current pipelines and written to the audit trail.
 */
export class PortalSettingsAdmin {
  private readonly senders: SenderVerification;

  constructor(private readonly ports: PortalSettingsPorts) {
    this.senders = new SenderVerification(ports);
  }

  async view(portalId: number): Promise<SettingsView> {
    const { store } = this.ports;
    const client = await this.ports.hubspot.forPortal(portalId);
    const settingsAndSender = store.getSettings(portalId).then(async (stored) => ({ stored, sender: stored && (await this.senders.current(portalId, stored.value.sender.email)) }));
    const [{ stored: settings, sender }, touchpoints, pipelines, changes, owners] = await Promise.all([
      settingsAndSender,
      store.listTouchpoints(portalId),
      readDealPipelines(client, this.ports.backoff),
      store.recentChanges(portalId),
      readOwners(client, this.ports.backoff),
    ]);
    const defaultLanguage = settings?.value.defaultLanguage ?? 'en';
    return {
      portal: settings ? { settings: settings.value, ...audit(settings) } : null,
      touchpoints: touchpoints.map((stored) => ({ touchpoint: stored.value, ...audit(stored), problems: touchpointProblems(stored.value, { pipelines, defaultLanguage }) })),
      pipelines,
      templates: journeyTemplates.map(({ id, name, steps, touchpoints: templateTouchpoints }) => ({ id, name, steps: steps.map(({ id: stepId, label, optional = false }) => ({ id: stepId, label, optional })), touchpointNames: templateTouchpoints.map(({ name: touchpointName }) => touchpointName) })),
      recentChanges: changes.map(({ changedAt, changedBy, change }) => ({ changedAt: changedAt.toISOString(), changedBy, change })),
      owners,
      senderDomain: sender ? senderDomainView(sender) : null,
    };
  }

  async savePortalSettings(admin: Admin, input: unknown, expectedVersion: number | null): Promise<number> {
    const settings = parseOrThrow(PortalSettings, input, 'portal settings');
    await this.senders.claim(admin.portalId, settings.sender.email);
    const version = await this.ports.store.saveSettings(admin.portalId, settings, { expectedVersion: expectedVersion ?? undefined, changedBy: admin.userEmail });
    await this.record(admin, `Saved the portal settings (version ${version})`);
    try {
      await this.senders.senderSaved(admin.portalId, settings.sender.email);
    } catch (error) {
      // The settings are saved; the page's next read (or the due λ) checks the sender with SES again.
      logger.error('sender domain check failed after a save', { portalId: admin.portalId, error: (error as Error).message });
    }
    return version;
  }

  async saveTouchpoint(admin: Admin, touchpointId: string, input: unknown, expectedVersion: number | null): Promise<number> {
    const parsed = parseOrThrow(TouchpointDefinition, input, 'touchpoint');
    if (parsed.id !== touchpointId) throw new InvalidInputError('touchpoint', [`id: must be ${touchpointId}, as in the address`]);
    const [settings, pipelines] = await Promise.all([this.ports.store.getSettings(admin.portalId), this.pipelines(admin.portalId)]);
    const touchpoint = onLostStage(parsed, pipelines);
    const problems = touchpointProblems(touchpoint, { pipelines, defaultLanguage: settings?.value.defaultLanguage ?? 'en' });
    if (problems.length) throw new InvalidInputError('touchpoint', problems);
    const version = await this.ports.store.saveTouchpoint(admin.portalId, touchpoint, { expectedVersion: expectedVersion ?? undefined, changedBy: admin.userEmail });
    await this.record(admin, `${expectedVersion === null ? 'Created' : 'Saved'} touchpoint "${touchpoint.name}"${touchpoint.enabled ? '' : ' (disabled)'} (version ${version})`);
    return version;
  }

  async deleteTouchpoint(admin: Admin, touchpointId: string, expectedVersion: number): Promise<void> {
    await this.ports.store.deleteTouchpoint(admin.portalId, touchpointId, expectedVersion);
    await this.record(admin, `Deleted touchpoint ${touchpointId}`);
  }

  /** Adds the template's touchpoints on the admin's stages; ones whose id is taken are left as they are. */
  async applyTemplate(admin: Admin, templateId: string, pipelineId: string, stageOfStep: Record<string, string>): Promise<{ created: string[]; skipped: string[] }> {
    const template = journeyTemplates.find(({ id }) => id === templateId);
    if (!template) throw new InvalidInputError('template', [`templateId: no template ${templateId}; choose one of ${journeyTemplates.map(({ id }) => id).join(', ')}`]);
    let touchpoints: TouchpointDefinition[];
    try {
      touchpoints = applyTemplate(template, pipelineId, stageOfStep);
    } catch (error) {
      if (error instanceof UnmappedStepError) throw new InvalidInputError('template choice', [`stageOfStep.${error.step}: choose the stage for this step`]);
      throw error;
    }
    const { store } = this.ports;
    const [pipelines, settings, existing] = await Promise.all([this.pipelines(admin.portalId), store.getSettings(admin.portalId), store.listTouchpoints(admin.portalId)]);
    touchpoints = touchpoints.map((touchpoint) => onLostStage(touchpoint, pipelines));
    const defaultLanguage = settings?.value.defaultLanguage ?? 'en';
    const problems = touchpoints.flatMap((touchpoint) => touchpointProblems(touchpoint, { pipelines, defaultLanguage }));
    if (problems.length) throw new InvalidInputError('template choice', [...new Set(problems)]);

    if (!settings) {
      // A portal's first configuration: surveys come from the admin until they set a sender.
      const defaults = PortalSettings.parse({ sender: { name: 'Touchpoints', email: admin.userEmail } });
      await store.saveSettings(admin.portalId, defaults, { expectedVersion: undefined, changedBy: admin.userEmail });
    }
    const taken = new Set(existing.map(({ value }) => value.id));
    const created: string[] = [];
    for (const touchpoint of touchpoints.filter(({ id }) => !taken.has(id))) {
      await store.saveTouchpoint(admin.portalId, touchpoint, { expectedVersion: undefined, changedBy: admin.userEmail });
      created.push(touchpoint.id);
    }
    await this.record(admin, `Applied the ${template.name} template: ${created.length} touchpoints created`);
    return { created, skipped: touchpoints.map(({ id }) => id).filter((id) => taken.has(id)) };
  }

  /**
   * "Disconnect Touchpoints": the app uninstalls itself in HubSpot, then
   * everything stored for the portal is deleted (surveys, answers, comments,
   * tokens) at once. An uninstall started in HubSpot instead is read from its
   * webhooks journal by the due λ (journeys/app-lifecycle.ts).
   */
  async uninstall(admin: Admin): Promise<number> {
    await uninstallApp(await this.ports.hubspot.forPortal(admin.portalId), this.ports.backoff);
    return this.ports.store.forgetPortal(admin.portalId);
  }

  /** The survey of one touchpoint, mailed to the admin; its links name no real invitation. */
  async sendTestSurvey(admin: Admin, touchpointId: string): Promise<string> {
    const { store } = this.ports;
    const [settings, stored] = await Promise.all([store.getSettings(admin.portalId), store.getTouchpoint(admin.portalId, touchpointId)]);
    if (!stored) throw new InvalidInputError('test survey', [`touchpointId: no touchpoint ${touchpointId}`]);
    if (!settings) throw new InvalidInputError('test survey', ['settings: save the portal settings (the sender) first']);
    const sender = await this.senders.current(admin.portalId, settings.value.sender.email);
    if (sender.state === 'taken') throw new SenderDomainTakenError(sender.domain);
    if (sender.state !== 'verified') throw new SenderDomainNotVerifiedError(sender.domain, sender.state);
    const raw = await surveyMailFor(this.ports, {
      portalId: admin.portalId,
      invitation: { dealId: '0', touchpointId, contactId: '0' },
      touchpoint: stored.value,
      settings: settings.value,
      to: admin.userEmail,
      language: settings.value.defaultLanguage,
      kind: 'survey',
      sentAt: this.ports.now(),
    });
    await this.ports.sendMail(raw);
    return admin.userEmail;
  }

  private async pipelines(portalId: number): Promise<PipelineStages[]> {
    return readDealPipelines(await this.ports.hubspot.forPortal(portalId), this.ports.backoff);
  }

  private record(admin: Admin, change: string): Promise<void> {
    return this.ports.store.recordChange(admin.portalId, { changedBy: admin.userEmail, changedAt: this.ports.now(), change });
  }
}

/**
 * A touchpoint on a stage HubSpot marks closed lost asks customers who chose someone else, however
 * the admin made it (by hand or from a template): its answers are reported apart, as lost deals.
 */
function onLostStage(touchpoint: TouchpointDefinition, pipelines: readonly PipelineStages[]): TouchpointDefinition {
  const stage = pipelines.find(({ id }) => id === touchpoint.trigger.pipelineId)?.stages.find(({ id }) => id === touchpoint.trigger.stageId);
  return stage?.closedAs === 'lost' ? { ...touchpoint, afterLostDeal: true } : touchpoint;
}

function audit(stored: Versioned<unknown>) {
  return { version: stored.version, changedAt: stored.changedAt.toISOString(), changedBy: stored.changedBy };
}
