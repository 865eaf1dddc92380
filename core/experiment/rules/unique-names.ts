// Experiment names are unique across the files validated together (the catalog keys runs, locks and
// schedules by name). Unlike the other rules it looks at several files at once.

export interface NamedFile {
  file: string;
  name: string | undefined;
}

/** For each file whose name another file also uses, the message to report at its `name`. */
export function duplicateNames(files: readonly NamedFile[]): Map<number, string> {
  const byName = new Map<string, number[]>();
  files.forEach(({ name }, i) => {
    if (name === undefined) return;
    byName.set(name, [...(byName.get(name) ?? []), i]);
  });
  const messages = new Map<number, string>();
  for (const [name, indexes] of byName) {
    if (indexes.length < 2) continue;
    for (const i of indexes) {
      const others = indexes.filter((j) => j !== i).map((j) => files[j]!.file);
      messages.set(i, `name "${name}" is also used by ${others.join(', ')}; names must be unique in the catalog`);
    }
  }
  return messages;
}
