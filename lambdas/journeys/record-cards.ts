import { type CardData, type CardRequest, defaultLightThresholds, type LightThresholds, type TouchpointDefinition } from '@touchpoints/contracts';
import { recordCard } from '../domain/card.js';
import type { SenderDomainCheck } from '../domain/sender-domain.js';
import type { TouchpointsStore } from '../store/store.js';

export interface RecordCardPorts {
  store: Pick<TouchpointsStore, 'getSenderDomain' | 'getSettings' | 'listTouchpoints' | 'recordActivity'>;
  now: () => Date;
  /** How long a container keeps a portal's touchpoints and thresholds (admins' edits show within it). */
  configTtlMs?: number;
}

interface PortalConfig {
  touchpoints: TouchpointDefinition[];
  thresholds: LightThresholds;
  senderDomain: SenderDomainCheck | undefined;
}

const defaultConfigTtlMs = 60_000;

/**
 * The data of the CRM card for one record: one Query on the record's
 * partition per request. The portal's touchpoints, light thresholds and
 * sender domain check change rarely and are kept per container for a minute.
 */
export class RecordCards {
  private readonly configs = new Map<number, { expiresAt: number; config: Promise<PortalConfig> }>();

  constructor(private readonly ports: RecordCardPorts) {}

  async card(portalId: number, request: CardRequest): Promise<CardData> {
    const now = this.ports.now();
    const [config, activity] = await Promise.all([
      this.portalConfig(portalId, now),
      this.ports.store.recordActivity(portalId, request),
    ]);
    return recordCard({ record: request, ...config, ...activity, now });
  }

  private portalConfig(portalId: number, now: Date): Promise<PortalConfig> {
    const cached = this.configs.get(portalId);
    if (cached && cached.expiresAt > now.getTime()) return cached.config;
    const { store } = this.ports;
    const config = Promise.all([store.listTouchpoints(portalId), store.getSettings(portalId), store.getSenderDomain(portalId)]).then(([touchpoints, settings, senderDomain]) => ({
      touchpoints: touchpoints.map(({ value }) => value),
      thresholds: settings?.value.lightThresholds ?? defaultLightThresholds,
      senderDomain,
    }));
    config.catch(() => this.configs.delete(portalId)); // a failed read is not kept
    this.configs.set(portalId, { expiresAt: now.getTime() + (this.ports.configTtlMs ?? defaultConfigTtlMs), config });
    return config;
  }
}
