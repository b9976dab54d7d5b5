import { Flex, Heading, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { amountText, type PortalReport, type SettingsView, type TouchpointView } from '@touchpoints/contracts';
import { ownerName } from './format.js';

interface DealsAtRiskProps {
  report: PortalReport;
  owners: readonly SettingsView['owners'][number][];
  /** Every pipeline's: the list ignores the report's filters, so its names cannot come from the filtered report. */
  touchpoints: readonly TouchpointView[];
}

/** Open deals whose customer rated a touchpoint red, most valuable first: who to call today. */
export function DealsAtRisk({ report, owners, touchpoints }: DealsAtRiskProps) {
  const touchpointName = (id: string) => touchpoints.find(({ touchpoint }) => touchpoint.id === id)?.touchpoint.name ?? id;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Deals at risk</Heading>
      <Text variant="microcopy">Open deals whose customer rated a touchpoint red, most valuable first (up to 20), whatever the filter.</Text>
      {report.dealsAtRisk.length === 0 ? (
        <Text>No open deal has a red answer.</Text>
      ) : (
        <Table bordered>
          <TableHead>
            <TableRow>
              <TableHeader>Deal</TableHeader>
              <TableHeader>Amount</TableHeader>
              <TableHeader>Owner</TableHeader>
              <TableHeader>Rated red</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {report.dealsAtRisk.map(({ dealId, dealName, amount, ownerId, redTouchpointIds }) => (
              <TableRow key={dealId} testId={`at-risk-${dealId}`}>
                <TableCell>{dealName ?? `Deal ${dealId}`}</TableCell>
                <TableCell>{amountText(amount)}</TableCell>
                <TableCell>{ownerName(owners, ownerId)}</TableCell>
                <TableCell>{redTouchpointIds.map(touchpointName).join(', ')}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
    </Flex>
  );
}
