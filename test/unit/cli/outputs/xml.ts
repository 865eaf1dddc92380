// A strict little XML 1.0 reader for the JUnit tests: it refuses what a conforming parser refuses in the documents
// we write (unbalanced or crossed tags, raw `<` or `&`, unknown entities, duplicate attributes, characters XML cannot
// carry, content outside the root) and returns the element tree with entities decoded.

export interface XmlElement {
  name: string;
  attributes: Record<string, string>;
  children: XmlElement[];
  /** the element's own text, entities decoded, concatenated */
  text: string;
}

const NAME = /[A-Za-z_:][A-Za-z0-9_.:-]*/y;
const INVALID_CHAR = /[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/u;
const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

export class XmlError extends Error {}

export function parseXml(source: string): XmlElement {
  const bad = INVALID_CHAR.exec(source);
  if (bad)
    throw new XmlError(`character U+${bad[0].codePointAt(0)?.toString(16)} at ${bad.index} is not allowed in XML`);
  let i = 0;
  const fail = (message: string): never => {
    throw new XmlError(`${message} at offset ${i}: ${JSON.stringify(source.slice(i, i + 30))}`);
  };
  const skipSpace = () => {
    while (i < source.length && /[ \t\r\n]/.test(source[i] as string)) i++;
  };
  const name = (): string => {
    NAME.lastIndex = i;
    const match = NAME.exec(source);
    if (!match) return fail('expected a name');
    i += match[0].length;
    return match[0];
  };
  const decode = (raw: string, where: string): string => {
    if (raw.includes('<')) fail(`raw "<" in ${where}`);
    return raw.replace(/&([^;]*);?/g, (whole, ref: string) => {
      if (!whole.endsWith(';')) return fail(`unterminated entity in ${where}`);
      if (ref in ENTITIES) return ENTITIES[ref] as string;
      const numeric = /^#(?:x([0-9A-Fa-f]+)|([0-9]+))$/.exec(ref);
      if (!numeric) return fail(`unknown entity &${ref}; in ${where}`);
      const code = numeric[1] ? Number.parseInt(numeric[1], 16) : Number(numeric[2]);
      const char = String.fromCodePoint(code);
      if (INVALID_CHAR.test(char)) return fail(`character reference &${ref}; is not an XML character`);
      return char;
    });
  };
  const element = (): XmlElement => {
    if (source[i] !== '<') fail('expected "<"');
    i++;
    const tag = name();
    const attributes: Record<string, string> = {};
    for (;;) {
      const before = i;
      skipSpace();
      if (source.startsWith('/>', i)) {
        i += 2;
        return { name: tag, attributes, children: [], text: '' };
      }
      if (source[i] === '>') {
        i++;
        break;
      }
      if (i === before) fail('expected whitespace before an attribute');
      const attribute = name();
      skipSpace();
      if (source[i] !== '=') fail('expected "="');
      i++;
      skipSpace();
      const quote = source[i];
      if (quote !== '"' && quote !== "'") return fail('expected a quoted attribute value');
      const end = source.indexOf(quote, i + 1);
      if (end < 0) fail('unterminated attribute value');
      if (Object.hasOwn(attributes, attribute)) fail(`duplicate attribute ${attribute}`);
      attributes[attribute] = decode(source.slice(i + 1, end), `attribute ${attribute}`);
      i = end + 1;
    }
    const children: XmlElement[] = [];
    let text = '';
    for (;;) {
      if (i >= source.length) fail(`<${tag}> is never closed`);
      if (source.startsWith('</', i)) {
        i += 2;
        const closing = name();
        if (closing !== tag) fail(`</${closing}> closes <${tag}>`);
        skipSpace();
        if (source[i] !== '>') fail('expected ">"');
        i++;
        return { name: tag, attributes, children, text };
      }
      if (source.startsWith('<!--', i)) {
        const end = source.indexOf('-->', i);
        if (end < 0) fail('unterminated comment');
        i = end + 3;
        continue;
      }
      if (source[i] === '<') {
        children.push(element());
        continue;
      }
      const next = source.indexOf('<', i);
      const raw = source.slice(i, next < 0 ? source.length : next);
      if (raw.includes(']]>')) fail('"]]>" in text');
      text += decode(raw, `text of <${tag}>`);
      i += raw.length;
    }
  };

  if (source.startsWith('<?xml')) {
    const end = source.indexOf('?>');
    if (end < 0) fail('unterminated XML declaration');
    if (
      !/^<\?xml version="1\.[0-9]"( encoding="[A-Za-z0-9._-]+")?( standalone="(yes|no)")? ?\?>$/.test(
        source.slice(0, end + 2),
      )
    ) {
      fail('malformed XML declaration');
    }
    i = end + 2;
  }
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== source.length) fail('content after the root element');
  return root;
}
