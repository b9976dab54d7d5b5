import { Flex, Heading, LoadingButton, StatusTag, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Tag, Text } from '@hubspot/ui-extensions';
import { formatDate, highestScore, type InterviewCandidateView, type PortalReport, type SettingsView } from '@touchpoints/contracts';
import { interviewKey, type InterviewRequestState, useCustomerNames, useInterviewRequests } from '../hooks/useInterviewRequests.js';
import type { SettingsApi } from '../hooks/settings-api-client.js';
import { ownerName } from './format.js';
import { lightVariants } from './LightTag.js';

type Owner = SettingsView['owners'][number];

interface InterviewListsProps {
  report: PortalReport;
  owners: readonly Owner[];
  api: SettingsApi;
  timeZone?: string;
}

/** What the last column shows for one customer: the button, the task made, or why there is none. */
function InterviewAction({ state, onRequest }: { state: InterviewRequestState | undefined; onRequest: () => void }) {
  if (state?.status === 'made') {
    const { task } = state;
    return (
      <Flex direction="column" gap="xs">
        <Tag variant="success">{task.created ? 'Task made' : 'Task made earlier'}</Tag>
        <Text variant="microcopy">{`“${task.subject}” for ${task.ownerName ?? 'nobody: the deal has no owner'}`}</Text>
      </Flex>
    );
  }
  return (
    <Flex direction="column" gap="xs">
      <LoadingButton size="small" loading={state?.status === 'requesting'} onClick={onRequest}>
        Make interview task
      </LoadingButton>
      {state?.status === 'refused' && <Text variant="microcopy">{state.message}</Text>}
    </Flex>
  );
}

function CandidateRow({ touchpointId, candidate, customerName, ownerName, state, onRequest, timeZone }: {
  touchpointId: string;
  candidate: InterviewCandidateView;
  customerName: string | undefined;
  ownerName: string;
  state: InterviewRequestState | undefined;
  onRequest: () => void;
  timeZone: string | undefined;
}) {
  return (
    <TableRow testId={`interview-${interviewKey(touchpointId, candidate)}`}>
      <TableCell>{`${customerName ?? `Contact ${candidate.contactId}`}, deal ${candidate.dealId}`}</TableCell>
      <TableCell>{ownerName}</TableCell>
      <TableCell>
        <Flex direction="column" gap="xs">
          <StatusTag variant={lightVariants[candidate.light]}>{`${candidate.score}/${highestScore}`}</StatusTag>
          <Text variant="microcopy">{formatDate(candidate.answeredAt, timeZone)}</Text>
        </Flex>
      </TableCell>
      <TableCell>{`“${candidate.comment}”`}</TableCell>
      <TableCell>
        <InterviewAction state={state} onRequest={onRequest} />
      </TableCell>
    </TableRow>
  );
}

/**
 * Interviews, the seed's second method: per weak touchpoint, the customers who said why in a
 * red or yellow answer; one click makes the deal owner a task in HubSpot to call them.
 */
export function InterviewLists({ report, owners, api, timeZone }: InterviewListsProps) {
  const { requests, request } = useInterviewRequests(api);
  const customerNames = useCustomerNames(api, report.interviews);
  const nameOf = (touchpointId: string) => report.touchpoints.find((touchpoint) => touchpoint.touchpointId === touchpointId)?.name ?? touchpointId;
  const lists = report.interviews.filter(({ candidates }) => candidates.length > 0);
  return (
    <Flex direction="column" gap="sm">
      <Heading>Customers to interview</Heading>
      <Text variant="microcopy">
        Recent red and yellow answers with a comment on the weak touchpoints, spread across owners, leaving out anyone given an interview task in the last 90 days. An owner’s notes in the task count toward the touchpoint’s coverage.
      </Text>
      {lists.length === 0 && <Text testId="interviews-none">No one to interview: no recent red or yellow answer with a comment on a weak touchpoint.</Text>}
      {lists.map(({ touchpointId, candidates }) => (
        <Flex key={touchpointId} direction="column" gap="xs">
          <Text format={{ fontWeight: 'demibold' }}>{nameOf(touchpointId)}</Text>
          <Table bordered>
            <TableHead>
              <TableRow>
                <TableHeader>Customer</TableHeader>
                <TableHeader>Owner</TableHeader>
                <TableHeader>Answer</TableHeader>
                <TableHeader>Comment</TableHeader>
                <TableHeader>Interview</TableHeader>
              </TableRow>
            </TableHead>
            <TableBody>
              {candidates.map((candidate) => (
                <CandidateRow
                  key={interviewKey(touchpointId, candidate)}
                  touchpointId={touchpointId}
                  candidate={candidate}
                  customerName={customerNames.get(candidate.contactId)}
                  ownerName={ownerName(owners, candidate.ownerId)}
                  state={requests.get(interviewKey(touchpointId, candidate))}
                  onRequest={() => void request(touchpointId, candidate)}
                  timeZone={timeZone}
                />
              ))}
            </TableBody>
          </Table>
        </Flex>
      ))}
    </Flex>
  );
}
