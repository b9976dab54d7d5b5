/**
 * `npm start`: the whole system on this machine, seeded with the car-dealer demo.
 * Ctrl-C stops it cleanly; data under `.data/` is kept for the next start.
 */
import { ensurePortsFree, LocalStartError, readLocalConfig, type LocalConfig } from './config.js';
import { formatDuration } from './demo-clock.js';
import { startLocalStack } from './stack.js';

const startedAt = performance.now();
/** The settings, once every port is known to be usable: nothing is started or written before. */
async function usableConfig(): Promise<LocalConfig> {
  try {
    const config = readLocalConfig();
    await ensurePortsFree(config);
    return config;
  } catch (error) {
    if (!(error instanceof LocalStartError)) throw error;
    console.error(`npm start: ${error.message}`);
    process.exit(1);
  }
}
const config = await usableConfig();
const stack = await startLocalStack({ ...config, persist: true });
const { info } = stack;

console.log(`
Touchpoints is running (${Math.round(performance.now() - startedAt)} ms). Start here: ${info.appUrl}/

  App (gateway)        ${info.appUrl}            health: ${info.appUrl}/healthz
  Webhook target       ${info.webhookUrl}
  Card (real UI)       ${info.appUrl}/ui/record/deal/303   (any demo contact, company or deal)
  Settings and report  ${info.appUrl}/ui/settings
  HubSpot sandbox      ${info.sandboxUrl}            demo portal ${info.portalId}, token ${info.accessToken}
  Local SES (mail)     ${info.sesUrl}            open it in a browser to read sent mail
  DynamoDB (dynalite)  ${info.dynamoEndpoint}            table ${info.tableName}, data in ${config.dataDir}

  Demo configuration: ${stack.seeded.created === 0 ? 'kept from the last run' : `${stack.seeded.created} items seeded`}.
  Try: npm run sandbox -- move-deal 301 salesmeeting
       npm run demo -- advance 2h${stack.clock.offsetMs > 0 ? `
  The clock runs ${formatDuration(stack.clock.offsetMs)} ahead (npm run demo -- advance).` : ''}
  Settings for other tools: ${config.dataDir}/local.json

Press Ctrl-C to stop.`);

let stopping = false;
async function stop(signal: string) {
  if (stopping) return;
  stopping = true;
  console.log(`\n${signal}: stopping…`);
  try {
    await stack.close();
    process.exit(0);
  } catch (error) {
    console.error('Could not stop cleanly:', error);
    process.exit(1);
  }
}
process.on('SIGINT', () => void stop('SIGINT'));
process.on('SIGTERM', () => void stop('SIGTERM'));
