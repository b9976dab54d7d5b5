import { useEffect, useState } from 'react';
import type { InterviewCandidateView, InterviewTask, PortalReport } from '@touchpoints/contracts';
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

/**
 * The listed customers' names, asked of HubSpot through the settings λ once the report is shown:
 * the report's summaries keep ids, not names. Until they come, or if they cannot, a row shows the
 * contact's id.
 */
export function useCustomerNames(api: SettingsApi, interviews: PortalReport['interviews']): ReadonlyMap<string, string> {
  const contactIds = [...new Set(interviews.flatMap(({ candidates }) => candidates.map(({ contactId }) => contactId)))].slice(0, 100);
  const asked = contactIds.join(',');
  const [names, setNames] = useState<{ asked: string; names: ReadonlyMap<string, string> }>();
  useEffect(() => {
    if (!asked) return;
    let isLatest = true;
    api.customerNames(asked.split(',')).then(
      (found) => {
        if (isLatest) setNames({ asked, names: new Map(Object.entries(found)) });
      },
      // The ids stay: the names are a courtesy, the list works without them.
      () => undefined,
    );
    return () => {
      isLatest = false;
    };
  }, [api, asked]);
  return names?.asked === asked ? names.names : new Map();
}
