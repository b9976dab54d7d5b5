import type { CrmContext, SettingsContext } from '@hubspot/ui-extensions';

/** What a host page tells the extension's bundle: HubSpot's context for it, and where `hubspot.fetch` may go. */
export interface HostBootstrap {
  context: CrmContext | SettingsContext;
  /** The app's `permittedUrls.fetch` origins (app-hsmeta.json): HubSpot refuses any other. */
  permittedFetchOrigins: string[];
  /** The local host's route that has the sandbox sign a `hubspot.fetch` request. */
  signingPath: string;
  /** The level of the extension's `Heading`s, under the headings of the page around it. */
  headingLevel: 2 | 3;
}
