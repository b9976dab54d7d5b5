import { afterEach, describe, expect, it, vi } from 'vitest';
import { blockedPorts, LocalStartError, readLocalConfig } from '../../../local/config.js';

/** How Node's fetch (undici, the WHATWG Fetch standard) answers a request to `port` on loopback. */
async function fetchRefusal(port: number): Promise<string | undefined> {
  try {
    await fetch(`http://127.0.0.1:${port}/`, { signal: AbortSignal.timeout(2_000) });
    return undefined;
  } catch (error) {
    return ((error as Error).cause as Error | undefined)?.message;
  }
}

afterEach(() => {
  vi.unstubAllEnvs();
});

describe('the local stack’s ports', () => {
  it('blocks exactly the ports Node’s fetch refuses, and not their neighbours', async () => {
    const listed = [...blockedPorts];
    const neighbours = [...new Set(listed.flatMap((port) => [port - 1, port + 1]))].filter((port) => port > 0 && !blockedPorts.has(port));

    expect(listed).toHaveLength(82);
    expect(await Promise.all(listed.map(fetchRefusal))).toEqual(listed.map(() => 'bad port'));
    expect((await Promise.all(neighbours.map(fetchRefusal))).filter((refusal) => refusal === 'bad port')).toEqual([]);
  });

  it.each([
    ['PORT', '6000'],
    ['LOCAL_SES_PORT', '6667'],
    ['DYNAMODB_PORT', '10080'],
  ])('refuses %s=%s in one line: browsers and fetch would not connect to it', (variable, port) => {
    vi.stubEnv(variable, port);

    expect(readLocalConfig).toThrow(LocalStartError);
    expect(readLocalConfig).toThrow(new RegExp(`^${variable}=${port} is a port browsers and fetch refuse to connect to [^\\n]+$`));
  });

  it('refuses two services on one port, naming both variables', () => {
    vi.stubEnv('HUBSPOT_SANDBOX_PORT', '4500');
    vi.stubEnv('DYNAMODB_PORT', '4500');

    expect(readLocalConfig).toThrow('HUBSPOT_SANDBOX_PORT and DYNAMODB_PORT are both 4500: give each service its own port.');
  });

  it('lets every service pick its own free port with 0', () => {
    for (const variable of ['PORT', 'HUBSPOT_SANDBOX_PORT', 'LOCAL_SES_PORT', 'DYNAMODB_PORT']) vi.stubEnv(variable, '0');

    expect(readLocalConfig()).toMatchObject({ appPort: 0, sandboxPort: 0, sesPort: 0, dynamoPort: 0 });
  });

  it('refuses a port that is not a number from 0 to 65535', () => {
    vi.stubEnv('PORT', '70000');

    expect(readLocalConfig).toThrow('PORT must be a port number from 0 to 65535, got "70000".');
  });
});
