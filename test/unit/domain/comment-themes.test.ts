import { describe, expect, it } from 'vitest';
import { defaultLightThresholds, type SurveyLanguage, themeMinimumComments } from '@touchpoints/contracts';
import { mulberry32 } from '../../../lambdas/domain/analysis.js';
import {
  addCommentTerms,
  analyzeComment,
  commentBudget,
  commentsByLight,
  commentTermsOf,
  type CommentTerms,
  quoteAround,
  quoteLength,
  type ScoredComment,
  themesCell,
  themesPerLight,
  touchpointThemes,
} from '../../../lambdas/domain/comment-themes.js';

/**
 * Synthetic comments with planted themes: red answers complain about a late offer, a long wait and
 * nobody calling, green ones praise the service and the salesperson, each said several ways and
 * inflected, inside small talk drawn from words both sides use.
 */
const planted: Record<SurveyLanguage, { red: string[][]; green: string[][]; yellow: string[]; smallTalk: string[] }> = {
  da: {
    red: [
      ['Tilbuddet kom for sent', 'Svaret kom alt for sent', 'Tilbud for sent', 'Prisen kom for sent til os'],
      ['Lang ventetid', 'Meget lang ventetid på bilen', 'Lang ventetid igen', 'Alt for lang ventetid'],
      ['Ingen ringede', 'Ingen ringede tilbage', 'Ingen har ringet til mig', 'Ingen ringede efter mødet'],
    ],
    green: [
      ['God service', 'Virkelig god service', 'Altid god service', 'God service fra start'],
      ['Hyggelig sælger', 'En meget hyggelig sælger', 'Hyggelig sælger med tid', 'Sikke en hyggelig sælger'],
    ],
    yellow: ['Det var okay', 'Helt fint', 'Udmærket'],
    smallTalk: ['Bilen er flot.', 'Vi kom om lørdagen.', 'Min kone var med.', 'Kaffen smagte.', 'Parkeringen var nem.', 'Farven er blå.', 'Bilen kører fint.'],
  },
  nb: {
    red: [
      ['Tilbudet kom for sent', 'Svaret kom altfor sent', 'Tilbud for sent', 'Prisen kom for sent til oss'],
      ['Ventetiden var lang', 'Lang ventetid på bilen', 'Veldig lang ventetid', 'Ventetiden ble lang'],
      ['Ingen ringte', 'Ingen ringte tilbake', 'Ingen har ringt meg', 'Ingen ringte etter møtet'],
    ],
    green: [
      ['God service', 'Veldig god service', 'Alltid god service', 'God service fra start'],
      ['Hyggelig selger', 'En veldig hyggelig selger', 'Hyggelig selger med tid', 'Selgeren var hyggelig'],
    ],
    yellow: ['Det var greit', 'Helt fint', 'Middels'],
    smallTalk: ['Bilen er fin.', 'Vi kom på lørdag.', 'Kona var med.', 'Kaffen smakte.', 'Parkeringen var enkel.', 'Fargen er blå.', 'Bilen kjører fint.'],
  },
  en: {
    red: [
      ['The offer came too late', 'Their answer came far too late', 'Offer too late', 'The price arrived too late for us'],
      ['Long waiting time', 'A long waiting time for the car', 'Waiting time was long', 'Long waiting times again'],
      ['Nobody called', 'Nobody called me back', 'Nobody ever called', 'Nobody called after the meeting'],
    ],
    green: [
      ['Friendly staff', 'Very friendly staff', 'The staff were friendly', 'Friendly staff from the start'],
      ['Great service', 'Really great service', 'Always great service', 'Great service throughout'],
    ],
    yellow: ['It was okay', 'Fine overall', 'Average'],
    smallTalk: ['The car looks good.', 'We came on a Saturday.', 'My wife came along.', 'The coffee was nice.', 'Parking was easy.', 'The colour is blue.', 'The car drives well.'],
  },
};

