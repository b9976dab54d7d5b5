import {
  Accordion,
  BarChart,
  Button,
  DateInput,
  ErrorState,
  Flex,
  Heading,
  LineChart,
  LoadingButton,
  LoadingSpinner,
  Select,
  Table,
  TableBody,
  TableCell,
  TableHead,
  TableHeader,
  TableRow,
  Tag,
  Text,
  TextArea,
  Tile,
} from '@hubspot/ui-extensions';
import { InterviewLists } from './InterviewLists.js';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { SettingsApiError, type SettingsApi } from '../hooks/settings-api-client.js';
import { CommentThemes } from './CommentThemes.js';
import { DealOutcomes } from './DealOutcomes.js';
import { DealsAtRisk } from './DealsAtRisk.js';
import { LostDeals } from './LostDeals.js';
import { StageTiming } from './StageTiming.js';
import { formatMean, lightChartColors, lightChartNames } from './format.js';
import { LightTag } from './LightTag.js';
import { percentOf, twoDecimals, type PipelineView, type PortalReport, type ReportFilter, type SettingsView, type TouchpointReport, type TouchpointView } from '@touchpoints/contracts';

type ReportState =
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'loaded'; report: PortalReport };

type Owner = SettingsView['owners'][number];

type CsvState =
  | { status: 'hidden' }
  | { status: 'loading' }
  | { status: 'error'; message: string }
  | { status: 'loaded'; csv: string };

interface ReportTabProps {
  pipelines: readonly PipelineView[];
  owners: readonly Owner[];
  /** Every pipeline's touchpoints: the deals at risk, listed whatever the filter, name theirs. */
  touchpoints: readonly TouchpointView[];
  api: SettingsApi;
  /** The portal's, for the days answers were given on. */
  timeZone?: string;
}

const unreachableMessage = 'Could not reach Touchpoints. Check your connection and try again.';


/** "0.45 (0.30 to 0.61)": the effect with its 95 % interval. */
function formatImpact(impact: TouchpointReport['impact']): string {
  if (!impact) return 'Not enough answers';
  return `${twoDecimals(impact.effect)} (${twoDecimals(impact.low)} to ${twoDecimals(impact.high)})`;
}

/** "31 (62%)": a light's answers and their share. */
function lightCount(count: number, answers: number): string {
  return answers === 0 ? '0' : `${count} (${Math.round((count / answers) * 100)}%)`;
}

/** DateInput's day (months from 0) as the report's "YYYY-MM-DD". */
function isoDay(day: { year: number; month: number; date: number } | null): string | undefined {
  if (!day) return undefined;
  const pad = (value: number) => String(value).padStart(2, '0');
  return `${day.year}-${pad(day.month + 1)}-${pad(day.date)}`;
}

function dateInputValue(day: string | undefined) {
  if (!day) return undefined;
  const [year = 0, month = 1, date = 1] = day.split('-').map(Number);
  return { year, month: month - 1, date };
}

/** The report as the λ has it for the applied filter; only the latest request may set state. */
function useReport(api: SettingsApi, filter: ReportFilter) {
  const [attempt, setAttempt] = useState(0);
  // A new filter or a retry is a new ask: the spinner shows until that ask answers.
  const ask = useMemo(() => ({ api, filter, attempt }), [api, filter, attempt]);
  const [answer, setAnswer] = useState<{ ask: typeof ask; state: ReportState }>();

  useEffect(() => {
    let isLatest = true;
    const fetchReport = async () => ask.api.loadReport(ask.filter);
    fetchReport().then(
      (report) => {
        if (isLatest) setAnswer({ ask, state: { status: 'loaded', report } });
      },
      (error: unknown) => {
        const message = error instanceof SettingsApiError ? error.message : unreachableMessage;
        if (isLatest) setAnswer({ ask, state: { status: 'error', message } });
      },
    );
    return () => {
      isLatest = false;
    };
  }, [ask]);

  const retry = useCallback(() => setAttempt((count) => count + 1), []);
  return { state: answer?.ask === ask ? answer.state : ({ status: 'loading' } satisfies ReportState), retry };
}

