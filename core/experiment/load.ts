// Reads an experiment file's bytes into a YAML document that remembers where every key is written, and
// refuses, with one clear issue, what is not a YAML mapping: too large, not UTF-8, empty, YAML errors,
// duplicate keys, alias bombs.
import { LineCounter, parseDocument, type YAMLError } from 'yaml';
import { FILE_PATH, formatPath, type ValidationIssue } from './issues.js';
import { SourcePositions } from './positions.js';

/** Experiment files are a page or two of YAML; anything larger is a mistake (or an attack), not a catalog entry. */
export const MAX_FILE_BYTES = 1024 * 1024;
/** Aliases expanded per file: enough for reuse, far below what a billion-laughs document needs. */
export const MAX_ALIAS_COUNT = 100;

export interface LoadedDocument {
  issues: ValidationIssue[];
  /** the plain JavaScript value of the document, when it could be built */
  raw?: unknown;
  positions?: SourcePositions;
}

/** Decodes and parses one file; `issues` non-empty means `raw` is absent or only partly trustworthy. */
export function loadDocument(content: Uint8Array | string, file: string): LoadedDocument {
  const fileIssue = (message: string, line = 1, col = 1): LoadedDocument => ({
    issues: [{ file, line, col, path: FILE_PATH, message }],
  });
  if (typeof content !== 'string' && content.byteLength > MAX_FILE_BYTES) {
    return fileIssue(
      `file is ${megabytes(content.byteLength)}; experiment files are limited to ${megabytes(MAX_FILE_BYTES)}`,
    );
  }
  let text: string;
  if (typeof content === 'string') {
    text = content;
  } else {
    try {
      text = new TextDecoder('utf-8', { fatal: true }).decode(content);
    } catch (error) {
      if (!(error instanceof TypeError)) throw error;
      const { line, col } = firstInvalidUtf8(content);
      return fileIssue('file is not valid UTF-8 text; save it as UTF-8', line, col);
    }
  }
  if (text.length > MAX_FILE_BYTES) {
    return fileIssue(`file is over ${megabytes(MAX_FILE_BYTES)}; experiment files are limited to that`);
  }

  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true, prettyErrors: false, version: '1.2' });
  const positions = new SourcePositions(doc, lines);
  if (doc.contents === null) {
    return fileIssue(
      'file is empty; an experiment needs at least version, name, description, owner, hypothesis, fault, steadyState and expect',
    );
  }
  // One line per distinct problem: a parser that gives up deep in a structure repeats itself on the way out.
  const seen = new Set<string>();
  const yamlIssues = [...doc.errors, ...doc.warnings]
    .map((e) => yamlIssue(e, file, positions))
    .filter((issue) => !seen.has(`${issue.path}\0${issue.message}`) && seen.add(`${issue.path}\0${issue.message}`));
  // Duplicate keys leave a usable document (the later value wins in toJS), so validation goes on and reports the
  // rest too; any other YAML error means the structure itself is unreliable.
  if (doc.errors.some((e) => e.code !== 'DUPLICATE_KEY')) return { issues: yamlIssues, positions };

  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: MAX_ALIAS_COUNT });
  } catch (error) {
    if (error instanceof ReferenceError && /alias/i.test(error.message)) {
      return fileIssue(
        `YAML aliases expand to too many nodes (over ${MAX_ALIAS_COUNT} alias uses); this looks like a "billion laughs" document`,
      );
    }
    throw error;
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    const got = Array.isArray(raw) ? 'a list' : `${raw === null ? 'null' : typeof raw}`;
    return {
      issues: [
        ...yamlIssues,
        {
          file,
          line: 1,
          col: 1,
          path: FILE_PATH,
          message: `an experiment file is a mapping of keys (version, name, …), got ${got}`,
        },
      ],
      positions,
    };
  }
  return { issues: yamlIssues, raw, positions };
}

function yamlIssue(error: YAMLError, file: string, positions: SourcePositions): ValidationIssue {
  const offset = error.pos[0];
  const { line, col } = positions.position(offset);
  // A path hundreds of levels deep says nothing more than its first few keys.
  const fullPath = positions.pathAt(offset);
  const path = fullPath.length > 12 ? [...fullPath.slice(0, 12), '…'] : fullPath;
  let message = error.message.split('\n')[0] ?? error.message;
  if (error.code === 'DUPLICATE_KEY' && fullPath.length > 0) {
    const key = String(fullPath[fullPath.length - 1]);
    const first = positions.firstKey(fullPath.slice(0, -1), key);
    message = `duplicate key "${key}"${first ? ` (first defined on line ${first.line})` : ''}`;
  } else if (/call stack/i.test(message)) {
    message = 'YAML nests too deeply to be an experiment file';
  } else if (error.code === 'TAG_RESOLVE_FAILED') {
    message = `YAML tag ${message.replace(/^Unresolved tag: /, '')} is not supported; write the plain value (experiment files are not CloudFormation templates)`;
  } else if (error.code === 'MULTIPLE_DOCS') {
    message = 'one experiment per file: remove the second YAML document (after ---)';
  } else {
    message = `YAML: ${message}`;
  }
  return { file, line, col, path: formatPath(path), message };
}

/** `1.0 MB`: sizes in the loader's messages. */
export function megabytes(bytes: number): string {
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

/** Line and column of the first byte sequence that is not UTF-8, so the user can find the stray character. */
function firstInvalidUtf8(bytes: Uint8Array): { line: number; col: number } {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < bytes.length; i++) {
    if (bytes[i] === 0x0a) {
      try {
        decoder.decode(bytes.subarray(lineStart, i));
      } catch (error) {
        if (!(error instanceof TypeError)) throw error;
        return { line, col: 1 };
      }
      line++;
      lineStart = i + 1;
    }
  }
  return { line, col: 1 };
}