/** 45 red (scores 1–5), 40 green (8–10) and 12 yellow (6–7) comments of one language; two planted phrases in some. */
function syntheticComments(language: SurveyLanguage, seed = 7): ScoredComment[] {
  const random = mulberry32(seed);
  const pick = <T,>(list: readonly T[]) => list[Math.floor(random() * list.length)]!;
  const { red, green, yellow, smallTalk } = planted[language];
  const said = (themes: string[][], index: number) => {
    const own = pick(themes[index % themes.length]!);
    const also = random() < 0.3 ? `, ${pick(themes[(index + 1) % themes.length]!).toLowerCase()}` : '';
    return random() < 0.5 ? `${own}${also}. ${pick(smallTalk)}` : `${pick(smallTalk)} ${own}${also}!`;
  };
  return [
    ...Array.from({ length: 45 }, (_, index) => ({ comment: said(red, index), score: 1 + (index % 5), language })),
    ...Array.from({ length: 40 }, (_, index) => ({ comment: said(green, index), score: 8 + (index % 3), language })),
    ...Array.from({ length: 12 }, (_, index) => ({ comment: `${pick(yellow)}. ${pick(smallTalk)}`, score: 6 + (index % 2), language })),
  ];
}

/** The themes of one touchpoint, the portal's only one. */
const themesIn = (terms: CommentTerms) => touchpointThemes(new Map([['offer', terms]]), defaultLightThresholds).get('offer')!;
const themesOf = (comments: readonly ScoredComment[]) => themesIn(commentTermsOf(comments));
const labels = (comments: readonly ScoredComment[], light: string) => themesOf(comments).filter((theme) => theme.light === light).map(({ label }) => label);

