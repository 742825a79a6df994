import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import type { Tenant } from '@showroom/auth';
import { DataSource } from 'typeorm';
import type { DayRange } from '../usage/usage-range';

export interface KnowledgeGap {
  /** The newest wording of the question. */
  question: string;
  times: number;
  declined: number;
  thumbsDown: number;
  lastAsked: Date;
  /** The newest thumbs-down comment, if any. */
  comment: string | null;
}

export interface FeedbackLine {
  at: Date;
  rating: 'up' | 'down';
  userName: string;
  question: string | null;
  answer: string;
  comment: string | null;
}

/**
 * The reads behind reports, one SQL statement each, always for one dealership and an
 * inclusive UTC day range. `limit` is one more than the caller may put in a file, so it can
 * tell "exactly at the limit" from "over it".
 */
@Injectable()
export class ReportQueries {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /**
   * Questions the assistant declined (no model asked because nothing relevant was found, or
   * an answer starting "I don't know") or whose answer got a thumbs-down, grouped by the
   * question's text (case and spacing ignored), most frequent first, then most recent.
   */
  async knowledgeGaps(tenant: Tenant, range: DayRange, limit: number): Promise<KnowledgeGap[]> {
    const rows = (await this.dataSource.query(
      `WITH answers AS (
         SELECT a.id, a.conversation_id, a.seq, a.created_at,
                ((a.model IS NULL AND a.status = 'complete') OR a.content ILIKE 'I don''t know%') AS declined,
                EXISTS (SELECT 1 FROM message_feedback f WHERE f.message_id = a.id AND f.dealership_id = $1 AND f.rating = 'down') AS thumbs_down,
                (SELECT f.comment FROM message_feedback f
                  WHERE f.message_id = a.id AND f.dealership_id = $1 AND f.rating = 'down' AND f.comment IS NOT NULL
                  ORDER BY f.updated_at DESC LIMIT 1) AS comment
           FROM messages a
          WHERE a.dealership_id = $1 AND a.role = 'assistant' AND a.status <> 'streaming'
            AND a.created_at >= ($2::date::timestamp AT TIME ZONE 'UTC')
            AND a.created_at < (($3::date + 1)::timestamp AT TIME ZONE 'UTC')),
       gaps AS (
         SELECT ans.*, q.content AS question
           FROM answers ans
           JOIN LATERAL (
             SELECT m.content FROM messages m
              WHERE m.conversation_id = ans.conversation_id AND m.dealership_id = $1 AND m.role = 'user' AND m.seq < ans.seq
              ORDER BY m.seq DESC LIMIT 1) q ON true
          WHERE ans.declined OR ans.thumbs_down)
       SELECT (array_agg(question ORDER BY created_at DESC))[1] AS question,
              count(*)::int AS times,
              (count(*) FILTER (WHERE declined))::int AS declined,
              (count(*) FILTER (WHERE thumbs_down))::int AS thumbs_down,
              max(created_at) AS last_asked,
              (array_agg(comment ORDER BY created_at DESC) FILTER (WHERE comment IS NOT NULL))[1] AS comment
         FROM gaps
        GROUP BY lower(regexp_replace(btrim(question), '\\s+', ' ', 'g'))
        ORDER BY times DESC, last_asked DESC
        LIMIT $4`,
      [tenant.dealershipId, range.from, range.to, limit],
    )) as { question: string; times: number; declined: number; thumbs_down: number; last_asked: Date; comment: string | null }[];
    return rows.map((r) => ({ question: r.question, times: r.times, declined: r.declined, thumbsDown: r.thumbs_down, lastAsked: r.last_asked, comment: r.comment }));
  }

  /** Every rating given in the range, newest first, with the question it answered. */
  async feedback(tenant: Tenant, range: DayRange, limit: number): Promise<FeedbackLine[]> {
    const rows = (await this.dataSource.query(
      `SELECT f.updated_at AS at, f.rating, u.name AS user_name, a.content AS answer, f.comment,
              (SELECT m.content FROM messages m
                WHERE m.conversation_id = a.conversation_id AND m.dealership_id = $1 AND m.role = 'user' AND m.seq < a.seq
                ORDER BY m.seq DESC LIMIT 1) AS question
         FROM message_feedback f
         JOIN messages a ON a.id = f.message_id AND a.dealership_id = $1
         JOIN users u ON u.id = f.user_id AND u.dealership_id = $1
        WHERE f.dealership_id = $1
          AND f.updated_at >= ($2::date::timestamp AT TIME ZONE 'UTC')
          AND f.updated_at < (($3::date + 1)::timestamp AT TIME ZONE 'UTC')
        ORDER BY f.updated_at DESC, f.id DESC
        LIMIT $4`,
      [tenant.dealershipId, range.from, range.to, limit],
    )) as { at: Date; rating: 'up' | 'down'; user_name: string; answer: string; comment: string | null; question: string | null }[];
    return rows.map((r) => ({ at: r.at, rating: r.rating, userName: r.user_name, question: r.question, answer: r.answer, comment: r.comment }));
  }
}
