import { describe, expect, it } from 'vitest';
import { lambdaInstances } from '../../../local/lambda-instances.js';

/** An instance that answers with its own number and counts what it ran, each invocation held until released. */
function countingInstances() {
  let started = 0;
  const releases: (() => void)[] = [];
  const start = async () => {
    const instance = (started += 1);
    let invocations = 0;
    return async (event: string) => {
      invocations += 1;
      await new Promise<void>((resolve) => releases.push(resolve));
      return `${event} on instance ${instance}, its invocation ${invocations}`;
    };
  };
  return { start, started: () => started, releaseAll: () => releases.splice(0).forEach((release) => release()) };
}

describe('local λ instances', () => {
  it('runs invocations side by side on instances of their own, and a later one on a warm instance', async () => {
    const instances = countingInstances();
    const invoke = await lambdaInstances(2, instances.start);
    expect(instances.started()).toBe(2);
    const both = Promise.all([invoke('a', {}), invoke('b', {})]);
    await new Promise((resolve) => setImmediate(resolve));
    instances.releaseAll();
    const [a, b] = await both;
    expect(new Set([a.split(',')[0]!.split(' on ')[1], b.split(',')[0]!.split(' on ')[1]])).toEqual(new Set(['instance 1', 'instance 2']));
    const later = invoke('c', {});
    await new Promise((resolve) => setImmediate(resolve));
    instances.releaseAll();
    expect(await later).toMatch(/its invocation 2$/);
  });

  it('refuses an invocation beyond the maximum concurrency instead of sharing a busy instance', async () => {
    const instances = countingInstances();
    const invoke = await lambdaInstances(1, instances.start);
    const first = invoke('a', {});
    await expect(invoke('b', {})).rejects.toThrow(/maximum concurrency is 1/);
    instances.releaseAll();
    await expect(first).resolves.toBe('a on instance 1, its invocation 1');
  });
});
