import { touchpointsApp } from './touchpoints-app.js';

// The CDK CLI synthesises the app when this process exits.
touchpointsApp();