function ThinKnowledge({ stats }: { stats: TouchpointReport['stats'] }) {
  return stats.thin ? <Tag variant="warning">Thin knowledge</Tag> : null;
}

/** The journey left to right: each touchpoint's light and mean. */
function JourneyRow({ report }: { report: PortalReport }) {
  return (
    <Flex direction="row" gap="sm" wrap="wrap">
      {report.touchpoints.map(({ touchpointId, name, measuresOverall, stats }) => (
        <Tile key={touchpointId} compact testId={`journey-${touchpointId}`}>
          <Flex direction="column" gap="xs">
            <Text format={{ fontWeight: 'demibold' }}>{name}</Text>
            {measuresOverall && <Tag variant="info">Overall question</Tag>}
            <LightTag stats={stats} />
            <Text variant="microcopy">{`${stats.answers} answers`}</Text>
            <ThinKnowledge stats={stats} />
          </Flex>
        </Tile>
      ))}
    </Flex>
  );
}

/** The report's findings as sentences, most important first. */
function Findings({ report }: { report: PortalReport }) {
  if (report.findings.length === 0) return null;
  return (
    <Tile testId="findings">
      <Flex direction="column" gap="xs">
        {report.findings.map(({ touchpointId, sentence }) => (
          <Text key={`${touchpointId}-${sentence}`} format={{ fontWeight: 'demibold' }}>
            {sentence}
          </Text>
        ))}
      </Flex>
    </Tile>
  );
}

/** What the ranking rests on, or why there is none yet. */
function RankingNote({ ranking }: { ranking: PortalReport['ranking'] }) {
  if (ranking.status === 'not_enough_answers') {
    return (
      <Text testId="ranking-not-enough">
        {`Not enough answers to rank yet (${ranking.customers} of ${ranking.needed}): the ranking needs ${ranking.needed} customers who answered the overall question (without one, several touchpoints). Until then the touchpoints are listed in journey order.`}
      </Text>
    );
  }
  return (
    <Text variant="microcopy">
      Ranked by (10 − mean) × impact: a low score on a touchpoint that moves the overall score comes first. Impact: how many points the overall score moves per point on the touchpoint, with its 95% interval.
    </Text>
  );
}

/** The touchpoints most worth fixing first; in journey order until there are enough answers to rank. */
function WeakestFirst({ report }: { report: PortalReport }) {
  const ranked =
    report.ranking.status === 'ranked'
      ? report.weakestFirst.flatMap((id) => report.touchpoints.filter((touchpoint) => touchpoint.touchpointId === id))
      : report.touchpoints.filter(({ measuresOverall }) => !measuresOverall);
  return (
    <Table bordered>
      <TableHead>
        <TableRow>
          <TableHeader>Touchpoint</TableHeader>
          <TableHeader>Mean</TableHeader>
          <TableHeader>Red</TableHeader>
          <TableHeader>Yellow</TableHeader>
          <TableHeader>Green</TableHeader>
          <TableHeader>Impact (95% interval)</TableHeader>
          <TableHeader>Response rate</TableHeader>
          <TableHeader>Coverage</TableHeader>
          <TableHeader>Missed follow-ups</TableHeader>
        </TableRow>
      </TableHead>
      <TableBody>
        {ranked.map(({ touchpointId, name, stats, impact }) => (
          <TableRow key={touchpointId} testId={`weakest-${touchpointId}`}>
            <TableCell>
              <Flex direction="column" gap="xs">
                <Text>{name}</Text>
                <ThinKnowledge stats={stats} />
              </Flex>
            </TableCell>
            <TableCell>{formatMean(stats.mean)}</TableCell>
            <TableCell>{lightCount(stats.distribution.red, stats.answers)}</TableCell>
            <TableCell>{lightCount(stats.distribution.yellow, stats.answers)}</TableCell>
            <TableCell>{lightCount(stats.distribution.green, stats.answers)}</TableCell>
            <TableCell>{formatImpact(impact)}</TableCell>
            <TableCell>{percentOf(stats.answers, stats.counts.invited)}</TableCell>
            {/* What we know of those who passed: answers and interviews with notes (capped, as `coverage` is). */}
            <TableCell>{percentOf(Math.min(stats.answers + stats.interviews, stats.counts.passed), stats.counts.passed)}</TableCell>
            <TableCell>{percentOf(stats.counts.followUpsMissed, stats.counts.followUps)}</TableCell>
          </TableRow>
        ))}
      </TableBody>
    </Table>
  );
}

