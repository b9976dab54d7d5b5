import { createServer, request, type Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silenceTimeoutAgent } from '../../lambdas/hubspot/silence-timeout.js';

// A real loopback server: the first request answers at once (with a long Keep-Alive hint), later ones are held.
let served = 0;
const server = createServer((_request, response) => {
  served += 1;
  if (served === 1) {
    response.writeHead(200, { 'keep-alive': 'timeout=5' });
    response.end('ok');
  } else setTimeout(() => response.end('late'), 2_000).unref();
});
let url: string;
beforeAll(async () => {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

const get = (agent: Agent) =>
  new Promise<string>((resolve, reject) => {
    const outgoing = request(url, { agent }, (response) => {
      let body = '';
      response.on('data', (chunk: Buffer) => (body += chunk.toString()));
      response.on('end', () => resolve(body));
    });
    outgoing.on('error', reject);
    outgoing.end();
  });

describe('the silence-timeout agent', () => {
  it('gives up a request silent too long on a kept-alive socket too, whatever the server’s Keep-Alive hint', async () => {
    const agent = silenceTimeoutAgent(url, 300);
    expect(await get(agent)).toBe('ok');
    const startedAt = Date.now();
    await expect(get(agent)).rejects.toMatchObject({ code: 'ETIMEDOUT' });
    expect(Date.now() - startedAt).toBeLessThan(1_500);
    agent.destroy();
  });
});
