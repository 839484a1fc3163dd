// Renders a line with ANSI colour codes (SGR: ESC [ ... m) as text in spans with colour classes.
// The text itself is only ever set as text; other escape sequences are dropped.

const SEQUENCE = /\u001b\[([0-9;]*)([A-Za-z])/g;

/** Appends `text` to `parent` as text nodes and spans; returns the style in force at its end. */
export function appendAnsi(parent, text, style = {}) {
  let at = 0;
  let current = Object.assign({}, style);
  const put = piece => {
    if (!piece) {
      return;
    }
    // control characters other than tab would show as boxes or vanish: keep them visible as text
    piece = piece.replace(/[\u0000-\u0008\u000b-\u001f\u007f]/g, c => '\\x' + c.charCodeAt(0).toString(16).padStart(2, '0'));
    const classes = [];
    if (current.fg !== undefined) {
      classes.push('ansi-fg-' + current.fg);
    }
    if (current.bg !== undefined) {
      classes.push('ansi-bg-' + current.bg);
    }
    if (current.bold) {
      classes.push('ansi-bold');
    }
    if (classes.length === 0) {
      parent.append(document.createTextNode(piece));
    } else {
      const span = document.createElement('span');
      span.className = classes.join(' ');
      span.textContent = piece;
      parent.append(span);
    }
  };
  SEQUENCE.lastIndex = 0;
  let match;
  while ((match = SEQUENCE.exec(text)) !== null) {
    put(text.slice(at, match.index));
    at = SEQUENCE.lastIndex;
    if (match[2] !== 'm') {
      continue;
    }
    const codes = match[1] === '' ? [0] : match[1].split(';').map(Number);
    for (const code of codes) {
      if (code === 0) {
        current = {};
      } else if (code === 1) {
        current.bold = true;
      } else if (code === 22) {
        delete current.bold;
      } else if (code >= 30 && code <= 37) {
        current.fg = code - 30;
      } else if (code >= 90 && code <= 97) {
        current.fg = code - 90 + 8;
      } else if (code === 39) {
        delete current.fg;
      } else if (code >= 40 && code <= 47) {
        current.bg = code - 40;
      } else if (code === 49) {
        delete current.bg;
      }
    }
  }
  put(text.slice(at));
  return current;
}

/** The line without its escape sequences: what search matches and a download holds. */
export function plain(text) {
  return text.replace(SEQUENCE, '');
}
