// HubSpot's lint rules for this extension (`hs project lint`), shared with the other extensions.
export { default } from '@touchpoints/eslint-config';
