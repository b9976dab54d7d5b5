import { BarChart, Flex, Heading, Table, TableBody, TableCell, TableHead, TableHeader, TableRow, Text } from '@hubspot/ui-extensions';
import { daysText as formatDays, oneDecimal, percentOf, type PortalReport, type TouchpointReport } from '@touchpoints/contracts';

import { noValue } from './format.js';

/** The sentence naming the slowest step against its promise, with the counts behind it. */
function slowestSentence({ name, timing }: TouchpointReport): string {
  return `${name} is the slowest step against its promise: customers wait ${formatDays(timing.medianDays)} (median) against ${formatDays(timing.promiseDays)} promised; ${percentOf(timing.late, timing.waits)} waited longer.`;
}

/** Median and 90th percentile of each step's waits beside its promise, in days to one decimal. */
function chartRows(touchpoints: readonly TouchpointReport[]) {
  return touchpoints.flatMap(({ name, timing }) => [
    { step: name, measure: 'Median', days: oneDecimal(timing.medianDays ?? 0) },
    { step: name, measure: '90th percentile', days: oneDecimal(timing.p90Days ?? 0) },
    ...(timing.promiseDays === null ? [] : [{ step: name, measure: 'Promise', days: oneDecimal(timing.promiseDays) }]),
  ]);
}

/**
 * How long customers wait for each step (the overall question left out), from the deals' stage history in HubSpot alone: the
 * slowest step against its promise named, a chart of each step's median and 90th percentile wait
 * against its promise, and a table with the counts behind every number.
 */
export function StageTiming({ report }: { report: PortalReport }) {
  // The overall question is asked after a step, not one of its own.
  const steps = report.touchpoints.filter(({ measuresOverall }) => !measuresOverall);
  const waited = steps.filter(({ timing }) => timing.waits > 0);
  const slowest = report.touchpoints.find(({ touchpointId }) => touchpointId === report.slowestAgainstPromise);
  return (
    <Flex direction="column" gap="sm">
      <Heading>Waiting times</Heading>
      <Text variant="microcopy">
        From the deals’ stage history in HubSpot, no answers needed: how long customers wait from the stage before each step until the step, against the promise made for it.
      </Text>
      {slowest ? (
        <Text format={{ fontWeight: 'demibold' }} testId="slowest-against-promise">
          {slowestSentence(slowest)}
        </Text>
      ) : (
        <Text testId="no-slow-step">{waited.length === 0 ? 'No deal has moved into a touchpoint’s stage in this period.' : 'No step keeps customers waiting longer than its promise.'}</Text>
      )}
      {waited.length > 0 && (
        <BarChart
          testId="waiting-times"
          data={chartRows(waited)}
          axes={{
            x: { field: 'step', fieldType: 'category', label: 'Step' },
            y: { field: 'days', fieldType: 'linear', label: 'Days' },
            options: { groupFieldByColor: 'measure', colors: { Median: 'blue', '90th percentile': 'darkBlue', Promise: 'orange' } },
          }}
          options={{ title: 'Days customers wait, against the promise', showDataLabels: true }}
        />
      )}
      <Table bordered>
        <TableHead>
          <TableRow>
            <TableHeader>Step</TableHeader>
            <TableHeader>Waits</TableHeader>
            <TableHeader>Median</TableHeader>
            <TableHeader>75th percentile</TableHeader>
            <TableHeader>90th percentile</TableHeader>
            <TableHeader>Promise</TableHeader>
            <TableHeader>Waited longer</TableHeader>
            <TableHeader>Typically late by</TableHeader>
            <TableHeader>At the stage before</TableHeader>
          </TableRow>
        </TableHead>
        <TableBody>
          {steps.map(({ touchpointId, name, timing }) => (
            <TableRow key={touchpointId} testId={`timing-${touchpointId}`}>
              <TableCell>{name}</TableCell>
              <TableCell>{String(timing.waits)}</TableCell>
              <TableCell>{formatDays(timing.medianDays)}</TableCell>
              <TableCell>{formatDays(timing.p75Days)}</TableCell>
              <TableCell>{formatDays(timing.p90Days)}</TableCell>
              <TableCell>{formatDays(timing.promiseDays)}</TableCell>
              <TableCell>{timing.promiseDays === null ? noValue : percentOf(timing.late, timing.waits)}</TableCell>
              <TableCell>{formatDays(timing.typicalLatenessDays)}</TableCell>
              <TableCell>
                {timing.reachedStageBefore === 0
                  ? noValue
                  : `${timing.reachedStageBefore} deals: ${timing.fellOut} lost, ${timing.stalled} stalled over ${formatDays(timing.stallAfterDays)}`}
              </TableCell>
            </TableRow>
          ))}
        </TableBody>
      </Table>
    </Flex>
  );
}
