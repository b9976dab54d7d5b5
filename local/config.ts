import { createServer } from 'node:net';
import { resolve } from 'node:path';

/** Why `npm start` cannot start, in one line a person can act on (local/start.ts prints it alone). */
export class LocalStartError extends Error {
  override readonly name = 'LocalStartError';
}

/**
 * The ports browsers and `fetch` refuse to connect to (WHATWG Fetch, "bad port"): a service on
 * one of them could not be opened in a browser, and HubSpot's webhooks (sent with fetch) to the
 * gateway would fail.
 */
export const blockedPorts: ReadonlySet<number> = new Set([
  1, 7, 9, 11, 13, 15, 17, 19, 20, 21, 22, 23, 25, 37, 42, 43, 53, 69, 77, 79, 87, 95, 101, 102, 103, 104, 109, 110, 111, 113, 115, 117,
  119, 123, 135, 137, 139, 143, 161, 179, 389, 427, 465, 512, 513, 514, 515, 526, 530, 531, 532, 540, 548, 554, 556, 563, 587, 601, 636,
  989, 990, 993, 995, 1719, 1720, 1723, 2049, 3659, 4045, 4190, 5060, 5061, 6000, 6566, 6665, 6666, 6667, 6668, 6669, 6679, 6697, 10080,
]);

/** The environment variable that sets each service's port, and its default. */
export const portSettings = {
  appPort: { variable: 'PORT', fallback: 4000 },
  sandboxPort: { variable: 'HUBSPOT_SANDBOX_PORT', fallback: 4100 },
  sesPort: { variable: 'LOCAL_SES_PORT', fallback: 4200 },
  dynamoPort: { variable: 'DYNAMODB_PORT', fallback: 4300 },
} as const;
export type PortName = keyof typeof portSettings;

function port(name: PortName): number {
  const { variable, fallback } = portSettings[name];
  const raw = process.env[variable];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < 0 || value > 65_535) throw new LocalStartError(`${variable} must be a port number from 0 to 65535, got ${JSON.stringify(raw)}.`);
  if (blockedPorts.has(value)) throw new LocalStartError(`${variable}=${value} is a port browsers and fetch refuse to connect to (WHATWG "bad ports"): choose another, such as ${fallback}.`);
  return value;
}

/** Two services set to the same port (0 picks a free one for each, so it is never shared). */
function portsShared(ports: Record<PortName, number>): [PortName, PortName] | undefined {
  const names = Object.keys(ports) as PortName[];
  for (const [index, name] of names.entries()) {
    const other = names.slice(index + 1).find((candidate) => ports[candidate] === ports[name]);
    if (other && ports[name] !== 0) return [name, other];
  }
  return undefined;
}

/** The local stack's settings, read once from the environment (README → Configuration). */
export function readLocalConfig() {
  const dataDir = resolve(process.env.TOUCHPOINTS_DATA_DIR || '.data');
  const ports = { appPort: port('appPort'), sandboxPort: port('sandboxPort'), sesPort: port('sesPort'), dynamoPort: port('dynamoPort') };
  const shared = portsShared(ports);
  if (shared) {
    const [one, other] = shared.map((name) => portSettings[name].variable);
    throw new LocalStartError(`${one} and ${other} are both ${ports[shared[0]]}: give each service its own port.`);
  }
  return {
    ...ports,
    dataDir,
    tableName: process.env.TABLE_NAME || 'touchpoints-local',
  };
}

export type LocalConfig = ReturnType<typeof readLocalConfig>;

/**
 * Before anything starts or writes under `.data/`: each set port can be listened on, or the
 * LocalStartError that names the variable to change. (A port taken in the instant between this
 * check and the service's own listen still fails, with Node's error.)
 */
export async function ensurePortsFree(ports: Pick<LocalConfig, PortName>): Promise<void> {
  for (const name of Object.keys(portSettings) as PortName[]) {
    const { variable, fallback } = portSettings[name];
    const wanted = ports[name];
    if (wanted === 0) continue;
    const failure = await new Promise<NodeJS.ErrnoException | undefined>((settle) => {
      const probe = createServer();
      probe.once('error', settle);
      probe.listen(wanted, '127.0.0.1', () => probe.close(() => settle(undefined)));
    });
    if (failure?.code === 'EADDRINUSE') throw new LocalStartError(`Port ${wanted} (${variable}) is already in use, perhaps by another npm start: stop that program, or set ${variable} to a free port.`);
    if (failure?.code === 'EACCES') throw new LocalStartError(`Port ${wanted} (${variable}) needs privileges this user lacks: set ${variable} to another port, such as ${fallback}.`);
    if (failure) throw failure;
  }
}

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
