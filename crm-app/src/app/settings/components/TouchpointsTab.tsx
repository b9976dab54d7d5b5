import { useState } from 'react';
import type { SettingsApi, TemplateApplied } from '../hooks/settings-api-client.js';
import { useTouchpointActions } from '../hooks/useTouchpointActions.js';
import type { SettingsView, TemplateView } from '@touchpoints/contracts';
import { countOf } from './format.js';
import type { Notice } from './NoticeAlert.js';
import { TemplatePicker } from './TemplatePicker.js';
import { TouchpointEditor, type EditorOpening } from './TouchpointEditor.js';
import { TouchpointsOverview } from './TouchpointsOverview.js';
import { draftOf, duplicateDraftOf, newTouchpointDraft, type TouchpointDraft } from './touchpoint-draft.js';

/** What the tab shows. A saved touchpoint is looked up afresh on every render, so a reload reaches the editor. */
type Screen =
  | { name: 'list' }
  | { name: 'create'; draft: TouchpointDraft }
  | { name: 'edit'; touchpointId: string }
  | { name: 'templates' };

interface TouchpointsTabProps {
  view: SettingsView;
  api: SettingsApi;
  reload: () => void;
}

function appliedNotice(applied: TemplateApplied, template: TemplateView): Notice {
  const created = `Created ${countOf(applied.created.length, 'touchpoint', 'touchpoints')} from “${template.name}”`;
  if (applied.skipped.length === 0) return { kind: 'done', title: created };
  return { kind: 'done', title: created, text: `Already there, so left as they were: ${applied.skipped.join(', ')}.` };
}

/** The portal's touchpoints: the list, and from there the editor and the templates. */
export function TouchpointsTab({ view, api, reload }: TouchpointsTabProps) {
  const [screen, setScreen] = useState<Screen>({ name: 'list' });
  const { notice, announce, busyTouchpointId, toggleEnabled, remove, sendTestSurvey } = useTouchpointActions(api, reload);
  const defaultLanguage = view.portal?.settings.defaultLanguage ?? 'en';
  const backToList = (outcome: Notice | null) => {
    announce(outcome);
    setScreen({ name: 'list' });
  };

  const editor = (opening: EditorOpening, key: string) => (
    <TouchpointEditor
      key={key}
      opening={opening}
      pipelines={view.pipelines}
      defaultLanguage={defaultLanguage}
      senderName={view.portal?.settings.sender.name ?? null}
      api={api}
      onSaved={(name) => {
        backToList({ kind: 'done', title: `Saved “${name}”` });
        reload();
      }}
      onCancel={() => backToList(null)}
      onReload={reload}
    />
  );
  if (screen.name === 'create') return editor({ mode: 'create', draft: screen.draft }, 'new');
  const edited =
    screen.name === 'edit' ? view.touchpoints.find((row) => row.touchpoint.id === screen.touchpointId) : undefined;
  if (edited) {
    // Keyed by version: after "Reload" the editor starts over from the version someone else saved.
    return editor(
      { mode: 'edit', draft: draftOf(edited.touchpoint), version: edited.version, problems: edited.problems },
      `${edited.touchpoint.id}@${edited.version}`,
    );
  }

  const templatePicker = (
    <TemplatePicker
      templates={view.templates}
      pipelines={view.pipelines}
      api={api}
      onApplied={(applied, template) => {
        backToList(appliedNotice(applied, template));
        reload();
      }}
      onReload={reload}
      {...(view.touchpoints.length > 0 ? { onCancel: () => backToList(null) } : {})}
    />
  );
  if (screen.name === 'templates') return templatePicker;

  return (
    <TouchpointsOverview
      view={view}
      defaultLanguage={defaultLanguage}
      notice={notice}
      vanishedTouchpointId={screen.name === 'edit' ? screen.touchpointId : null}
      busyTouchpointId={busyTouchpointId}
      actions={{
        onEdit: (row) => setScreen({ name: 'edit', touchpointId: row.touchpoint.id }),
        onDuplicate: (row) => setScreen({ name: 'create', draft: duplicateDraftOf(row.touchpoint) }),
        onToggleEnabled: (row) => void toggleEnabled(row),
        onDelete: (row) => void remove(row),
        onSendTestSurvey: (row) => void sendTestSurvey(row),
      }}
      templatePicker={templatePicker}
      onAddTouchpoint={() => setScreen({ name: 'create', draft: newTouchpointDraft(view.pipelines) })}
      onShowTemplates={() => setScreen({ name: 'templates' })}
      onReload={reload}
    />
  );
}
