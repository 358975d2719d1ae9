/**
 * A strict little XML reader for tests of our own SVG/HTML output: throws on anything not
 * well-formed (unbalanced or crossed tags, unquoted or repeated attributes, unknown entities,
 * characters XML forbids) and returns each element with its own text, in document order.
 */
export interface XmlElement { name: string; attrs: Record<string, string>; text: string }

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function decode(s: string, at: number): string {
  return s.replace(/&([^;]*);?/g, (whole, name: string) => {
    if (!whole.endsWith(';')) throw new Error(`bare & near offset ${at}`);
    if (name.startsWith('#x')) return String.fromCodePoint(parseInt(name.slice(2), 16));
    if (name.startsWith('#')) return String.fromCodePoint(parseInt(name.slice(1), 10));
    const v = ENTITIES[name];
    if (v === undefined) throw new Error(`unknown entity &${name}; near offset ${at}`);
    return v;
  });
}

export function parseXml(doc: string): XmlElement[] {
  if (/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/.test(doc)) throw new Error('character not allowed in XML');
  const out: XmlElement[] = [];
  const stack: XmlElement[] = [];
  const tag = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[\w:.-]+\s*=\s*(?:"[^"<]*"|'[^'<]*'))*)\s*(\/?)>|<\?[^>]*\?>|<!--[\s\S]*?-->/g;
  let last = 0;
  for (let m = tag.exec(doc); m !== null; m = tag.exec(doc)) {
    const between = doc.slice(last, m.index);
    if (between.includes('<') || between.includes('>')) throw new Error(`stray markup near offset ${last}`);
    const text = decode(between, last);
    if (stack.length > 0) stack[stack.length - 1]!.text += text;
    else if (text.trim() !== '') throw new Error(`text outside the root near offset ${last}`);
    last = tag.lastIndex;
    if (m[2] === undefined) continue;
    const [, close, name, attrText, selfClose] = m;
    if (close) {
      const open = stack.pop();
      if (open?.name !== name) throw new Error(`</${name}> closes <${open?.name ?? 'nothing'}> at offset ${m.index}`);
      continue;
    }
    const attrs: Record<string, string> = {};
    for (const a of attrText!.matchAll(/([\w:.-]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
      if (a[1]! in attrs) throw new Error(`attribute ${a[1]} repeated at offset ${m.index}`);
      attrs[a[1]!] = decode(a[2] ?? a[3]!, m.index);
    }
    const el: XmlElement = { name: name!, attrs, text: '' };
    if (stack.length === 0 && out.length > 0) throw new Error('more than one root element');
    out.push(el);
    if (!selfClose) stack.push(el);
  }
  if (doc.slice(last).trim() !== '') throw new Error('text after the root element');
  if (stack.length > 0) throw new Error(`<${stack[stack.length - 1]!.name}> never closed`);
  return out;
}
