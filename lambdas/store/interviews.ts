/**
 * Interview tasks (domain/interviews.ts): each is kept twice, like an invitation's mirrors. The
 * portal's interview partition holds them by when they were asked for, so the recent ones are one
 * Query however long the portal's history; the copy in the touchpoint's month (the answered
 * invitation's) is what that month's summary counts, read with the month's other raw items.
 */
import type { Interview } from '../domain/interviews.js';
import { keys } from './keys.js';
import type { InvitationKey } from './invitations.js';
import type { Item, TableAccess } from './table-access.js';

/** A stored interview, from either of its two items. */
export function interviewFrom(item: Item): Interview {
  return {
    touchpointId: String(item.touchpointId),
    dealId: String(item.dealId),
    contactId: String(item.contactId),
    period: String(item.period),
    ...(item.ownerId ? { ownerId: String(item.ownerId) } : {}),
    ...(item.ownerName ? { ownerName: String(item.ownerName) } : {}),
    taskId: String(item.taskId),
    subject: String(item.subject),
    requestedAt: new Date(String(item.requestedAt)),
    ...(item.notedAt ? { notedAt: new Date(String(item.notedAt)) } : {}),
  };
}

function interviewItem(interview: Interview): Item {
  const { requestedAt, notedAt, ...rest } = interview;
  return { ...rest, requestedAt: requestedAt.toISOString(), ...(notedAt ? { notedAt: notedAt.toISOString() } : {}) };
}

const copyKey = (portalId: number, { touchpointId, period, dealId, contactId }: Pick<Interview, 'touchpointId' | 'period' | 'dealId' | 'contactId'>) =>
  keys.interviewCopy(portalId, touchpointId, period, dealId, contactId);
const indexKey = (portalId: number, { requestedAt, dealId, touchpointId, contactId }: Pick<Interview, 'requestedAt' | 'dealId' | 'touchpointId' | 'contactId'>) =>
  keys.interview(portalId, requestedAt, dealId, touchpointId, contactId);

export class Interviews {
  constructor(private readonly table: TableAccess) {}

  /** The interview for this customer and touchpoint in the answered invitation's month, if one was made. */
  async getInterview(portalId: number, key: InvitationKey, period: string): Promise<Interview | undefined> {
    const item = await this.table.get(copyKey(portalId, { ...key, period }));
    return item && interviewFrom(item);
  }

  /**
   * Keeps an interview: the month's copy first, only if absent, then the portal's entry of
   * whichever copy stands (its time names the entry). Again for a stored interview, it adds only
   * what a failure in between left out. Resolves to the interview as kept.
   */
  async recordInterview(portalId: number, interview: Interview): Promise<Interview> {
    const kept = (await this.table.putIfAbsent({ ...copyKey(portalId, interview), ...interviewItem(interview) })) ? interview : await this.getInterview(portalId, interview, interview.period);
    if (!kept) throw new Error(`the interview copy of ${interview.dealId}/${interview.touchpointId}/${interview.contactId} vanished while it was written`);
    await this.table.putIfAbsent({ ...indexKey(portalId, kept), ...interviewItem(kept) });
    return kept;
  }

  /** The interviews asked for since `since`, oldest first: one Query of the portal's interview partition. */
  async recentInterviews(portalId: number, since: Date): Promise<Interview[]> {
    const items = await this.table.queryAll({
      KeyConditionExpression: 'PK = :pk AND SK >= :since',
      ExpressionAttributeValues: { ':pk': keys.interviews(portalId).PK, ':since': since.toISOString() },
    });
    return items.map(interviewFrom);
  }

  /** The owner's notes were found in the task: both items say so, once (the first time seen stands). */
  async recordInterviewNotes(portalId: number, interview: Interview, notedAt: Date): Promise<void> {
    const update = { UpdateExpression: 'SET notedAt = :at', ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(notedAt)', ExpressionAttributeValues: { ':at': notedAt.toISOString() } };
    await Promise.all([this.table.updateIf(indexKey(portalId, interview), update), this.table.updateIf(copyKey(portalId, interview), update)]);
  }

  /** A privacy deletion: the contact's interview about this invitation, both items (the copy names the entry's time). */
  async forgetInterview(portalId: number, key: InvitationKey, period: string): Promise<void> {
    const interview = await this.getInterview(portalId, key, period);
    if (!interview) return;
    await this.table.delete(indexKey(portalId, interview));
    await this.table.delete(copyKey(portalId, interview));
  }
}
