// A strict, small XML 1.0 reader for the JUnit report tests: no XML parser is among the dependencies,
// so this checks well-formedness itself and throws on the first fault: characters outside XML 1.0's
// Char production (https://www.w3.org/TR/xml/#charsets), a "<" or a bare "&" in text or an attribute,
// an unknown entity, an unquoted or repeated attribute, mismatched or unclosed tags, more than one root.

export interface XmlElement {
  name: string;
  attrs: Record<string, string>;
  children: XmlElement[];
  /** The element's own text, entities decoded. */
  text: string;
}

const BAD_CHAR =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
const NAME = /^[A-Za-z_:][A-Za-z0-9_:.-]*/;
const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function decode(raw: string, where: string): string {
  if (raw.includes("<")) throw new Error(`"<" in ${where}`);
  return raw.replace(/&([^;]*);|&/g, (m, ref: string | undefined) => {
    if (ref === undefined) throw new Error(`bare "&" in ${where}`);
    if (ref in ENTITIES) return ENTITIES[ref];
    const num = /^#(\d+)$/.exec(ref) ?? /^#x([0-9A-Fa-f]+)$/.exec(ref);
    if (!num) throw new Error(`unknown entity &${ref}; in ${where}`);
    const c = String.fromCodePoint(parseInt(num[1], ref.startsWith("#x") ? 16 : 10));
    if (BAD_CHAR.test(c)) throw new Error(`reference to a character XML forbids in ${where}`);
    return c;
  });
}

export function parseXml(xml: string): XmlElement {
  const bad = BAD_CHAR.exec(xml);
  if (bad) throw new Error(`character U+${bad[0].charCodeAt(0).toString(16)} is not allowed in XML 1.0`);
  let i = 0;
  const decl = /^<\?xml\s[^?]*\?>/.exec(xml);
  if (decl) i = decl[0].length;
  const skipSpace = () => {
    while (i < xml.length && /\s/.test(xml[i])) i++;
  };
  const element = (): XmlElement => {
    if (xml[i] !== "<") throw new Error(`expected "<" at ${i}`);
    i++;
    const name = NAME.exec(xml.slice(i))?.[0];
    if (!name) throw new Error(`bad tag name at ${i}`);
    i += name.length;
    const el: XmlElement = { name, attrs: {}, children: [], text: "" };
    for (;;) {
      const before = i;
      skipSpace();
      if (xml.startsWith("/>", i)) {
        i += 2;
        return el;
      }
      if (xml[i] === ">") {
        i++;
        break;
      }
      if (i === before) throw new Error(`expected whitespace before an attribute of <${name}> at ${i}`);
      const attr = NAME.exec(xml.slice(i))?.[0];
      if (!attr) throw new Error(`bad attribute name in <${name}> at ${i}`);
      i += attr.length;
      if (xml[i] !== "=" || (xml[i + 1] !== '"' && xml[i + 1] !== "'"))
        throw new Error(`attribute ${attr} of <${name}> is not quoted`);
      const quote = xml[i + 1];
      const end = xml.indexOf(quote, i + 2);
      if (end < 0) throw new Error(`unterminated attribute ${attr}`);
      if (attr in el.attrs) throw new Error(`repeated attribute ${attr} in <${name}>`);
      el.attrs[attr] = decode(xml.slice(i + 2, end), `attribute ${attr} of <${name}>`);
      i = end + 1;
    }
    for (;;) {
      const next = xml.indexOf("<", i);
      if (next < 0) throw new Error(`<${name}> is not closed`);
      el.text += decode(xml.slice(i, next), `the text of <${name}>`);
      i = next;
      if (xml.startsWith("</", i)) {
        const close = `</${name}>`;
        if (!xml.startsWith(close, i)) throw new Error(`<${name}> closed by ${xml.slice(i, i + 40)}`);
        i += close.length;
        return el;
      }
      el.children.push(element());
    }
  };
  skipSpace();
  const root = element();
  skipSpace();
  if (i !== xml.length) throw new Error(`content after the root element at ${i}`);
  return root;
}
