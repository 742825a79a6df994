import { ValidateBy, ValidationOptions } from 'class-validator';

/**
 * The instants the API accepts from clients, in one place. JavaScript dates reach ±275,760
 * years but Postgres timestamps and the day arithmetic of reports do not; nothing in a
 * dealership's data predates 1970 or outlives 9999.
 */
export const EARLIEST_INSTANT_MS = Date.UTC(1970, 0, 1);
export const LATEST_INSTANT_MS = Date.UTC(9999, 11, 31, 23, 59, 59, 999);

export function isWithinDateBounds(ms: number): boolean {
  return Number.isFinite(ms) && ms >= EARLIEST_INSTANT_MS && ms <= LATEST_INSTANT_MS;
}

/** An ISO 8601 instant (2026-01-30T12:00:00Z, with optional milliseconds) inside the bounds. */
export function isBoundedInstant(value: unknown): value is string {
  return (
    typeof value === 'string' &&
    /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,6})?(Z|[+-]\d{2}:\d{2})$/.test(value) &&
    isWithinDateBounds(Date.parse(value))
  );
}

/** A real calendar day written YYYY-MM-DD (2025-02-30 is not one) inside the bounds. */
export function isBoundedCalendarDay(value: unknown): value is string {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const ms = Date.parse(`${value}T00:00:00Z`);
  return isWithinDateBounds(ms) && new Date(ms).toISOString().slice(0, 10) === value;
}

/** DTO field: a calendar day YYYY-MM-DD between 1970-01-01 and 9999-12-31. */
export const IsBoundedCalendarDay = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isBoundedCalendarDay', validator: { validate: isBoundedCalendarDay, defaultMessage: () => 'must be a date written YYYY-MM-DD between 1970-01-01 and 9999-12-31' } }, options);

/** DTO field: an ISO 8601 instant between 1970 and 9999. */
export const IsBoundedInstant = (options?: ValidationOptions) =>
  ValidateBy({ name: 'isBoundedInstant', validator: { validate: isBoundedInstant, defaultMessage: () => 'must be an ISO 8601 time between 1970 and 9999' } }, options);
