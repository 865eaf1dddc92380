import { describe, expect, it } from 'vitest';
import { escapeHtml, isLinkableUrl, jsonForScript, linkOrText } from '../../../core/report/html.js';

describe('report html escaping', () => {
  it('escapes the five HTML-significant characters and leaves other text alone', () => {
    expect(escapeHtml(`<a href="x">'&'</a> ≤ 250 ms`)).toBe(
      '&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt; ≤ 250 ms',
    );
  });

  it('writes JSON for a script tag with no <, > or & left, that parses back to the same value', () => {
    const value = { s: '</script><!-- & \u2028\u2029', n: [1, 2.5], nested: { '<k>': true } };
    const json = jsonForScript(value);
    expect(json).not.toMatch(/[<>&\u2028\u2029]/);
    expect(JSON.parse(json)).toEqual(value);
  });

  it('allows http, https, file and relative URLs as links', () => {
    for (const url of [
      'https://wiki.example.com/x',
      'http://127.0.0.1:8080/',
      'file:///tmp/r.html',
      'result.json',
      '../runs/x',
    ]) {
      expect(isLinkableUrl(url)).toBe(true);
    }
  });

  it('refuses script, data, s3, protocol-relative and whitespace-smuggled URLs as links', () => {
    for (const url of [
      'javascript:alert(1)',
      'JaVaScRiPt:alert(1)',
      'data:text/html,x',
      's3://bucket/key',
      '//evil.example',
      'java\nscript:x',
      '',
    ]) {
      expect(isLinkableUrl(url)).toBe(false);
    }
    expect(linkOrText('javascript:alert(1)')).toBe('<code>javascript:alert(1)</code>');
    expect(linkOrText('https://x.example/?a=1&b="2"', 'x')).toBe(
      '<a href="https://x.example/?a=1&amp;b=&quot;2&quot;" rel="noopener noreferrer">x</a>',
    );
  });
});
