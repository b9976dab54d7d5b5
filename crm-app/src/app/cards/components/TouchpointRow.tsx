import { TableCell, TableRow, Text } from '@hubspot/ui-extensions';
import type { CardTouchpoint } from '@touchpoints/contracts';
import { formatDate, formatMean, formatScore } from './format.js';
import { TouchpointStatusTag } from './TouchpointStatusTag.js';

const nothingYet = '—';

function ScoreCell({ touchpoint }: { touchpoint: CardTouchpoint }) {
  if (touchpoint.lastScore === null) return <Text>{nothingYet}</Text>;
  return (
    <>
      <Text>{formatScore(touchpoint.lastScore)}</Text>
      {touchpoint.meanScore !== null && touchpoint.responses > 0 && (
        <Text variant="microcopy">{formatMean(touchpoint.meanScore, touchpoint.responses)}</Text>
      )}
    </>
  );
}

/** One touchpoint: its light, its last and mean score, the latest comment and when it came. */
export function TouchpointRow({ touchpoint, timeZone }: { touchpoint: CardTouchpoint; timeZone?: string }) {
  return (
    <TableRow testId={`touchpoint-${touchpoint.touchpointId}`}>
      <TableCell>
        <Text format={{ fontWeight: 'demibold' }}>{touchpoint.name}</Text>
      </TableCell>
      <TableCell>
        <TouchpointStatusTag touchpoint={touchpoint} timeZone={timeZone} />
      </TableCell>
      <TableCell>
        <ScoreCell touchpoint={touchpoint} />
      </TableCell>
      <TableCell>
        <Text>{touchpoint.lastComment ? `“${touchpoint.lastComment}”` : nothingYet}</Text>
      </TableCell>
      <TableCell>
        <Text>{touchpoint.lastAnsweredAt ? formatDate(touchpoint.lastAnsweredAt, timeZone) : nothingYet}</Text>
      </TableCell>
    </TableRow>
  );
}
