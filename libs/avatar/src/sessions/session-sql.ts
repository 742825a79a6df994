/** Seconds a session has run (0 before the vendor started it), rounded up: vendors bill started seconds. */
export const ELAPSED_SECONDS = `CASE WHEN started_at IS NULL THEN 0 ELSE GREATEST(0, CEIL(EXTRACT(EPOCH FROM (now() - started_at))))::int END`;

/** The first instant of the current UTC calendar month (minute quotas reset then). */
export const MONTH_START = `(date_trunc('month', now() AT TIME ZONE 'UTC') AT TIME ZONE 'UTC')`;

/**
 * Per dealership: sessions still open, and seconds used this month (ended sessions' recorded
 * seconds plus open sessions' elapsed time). $1 is the dealership id, or NULL for all.
 */
export const USAGE_THIS_MONTH = `
  SELECT dealership_id,
         COUNT(*) FILTER (WHERE status <> 'ended')::int AS open,
         COALESCE(SUM(CASE WHEN status = 'ended' THEN seconds_used ELSE ${ELAPSED_SECONDS} END), 0)::int AS seconds
    FROM avatar_sessions
   WHERE ($1::uuid IS NULL OR dealership_id = $1) AND (status <> 'ended' OR created_at >= ${MONTH_START})
   GROUP BY dealership_id`;
