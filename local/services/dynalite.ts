import dynalite from 'dynalite';
import type { AddressInfo } from 'node:net';

export interface RunningDynamo {
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A real DynamoDB API server on loopback. With `path` the data lives in a
 * LevelDB folder and survives restarts; without it, in memory.
 */
export async function startDynalite({ port = 0, path }: { port?: number; path?: string } = {}): Promise<RunningDynamo> {
  const server = dynalite({ path, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const { port: boundPort } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${boundPort}`,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve()))),
  };
}
