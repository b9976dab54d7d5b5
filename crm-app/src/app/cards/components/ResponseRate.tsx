import { Text } from '@hubspot/ui-extensions';
import type { CardData } from '@touchpoints/contracts';

export function responseRateText({ answered, sent }: CardData['responseRate']): string {
  if (sent === 0) return 'No surveys sent yet';
  return `${answered} of ${sent} ${sent === 1 ? 'survey' : 'surveys'} answered`;
}

/** "3 of 5 surveys answered": how much the lights below rest on. */
export function ResponseRate({ responseRate }: { responseRate: CardData['responseRate'] }) {
  return <Text format={{ fontWeight: 'demibold' }}>{responseRateText(responseRate)}</Text>;
}
