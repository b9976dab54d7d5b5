import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { z } from 'zod';
import { optionalEnv } from './config.js';

let secretsManager: SecretsManagerClient | undefined;

/**
 * A secret, read once at cold start: locally straight from the environment
 * (`NAME`), on AWS from Secrets Manager (`NAME_ARN`), so no secret value is
 * ever in the template or the function's configuration.
 */
export async function secretFromEnvironment(name: string): Promise<string> {
  const local = optionalEnv(name);
  if (local) return local;
  const arn = optionalEnv(`${name}_ARN`);
  if (!arn) throw new Error(`environment variable ${name} or ${name}_ARN must be set`);
  secretsManager ??= new SecretsManagerClient({});
  const { SecretString } = await secretsManager.send(new GetSecretValueCommand({ SecretId: arn }));
  if (!SecretString) throw new Error(`secret ${name}_ARN has no string value`);
  return SecretString;
}

const HubSpotAppSecret = z.object({ clientId: z.string().min(1), clientSecret: z.string().min(1) });
export type HubSpotApp = z.infer<typeof HubSpotAppSecret>;

/** The HubSpot app's OAuth client: `HUBSPOT_CLIENT_ID` + `HUBSPOT_CLIENT_SECRET` locally, a JSON secret on AWS. */
export async function hubspotAppFromEnvironment(): Promise<HubSpotApp> {
  const clientSecret = optionalEnv('HUBSPOT_CLIENT_SECRET');
  const clientId = optionalEnv('HUBSPOT_CLIENT_ID');
  if (clientSecret && clientId) return { clientId, clientSecret };
  return HubSpotAppSecret.parse(JSON.parse(await secretFromEnvironment('HUBSPOT_APP_SECRET')));
}
