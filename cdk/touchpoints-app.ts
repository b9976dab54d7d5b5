import { App, Validations, type AppProps } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { ApiStack, type ApiStackProps } from './api-stack.js';
import { DataStack } from './data-stack.js';

/**
 * The whole CDK app: the stateful DataStack and the stateless ApiStack joined by props, checked
 * by cdk-nag's AWS Solutions pack on every synth. `cdk/app.ts` runs it; the tests synth it too.
 */
export function touchpointsApp(props?: AppProps) {
  const app = new App({
    ...props,
    context: {
      // Strong (CloudFormation exports): the stateful stack cannot be deleted, nor its table
      // replaced, while the API stack still uses it. Said explicitly, as CDK now asks.
      '@aws-cdk/core:defaultCrossStackReferences': 'strong',
      ...props?.context,
    },
  });
  const env = { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION };
  const data = new DataStack(app, 'TouchpointsData', {
    env,
    deletionProtection: !['false', false].includes(app.node.tryGetContext('deletionProtection')),
  });
  const api = new ApiStack(app, 'TouchpointsApi', { env, table: data.table, ...senderDomainFrom(app) });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  return { app, data, api };
}

/** `-c senderDomain=example.com [-c mailFromDomain=mail.example.com]`: the operator's own sender identity. */
function senderDomainFrom(app: App): Pick<ApiStackProps, 'senderDomain'> {
  const domain: unknown = app.node.tryGetContext('senderDomain');
  const mailFromDomain: unknown = app.node.tryGetContext('mailFromDomain');
  if (mailFromDomain !== undefined && domain === undefined) throw new Error('mailFromDomain needs senderDomain: the MAIL FROM domain is set on that identity');
  if (domain === undefined) return {};
  return { senderDomain: { domain: String(domain), ...(mailFromDomain === undefined ? {} : { mailFromDomain: String(mailFromDomain) }) } };
}
