import type { RenderedNode } from '@hubspot/ui-extensions/testing';

/**
 * All text under a node, including nested components (a node's own `text` holds only its
 * direct text children). Separate components are joined by a space.
 */
export function visibleText(node: RenderedNode): string {
  if (!('childNodes' in node)) return node.text;
  return node.childNodes
    .map((child) => visibleText(child))
    .filter((text) => text.length > 0)
    .join(' ');
}

/**
 * Lets every pending promise callback and the render it causes run. Used only to show that
 * something did NOT happen, where `waitFor` has nothing to wait for.
 */
export function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 0));
}
