import { demoApp, demoPortalId } from '../../local/demo/car-dealer.js';

/** A HubSpot v3 `dealstage` change as a webhook batch carries it, for the demo portal and app. */
export function dealStageChange(eventId: number, dealId: string, stageId: string, occurredAt = Date.now()) {
  return {
    eventId,
    subscriptionId: 1,
    portalId: demoPortalId,
    appId: demoApp.appId,
    occurredAt,
    subscriptionType: 'object.propertyChange',
    objectId: Number(dealId),
    objectTypeId: '0-3',
    propertyName: 'dealstage',
    propertyValue: stageId,
    changeSource: 'CRM_UI',
  };
}
