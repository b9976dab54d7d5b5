import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LocalStackInfo } from '../../local/config.js';

// The real command a user types, as a child process on free ports.
let dataDir: string;
let child: ChildProcess;
let output = '';

async function localJson(): Promise<LocalStackInfo> {
  for (;;) {
    try {
      return JSON.parse(await readFile(join(dataDir, 'local.json'), 'utf8')) as LocalStackInfo;
    } catch {
      if (child.exitCode !== null) throw new Error(`npm start exited early:\n${output}`);
      await new Promise((resolve) => setTimeout(resolve, 100)); // polling a file another process writes
    }
  }
}

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'touchpoints-npm-start-'));
  child = spawn('npm', ['start'], {
    detached: true, // its own process group, so Ctrl-C reaches npm and the stack alike
    env: { ...process.env, PORT: '0', HUBSPOT_SANDBOX_PORT: '0', LOCAL_SES_PORT: '0', DYNAMODB_PORT: '0', TOUCHPOINTS_DATA_DIR: dataDir },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout?.on('data', (chunk) => (output += chunk));
  child.stderr?.on('data', (chunk) => (output += chunk));
});

afterAll(async () => {
  if (child.exitCode === null && child.signalCode === null && child.pid) process.kill(-child.pid, 'SIGKILL');
  await rm(dataDir, { recursive: true, force: true });
});

describe('npm start', () => {
  it('answers /healthz, prints every URL, and stops cleanly on Ctrl-C', async () => {
    const info = await localJson();
    const health = await fetch(`${info.appUrl}/healthz`);
    expect(health.status).toBe(200);
    for (const url of [info.appUrl, info.sandboxUrl, info.sesUrl, info.dynamoEndpoint]) expect(output).toContain(url);

    const exited = once(child, 'exit');
    process.kill(-child.pid!, 'SIGINT');
    const [code, signal] = await exited;
    // npm reports a Ctrl-C'd script as 130 (or dies of the SIGINT itself); the stack must have closed cleanly.
    expect(code === 130 || signal === 'SIGINT').toBe(true);
    expect(output).toContain('SIGINT: stopping');
    expect(output).not.toContain('Could not stop cleanly');
    await expect(fetch(`${info.appUrl}/healthz`)).rejects.toThrow();
  }, 30_000);
});
