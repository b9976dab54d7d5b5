import { Flex, Heading, Text, Tile } from '@hubspot/ui-extensions';
import { highestScore, type PortalReport } from '@touchpoints/contracts';
import { LightTag } from './LightTag.js';

/** The customers who chose someone else, apart from the journey: their scores and their latest words. */
export function LostDeals({ report }: { report: PortalReport }) {
  if (report.lostDeals.touchpoints.length === 0) return null;
  return (
    <Flex direction="column" gap="sm">
      <Heading>Lost deals</Heading>
      <Text variant="microcopy">Asked after a deal was lost: kept out of the journey, its ranking, its impact and its customer count.</Text>
      {report.lostDeals.touchpoints.map(({ touchpointId, name, stats, latestComments }) => (
        <Tile key={touchpointId} compact testId={`lost-${touchpointId}`}>
          <Flex direction="column" gap="xs">
            <Text format={{ fontWeight: 'demibold' }}>{name}</Text>
            <LightTag stats={stats} />
            <Text variant="microcopy">{`${stats.answers} answers: ${stats.distribution.red} red, ${stats.distribution.yellow} yellow, ${stats.distribution.green} green`}</Text>
            {latestComments.map(({ score, comment, answeredAt }) => (
              <Text key={`${answeredAt}-${comment}`}>{`“${comment}” (${score}/${highestScore}, ${answeredAt.slice(0, 10)})`}</Text>
            ))}
          </Flex>
        </Tile>
      ))}
    </Flex>
  );
}
