import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { listenOnLoopback } from '../../local/services/loopback.js';

// `npm start`'s program as a child process, on ports it cannot have: it must say so in one line
// and leave no data behind.
let scratch: string;
let occupied: Server;
let occupiedPort: number;

async function start(ports: Record<string, string>) {
  const dataDir = join(scratch, `data-${Object.values(ports).join('-')}`);
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/start.ts'], {
    env: { ...process.env, PORT: '0', HUBSPOT_SANDBOX_PORT: '0', LOCAL_SES_PORT: '0', DYNAMODB_PORT: '0', ...ports, TOUCHPOINTS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => (stdout += chunk));
  child.stderr.on('data', (chunk) => (stderr += chunk));
  const [code] = await once(child, 'exit');
  return { code, stdout, stderr, dataLeft: existsSync(dataDir) };
}

beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'touchpoints-start-refusals-'));
  occupied = createServer();
  occupiedPort = (await listenOnLoopback(occupied, 0)).port;
});
afterAll(async () => {
  occupied.close();
  await rm(scratch, { recursive: true, force: true });
});

describe('npm start on ports it cannot have', () => {
  it('says in one line that a port is in use and by which variable to move it, and writes no data', async () => {
    const refused = await start({ DYNAMODB_PORT: String(occupiedPort) });

    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: `npm start: Port ${occupiedPort} (DYNAMODB_PORT) is already in use, perhaps by another npm start: stop that program, or set DYNAMODB_PORT to a free port.\n`,
      dataLeft: false,
    });
  });

  it('says in one line that browsers and fetch block port 6665, and writes no data', async () => {
    const refused = await start({ PORT: '6665' });

    expect(refused).toEqual({
      code: 1,
      stdout: '',
      stderr: 'npm start: PORT=6665 is a port browsers and fetch refuse to connect to (WHATWG "bad ports"): choose another, such as 4000.\n',
      dataLeft: false,
    });
  });
});
