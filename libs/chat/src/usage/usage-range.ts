import { HttpStatus } from '@nestjs/common';
import { AppException, ErrorDetail } from '@showroom/core';

export const DEFAULT_USAGE_DAYS = 30;
/** A year and a day: enough for any yearly report, small enough to answer from one query. */
export const MAX_USAGE_DAYS = 366;
const DAY_MS = 86_400_000;

export interface DayRange {
  from: string;
  to: string;
}

const utcDay = (ms: number) => new Date(ms).toISOString().slice(0, 10);

/**
 * The inclusive UTC day range of a usage report. Missing ends default to the last 30 days
 * ending today (or around the one end given); a reversed or over-long range is 422.
 */
export function resolveDayRange(from: string | undefined, to: string | undefined, now = Date.now()): DayRange {
  const span = (DEFAULT_USAGE_DAYS - 1) * DAY_MS;
  const end = to ?? (from ? utcDay(Math.min(Date.parse(from) + span, now)) : utcDay(now));
  const start = from ?? utcDay(Date.parse(end) - span);
  const problems: ErrorDetail[] = [];
  if (start > end) problems.push({ field: 'from', message: 'must not be after to' });
  else if ((Date.parse(end) - Date.parse(start)) / DAY_MS + 1 > MAX_USAGE_DAYS) problems.push({ field: 'to', message: `the range must be at most ${MAX_USAGE_DAYS} days` });
  if (problems.length > 0) throw new AppException(HttpStatus.UNPROCESSABLE_ENTITY, 'VALIDATION_FAILED', 'The date range is not valid.', problems);
  return { from: start, to: end };
}
