import { App } from 'aws-cdk-lib';
import { DataStack } from './data-stack.js';

const app = new App();
const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
new DataStack(app, 'TouchpointsData', {
  env,
  deletionProtection: !['false', false].includes(app.node.tryGetContext('deletionProtection')),
});
