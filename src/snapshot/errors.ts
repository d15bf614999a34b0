import { InputError, type InputLocation } from '../errors.js';

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

/** Errors kept from one input, at most: past them it is too broken for more to help, and each costs memory. */
export const MAX_ERRORS = 100;

/**
 * The errors of one pass over an input, kept up to MAX_ERRORS: a file of a million broken rows gives a
 * hundred lines and a note, not a million (gigabytes of messages, and as many lines of output).
 */
export class ErrorCollector {
  readonly errors: InputError[] = [];

  /** Whether MAX_ERRORS is reached: a reader may stop checking. */
  get full(): boolean {
    return this.errors.length >= MAX_ERRORS;
  }

  push(...errors: InputError[]): void {
    for (const error of errors) if (!this.full) this.errors.push(error);
  }

  /** Throws what was collected, saying so when the limit cut it short. */
  throwIfAny(where: InputLocation, notChecked = 'the rest is not checked'): void {
    if (this.full) this.errors.push(new InputError(`stopped after ${MAX_ERRORS} errors: ${notChecked}`, where));
    throwIfAny(this.errors);
  }
}

/**
 * A value from the input as an error message shows it: a string quoted and cut short, a list or object
 * only named, so that a message never carries a whole hostile file (nor needs to walk a deep one).
 */
export function shown(value: unknown): string {
  if (typeof value === 'string') {
    // JSON escapes the C0 controls only; DEL and C1 controls too reach a terminal.
    const json = JSON.stringify(value.length > SHOWN_LENGTH ? `${value.slice(0, SHOWN_LENGTH - 1)}…` : value);
    return json.replace(/[\u007f-\u009f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  }
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'object' && value !== null) return 'an object';
  return String(value);
}

const SHOWN_LENGTH = 80;
