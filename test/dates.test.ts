import { describe, expect, it } from 'vitest';
import { parseIsoDate } from '../src/dates.js';

const at = (text: string) => {
  const parsed = parseIsoDate(text);
  return 'date' in parsed ? parsed.date.toISOString() : parsed.problem;
};

describe('parseIsoDate: the day asked for, or a reason', () => {
  it('refuses days that are not on the calendar, instead of moving them (Date.parse takes 2026-02-30 for March 2)', () => {
    expect(at('2026-02-30')).toBe('February 2026 has 28 days');
    expect(at('2026-04-31')).toBe('April 2026 has 30 days');
    expect(at('2100-02-29')).toBe('February 2100 has 28 days'); // a century is no leap year...
    expect(at('2000-02-29')).toBe('2000-02-29T00:00:00.000Z'); // ...unless it divides by 400
    expect(at('2028-02-29T23:59:59Z')).toBe('2028-02-29T23:59:59.000Z');
    expect(at('2026-13-01')).toBe('there is no month 13');
    expect(at('2026-00-10')).toBe('there is no month 0');
    expect(at('2026-01-00')).toBe('January 2026 has 31 days');
  });

  it('refuses times that do not exist', () => {
    expect(at('2026-01-31T24:00:00Z')).toBe('there is no hour 24');
    expect(at('2026-01-31T12:60Z')).toBe('there is no minute 60');
    expect(at('2026-01-31T12:00:60Z')).toBe('there is no second 60');
    expect(at('2026-01-31T12:00:00+25:00')).toBe('+25:00 is not a time zone offset');
  });

  it('reads dates as midnight UTC, and a time without a zone as UTC, on every machine', () => {
    expect(at('2026-01-31')).toBe('2026-01-31T00:00:00.000Z');
    expect(at('2026-01-31T12:00:00')).toBe('2026-01-31T12:00:00.000Z');
    expect(at('2026-01-31 12:00')).toBe('2026-01-31T12:00:00.000Z');
    expect(at('2026-01-31T12:00:00.5Z')).toBe('2026-01-31T12:00:00.500Z');
    expect(at('2026-01-31T12:00:00+02:00')).toBe('2026-01-31T10:00:00.000Z');
    expect(at('2026-01-01T00:30:00-0100')).toBe('2026-01-01T01:30:00.000Z');
    expect(at('0050-06-01')).toBe('0050-06-01T00:00:00.000Z');
  });

  it('refuses other forms', () => {
    for (const text of ['tomorrow', '31/01/2026', '2026-1-31', '20260131', '2026-01-31T12', '']) expect(at(text)).toBe('not in that form');
  });
});
