import { describe, expect, it } from 'vitest';
import { safeHttpsHref, segmentText, type Segment } from '../../shared/text/segments';

const text = (t: string): Segment => ({ kind: 'text', text: t });
const link = (t: string, href = t): Segment => ({ kind: 'link', text: t, href });
const mention = (handle: string): Segment => ({ kind: 'mention', text: `@${handle}`, handle });
const hashtag = (tag: string): Segment => ({ kind: 'hashtag', text: `#${tag}`, tag });

const TWEETDECK = `<script class="xss">$('.xss').parents().eq(1).find('a').eq(1).click();$('[data-action=retweet]').click();alert('XSS in Tweetdeck')</script>♥`;

describe('segmentText: links, mentions and hashtags; markup and deceptive URLs stay text', () => {
  const cases: Array<[string, string, Segment[]]> = [
    ['empty', '', []],
    ['plain', 'Mijn pakket is niet bezorgd', [text('Mijn pakket is niet bezorgd')]],
    ['the 2014 TweetDeck worm is one inert text segment', TWEETDECK, [text(TWEETDECK)]],
    ['markup in a display name', '<img src=x onerror=alert(1)>', [text('<img src=x onerror=alert(1)>')]],
    ['svg handler', '<svg><animate onbegin=alert(1) attributeName=x dur=1s>', [text('<svg><animate onbegin=alert(1) attributeName=x dur=1s>')]],
    ['entity-encoded markup is not decoded', '&lt;script&gt;alert(1)&lt;/script&gt;', [text('&lt;script&gt;alert(1)&lt;/script&gt;')]],
    ['https link', 'zie https://polderpost.nl/track', [text('zie '), link('https://polderpost.nl/track')]],
    ['http link', 'http://example.com/a?b=1', [link('http://example.com/a?b=1')]],
    ['scheme case is normalised in href only', 'HTTPS://Example.COM/x', [link('HTTPS://Example.COM/x', 'https://example.com/x')]],
    ['host without path gets a slash in href', 'https://polderpost.nl', [link('https://polderpost.nl', 'https://polderpost.nl/')]],
    ['trailing full stop', 'Kijk op https://polderpost.nl/faq.', [text('Kijk op '), link('https://polderpost.nl/faq'), text('.')]],
    ['trailing comma, !, ?', 'https://a.nl/x, https://b.nl/y! https://c.nl/z?', [link('https://a.nl/x'), text(', '), link('https://b.nl/y'), text('! '), link('https://c.nl/z'), text('?')]],
    ['several trailing marks', 'https://a.nl/x?!.', [link('https://a.nl/x'), text('?!.')]],
    ['closing parenthesis of the sentence', '(zie https://a.nl/x)', [text('(zie '), link('https://a.nl/x'), text(')')]],
    ['balanced parentheses stay in the URL', 'https://en.wikipedia.org/wiki/Post_(bedrijf)', [link('https://en.wikipedia.org/wiki/Post_(bedrijf)')]],
    ['ellipsis', 'https://a.nl/x…', [link('https://a.nl/x'), text('…')]],
    ['2010 onmouseover worm: the quote ends the URL', 'http://a.bc/@"onmouseover="alert(1)"/', [link('http://a.bc/@'), text('"onmouseover="alert(1)"/')]],
    ["single quote ends the URL", "https://a.nl/x'onclick='y", [link('https://a.nl/x'), text("'onclick='y")]],
    ['< ends the URL', 'https://a.nl/x<script>', [link('https://a.nl/x'), text('<script>')]],
    ['backtick ends the URL', 'https://a.nl/x`y`', [link('https://a.nl/x'), text('`y`')]],
    ['newline ends the URL', 'https://a.nl/x\nvolgende regel', [link('https://a.nl/x'), text('\nvolgende regel')]],
    ['javascript: is text', 'javascript:alert(1)', [text('javascript:alert(1)')]],
    ['mixed-case javascript: is text', 'JaVaScRiPt:alert(1)', [text('JaVaScRiPt:alert(1)')]],
    ['tab-split javascript: is text', 'java\tscript:alert(1)', [text('java\tscript:alert(1)')]],
    ['data: is text', 'data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==', [text('data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==')]],
    ['file: is text', 'file:///C:/Windows/System32/calc.exe', [text('file:///C:/Windows/System32/calc.exe')]],
    ['UNC path is text', '\\\\attacker.example\\share\\x.exe', [text('\\\\attacker.example\\share\\x.exe')]],
    ['smb: is text', 'smb://attacker.example/s', [text('smb://attacker.example/s')]],
    ['ms-msdt: is text', 'ms-msdt:/id PCWDiagnostic /skip force', [text('ms-msdt:/id PCWDiagnostic /skip force')]],
    ['userinfo is text', 'https://www.klm.com@evil.example/', [text('https://www.klm.com@evil.example/')]],
    ['user:password is text', 'https://user:pw@evil.example/', [text('https://user:pw@evil.example/')]],
    ['backslash-userinfo trick is text', 'https://evil.example\\@www.klm.com/', [text('https://evil.example\\@www.klm.com/')]],
    ['RLO in the query is text (Signal #4568)', 'https://google.com/search?q=\u202Egpj.exe', [text('https://google.com/search?q=\u202Egpj.exe')]],
    ['isolate in a URL is text', 'https://a.nl/\u2066x\u2069', [text('https://a.nl/\u2066x\u2069')]],
    ['LRM/RLM in a URL is text', 'https://a.nl/\u200Ex https://b.nl/\u200Fy', [text('https://a.nl/\u200Ex https://b.nl/\u200Fy')]],
    ['zero-width space in a URL is text', 'https://k\u200Blm.com/', [text('https://k\u200Blm.com/')]],
    ['a scheme glued to a word is not a link', 'zieshttps://a.nl/x', [text('zieshttps://a.nl/x')]],
    ['bare scheme is text', 'https:// ', [text('https:// ')]],
    ['suffix trick is a link that shows its real host', 'https://app.example.com.evil.example/', [link('https://app.example.com.evil.example/')]],
    ['IDN host: href is punycode', 'https://раураl.com/', [link('https://раураl.com/', 'https://xn--l-7sba6dbr.com/')]],
    ['mentions', '@Polderpost waar blijft mijn pakket? cc @els_dv', [mention('Polderpost'), text(' waar blijft mijn pakket? cc '), mention('els_dv')]],
    ['an e-mail address is not a mention', 'mail info@polderpost.nl', [text('mail info@polderpost.nl')]],
    ['a handle longer than 15 is not a mention', '@abcdefghijklmnopq', [text('@abcdefghijklmnopq')]],
    ['lone @', 'kom @ 5 uur', [text('kom @ 5 uur')]],
    ['hashtags', '#pakket kwijt #bezorging2026', [hashtag('pakket'), text(' kwijt '), hashtag('bezorging2026')]],
    ['unicode hashtag', '#café', [hashtag('café')]],
    ['digits only is not a hashtag', 'bestelling #12345', [text('bestelling #12345')]],
    ['hash inside a word or entity is not a hashtag', 'C#sharp &#123;', [text('C#sharp &#123;')]],
    ['emoji stay intact', 'Top service 👍🏽 🇳🇱 👨\u200D👩\u200D👧\u200D👦 1\uFE0F\u20E3', [text('Top service 👍🏽 🇳🇱 👨\u200D👩\u200D👧\u200D👦 1\uFE0F\u20E3')]],
    ['emoji next to a link and a hashtag', '❤️https://a.nl/x #top🎉', [text('❤️'), link('https://a.nl/x'), text(' '), hashtag('top'), text('🎉')]],
    ['url inside a mention run', '@a https://b.nl/@c', [mention('a'), text(' '), link('https://b.nl/@c')]],
    ['lone surrogates survive as text', 'abc\uDFFF\uD800', [text('abc\uDFFF\uD800')]],
    ['NUL stays text', 'hello\u0000world', [text('hello\u0000world')]],
  ];

  for (const [name, input, expected] of cases) {
    it(name, () => {
      expect(segmentText(input)).toEqual(expected);
    });
  }

  it('loses no character: the segments join back to the input', () => {
    for (const [, input] of cases) {
      expect(
        segmentText(input)
          .map((s) => s.text)
          .join(''),
      ).toBe(input);
    }
  });

  it('a URL over 4096 characters is text', () => {
    const long = `https://a.nl/${'x'.repeat(5000)}`;
    expect(segmentText(long)).toEqual([text(long)]);
  });

  it('stays fast on hostile shapes (64 KB URL, 20,000 spaces, repeated schemes)', () => {
    const inputs = [
      `https://a.nl/${'a'.repeat(64 * 1024)}`,
      `${' '.repeat(20_000)}x`,
      `${'https://'.repeat(20_000)}\u202E`,
      '@'.repeat(50_000),
      '#'.repeat(50_000),
      'Z' + '\u0336\u0335\u0489'.repeat(300),
    ];
    const t0 = performance.now();
    for (const input of inputs) segmentText(input);
    expect(performance.now() - t0).toBeLessThan(1000);
  });
});

describe('safeHttpsHref', () => {
  it.each([
    ['https://pbs.twimg.com/a.jpg', 'https://pbs.twimg.com/a.jpg'],
    ['http://pbs.twimg.com/a.jpg', null],
    ['javascript:alert(1)', null],
    ['data:image/png;base64,AAAA', null],
    ['https://u@evil.example/a.jpg', null],
    ['https://a.nl/\u202Ex', null],
    ['', null],
    [undefined, null],
  ])('%s → %s', (input, expected) => {
    expect(safeHttpsHref(input)).toBe(expected);
  });
});
