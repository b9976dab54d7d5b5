/**
 * The clicks on an invitation's survey links (domain/survey-clicks.ts): appended as they come,
 * one item per invitation under its deal, judged when they have settled; the verdicts stay
 * beside them, so what was taken for a scanner can be looked into later.
 */
import type { Score } from '@touchpoints/contracts';
import { maxKeptClicks, type AutomationSign, type ClickVia, type SurveyClick } from '../domain/survey-clicks.js';
import type { InvitationKey } from './invitations.js';
import { keys } from './keys.js';
import type { Item, TableAccess } from './table-access.js';

export interface InvitationClicks {
  clicks: SurveyClick[];
  /** The last judgement's verdicts, one per click it saw (the first `verdicts.length` clicks). */
  verdicts: (AutomationSign | null)[];
}

function clickFrom(stored: Item): SurveyClick {
  return {
    at: new Date(String(stored.at)),
    via: stored.via as ClickVia,
    ...(stored.score === undefined ? {} : { score: Number(stored.score) as Score }),
    ...(stored.comment === undefined ? {} : { comment: String(stored.comment) }),
    ...(stored.userAgent === undefined ? {} : { userAgent: String(stored.userAgent) }),
  };
}

/** User agents are the client's to choose: kept short, since they are only read for their traits. */
const maxUserAgentLength = 300;

export class SurveyClicks {
  constructor(private readonly table: TableAccess) {}

  /** Adds a click; false when the invitation already has all the clicks of its kind it keeps. */
  async recordClick(portalId: number, { dealId, touchpointId, contactId }: InvitationKey, click: SurveyClick): Promise<boolean> {
    const stored = {
      at: click.at.toISOString(),
      via: click.via,
      ...(click.score === undefined ? {} : { score: click.score }),
      ...(click.comment === undefined ? {} : { comment: click.comment }),
      ...(click.userAgent === undefined ? {} : { userAgent: click.userAgent.slice(0, maxUserAgentLength) }),
    };
    return this.table.updateIf(keys.surveyClicks(portalId, dealId, touchpointId, contactId), {
      UpdateExpression: 'SET clicks = list_append(if_not_exists(clicks, :none), :click), dealId = :dealId, touchpointId = :touchpointId, contactId = :contactId',
      ConditionExpression: 'attribute_not_exists(clicks) OR size(clicks) < :max',
      ExpressionAttributeValues: {
        ':none': [],
        ':click': [stored],
        ':max': click.via === 'form' ? maxKeptClicks.forms : maxKeptClicks.links,
        ':dealId': dealId,
        ':touchpointId': touchpointId,
        ':contactId': contactId,
      },
    });
  }

  async getClicks(portalId: number, { dealId, touchpointId, contactId }: InvitationKey): Promise<InvitationClicks | undefined> {
    const item = await this.table.get(keys.surveyClicks(portalId, dealId, touchpointId, contactId));
    if (!item) return undefined;
    return { clicks: (item.clicks as Item[]).map(clickFrom), verdicts: (item.verdicts as (AutomationSign | null)[] | undefined) ?? [] };
  }

  /** Keeps a judgement of the first `verdicts.length` clicks, unless one of more clicks is already kept. */
  async recordVerdicts(portalId: number, { dealId, touchpointId, contactId }: InvitationKey, verdicts: readonly (AutomationSign | null)[]): Promise<void> {
    await this.table.updateIf(keys.surveyClicks(portalId, dealId, touchpointId, contactId), {
      UpdateExpression: 'SET verdicts = :verdicts',
      ConditionExpression: 'attribute_exists(clicks) AND (attribute_not_exists(verdicts) OR size(verdicts) <= :count)',
      ExpressionAttributeValues: { ':verdicts': verdicts, ':count': verdicts.length },
    });
  }

  forgetClicks(portalId: number, { dealId, touchpointId, contactId }: InvitationKey): Promise<void> {
    return this.table.delete(keys.surveyClicks(portalId, dealId, touchpointId, contactId));
  }
}
