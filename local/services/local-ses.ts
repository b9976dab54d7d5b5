import { createRequire } from 'node:module';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { closeServer } from './loopback.js';

// aws-ses-v2-local is CommonJS with `exports.default`.
const startSesServer = createRequire(import.meta.url)('aws-ses-v2-local').default as (config: {
  host: string;
  port: number;
}) => Promise<Server>;

export interface RunningLocalSes {
  /** The SES API endpoint for the AWS SDK, and the web page listing every mail sent. */
  endpoint: string;
  close(): Promise<void>;
}

/**
 * A local SES: the SES v1/v2 API on loopback, keeping every mail in memory;
 * `GET /` shows them in a browser, `GET /store` as JSON.
 */
export async function startLocalSes({ port = 0 }: { port?: number } = {}): Promise<RunningLocalSes> {
  const server = await startSesServer({ host: '127.0.0.1', port });
  const { port: boundPort } = server.address() as AddressInfo;
  return { endpoint: `http://127.0.0.1:${boundPort}`, close: () => closeServer(server) };
}
