import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { body } from '../api/client';
import type { ExportFormat, ExportView, ReportKind } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';
import { EXPORTS_KEY } from './use-export-progress';

export const REPORT_LABELS: Record<ReportKind, string> = { usage: 'Usage', 'knowledge-gaps': 'Knowledge gaps', feedback: 'Feedback' };

/** Owners and admins ask for a report; empty dates leave the api's default (the last 30 days). */
export function ReportForm() {
  const { api } = useAuth();
  const queryClient = useQueryClient();
  const [kind, setKind] = useState<ReportKind>('usage');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [format, setFormat] = useState<ExportFormat>('pdf');
  const request = useMutation({
    mutationFn: () =>
      body<ExportView>(
        api.POST('/api/v1/reports', {
          body: { kind, format, ...(from ? { from } : {}), ...(to ? { to } : {}) },
          headers: { 'Idempotency-Key': crypto.randomUUID() },
        }),
      ),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: EXPORTS_KEY }),
  });
  return (
    <form
      className="card form-row"
      aria-label="Request report"
      onSubmit={(e) => {
        e.preventDefault();
        request.mutate();
      }}
    >
      <label>
        Report
        <select value={kind} onChange={(e) => setKind(e.target.value as ReportKind)}>
          {(Object.keys(REPORT_LABELS) as ReportKind[]).map((k) => (
            <option key={k} value={k}>
              {REPORT_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        From
        <input type="date" value={from} onChange={(e) => setFrom(e.target.value)} />
      </label>
      <label>
        To
        <input type="date" value={to} onChange={(e) => setTo(e.target.value)} />
      </label>
      <label>
        Format
        <select value={format} onChange={(e) => setFormat(e.target.value as ExportFormat)}>
          <option value="pdf">PDF</option>
          <option value="docx">DOCX</option>
          <option value="csv">CSV</option>
        </select>
      </label>
      <button type="submit" disabled={request.isPending}>
        Request report
      </button>
      {request.isSuccess && <p role="status">Report requested; it appears below when ready.</p>}
      <ErrorText error={request.error} />
    </form>
  );
}
