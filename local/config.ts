import { resolve } from 'node:path';

function port(name: string, fallback: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new Error(`${name} must be a port number, got ${JSON.stringify(raw)}`);
  return value;
}

/** The local stack's settings, read once from the environment (README → Configuration). */
export function readLocalConfig() {
  const dataDir = resolve(process.env.TOUCHPOINTS_DATA_DIR || '.data');
  return {
    appPort: port('PORT', 4000),
    sandboxPort: port('HUBSPOT_SANDBOX_PORT', 4100),
    sesPort: port('LOCAL_SES_PORT', 4200),
    dynamoPort: port('DYNAMODB_PORT', 4300),
    dataDir,
    tableName: process.env.TABLE_NAME || 'touchpoints-local',
  };
}

export type LocalConfig = ReturnType<typeof readLocalConfig>;

/** What `npm start` writes to `.data/local.json` so tools and tests can drive the running stack. */
export interface LocalStackInfo {
  appUrl: string;
  webhookUrl: string;
  sandboxUrl: string;
  sesUrl: string;
  dynamoEndpoint: string;
  tableName: string;
  portalId: number;
  appId: number;
  clientId: string;
  clientSecret: string;
  accessToken: string;
}