/** One touchpoint's answers by light, and its mean month by month. */
function TouchpointCharts({ touchpoint }: { touchpoint: TouchpointReport }) {
  const { stats } = touchpoint;
  if (stats.answers === 0) return <Text>No answers in this period.</Text>;
  return (
    <Flex direction="column" gap="sm">
      <BarChart
        data={[
          { light: lightChartNames.red, answers: stats.distribution.red },
          { light: lightChartNames.yellow, answers: stats.distribution.yellow },
          { light: lightChartNames.green, answers: stats.distribution.green },
        ]}
        axes={{
          x: { field: 'light', fieldType: 'category', label: 'Light' },
          y: { field: 'answers', fieldType: 'linear', label: 'Answers' },
          options: { groupFieldByColor: 'light', colors: lightChartColors },
        }}
        options={{ title: 'Answers by light', showDataLabels: true }}
      />
      <LineChart
        data={stats.trend.map(({ month, mean }) => ({ month, mean: Math.round(mean * 10) / 10 }))}
        axes={{
          x: { field: 'month', fieldType: 'category', label: 'Month' },
          y: { field: 'mean', fieldType: 'linear', label: 'Mean' },
        }}
        options={{ title: 'Mean by month', showTooltips: true }}
      />
    </Flex>
  );
}

interface FiltersProps {
  pipelines: readonly PipelineView[];
  owners: readonly Owner[];
  applied: ReportFilter;
  onApply: (filter: ReportFilter) => void;
}

/** Narrow the report to a pipeline, an owner and a period; nothing reloads until Apply. */
function Filters({ pipelines, owners, applied, onApply }: FiltersProps) {
  const ownersByName = [...owners].sort((a, b) => a.name.localeCompare(b.name));
  const [draft, setDraft] = useState<ReportFilter>(applied);
  const change = (key: keyof ReportFilter, value: string | undefined) =>
    setDraft(({ [key]: _previous, ...rest }) => (value ? { ...rest, [key]: value } : rest));
  return (
    <Flex direction="row" gap="sm" align="end" wrap="wrap">
      <Select
        label="Pipeline"
        name="pipelineId"
        options={[{ label: 'All pipelines', value: '' }, ...pipelines.map(({ id, label }) => ({ label, value: id }))]}
        value={draft.pipelineId ?? ''}
        onChange={(value) => change('pipelineId', value === undefined ? undefined : String(value))}
      />
      <Select
        label="Owner"
        name="ownerId"
        options={[{ label: 'All owners', value: '' }, ...ownersByName.map(({ id, name }) => ({ label: name, value: id }))]}
        value={draft.ownerId ?? ''}
        onChange={(value) => change('ownerId', value === undefined ? undefined : String(value))}
      />
      <DateInput label="From" name="since" format="YYYY-MM-DD" value={dateInputValue(draft.since)} onChange={(day) => change('since', isoDay(day))} />
      <DateInput label="Until (not included)" name="until" format="YYYY-MM-DD" value={dateInputValue(draft.until)} onChange={(day) => change('until', isoDay(day))} />
      <Button onClick={() => onApply(draft)}>Apply</Button>
    </Flex>
  );
}

/** The question about the whole experience, which the impacts are measured on. */
function OverallQuestion({ report }: { report: PortalReport }) {
  return report.touchpoints
    .filter(({ measuresOverall }) => measuresOverall)
    .map(({ touchpointId, name, stats }) => (
      <Text key={touchpointId} testId={`overall-${touchpointId}`}>
        {`Overall question — ${name}: ${stats.mean === null ? 'no answers yet' : `mean ${formatMean(stats.mean)} from ${stats.answers} answers`}.`}
      </Text>
    ));
}

