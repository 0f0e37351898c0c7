import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

/** One cell's log file: every command's output, with a header per step, for reading after a failure. */
export class CellLog {
  constructor(readonly file: string) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, '');
  }

  /** Appends a `=== title` header line. */
  section(title: string): void {
    this.write(`\n=== ${title} (${new Date().toISOString()})\n`);
  }

  /** Appends `text` as is. */
  write(text: string): void {
    appendFileSync(this.file, text);
  }
}
