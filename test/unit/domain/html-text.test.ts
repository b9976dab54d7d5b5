import { describe, expect, it } from 'vitest';
import { escapeHtml, htmlFromText } from '../../../lambdas/domain/html-text.js';

describe('customer text in HubSpot’s rich-text fields', () => {
  it('escapes every character HTML gives a meaning', () => {
    expect(escapeHtml(`<a href="x" title='y'>&amp;</a>`)).toBe('&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;amp;&lt;/a&gt;');
  });

  it('keeps line breaks as line breaks, and nothing else as markup', () => {
    expect(htmlFromText('Offer late.\r\nNobody <b>called</b>.\n\nTouchpoints ref: note-1')).toBe('Offer late.<br>Nobody &lt;b&gt;called&lt;/b&gt;.<br><br>Touchpoints ref: note-1');
  });

  it('leaves plain text as it is', () => {
    expect(htmlFromText('Tilbuddet kom for sent – 3/10')).toBe('Tilbuddet kom for sent – 3/10');
  });
});
