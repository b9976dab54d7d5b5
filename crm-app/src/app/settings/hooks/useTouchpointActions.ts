import { useState } from 'react';
import { problemLines } from '../components/field-problems.js';
import type { Notice } from '../components/NoticeAlert.js';
import type { TouchpointView } from '@touchpoints/contracts';
import { SettingsApiError, type SettingsApi, type WriteResult } from './settings-api-client.js';

const conflictText = 'Someone else changed this touchpoint since you opened it — reload to see their version';
const unreachableMessage = 'Could not reach Touchpoints. Try again.';

/**
 * The list's one-click actions (enable/disable, delete, test survey): each says how it went in a
 * notice, and anything that changed the portal's touchpoints reloads them.
 */
export function useTouchpointActions(api: SettingsApi, reload: () => void) {
  const [notice, setNotice] = useState<Notice | null>(null);
  const [busyTouchpointId, setBusyTouchpointId] = useState<string | null>(null);

  async function run<Answer>(
    row: TouchpointView,
    failureTitle: string,
    act: () => Promise<WriteResult<Answer>>,
    done: (answer: Answer) => Notice,
    changesTouchpoints: boolean,
  ) {
    setBusyTouchpointId(row.touchpoint.id);
    setNotice(null);
    try {
      const result = await act();
      switch (result.outcome) {
        case 'accepted':
          setNotice(done(result.answer));
          if (changesTouchpoints) reload();
          break;
        case 'invalid':
          setNotice({ kind: 'refused', title: failureTitle, problems: problemLines(result.problems) });
          break;
        case 'conflict':
          setNotice({ kind: 'conflict', text: conflictText });
          break;
      }
    } catch (error) {
      const message = error instanceof SettingsApiError ? error.message : unreachableMessage;
      setNotice({ kind: 'refused', title: failureTitle, problems: [message] });
    } finally {
      setBusyTouchpointId(null);
    }
  }

  return {
    notice,
    busyTouchpointId,
    /** Shows the outcome of something done elsewhere on the tab (a save in the editor, a template). */
    announce: setNotice,
    toggleEnabled: (row: TouchpointView) => {
      const enabled = !row.touchpoint.enabled;
      return run(
        row,
        `“${row.touchpoint.name}” was not ${enabled ? 'enabled' : 'disabled'}`,
        () => api.saveTouchpoint({ ...row.touchpoint, enabled }, row.version),
        () => ({ kind: 'done', title: `“${row.touchpoint.name}” is ${enabled ? 'enabled' : 'disabled'}` }),
        true,
      );
    },
    remove: (row: TouchpointView) =>
      run(
        row,
        `“${row.touchpoint.name}” was not deleted`,
        () => api.deleteTouchpoint(row.touchpoint.id, row.version),
        () => ({ kind: 'done', title: `Deleted “${row.touchpoint.name}”` }),
        true,
      ),
    sendTestSurvey: (row: TouchpointView) =>
      run(
        row,
        `No test survey was sent for “${row.touchpoint.name}”`,
        () => api.sendTestSurvey(row.touchpoint.id),
        ({ sentTo }) => ({ kind: 'done', title: `Sent to ${sentTo}`, text: `The survey of “${row.touchpoint.name}” is on its way.` }),
        false,
      ),
  };
}
