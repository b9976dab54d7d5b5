import { BarChart, Flex, Heading, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { lightChartColors, lightChartNames } from './format.js';
import { amountText, minClosedDealsPerGroup, percentagePoints, type PortalReport, type TouchpointOutcomes, type TouchpointReport } from '@touchpoints/contracts';

type LightOutcome = TouchpointOutcomes['byLight'][number];


const percent = (rate: number) => `${Math.round(rate * 100)}%`;
const points = (difference: number) => String(percentagePoints(difference));

/** "33% won (4 of 12), 95% interval 14%–61%; average amount 310,000", or the count alone while the group is too small for a rate. */
function winRateText({ closedDeals, won, winRate, averageAmount }: LightOutcome): string {
  if (closedDeals === 0) return 'No closed deals';
  const counts = `${won} of ${closedDeals}`;
  const average = averageAmount === null ? '' : `; average amount ${amountText(averageAmount)}`;
  return winRate ? `${percent(winRate.rate)} won (${counts}), 95% interval ${percent(winRate.low)}–${percent(winRate.high)}${average}` : `${counts} won; too few for a rate${average}`;
}

/** "-42 points (95% interval -71 to -6)", or how many closed deals each group still needs. */
function redVersusRestText({ redVersusRest, needMore }: TouchpointOutcomes): string {
  if (redVersusRest) return `${points(redVersusRest.difference)} points (95% interval ${points(redVersusRest.low)} to ${points(redVersusRest.high)})`;
  const wanted = [needMore?.red ? `${needMore.red} more closed deals rated red` : '', needMore?.rest ? `${needMore.rest} more rated yellow or green` : ''].filter(Boolean);
  return `Needs ${wanted.join(' and ')}`;
}

function WinRateChart({ touchpoint }: { touchpoint: TouchpointReport }) {
  const shown = touchpoint.outcomes.byLight.filter(({ winRate }) => winRate);
  if (shown.length === 0) return null;
  return (
    <BarChart
      data={shown.map(({ light, winRate }) => ({ light: lightChartNames[light], winRate: Math.round(winRate!.rate * 100) }))}
      axes={{
        x: { field: 'light', fieldType: 'category', label: 'Light' },
        y: { field: 'winRate', fieldType: 'linear', label: 'Win rate (%)' },
        options: { groupFieldByColor: 'light', colors: lightChartColors },
      }}
      options={{ title: `${touchpoint.name}: win rate by light`, showDataLabels: true }}
    />
  );
}

/** What each touchpoint is worth in deals: the win rate of closed deals by the light their customers gave it. */
export function DealOutcomes({ report }: { report: PortalReport }) {
  const withDeals = report.touchpoints.filter(({ outcomes }) => outcomes.closedDeals > 0);
  return (
    <Flex direction="column" gap="sm">
      <Heading>Won and lost deals</Heading>
      <Text variant="microcopy">
        {`Deals that closed after their customers rated a touchpoint, by the light of the lowest score a buyer gave it. A win rate shows from ${minClosedDealsPerGroup} closed deals, with its 95% interval.`}
      </Text>
      {withDeals.length === 0 ? (
        <Text>No deal with an answer has closed yet.</Text>
      ) : (
        <Table bordered>
          <TableHead>
            <TableRow>
              <TableHeader>Touchpoint</TableHeader>
              <TableHeader>Rated red</TableHeader>
              <TableHeader>Rated yellow</TableHeader>
              <TableHeader>Rated green</TableHeader>
              <TableHeader>Red against the rest</TableHeader>
            </TableRow>
          </TableHead>
          <TableBody>
            {withDeals.map(({ touchpointId, name, outcomes }) => (
              <TableRow key={touchpointId} testId={`outcomes-${touchpointId}`}>
                <TableCell>{name}</TableCell>
                {outcomes.byLight.map((outcome) => (
                  <TableCell key={outcome.light}>{winRateText(outcome)}</TableCell>
                ))}
                <TableCell>{redVersusRestText(outcomes)}</TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      )}
      {withDeals.map((touchpoint) => (
        <WinRateChart key={touchpoint.touchpointId} touchpoint={touchpoint} />
      ))}
    </Flex>
  );
}
