/**
 * The due benchmark's DynamoDB and SES: dynalite and the local SES in a process of their own, as
 * they are elsewhere on AWS, so they do not share the senders' CPU. Started with SES's rate (mails
 * per second) as its argument; prints both endpoints as one JSON line on stdout; a line
 * `latency LOW HIGH` on stdin gives every later DynamoDB request a latency between LOW and HIGH ms
 * (the backlog is written without), SES answers each mail 50–100 ms later; stops when stdin ends.
 */
import { createInterface } from 'node:readline';
import { senderDomainOf } from '../lambdas/domain/sender-domain.js';
import { demoSender } from '../local/demo/seed-app.js';
import { startDynalite } from '../local/services/dynalite.js';
import { startLocalSes } from '../local/services/local-ses.js';

let latency = { low: 0, high: 0 };
const dynamo = await startDynalite({ latencyMs: () => latency.low + Math.random() * (latency.high - latency.low) });
const ses = await startLocalSes({ maxSendRate: Number(process.argv[2]), sendLatencyMs: () => 50 + Math.random() * 50 });
// The bench portals send from the demo's (shared) domain, as the local stack's own SES has it.
ses.identities.addVerifiedDomain(senderDomainOf(demoSender.email));
console.log(JSON.stringify({ dynamoEndpoint: dynamo.endpoint, sesEndpoint: ses.endpoint }));

for await (const line of createInterface({ input: process.stdin })) {
  const [command, low, high] = line.split(' ');
  if (command !== 'latency' || !Number.isFinite(Number(low)) || !Number.isFinite(Number(high))) throw new Error(`unknown request ${JSON.stringify(line)}`);
  latency = { low: Number(low), high: Number(high) };
}
await ses.close();
await dynamo.close();
