/**
 * Evaluation times as people write them (`--now`, `--time`, the configuration's `now`): an ISO 8601
 * date or date-time. JavaScript's Date quietly moves 2026-02-30 to March 2 and reads a time without a
 * zone as the machine's local time; an audit must be evaluated on the day asked for, on every machine.
 */

/**
 * An instant as the tool writes it wherever people read it: ISO 8601 to the second, in UTC
 * (`2026-01-31T12:00:00Z`), the form of a certificate's validity dates, never `.000Z` beside them.
 */
export function isoSeconds(date: Date): string {
  return date.toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** The forms accepted, for messages. */
export const DATE_FORMS = 'an ISO 8601 date or date-time, e.g. 2026-01-31 or 2026-01-31T12:00:00Z';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?)?$/i;

const MONTHS = ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'];

/**
 * The instant `text` names, or why it names none. A date alone is midnight UTC; a time without a zone
 * is UTC too, so that the same text means the same instant on every machine.
 */
export function parseIsoDate(text: string): { date: Date } | { problem: string } {
  const m = ISO_DATE.exec(text.trim());
  if (!m) return { problem: 'not in that form' };
  const [year, month, day, hour = 0, minute = 0, second = 0] = m.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  if (month! < 1 || month! > 12) return { problem: `there is no month ${month}` };
  const days = daysIn(year!, month!);
  if (day! < 1 || day! > days) return { problem: `${MONTHS[month! - 1]} ${year} has ${days} days` };
  if (hour > 23) return { problem: `there is no hour ${hour}` };
  if (minute > 59) return { problem: `there is no minute ${minute}` };
  if (second > 59) return { problem: `there is no second ${second}` };
  let offsetMinutes = 0;
  const zone = m[8]?.toUpperCase();
  if (zone && zone !== 'Z') {
    const [, sign, hh, mm] = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    if (Number(hh) > 23 || Number(mm) > 59) return { problem: `${zone} is not a time zone offset` };
    offsetMinutes = (sign === '-' ? -1 : 1) * (Number(hh) * 60 + Number(mm));
  }
  const milliseconds = m[7] === undefined ? 0 : Math.floor(Number(`0${m[7]}`) * 1000);
  // Not Date.UTC, which takes years 0-99 for 1900-1999.
  const local = new Date(0);
  local.setUTCFullYear(year!, month! - 1, day!);
  local.setUTCHours(hour, minute, second, milliseconds);
  return { date: new Date(local.getTime() - offsetMinutes * 60_000) };
}

/** `--now: '2026-02-30' is not a date (February 2026 has 28 days); expected an ISO 8601 ...`; `quoted` is the value as the message shows it. */
export function dateProblem(what: string, quoted: string, problem: string): string {
  return `${what}: ${quoted} is not a date (${problem}); expected ${DATE_FORMS}`;
}

function daysIn(year: number, month: number): number {
  if (month !== 2) return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]!;
  return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
}
