import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { Bar, CartesianGrid, ComposedChart, Legend, Line, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { body } from '../api/client';
import type { UsageReport } from '../api/types';
import { useAuth } from '../auth/auth-context';
import { ErrorText } from '../layout/error-text';
import { usageByDay } from './usage-chart';

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#9333ea', '#dc2626', '#0891b2'];
// Local and cheap models cost fractions of a cent: show two significant digits below a cent.
const usd = (n: number) => (n === 0 ? '$0' : n < 0.01 ? `$${n.toPrecision(2)}` : `$${n.toFixed(2)}`);
const isoDay = (d: Date) => d.toISOString().slice(0, 10);

export function UsagePage() {
  const { api } = useAuth();
  const today = new Date();
  const [range, setRange] = useState({ from: isoDay(new Date(today.getTime() - 29 * 86_400_000)), to: isoDay(today) });
  const usage = useQuery({
    queryKey: ['usage', range],
    queryFn: () => body<UsageReport>(api.GET('/api/v1/usage', { params: { query: range } })),
  });
  const chart = usageByDay(usage.data?.items ?? []);
  const totals = usage.data?.totals;
  return (
    <section className="page">
      <h1>Usage</h1>
      <form className="form-row" aria-label="Usage period" onSubmit={(e) => e.preventDefault()}>
        <label>
          From
          <input type="date" value={range.from} max={range.to} onChange={(e) => e.target.value && setRange({ ...range, from: e.target.value })} />
        </label>
        <label>
          To
          <input type="date" value={range.to} min={range.from} onChange={(e) => e.target.value && setRange({ ...range, to: e.target.value })} />
        </label>
      </form>
      <ErrorText error={usage.error} />
      {totals && (
        <dl className="totals">
          <div>
            <dt>Answers</dt>
            <dd>{totals.requests}</dd>
          </div>
          <div>
            <dt>Tokens in / out</dt>
            <dd>
              {totals.inputTokens} / {totals.outputTokens}
            </dd>
          </div>
          <div>
            <dt>Estimated cost</dt>
            <dd>{usd(totals.estimatedCostUsd)}</dd>
          </div>
          {Object.entries(usage.data?.sections ?? {}).map(([key, section]) => (
            <div key={key}>
              <dt>{key[0].toUpperCase() + key.slice(1)} cost</dt>
              <dd>{usd(section.totals.estimatedCostUsd)}</dd>
            </div>
          ))}
          {usage.data?.estimatedCostUsd !== undefined && (
            <div>
              <dt>All capabilities</dt>
              <dd>{usd(usage.data.estimatedCostUsd)}</dd>
            </div>
          )}
        </dl>
      )}
      {totals && totals.unpricedModels.length > 0 && <p className="muted">No price is configured for {totals.unpricedModels.join(', ')} (LLM_PRICES); their cost is not included.</p>}
      <figure className="chart" aria-label="Answers per day and model, with the day's estimated cost">
        {chart.days.length === 0 ? (
          <p className="muted">No answers in this period.</p>
        ) : (
          <ResponsiveContainer width="100%" height={300}>
            <ComposedChart data={chart.days}>
              <CartesianGrid strokeDasharray="3 3" />
              <XAxis dataKey="day" />
              <YAxis yAxisId="requests" allowDecimals={false} />
              <YAxis yAxisId="cost" orientation="right" tickFormatter={(v: number) => usd(v)} />
              <Tooltip />
              <Legend />
              {chart.models.map((model, i) => (
                <Bar key={model} dataKey={model} stackId="requests" yAxisId="requests" fill={COLORS[i % COLORS.length]} name={`${model} answers`} />
              ))}
              <Line type="monotone" dataKey="cost" yAxisId="cost" stroke="#111827" name="Estimated cost (USD)" connectNulls />
            </ComposedChart>
          </ResponsiveContainer>
        )}
      </figure>
      <div className="table-scroll">
        <table>
          <caption>Per day and model</caption>
          <thead>
            <tr>
              <th scope="col">Day</th>
              <th scope="col">Model</th>
              <th scope="col">Answers</th>
              <th scope="col">Tokens in</th>
              <th scope="col">Tokens out</th>
              <th scope="col">Estimated cost</th>
            </tr>
          </thead>
          <tbody>
            {usage.data?.items.map((line) => (
              <tr key={`${line.day}-${line.model}`}>
                <td>{line.day}</td>
                <td>{line.model}</td>
                <td>{line.requests}</td>
                <td>{line.inputTokens}</td>
                <td>{line.outputTokens}</td>
                <td>{line.estimatedCostUsd === null ? 'no price' : usd(line.estimatedCostUsd)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
