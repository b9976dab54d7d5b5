import { Agent as HttpAgent } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';

/** How long a HubSpot call may go without a byte before it is given up (and retried by its backoff). */
export const defaultSilenceTimeoutMs = 10_000;

/**
 * The agent @hubspot/api-client sends through: its transport sets no timeout,
 * so a request HubSpot holds would keep the λ until its own timeout. The
 * agent's `timeout` keeps every socket (new, in use, kept alive) timed; this
 * one destroys a socket silent that long, failing its call with ETIMEDOUT.
 */
export function silenceTimeoutAgent(basePath: string | undefined, silenceMs: number): HttpAgent {
  const Base = basePath?.startsWith('http:') ? HttpAgent : HttpsAgent;
  const agent = new Base({ keepAlive: true, timeout: silenceMs });
  const createConnection = agent.createConnection.bind(agent) as (...args: unknown[]) => Socket;
  agent.createConnection = ((...args: unknown[]) => {
    const socket = createConnection(...args);
    socket.on('timeout', () => socket.destroy(Object.assign(new Error(`HubSpot sent nothing for ${silenceMs} ms`), { code: 'ETIMEDOUT' })));
    return socket;
  }) as typeof agent.createConnection;
  // A kept-alive socket waits with the server's shorter Keep-Alive hint; in use again, it gets ours back.
  const reuseSocket = agent.reuseSocket.bind(agent);
  agent.reuseSocket = (socket, request) => {
    (socket as Socket).setTimeout(silenceMs);
    reuseSocket(socket, request);
  };
  return agent;
}
