/**
 * The due benchmark's DynamoDB: dynalite in a process of its own, as DynamoDB is on AWS, so it
 * does not share the senders' CPU. Prints its endpoint as one JSON line on stdout; a line
 * `latency LOW HIGH` on stdin gives every later request a latency between LOW and HIGH ms (the
 * backlog is written without); stops when stdin ends.
 */
import { createInterface } from 'node:readline';
import { startDynalite } from '../local/services/dynalite.js';

let latency = { low: 0, high: 0 };
const dynamo = await startDynalite({ latencyMs: () => latency.low + Math.random() * (latency.high - latency.low) });
console.log(JSON.stringify({ endpoint: dynamo.endpoint }));

for await (const line of createInterface({ input: process.stdin })) {
  const [command, low, high] = line.split(' ');
  if (command !== 'latency' || !Number.isFinite(Number(low)) || !Number.isFinite(Number(high))) throw new Error(`unknown request ${JSON.stringify(line)}`);
  latency = { low: Number(low), high: Number(high) };
}
await dynamo.close();
