/**
 * The demo portal: Bilhuset Nord, the car dealer of the Danish touchpoint-
 * analysis article. A buyer goes test drive → sales meeting → offer →
 * contract → delivery; the data covers each stage, three languages, a contact
 * without an email, one who opted out of email, and a deal with no contacts.
 */
import type { PortalSeed } from '../hubspot-sandbox/model.js';

export const demoPortalId = 24681357;

/**
 * The demo app's credentials. Local-only values: they sign and verify
 * requests between the sandbox and the local stack, and exist nowhere else.
 */
export const demoApp = {
  clientId: 'local-touchpoints-client-id',
  clientSecret: 'local-touchpoints-client-secret-not-for-production',
  appId: 4242001,
} as const;

/**
 * A long-lived access token for the demo portal, so local tools can call the
 * sandbox without an OAuth install: `Authorization: Bearer local-demo-portal-token`.
 */
export const demoAccessToken = 'local-demo-portal-token';

export const carSalesPipelineId = 'car-sales';

export const carSalesStages = {
  testDrive: 'testdrive',
  salesMeeting: 'salesmeeting',
  offerSent: 'offersent',
  contractSigned: 'contractsigned',
  carDelivered: 'cardelivered',
  closedLost: 'closedlost',
} as const;

const owners = {
  mette: { id: '61001', userId: 71001, email: 'mette.kjaer@bilhuset.example', firstName: 'Mette', lastName: 'Kjær' },
  jesper: { id: '61002', userId: 71002, email: 'jesper.holm@bilhuset.example', firstName: 'Jesper', lastName: 'Holm' },
  sofie: { id: '61003', userId: 71003, email: 'sofie.lund@bilhuset.example', firstName: 'Sofie', lastName: 'Lund' },
};

/** The dealer's three salespeople, as generated deals take turns among them. */
export const demoOwnerIds = Object.values(owners).map(({ id }) => id);

const contact = (id: string, firstname: string, lastname: string, email: string | undefined, language: 'en' | 'da' | 'nb', companyId: string, extra: Record<string, string> = {}) => ({
  id,
  properties: { firstname, lastname, ...(email && { email }), hs_language: language, ...extra },
  associations: { companies: [companyId] },
});

const deal = (id: string, dealname: string, amount: number, stage: string, owner: keyof typeof owners, companyId: string, contactIds: string[]) => ({
  id,
  properties: {
    dealname,
    amount: String(amount),
    deal_currency_code: 'DKK',
    pipeline: carSalesPipelineId,
    dealstage: stage,
    hubspot_owner_id: owners[owner].id,
  },
  associations: { companies: [companyId], contacts: contactIds },
});

export const carDealerPortal: PortalSeed = {
  portalId: demoPortalId,
  hubDomain: 'bilhuset-nord.sandbox.hubspot.invalid',
  staticAccessToken: demoAccessToken,
  owners: Object.values(owners),
  dealPipelines: [
    {
      id: carSalesPipelineId,
      label: 'Car sales',
      stages: [
        { id: carSalesStages.testDrive, label: 'Test drive', probability: 0.1, isClosed: false },
        { id: carSalesStages.salesMeeting, label: 'Sales meeting', probability: 0.3, isClosed: false },
        { id: carSalesStages.offerSent, label: 'Offer sent', probability: 0.6, isClosed: false },
        { id: carSalesStages.contractSigned, label: 'Contract signed', probability: 0.9, isClosed: false },
        { id: carSalesStages.carDelivered, label: 'Car delivered', probability: 1, isClosed: true },
        { id: carSalesStages.closedLost, label: 'Closed lost', probability: 0, isClosed: true },
      ],
    },
  ],
  companies: [
    { id: '201', properties: { name: 'Fjordvej Tømrer ApS', domain: 'fjordvej-tomrer.example.dk', city: 'Aalborg', country: 'Denmark' } },
    { id: '202', properties: { name: 'Nordlys Logistik A/S', domain: 'nordlys-logistik.example.dk', city: 'Aarhus', country: 'Denmark' } },
    { id: '203', properties: { name: 'Havnens VVS', domain: 'havnens-vvs.example.dk', city: 'Esbjerg', country: 'Denmark' } },
    { id: '204', properties: { name: 'Bergen Byggservice AS', domain: 'bergen-bygg.example.no', city: 'Bergen', country: 'Norway' } },
    { id: '205', properties: { name: 'Green Fleet Ltd', domain: 'greenfleet.example.com', city: 'London', country: 'United Kingdom' } },
    { id: '206', properties: { name: 'Aarhus Tandklinik', domain: 'aarhus-tandklinik.example.dk', city: 'Aarhus', country: 'Denmark' } },
  ],
  contacts: [
    contact('101', 'Anders', 'Jensen', 'anders.jensen@example.dk', 'da', '201'),
    contact('102', 'Emma', 'Wilson', 'emma.wilson@example.com', 'en', '205'),
    contact('103', 'Ingrid', 'Haugen', 'ingrid.haugen@example.no', 'nb', '204'),
    contact('104', 'Peter', 'Smith', 'peter.smith@example.com', 'en', '205'),
    contact('105', 'Camilla', 'Lund', 'camilla.lund@example.dk', 'da', '206'),
    contact('106', 'Oliver', 'Brown', 'oliver.brown@example.com', 'en', '202'),
    contact('107', 'Kari', 'Nordmann', 'kari.nordmann@example.no', 'nb', '204'),
    contact('108', 'Jonas', 'Madsen', undefined, 'da', '203'), // no email: never surveyed
    contact('109', 'Sarah', 'Taylor', 'sarah.taylor@example.com', 'en', '202', { hs_email_optout: 'true' }),
    contact('110', 'Michael', 'Andersen', 'michael.andersen@example.dk', 'en', '203'),
    contact('111', 'Laura', 'Christensen', 'laura.christensen@example.dk', 'en', '206'),
    contact('112', 'James', 'Miller', 'james.miller@example.com', 'en', '201'),
  ],
  deals: [
    deal('301', 'Skoda Octavia Combi – Anders Jensen', 289_000, carSalesStages.testDrive, 'mette', '201', ['101']),
    deal('302', 'Two VW ID. Buzz Cargo – Green Fleet', 798_000, carSalesStages.salesMeeting, 'jesper', '205', ['102', '104']),
    deal('303', 'Toyota RAV4 Hybrid – Ingrid Haugen', 415_000, carSalesStages.offerSent, 'sofie', '204', ['103']),
    deal('304', 'Kia EV6 – Aarhus Tandklinik', 372_500, carSalesStages.contractSigned, 'mette', '206', ['105', '111']),
    deal('305', 'Ford Transit Custom – Nordlys Logistik', 334_900, carSalesStages.carDelivered, 'jesper', '202', ['106']),
    deal('306', 'Volvo XC40 – Kari Nordmann', 449_000, carSalesStages.testDrive, 'sofie', '204', ['107']),
    deal('307', 'Peugeot e-Partner – Havnens VVS', 259_000, carSalesStages.offerSent, 'mette', '203', ['108', '110']),
    deal('308', 'Tesla Model Y – Sarah Taylor', 399_990, carSalesStages.closedLost, 'jesper', '202', ['109']),
    deal('309', 'Fleet renewal, five vans – Green Fleet', 1_650_000, carSalesStages.salesMeeting, 'sofie', '205', []),
    deal('310', 'Skoda Enyaq – James Miller', 356_000, carSalesStages.contractSigned, 'mette', '201', ['112']),
  ],
};
