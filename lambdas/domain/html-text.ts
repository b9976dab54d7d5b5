const entities: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Text made safe for element content and quoted attribute values alike. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => entities[character] ?? character);
}

/**
 * Plain text (ours, with a customer's words in it) as the body of a HubSpot rich-text field such as
 * `hs_note_body` or `hs_task_body`, which HubSpot renders as HTML: every character is text, never
 * markup, and line breaks stay line breaks.
 */
export function htmlFromText(text: string): string {
  return escapeHtml(text).replace(/\r?\n/g, '<br>');
}
