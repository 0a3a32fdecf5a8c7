/**
 * Where snapshot JSON stops being valid, for error messages. Hand-written because Node 20's
 * JSON.parse names no position for unexpected tokens or an early end (Node 22 adds one) and no
 * installed library reports JSON syntax offsets.
 */

/**
 * Line and column of the first JSON syntax error. Node 20's JSON.parse names a position for some
 * errors and only a snippet for others, so the text is scanned again to find it.
 */
export function jsonErrorLocation(text: string): string {
  const offset = Math.min(firstJsonErrorOffset(text) ?? text.length, text.length);
  const before = text.slice(0, offset);
  const line = before.split('\n').length;
  const column = offset - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

/**
 * A minimal JSON grammar walk: the offset where the text stops being valid JSON (text.length when
 * it ends too early), or undefined when it is valid.
 */
export function firstJsonErrorOffset(text: string): number | undefined {
  let i = 0;
  const fail = (): never => {
    throw i;
  };
  const ws = (): void => {
    while (i < text.length && ' \t\n\r'.includes(text.charAt(i))) i++;
  };
  const literal = (word: string): void => {
    for (const ch of word) {
      if (text.charAt(i) !== ch) fail();
      i++;
    }
  };
  const string = (): void => {
    i++; // opening quote
    for (;;) {
      const ch = text.charAt(i);
      if (ch === '' || ch < ' ') fail();
      if (ch === '"') {
        i++;
        return;
      }
      if (ch === '\\') {
        i++;
        const esc = text.charAt(i);
        if (esc === 'u') {
          for (let k = 0; k < 4; k++) {
            i++;
            if (!/[0-9a-fA-F]/.test(text.charAt(i))) fail();
          }
        } else if (!'"\\/bfnrt'.includes(esc) || esc === '') fail();
      }
      i++;
    }
  };
  const number = (): void => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail();
    i += (m as RegExpExecArray)[0].length;
  };
  /** An object or array after its opening bracket: `item`s separated by commas, then `close`. */
  const sequence = (close: string, item: () => void): void => {
    i++;
    ws();
    if (text.charAt(i) === close) {
      i++;
      return;
    }
    for (;;) {
      item();
      ws();
      const next = text.charAt(i);
      if (next === close) {
        i++;
        return;
      }
      if (next !== ',') fail();
      i++;
    }
  };
  const member = (): void => {
    ws();
    if (text.charAt(i) !== '"') fail();
    string();
    ws();
    if (text.charAt(i) !== ':') fail();
    i++;
    value();
  };
  const value = (): void => {
    ws();
    const ch = text.charAt(i);
    if (ch === '{') sequence('}', member);
    else if (ch === '[') sequence(']', value);
    else if (ch === '"') string();
    else if (ch === 't') literal('true');
    else if (ch === 'f') literal('false');
    else if (ch === 'n') literal('null');
    else if (ch === '-' || (ch >= '0' && ch <= '9')) number();
    else fail();
  };
  try {
    value();
    ws();
    if (i < text.length) fail();
  } catch (offset) {
    if (typeof offset === 'number') return offset;
    throw offset;
  }
  return undefined;
}
