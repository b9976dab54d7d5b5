import type { CrmRecordContext } from '@hubspot/ui-extensions';
import { createRenderer, type RenderedNode } from '@hubspot/ui-extensions/testing';
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

/**
 * All text under a node, including nested components (a node's own `text` holds only its
 * direct text children). Separate components are joined by a space.
 */
export function visibleText(node: RenderedNode): string {
  if (!('childNodes' in node)) return node.text;
  return node.childNodes
    .map((child) => visibleText(child))
    .filter((text) => text.length > 0)
    .join(' ');
}

/**
 * Lets every pending promise callback and the render it causes run. Used only to show that
 * something did NOT happen, where `waitFor` has nothing to wait for.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
