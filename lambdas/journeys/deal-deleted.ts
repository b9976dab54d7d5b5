import type { TouchpointsStore } from '../store/store.js';

/** A deleted deal: its surveys not yet sent never go (sent ones stay, with their answers). */
export async function cancelDealSurveys(store: Pick<TouchpointsStore, 'listInvitations' | 'cancelScheduledInvitation'>, portalId: number, dealId: string): Promise<void> {
  for (const invitation of await store.listInvitations(portalId, dealId)) {
    if (invitation.status === 'scheduled') await store.cancelScheduledInvitation(portalId, invitation);
  }
}
