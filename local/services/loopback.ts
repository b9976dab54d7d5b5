import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** Listens on a loopback port (0 picks a free one) and says which port it got. */
export async function listenOnLoopback(server: Server, port: number, host = '127.0.0.1'): Promise<{ url: string; port: number }> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const { address, port: boundPort } = server.address() as AddressInfo;
  return { url: `http://${address.includes(':') ? `[${address}]` : address}:${boundPort}`, port: boundPort };
}

/** Stops listening and drops kept-alive connections, so a restart can take the port at once. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeAllConnections();
  });
}
