/**
 * XML 1.0 escaping for reporters that write XML (JUnit). Pure string functions.
 *
 * XML 1.0 (§2.2 Char) forbids most C0 control characters, U+FFFE, U+FFFF and unpaired surrogates
 * anywhere in a document, even as character references (`&#1;` is not well-formed). A finding's
 * message can carry any of them (a resource name or description read from a hostile template), so
 * they are replaced, never passed through: a C0 control by its Unicode "control picture" (U+2400 +
 * code, e.g. ESC → ␛), so the reader still sees that something was there and what; U+FFFE, U+FFFF
 * and lone surrogates by U+FFFD. Tab, line feed and carriage return are allowed and kept.
 */

// Without the `u` flag the surrogate halves are matched one by one, which is what finding lone ones needs.
const FORBIDDEN = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The string with every character XML 1.0 forbids replaced (see above). */
export function xmlChars(s: string): string {
  return s.replace(FORBIDDEN, (ch) => {
    const c = ch.charCodeAt(0);
    return c < 0x20 ? String.fromCharCode(0x2400 + c) : '\uFFFD';
  });
}

/**
 * Element content. `>` is escaped too so that `]]>` can never appear; `\r` as a reference, because a
 * parser turns a literal CR (and CRLF) into LF.
 */
export function xmlText(s: string): string {
  return xmlChars(s).replace(/[&<>\r]/g, (ch) => TEXT_ENTITIES[ch]!);
}

/**
 * An attribute value in double quotes. Tab, LF and CR become references: attribute-value
 * normalization would otherwise turn each into a space.
 */
export function xmlAttr(s: string): string {
  return xmlChars(s).replace(/[&<>"\t\n\r]/g, (ch) => ATTR_ENTITIES[ch]!);
}

const TEXT_ENTITIES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '\r': '&#13;' };
const ATTR_ENTITIES: Record<string, string> = {
  ...TEXT_ENTITIES,
  '"': '&quot;',
  '\t': '&#9;',
  '\n': '&#10;',
};

/** `<name a="1" b="2"` for the attributes in the order given; undefined values are left out. */
export function xmlOpen(name: string, attrs: [string, string | number | undefined][]): string {
  const parts = attrs.filter(([, v]) => v !== undefined).map(([k, v]) => `${k}="${xmlAttr(String(v))}"`);
  return parts.length ? `<${name} ${parts.join(' ')}` : `<${name}`;
}