function LoadedReport({ report }: { report: PortalReport }) {
  return (
    <Flex direction="column" gap="md">
      <Findings report={report} />
      <Heading>Journey</Heading>
      {report.touchpoints.length === 0 ? <Text>No touchpoints match this filter.</Text> : <JourneyRow report={report} />}
      <Heading>Weakest first</Heading>
      <RankingNote ranking={report.ranking} />
      <WeakestFirst report={report} />
      <OverallQuestion report={report} />
      <StageTiming report={report} />
      {report.touchpoints.map((touchpoint) => (
        <Accordion key={touchpoint.touchpointId} title={touchpoint.name} defaultOpen={false}>
          <TouchpointCharts touchpoint={touchpoint} />
          <CommentThemes touchpoint={touchpoint} />
        </Accordion>
      ))}
      <DealOutcomes report={report} />
      <LostDeals report={report} />
      <Text variant="microcopy">{`${report.customers} customers.`}</Text>
    </Flex>
  );
}

/**
 * The report for the applied filter as CSV, shown for copying: the report service only answers
 * requests HubSpot signs, which a plain download link cannot make.
 */
function CsvExport({ api, filter }: { api: SettingsApi; filter: ReportFilter }) {
  const [state, setState] = useState<CsvState>({ status: 'hidden' });
  // Mounted only beside a loaded report: a new filter unmounts it, so no CSV outlives its filter.
  const latestRequest = useRef(0);

  const show = () => {
    const request = ++latestRequest.current;
    setState({ status: 'loading' });
    const fetchCsv = async () => api.loadReportCsv(filter);
    fetchCsv().then(
      (csv) => {
        if (request === latestRequest.current) setState({ status: 'loaded', csv });
      },
      (error: unknown) => {
        const message = error instanceof SettingsApiError ? error.message : unreachableMessage;
        if (request === latestRequest.current) setState({ status: 'error', message });
      },
    );
  };

  return (
    <Flex direction="column" gap="sm">
      <Flex direction="row" gap="sm" align="center">
        <LoadingButton loading={state.status === 'loading'} onClick={show}>
          Show CSV
        </LoadingButton>
        <Text variant="microcopy">
          The report service only answers requests that HubSpot signs, which a download link cannot make: copy the CSV from here instead.
        </Text>
      </Flex>
      {state.status === 'error' && <Text>{`The CSV could not be loaded. ${state.message}`}</Text>}
      {state.status === 'loaded' && (
        <TextArea label="CSV — copy into a spreadsheet" name="reportCsv" readOnly rows={10} value={state.csv} />
      )}
    </Flex>
  );
}

/** How the journey is going: lights, the touchpoints worth fixing first, their trends, and whom to interview. */
export function ReportTab({ pipelines, owners, touchpoints, api, timeZone }: ReportTabProps) {
  const [filter, setFilter] = useState<ReportFilter>({});
  const { state, retry } = useReport(api, filter);
  return (
    <Flex direction="column" gap="md">
      <Filters pipelines={pipelines} owners={owners} applied={filter} onApply={(chosen) => setFilter({ ...chosen })} />
      {state.status === 'loading' && <LoadingSpinner label="Loading the report" showLabel layout="centered" />}
      {state.status === 'error' && (
        <ErrorState title="The report could not be loaded">
          <Text>{state.message}</Text>
          <Button onClick={retry}>Try again</Button>
        </ErrorState>
      )}
      {state.status === 'loaded' && <LoadedReport report={state.report} />}
      {state.status === 'loaded' && <DealsAtRisk report={state.report} owners={owners} touchpoints={touchpoints} />}
      {state.status === 'loaded' && <InterviewLists report={state.report} owners={owners} api={api} timeZone={timeZone} />}
      {state.status === 'loaded' && <CsvExport api={api} filter={filter} />}
    </Flex>
  );
}
