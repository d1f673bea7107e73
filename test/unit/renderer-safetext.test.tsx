import { renderToStaticMarkup } from 'react-dom/server';
import { beforeAll, describe, expect, it } from 'vitest';
import { initI18n } from '../../renderer/src/i18n/index';
import { Name } from '../../renderer/src/text/Name';
import { SafeText } from '../../renderer/src/text/SafeText';

/**
 * The whole render path of untrusted text, as markup. Only text, <span> and
 * <a> with an http(s) href may come out; every < of the input must come out
 * escaped. (The e2e test runs the same payloads in Chromium under the real CSP.)
 */
const render = (text: string) => renderToStaticMarkup(<SafeText text={text} />);
const tags = (html: string) => [...html.matchAll(/<([a-zA-Z][\w-]*)/g)].map((m) => m[1]);

const HOSTILE = [
  `<script class="xss">$('.xss').parents().eq(1).find('a').eq(1).click();$('[data-action=retweet]').click();alert('XSS in Tweetdeck')</script>♥`,
  '<img src=x onerror=alert(1)>',
  '<svg><animate onbegin=alert(1) attributeName=x dur=1s>',
  '"><iframe src="javascript:alert(1)">',
  '<img src=x usemap="#m"><map name="m"><area shape="rect" coords="0,0,10000,10000" href="https://attacker.example/t.html" target="_self"></map>',
  '&lt;script&gt;alert(1)&lt;/script&gt; &amp;lt;b&amp;gt;',
  'http://a.bc/@"onmouseover="alert(1)"/',
  '[Klantenservice](javascript:alert(1))',
  '<style>*{display:none}</style><link rel=stylesheet href=https://attacker.example/x.css>',
  'https://a.nl/x"onclick="alert(1)',
  "https://a.nl/x'><script>alert(1)</script>",
];

beforeAll(() => {
  initI18n('en');
});

describe('SafeText renders hostile text inert', () => {
  for (const input of HOSTILE) {
    it(JSON.stringify(input).slice(0, 70), () => {
      const html = render(input);
      expect(tags(html).every((t) => t === 'a' || t === 'span')).toBe(true);
      expect(html).not.toMatch(/<(script|img|svg|iframe|map|area|style|link)/i);
      // Every < of the input is escaped, so any < left opens a real element: none may carry a handler.
      expect(html).not.toMatch(/<[^>]*\son[a-z]+=/i);
      for (const [, href] of html.matchAll(/href="([^"]*)"/g)) expect(href).toMatch(/^https?:\/\//);
    });
  }

  it('the TweetDeck worm is shown as its own text', () => {
    const html = render(HOSTILE[0] as string);
    expect(html).toBe(
      `&lt;script class=&quot;xss&quot;&gt;$(&#x27;.xss&#x27;).parents().eq(1).find(&#x27;a&#x27;).eq(1).click();$(&#x27;[data-action=retweet]&#x27;).click();alert(&#x27;XSS in Tweetdeck&#x27;)&lt;/script&gt;♥`,
    );
  });

  it('entity-encoded text is decoded exactly zero times here (the connector decodes once)', () => {
    expect(render('&lt;b&gt;')).toBe('&amp;lt;b&amp;gt;');
  });

  it('a link opens outside, without opener or referrer, and says where it goes', () => {
    expect(render('zie https://polderpost.nl/faq.')).toBe(
      'zie <a class="link" href="https://polderpost.nl/faq" target="_blank" rel="noopener noreferrer" title="Opens polderpost.nl in your browser: https://polderpost.nl/faq">https://polderpost.nl/faq</a>.',
    );
  });

  it('a lookalike (IDN) host shows the real, punycode host', () => {
    const html = render('https://раураl.com/login');
    expect(html).toContain('href="https://xn--l-7sba6dbr.com/login"');
    expect(html).toContain('<span class="link-host">goes to xn--l-7sba6dbr.com</span>');
  });

  it('mentions and hashtags are spans, not links', () => {
    expect(render('@polderpost #pakket')).toBe('<span class="mention">@polderpost</span> <span class="hashtag">#pakket</span>');
  });

  it('a name with a direction override is shown in logical order, isolated and flagged', () => {
    expect(renderToStaticMarkup(<Name text={'Klantenservice\u202Emoc.mlk'} />)).toBe(
      '<bdi>Klantenservicemoc.mlk</bdi><span class="bidi-flag" role="img" aria-label="This name contained characters that reverse the reading direction; it is shown without them." title="This name contained characters that reverse the reading direction; it is shown without them.">⚠</span>',
    );
    expect(renderToStaticMarkup(<Name text="<img src=x onerror=alert(1)>" />)).toBe('<bdi>&lt;img src=x onerror=alert(1)&gt;</bdi>');
  });
});
