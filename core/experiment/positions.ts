// Maps paths in a parsed YAML document to line/column positions and back, so that a zod issue or a rule's
// finding points at the key the user wrote (an unknown key at its own line) rather than at the file.
import { type Document, isAlias, isMap, isScalar, isSeq, type LineCounter, type Node, type Pair } from 'yaml';
import type { IssuePath } from './issues.js';

export interface Position {
  line: number;
  col: number;
}

export class SourcePositions {
  constructor(
    private readonly doc: Document.Parsed,
    private readonly lines: LineCounter,
  ) {}

  position(offset: number): Position {
    const { line, col } = this.lines.linePos(offset);
    return { line, col };
  }

  /**
   * Where `path` is written: the key of its last segment that exists in the file (so a missing field points at
   * its parent's key), or the item for a sequence index; 1:1 when nothing of it exists.
   */
  locate(path: IssuePath): Position {
    let node: unknown = this.doc.contents;
    let offset: number | undefined;
    for (const segment of path) {
      node = this.resolve(node);
      if (isMap(node)) {
        const pair = node.items.find((p) => keyText(p) === String(segment));
        if (!pair) break;
        offset = startOf(pair.key) ?? offset;
        node = pair.value;
      } else if (isSeq(node) && typeof segment === 'number') {
        const item = node.items[segment];
        if (item === undefined) break;
        offset = startOf(item) ?? offset;
        node = item;
      } else {
        break;
      }
    }
    return offset === undefined ? { line: 1, col: 1 } : this.position(offset);
  }

  /** The path of the innermost key or value that contains `offset` (used to name where a YAML error is). */
  pathAt(offset: number): IssuePath {
    const path: Array<string | number> = [];
    let node: unknown = this.doc.contents;
    for (;;) {
      if (isMap(node)) {
        // A pair spans from its key to the end of its value (tags and anchors sit between the two).
        const pair = node.items.find((p) => {
          const start = startOf(p.key);
          const end = (p.value as Node | null)?.range?.[2] ?? (p.key as Node | null)?.range?.[2];
          return start !== undefined && end !== undefined && start <= offset && offset < Math.max(end, start + 1);
        });
        if (!pair) return path;
        path.push(keyText(pair) ?? '?');
        if (contains(pair.key, offset) || !contains(pair.value, offset)) return path;
        node = pair.value;
      } else if (isSeq(node)) {
        const index = node.items.findIndex((item) => contains(item, offset));
        if (index < 0) return path;
        path.push(index);
        node = node.items[index];
      } else {
        return path;
      }
    }
  }

  /** The first pair in the map at `parent` whose key is `key` (to say where a duplicate key was first defined). */
  firstKey(parent: IssuePath, key: string): Position | undefined {
    let node: unknown = this.doc.contents;
    for (const segment of parent) {
      node = this.resolve(node);
      if (isMap(node)) node = node.items.find((p) => keyText(p) === String(segment))?.value;
      else if (isSeq(node) && typeof segment === 'number') node = node.items[segment];
      else return undefined;
    }
    if (!isMap(node)) return undefined;
    const first = node.items.find((p) => keyText(p) === key);
    const offset = first ? startOf(first.key) : undefined;
    return offset === undefined ? undefined : this.position(offset);
  }

  private resolve(node: unknown): unknown {
    // An alias stands for its anchored node; the problem is in what the anchor defines.
    return isAlias(node) ? node.resolve(this.doc) : node;
  }
}

function keyText(pair: Pair<unknown, unknown>): string | undefined {
  const key = pair.key;
  if (isScalar(key)) return String(key.value);
  return key === null || key === undefined ? undefined : String(key);
}

function startOf(node: unknown): number | undefined {
  return (node as Node | null)?.range?.[0] ?? undefined;
}

function contains(node: unknown, offset: number): boolean {
  const range = (node as Node | null)?.range;
  return range ? range[0] <= offset && offset < Math.max(range[2], range[0] + 1) : false;
}
