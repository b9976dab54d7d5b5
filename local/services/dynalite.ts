import dynalite from 'dynalite';
import { closeServer, listenOnLoopback } from './loopback.js';

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
  const { url } = await listenOnLoopback(server, port);
  return { endpoint: url, close: () => closeServer(server) };
}
