import { useState } from 'react';
import type { InterviewCandidateView, InterviewTask } from '@touchpoints/contracts';
import { SettingsApiError, type SettingsApi } from './settings-api-client.js';

/** Where one listed customer's interview stands on this page. */
export type InterviewRequestState =
  | { status: 'requesting' }
  | { status: 'made'; task: InterviewTask }
  | { status: 'refused'; message: string };

const unreachableMessage = 'Could not reach Touchpoints. Try again.';

/** One customer about one touchpoint: the key of a listed candidate and of its request. */
export function interviewKey(touchpointId: string, { dealId, contactId }: Pick<InterviewCandidateView, 'dealId' | 'contactId'>): string {
  return `${touchpointId}/${dealId}/${contactId}`;
}

/**
 * The report tab's "make the interview task" clicks: each listed customer's request and how it
 * went. A second click on a made task is not offered; the λ would answer with the same task.
 */
export function useInterviewRequests(api: SettingsApi) {
  const [requests, setRequests] = useState<ReadonlyMap<string, InterviewRequestState>>(new Map());
  const settle = (key: string, state: InterviewRequestState) => setRequests((current) => new Map(current).set(key, state));

  async function request(touchpointId: string, candidate: InterviewCandidateView) {
    const key = interviewKey(touchpointId, candidate);
    settle(key, { status: 'requesting' });
    try {
      const result = await api.requestInterview({ touchpointId, dealId: candidate.dealId, contactId: candidate.contactId });
      settle(key, result.outcome === 'accepted' ? { status: 'made', task: result.task } : { status: 'refused', message: result.message });
    } catch (error) {
      settle(key, { status: 'refused', message: error instanceof SettingsApiError ? error.message : unreachableMessage });
    }
  }

  return { requests, request };
}
