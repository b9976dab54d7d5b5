/** Items in runs of at most `size`, for APIs that take batches (SQS 10, HubSpot 100). */
export function chunks<Item>(items: readonly Item[], size: number): Item[][] {
  const result: Item[][] = [];
  for (let start = 0; start < items.length; start += size) result.push(items.slice(start, start + size));
  return result;
}