describe('commentThemes', () => {
  it.each([
    ['da', [/^for sent$/, /ventetid/, /^ingen ring/], [/god service/, /hyggelig sælger/]],
    ['nb', [/^for sent$/, /ventetid/, /^ingen ring/], [/god service/, /hyggelig selger/]],
    ['en', [/^too late$/, /waiting time/, /^nobody call/], [/friendly staff/, /great service/]],
  ] as const)('recovers the planted themes of red and green %s comments', (language, red, green) => {
    const comments = syntheticComments(language);
    const [redLabels, greenLabels] = [labels(comments, 'red'), labels(comments, 'green')];
    expect(redLabels.length).toBeLessThanOrEqual(themesPerLight);
    for (const theme of red) expect(redLabels.some((label) => theme.test(label)), `${theme} among ${redLabels.join(', ')}`).toBe(true);
    for (const theme of green) expect(greenLabels.some((label) => theme.test(label)), `${theme} among ${greenLabels.join(', ')}`).toBe(true);
  });

  it('finds no theme in the small talk both lights share', () => {
    for (const language of ['da', 'nb', 'en'] as const) {
      const smallTalk = new Set(planted[language].smallTalk.flatMap((sentence) => [...analyzeComment(sentence, language).terms.values()].map(({ surface }) => surface)));
      expect(themesOf(syntheticComments(language)).filter(({ label }) => smallTalk.has(label))).toEqual([]);
    }
  });

  it('gives each theme its count of comments and two or three short quotes that use it', () => {
    const themes = themesOf(syntheticComments('da'));
    const late = themes.find(({ light, label }) => light === 'red' && label === 'for sent')!;
    expect(late).toMatchObject({ language: 'da', comments: expect.any(Number) });
    expect(late.comments).toBeGreaterThanOrEqual(10);
    expect(late.quotes.length).toBeGreaterThanOrEqual(2);
    expect(late.quotes.length).toBeLessThanOrEqual(3);
    for (const quote of late.quotes) expect(quote.toLowerCase()).toContain('for sent');
  });

  it('quotes no comment under two themes of a light while others are left, and no two that say the same words', () => {
    const sameWords = ['Ingen ringede os.', 'ingen ringede os!', 'INGEN RINGEDE OS', 'Ingen ringede os…'];
    const comments = [...syntheticComments('da'), ...sameWords.flatMap((comment) => [1, 2, 3].map((score) => ({ comment, score, language: 'da' as const })))];
    const themes = themesOf(comments);
    const wordsOf = (quote: string) => [...analyzeComment(quote, 'da').terms.keys()].sort().join('|');
    for (const light of ['red', 'yellow', 'green'] as const) {
      const quotes = themes.filter((theme) => theme.light === light).flatMap((theme) => theme.quotes);
      expect(quotes.length).toBeGreaterThanOrEqual(6);
      expect(new Set(quotes).size).toBe(quotes.length);
    }
    const calling = themes.find(({ light, label }) => light === 'red' && label === 'ingen ringede')!;
    expect(calling.quotes.filter((quote) => sameWords.includes(quote))).toHaveLength(1);
    expect(new Set(calling.quotes.map(wordsOf)).size).toBe(calling.quotes.length);
  });

  it('keeps a month’s quotes of a term different: one of the comments that say the same words, then another', () => {
    const late = ['Tilbuddet kom for sent', 'tilbuddet kom for sent!', 'Tilbuddet kom for sent.', 'For sent, vi købte et andet sted'];
    const { quotes } = commentTermsOf(late.map((comment) => ({ comment, score: 2, language: 'da' as const }))).da!['2']!;
    expect(quotes.filter((quote) => late.slice(0, 3).includes(quote))).toHaveLength(1);
    expect(quotes).toContain('For sent, vi købte et andet sted');
  });

  it('shows one theme, not two, for the words of one phrase that a stopword splits', () => {
    const week = ['Vi ventede en uge', 'Vi ventede en uge på svar', 'Vi ventede en hel uge', 'Desværre ventede vi en uge'];
    const comments = [...syntheticComments('da'), ...Array.from({ length: 16 }, (_, index) => ({ comment: `${week[index % 4]}. ${planted.da.smallTalk[index % 7]}`, score: 1 + (index % 5), language: 'da' as const }))];
    const redLabels = labels(comments, 'red');
    expect(redLabels.filter((label) => /ventede|uge/.test(label))).toHaveLength(1);
    expect(redLabels).toEqual(expect.arrayContaining(['for sent', 'lang ventetid', 'ingen ringede']));
  });

  it('lets a phrase replace the word it covers: "for sent", not "sent" too', () => {
    const redLabels = labels(syntheticComments('da'), 'red');
    expect(redLabels).toContain('for sent');
    expect(redLabels).not.toContain('sent');
  });

  it('gives the same themes for the same comments in any order', () => {
    const comments = [...syntheticComments('nb'), ...syntheticComments('en', 3)];
    const random = mulberry32(5);
    const shuffled = comments.map((comment) => ({ comment, at: random() })).sort((a, b) => a.at - b.at).map(({ comment }) => comment);
    expect(JSON.stringify(themesOf(shuffled))).toBe(JSON.stringify(themesOf(comments)));
    expect(JSON.stringify(commentTermsOf(shuffled))).toBe(JSON.stringify(commentTermsOf(comments)));
  });

  it('finds the same themes in months added up as in all the comments at once', () => {
    const comments = syntheticComments('en');
    const months = [0, 1, 2].map((month) => commentTermsOf(comments.filter((_, index) => index % 3 === month)));
    const added = months.reduce<CommentTerms>(addCommentTerms, {});
    const strip = (themes: ReturnType<typeof themesOf>) => themes.map(({ light, label, comments: count }) => `${light}:${label}:${count}`);
    expect(strip(themesIn(added))).toEqual(strip(themesOf(comments)));
  });

  it('gives no themes to a light with fewer comments than the minimum, and says how many each light has', () => {
    const comments = syntheticComments('da');
    const fewRed = [...comments.filter(({ score }) => score > 5), ...comments.filter(({ score }) => score <= 5).slice(0, themeMinimumComments - 1)];
    const terms = commentTermsOf(fewRed);
    expect(themesIn(terms).filter(({ light }) => light === 'red')).toEqual([]);
    expect(commentsByLight(terms, defaultLightThresholds)).toEqual({ red: themeMinimumComments - 1, yellow: 12, green: 40 });
  });

  it('finds the themes of a touchpoint nearly everyone rates red against the other touchpoints’ comments', () => {
    const comments = syntheticComments('da');
    const offer = commentTermsOf(comments.filter(({ score }) => score <= 5));
    const delivery = commentTermsOf(comments.filter(({ score }) => score > 5));
    const themes = touchpointThemes(new Map([['offer', offer], ['delivery', delivery]]), defaultLightThresholds);
    expect(themes.get('offer')!.filter(({ light }) => light === 'red').map(({ label }) => label)).toEqual(expect.arrayContaining(['for sent', 'lang ventetid', 'ingen ringede']));
    expect(touchpointThemes(new Map([['offer', offer]]), defaultLightThresholds).get('offer')).toEqual([]);
  });

  it('groups the scores into lights by the portal’s thresholds at read time', () => {
    const terms = commentTermsOf(syntheticComments('da'));
    expect(commentsByLight(terms, { redMax: 3, yellowMax: 7 })).toEqual({ red: 27, yellow: 30, green: 40 });
  });
});

