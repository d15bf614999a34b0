import { InputError } from '../errors.js';

/**
 * Several bad-input errors found in one pass (a snapshot with three typos gets three lines, not three
 * runs). It is an InputError, so the CLI treats it as any other (exit 2); `describe()` gives one
 * `where: message` line per error, each followed by its hint.
 */
export class InputErrorList extends InputError {
  constructor(readonly errors: readonly InputError[]) {
    const [first] = errors;
    super(`${first!.message}${errors.length > 1 ? ` (and ${errors.length - 1} more)` : ''}`, first!.where);
    this.name = 'InputErrorList';
  }

  override describe(): string {
    return this.errors.map((e) => `${e.describe()}${e.hint ? `\n  ${e.hint}` : ''}`).join('\n');
  }
}

/** Throws the errors found, if any: a single one as itself. */
export function throwIfAny(errors: readonly InputError[]): void {
  if (errors.length === 1) throw errors[0]!;
  if (errors.length > 1) throw new InputErrorList(errors);
}
