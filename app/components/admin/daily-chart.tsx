import { DataTable } from '~/components/admin/data-table'

const WIDTH = 720
const HEIGHT = 180
const PAD = { top: 10, right: 8, bottom: 22, left: 40 }

const fmt = (n: number) => n.toLocaleString('en')
const dayLabel = (day: string) => new Date(`${day}T00:00:00Z`).toLocaleDateString('en-GB', { day: 'numeric', month: 'short', timeZone: 'UTC' })

/** Verified signatures per day as server-drawn bars, with a summary for screen readers and the numbers in a table. */
export function DailyChart({ daily }: { daily: { day: string; count: number }[] }) {
  const max = Math.max(1, ...daily.map((d) => d.count))
  const total = daily.reduce((sum, d) => sum + d.count, 0)
  const peak = daily.reduce((best, d) => (d.count > best.count ? d : best), daily[0] ?? { day: '', count: 0 })
  const innerW = WIDTH - PAD.left - PAD.right
  const innerH = HEIGHT - PAD.top - PAD.bottom
  const step = innerW / Math.max(1, daily.length)
  const first = daily[0]?.day
  const last = daily.at(-1)?.day
  const summary =
    total === 0
      ? `Verified signatures per day from ${first && dayLabel(first)} to ${last && dayLabel(last)}: none yet.`
      : `Verified signatures per day from ${first && dayLabel(first)} to ${last && dayLabel(last)}: ${fmt(total)} in all, most on ${dayLabel(peak.day)} (${fmt(peak.count)}). The numbers are in the table below the chart.`
  return (
    <figure className="daily-chart">
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-label={summary} className="chart">
        <line x1={PAD.left} x2={WIDTH - PAD.right} y1={PAD.top + innerH} y2={PAD.top + innerH} className="axis" />
        <text x={PAD.left - 6} y={PAD.top + 8} className="tick" textAnchor="end">
          {fmt(max)}
        </text>
        <text x={PAD.left - 6} y={PAD.top + innerH} className="tick" textAnchor="end">
          0
        </text>
        {daily.map((d, i) => {
          const h = (d.count / max) * innerH
          return (
            <rect key={d.day} x={PAD.left + i * step + 1} y={PAD.top + innerH - h} width={Math.max(1, step - 2)} height={h} className="bar">
              <title>{`${dayLabel(d.day)}: ${fmt(d.count)}`}</title>
            </rect>
          )
        })}
        {first ? (
          <text x={PAD.left} y={HEIGHT - 6} className="tick">
            {dayLabel(first)}
          </text>
        ) : null}
        {last ? (
          <text x={WIDTH - PAD.right} y={HEIGHT - 6} className="tick" textAnchor="end">
            {dayLabel(last)}
          </text>
        ) : null}
      </svg>
      <details>
        <summary>Verified signatures per day, as a table</summary>
        <DataTable columns={['Day (UTC)', 'Verified signatures']}>
          {daily
            .filter((d) => d.count > 0)
            .map((d) => (
              <tr key={d.day}>
                <td>
                  <time dateTime={d.day}>{d.day}</time>
                </td>
                <td>{fmt(d.count)}</td>
              </tr>
            ))}
        </DataTable>
      </details>
    </figure>
  )
}