describe('analyzeComment', () => {
  const termsOf = (comment: string, language: SurveyLanguage) => [...analyzeComment(comment, language).terms.keys()];

  it('keeps negations and "too" that stopword lists drop, bound to the word they bear on', () => {
    expect(termsOf('Ingen har ringet', 'da')).toEqual(['ring', 'ingen ring']);
    expect(termsOf('Tilbuddet kom for sent', 'da')).toContain('for sent');
    expect(termsOf('Det kom ikkje', 'nb')).toEqual([]);
    expect(termsOf("They didn't call", 'en')).toEqual(['call', 'not call']);
    expect(termsOf('It came too late', 'en')).toContain('too late');
  });

  it('drops stopwords, and no phrase crosses one or a sentence’s end', () => {
    expect(termsOf('Ventetiden var lang. Bilen er flot', 'da')).toEqual(['ventetid', 'lang', 'bil', 'flot']);
  });

  it('reads Danish and Norwegian letters and counts a comment once per term', () => {
    expect(termsOf('Sælgeren, sælgeren, SÆLGEREN!', 'da')).toEqual(['sælg']);
    expect(analyzeComment('Sælgeren, sælgeren, SÆLGEREN!', 'da').terms.get('sælg')?.surface).toBe('sælgeren');
  });

  it('survives hostile comments: empty, markup, emoji, control characters, other scripts and 5,000 characters', () => {
    const hostile = ['', '   ', '<script>alert("x")</script>', '😡😡😡 👍', '\u0000\u0007\u202e', 'Привет мир', 'a'.repeat(5_000), 'for sent '.repeat(600), '<<<>>>'.repeat(900)];
    for (const comment of hostile) for (const language of ['da', 'nb', 'en'] as const) expect(() => analyzeComment(comment, language)).not.toThrow();
    expect(termsOf('<b>For sent</b> 😡', 'da')).toEqual(['sent', 'for sent']);
    expect(termsOf('a'.repeat(5_000), 'en')).toEqual([]);
    const summary = commentTermsOf(hostile.map((comment, index) => ({ comment, score: 1 + (index % 10), language: 'da' as const })));
    for (const { quotes } of Object.values(summary.da ?? {})) for (const quote of quotes) expect(quote.length).toBeLessThanOrEqual(quoteLength + 2);
  });
});

describe('quoteAround', () => {
  it('keeps a short comment whole, and cuts a long one at spaces around the phrase', () => {
    expect(quoteAround('Tilbuddet kom for sent', 3)).toBe('Tilbuddet kom for sent');
    const long = `${'Vi kiggede på mange biler i byen. '.repeat(10)}Tilbuddet kom for sent. ${'Resten var fint nok. '.repeat(10)}`.trim();
    const quote = quoteAround(long, long.indexOf('for sent'));
    expect(quote).toContain('for sent');
    expect(quote.length).toBeLessThanOrEqual(quoteLength + 2);
    expect(quote).toMatch(/^…\S.*\S…$/);
  });

  it('never leaves half an emoji at a cut', () => {
    const quote = quoteAround(`${'😡'.repeat(200)} for sent`, 400);
    expect(quote).not.toMatch(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/);
  });
});

describe('commentTermsOf', () => {
  it('keeps a month of any comments within the summary item’s budget (3 languages × 10 scores, long words)', () => {
    const random = mulberry32(11);
    const word = () => Array.from({ length: 12 + Math.floor(random() * 18) }, () => 'abcdefghijklmnopqrstuvwxyzæøå'[Math.floor(random() * 29)]).join('');
    const comments = (['da', 'nb', 'en'] as const).flatMap((language) =>
      Array.from({ length: 300 }, (_, index) => ({ comment: Array.from({ length: 40 }, word).join(' '), score: 1 + (index % 10), language })),
    );
    const terms = commentTermsOf(comments);
    const bytes = new TextEncoder().encode(JSON.stringify(terms)).length;
    expect(Object.values(terms).flatMap((scores) => Object.keys(scores))).toHaveLength(30);
    expect(bytes).toBeGreaterThan(60_000); // the budget is used, not dodged
    expect(bytes).toBeLessThanOrEqual(commentBudget.termBytes + commentBudget.quoteBytes + 6_000);
  });
});

describe('themesCell', () => {
  it('lists each light’s themes with their counts', () => {
    expect(
      themesCell([
        { light: 'red', language: 'da', label: 'for sent', comments: 12, quotes: [] },
        { light: 'red', language: 'da', label: 'ventetid', comments: 8, quotes: [] },
        { light: 'green', language: 'da', label: 'god service', comments: 9, quotes: [] },
      ]),
    ).toBe('red: for sent (12); ventetid (8) | green: god service (9)');
    expect(themesCell([])).toBe('');
  });
});
