import { Alert, Button, ButtonRow, EmptyState, Flex, Text } from '@hubspot/ui-extensions';
import type { ReactNode } from 'react';
import type { SettingsView, SurveyLanguage } from '@touchpoints/contracts';
import { NoticeAlert, type Notice } from './NoticeAlert.js';
import { TouchpointList } from './TouchpointList.js';
import type { TouchpointRowActions } from './TouchpointRow.js';

interface TouchpointsOverviewProps {
  view: SettingsView;
  defaultLanguage: SurveyLanguage;
  notice: Notice | null;
  /** The id of a touchpoint the admin was editing when someone else deleted it. */
  vanishedTouchpointId: string | null;
  busyTouchpointId: string | null;
  actions: TouchpointRowActions;
  /** The templates, offered right away to a portal without touchpoints. */
  templatePicker: ReactNode;
  onAddTouchpoint: () => void;
  onShowTemplates: () => void;
  onReload: () => void;
}

/** The touchpoints by phase with what can be done to them; a portal with none is offered the templates. */
export function TouchpointsOverview({
  view,
  defaultLanguage,
  notice,
  vanishedTouchpointId,
  busyTouchpointId,
  actions,
  templatePicker,
  onAddTouchpoint,
  onShowTemplates,
  onReload,
}: TouchpointsOverviewProps) {
  return (
    <Flex direction="column" gap="md">
      {view.portal === null && (
        <Alert variant="info" title="No sender yet">
          <Text>Surveys go out once the portal settings name a sender. Set one under Portal settings.</Text>
        </Alert>
      )}
      {vanishedTouchpointId !== null && (
        <Alert variant="warning" title="That touchpoint is gone">
          <Text>Someone else deleted “{vanishedTouchpointId}” while you had it open.</Text>
        </Alert>
      )}
      <NoticeAlert notice={notice} onReload={onReload} />
      {view.touchpoints.length === 0 ? (
        <>
          <EmptyState title="No touchpoints yet" layout="horizontal" imageName="customerExperience">
            <Text>
              A touchpoint asks customers a 1–10 question when a deal reaches a stage: after the test drive, the
              offer, the delivery. Start from a template below, or add one yourself.
            </Text>
            <Button onClick={onAddTouchpoint}>Add a touchpoint yourself</Button>
          </EmptyState>
          {templatePicker}
        </>
      ) : (
        <>
          <ButtonRow disableDropdown>
            <Button variant="primary" onClick={onAddTouchpoint}>
              Add touchpoint
            </Button>
            <Button onClick={onShowTemplates}>Add from a template</Button>
          </ButtonRow>
          <TouchpointList
            rows={view.touchpoints}
            pipelines={view.pipelines}
            defaultLanguage={defaultLanguage}
            busyTouchpointId={busyTouchpointId}
            actions={actions}
          />
        </>
      )}
    </Flex>
  );
}
