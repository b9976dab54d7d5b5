import { mulberry32 } from '../../lambdas/domain/analysis.js';
import type { TouchpointsStore } from '../../lambdas/store/store.js';

const dayMs = 86_400_000;
/** The car dealer's journey, each touchpoint's typical score: the seed's slow offer is the weak one. */
const typicalScore: Record<string, number> = { 'test-drive': 8.4, 'sales-meeting': 7.6, offer: 4.2, contract: 7.9, delivery: 6.8 };

/**
 * A few hundred more customers for the demo report: each answered some of
 * the touchpoints (a fifth of the answers are missing), spread over the last
 * six months. Written through the store, as real answers are.
 */
export async function generateDemoCustomers(store: TouchpointsStore, portalId: number, customers: number, now: Date, seed = 2026): Promise<number> {
  const random = mulberry32(seed);
  let written = 0;
  for (let customer = 0; customer < customers; customer += 1) {
    const dealId = String(900_000 + customer);
    const contactId = String(800_000 + customer);
    const start = now.getTime() - (10 + random() * 170) * dayMs;
    // How this customer feels overall moves every answer a little: answers of one customer go together.
    const mood = (random() - 0.5) * 2;
    let offset = 0;
    for (const [touchpointId, typical] of Object.entries(typicalScore)) {
      offset += (2 + random() * 6) * dayMs;
      const answeredAt = new Date(start + offset);
      const invitation = { dealId, touchpointId, contactId, language: 'da' as const, createdAt: answeredAt, sendAt: answeredAt, ownerId: ['61001', '61002', '61003'][customer % 3]! };
      if (random() < 0.2) {
        await store.createInvitation(portalId, { ...invitation, status: 'sent' });
        continue;
      }
      const score = Math.max(1, Math.min(10, Math.round(typical + mood + (random() - 0.5) * 3)));
      await store.createInvitation(portalId, { ...invitation, status: 'sent' });
      await store.saveResponse(portalId, { dealId, touchpointId, contactId, score, firstAnsweredAt: answeredAt, answeredAt });
      written += 1;
    }
  }
  return written;
}
