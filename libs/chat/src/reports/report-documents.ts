import { Inject, Injectable } from '@nestjs/common';
import type { Tenant } from '@showroom/auth';
import { APP_CONFIG, AppConfig } from '@showroom/core';
import type { DocumentBlock, FileDocument } from '@showroom/files';
import type { ReportKind } from '../exports/export.entity';
import { ExportFailure } from '../exports/export-failure';
import { fileTime } from '../exports/document-text';
import { UsageService } from '../usage/usage.service';
import type { DayRange } from '../usage/usage-range';
import { ReportQueries } from './report-queries';

const TITLES: Record<ReportKind, string> = {
  usage: 'Assistant usage',
  'knowledge-gaps': 'Knowledge gaps',
  feedback: 'Answer feedback',
};

/** Cuts long texts in table cells of PDF/DOCX (the CSV keeps them whole). */
const excerpt = (text: string | null, max = 300) => (text === null ? '' : text.length > max ? `${text.slice(0, max - 1)}…` : text);

/** A dealership report as a file: a heading, what it covers, one table, and the same table as CSV records. */
@Injectable()
export class ReportDocuments {
  constructor(
    private readonly usage: UsageService,
    private readonly queries: ReportQueries,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  async build(tenant: Tenant, kind: ReportKind, range: DayRange, dealershipName: string, now = new Date()): Promise<FileDocument> {
    const header = (fields: { label: string; value: string }[]): DocumentBlock => ({
      kind: 'fields',
      items: [{ label: 'Dealership', value: dealershipName }, { label: 'Period (UTC)', value: `${range.from} to ${range.to}` }, ...fields, { label: 'Generated', value: fileTime(now) }],
    });
    const title = `${TITLES[kind]} report`;
    const subtitle = `${dealershipName} · ${range.from} to ${range.to}`;
    const max = this.config.exports.maxMessages;
    const tooMany = () => new ExportFailure(`The report has more than ${max} lines; choose a shorter date range.`);

    if (kind === 'usage') {
      const report = await this.usage.report(tenant, range);
      const columns = ['day', 'model', 'requests', 'input_tokens', 'output_tokens', 'estimated_cost_usd'];
      const rows = report.items.map((i) => [i.day, i.model, i.requests, i.inputTokens, i.outputTokens, i.estimatedCostUsd]);
      if (rows.length > max) throw tooMany();
      const t = report.totals;
      return {
        title,
        subtitle,
        blocks: [
          header([
            { label: 'Requests', value: String(t.requests) },
            { label: 'Tokens in / out', value: `${t.inputTokens} / ${t.outputTokens}` },
            { label: 'Estimated cost (USD)', value: t.estimatedCostUsd.toFixed(4) + (t.unpricedModels.length ? ` (unpriced: ${t.unpricedModels.join(', ')})` : '') },
          ]),
          { kind: 'heading', level: 2, text: 'Answers by day and model' },
          { kind: 'table', columns, rows: rows.map((r) => r.map((c) => (c === null ? '' : String(c)))) },
          { kind: 'heading', level: 2, text: 'Exports and reports' },
          {
            kind: 'table',
            columns: ['kind', 'format', 'requested', 'ready', 'failed', 'bytes'],
            rows: report.exports.items.map((e) => [e.kind, e.format, String(e.requested), String(e.ready), String(e.failed), String(e.bytes)]),
          },
        ],
        records: { columns, rows },
      };
    }

    if (kind === 'knowledge-gaps') {
      const gaps = await this.queries.knowledgeGaps(tenant, range, max + 1);
      if (gaps.length > max) throw tooMany();
      const columns = ['question', 'times_asked', 'declined', 'thumbs_down', 'last_asked_utc', 'latest_comment'];
      return {
        title,
        subtitle,
        blocks: [
          header([{ label: 'Questions', value: String(gaps.length) }]),
          {
            kind: 'paragraph',
            text: 'Questions the assistant could not answer from your documents, or whose answer got a thumbs-down, grouped by question and counted. Each is a hint at a document to add or improve.',
            muted: true,
          },
          ...gaps.flatMap((g, i): DocumentBlock[] => [
            { kind: 'heading', level: 3, text: `${i + 1}. ${excerpt(g.question, 200)}` },
            {
              kind: 'paragraph',
              text: `Asked ${g.times} time${g.times === 1 ? '' : 's'} (declined ${g.declined}, thumbs-down ${g.thumbsDown}); last ${fileTime(g.lastAsked)}.${g.comment ? ` Latest comment: ${excerpt(g.comment)}` : ''}`,
            },
          ]),
        ],
        records: { columns, rows: gaps.map((g) => [g.question, g.times, g.declined, g.thumbsDown, g.lastAsked.toISOString(), g.comment]) },
      };
    }

    const lines = await this.queries.feedback(tenant, range, max + 1);
    if (lines.length > max) throw tooMany();
    const up = lines.filter((l) => l.rating === 'up').length;
    const columns = ['time_utc', 'rating', 'user', 'question', 'answer', 'comment'];
    return {
      title,
      subtitle,
      blocks: [
        header([{ label: 'Ratings', value: `${lines.length} (${up} up, ${lines.length - up} down)` }]),
        ...lines.flatMap((l): DocumentBlock[] => [
          { kind: 'heading', level: 3, text: `${l.rating === 'up' ? 'Thumbs up' : 'Thumbs down'} · ${l.userName} · ${fileTime(l.at)}` },
          { kind: 'fields', items: [{ label: 'Question', value: excerpt(l.question) }, { label: 'Answer', value: excerpt(l.answer) }, ...(l.comment ? [{ label: 'Comment', value: l.comment }] : [])] },
        ]),
      ],
      records: { columns, rows: lines.map((l) => [l.at.toISOString(), l.rating, l.userName, l.question, l.answer, l.comment]) },
    };
  }
}
