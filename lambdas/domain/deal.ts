/** A contact on a deal, as far as surveying them is concerned. */
export interface DealContact {
  contactId: string;
  email: string | undefined;
  /** HubSpot's `hs_language`, e.g. "da", "nb", "en-us". */
  hsLanguage: string | undefined;
  /** HubSpot's `hs_email_optout`: the contact unsubscribed from all email. */
  optedOutOfEmail: boolean;
  firstName: string | undefined;
  /** Only where a name is shown whole (the report tab's customers to interview); absent where not read. */
  lastName?: string | undefined;
}

/** What the events λ needs to know about a deal, read from HubSpot once per batch. */
export interface DealContext {
  dealId: string;
  name: string | undefined;
  pipelineId: string;
  stageId: string;
  ownerId: string | undefined;
  /** HubSpot's `amount`, when the deal has one. */
  amount?: number | undefined;
  contacts: DealContact[];
  companyId: string | undefined;
}
