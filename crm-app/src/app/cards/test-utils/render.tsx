import type { CrmRecordContext } from '@hubspot/ui-extensions';
import { createRenderer } from '@hubspot/ui-extensions/testing';
import { useState } from 'react';
import type { CardLoader } from '../hooks/card-api.js';
import { TouchpointsCardView } from '../TouchpointsCard.js';
import { dealRecord, portal } from './mocks.js';

/** The card on a record tab, as HubSpot would show it, with the test's loader. */
export function renderCard(loadCard: CardLoader, record: CrmRecordContext = dealRecord) {
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<TouchpointsCardView record={record} portal={portal} loadCard={loadCard} />);
  return renderer;
}

/**
 * The card on a record the test can change while it is mounted, as when HubSpot reuses the
 * card for the next record.
 */
export function renderCardOnChangingRecord(loadCard: CardLoader, firstRecord: CrmRecordContext = dealRecord) {
  let showRecord: (record: CrmRecordContext) => void = () => {
    throw new Error('the card is not rendered yet');
  };
  function CardOnChangingRecord() {
    const [record, setRecord] = useState(firstRecord);
    showRecord = setRecord;
    return <TouchpointsCardView record={record} portal={portal} loadCard={loadCard} />;
  }
  const renderer = createRenderer('crm.record.tab');
  renderer.render(<CardOnChangingRecord />);
  return { ...renderer, moveToRecord: (record: CrmRecordContext) => showRecord(record) };
}

export { settle, visibleText } from '@touchpoints/ui-testing';
