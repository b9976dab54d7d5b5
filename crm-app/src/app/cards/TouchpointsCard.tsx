import { hubspot, LoadingSpinner, type CrmRecordContext, type PortalContext } from '@hubspot/ui-extensions';
import type { CardRequest } from '@touchpoints/contracts';
import { CardErrorState } from './components/CardErrorState.js';
import { TouchpointsOverview } from './components/TouchpointsOverview.js';
import { UnsupportedRecordState } from './components/UnsupportedRecordState.js';
import { cardRequestFor, loadCardFromApi, type CardLoader } from './hooks/card-api.js';
import { useCardData } from './hooks/useCardData.js';

hubspot.extend<'crm.record.tab'>(({ context }) => (
  <TouchpointsCardView record={context.crm} portal={context.portal} />
));

export interface TouchpointsCardViewProps {
  /** The record the card is on, as HubSpot gives it. */
  record: CrmRecordContext;
  /** Its portal: the id for the settings link, the time zone for dates. */
  portal: PortalContext;
  /** Where the card's data comes from; the Touchpoints API unless a test says otherwise. */
  loadCard?: CardLoader;
}

interface RecordTouchpointsProps {
  request: CardRequest;
  portal: PortalContext;
  loadCard: CardLoader;
}

function RecordTouchpoints({ request, portal, loadCard }: RecordTouchpointsProps) {
  const { state, retry } = useCardData(request, loadCard);
  switch (state.status) {
    case 'loading':
      return <LoadingSpinner label="Loading touchpoints" showLabel layout="centered" />;
    case 'error':
      return <CardErrorState message={state.message} onRetry={retry} />;
    case 'loaded':
      return <TouchpointsOverview card={state.card} portalId={portal.id} timeZone={portal.timezone} />;
  }
}

/** How this customer rated each touchpoint of the journey, and which follow-ups were missed. */
export function TouchpointsCardView({ record, portal, loadCard = loadCardFromApi }: TouchpointsCardViewProps) {
  const request = cardRequestFor(record);
  if (!request) return <UnsupportedRecordState />;
  return <RecordTouchpoints request={request} portal={portal} loadCard={loadCard} />;
}
