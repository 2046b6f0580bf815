import type { Language } from '../../core/i18n/index.ts';

/**
 * A journey chart drawn on the server: each line has its own dash pattern and marker shape and is
 * labelled at its end, so it reads without colour; the page always puts a data table beside it.
 */
export interface JourneyLine {
  name: string;
  points: { at: Date; value: number }[];
}

const width = 640;
const height = 300;
// Text is drawn large, since a phone shows the chart at about half its size; names end at 11 letters.
const margin = { top: 20, right: 16, bottom: 44, left: 44 };
const labelRoom = 150;
const dashes = ['', '8 4', '2 4', '12 4 2 4', '4 4'];
const markers = ['circle', 'square', 'triangle', 'diamond', 'cross'] as const;

function Marker({ shape, x, y }: { shape: (typeof markers)[number]; x: number; y: number }) {
  const s = 5;
  if (shape === 'circle') return <circle cx={x} cy={y} r={s} />;
  if (shape === 'square') return <rect x={x - s} y={y - s} width={s * 2} height={s * 2} />;
  if (shape === 'triangle')
    return <polygon points={`${x},${y - s - 1} ${x - s},${y + s} ${x + s},${y + s}`} />;
  if (shape === 'diamond')
    return <polygon points={`${x},${y - s - 1} ${x - s - 1},${y} ${x},${y + s + 1} ${x + s + 1},${y}`} />;
  return (
    <path d={`M${x - s},${y - s}L${x + s},${y + s}M${x - s},${y + s}L${x + s},${y - s}`} stroke-width="2" />
  );
}

export function JourneyChart(props: {
  title: string;
  description: string;
  lines: JourneyLine[];
  min: number;
  max: number;
  language: Language;
  /** Values to mark on the left, e.g. 0, 5 and 10. */
  ticks: number[];
}) {
  const all = props.lines.flatMap((line) => line.points);
  if (all.length === 0) return null;
  const times = all.map((point) => point.at.getTime());
  const first = Math.min(...times);
  const last = Math.max(...times);
  const span = Math.max(last - first, 86_400_000);
  const x = (at: Date) =>
    margin.left + ((at.getTime() - first) / span) * (width - margin.left - margin.right - labelRoom);
  const y = (value: number) =>
    margin.top + (1 - (value - props.min) / (props.max - props.min)) * (height - margin.top - margin.bottom);
  const month = new Intl.DateTimeFormat(props.language === 'cy' ? 'cy-GB' : 'en-GB', {
    month: 'short',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
  const titleId = `chart-${props.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  return (
    <svg
      class="alongside-chart"
      viewBox={`0 0 ${width} ${height}`}
      role="img"
      aria-labelledby={`${titleId}-title ${titleId}-desc`}
      focusable="false"
    >
      <title id={`${titleId}-title`}>{props.title}</title>
      <desc id={`${titleId}-desc`}>{props.description}</desc>
      <g class="alongside-chart__axis">
        {props.ticks.map((tick) => (
          <>
            <line x1={margin.left} x2={width - margin.right} y1={y(tick)} y2={y(tick)} stroke="#b1b4b6" />
            <text x={margin.left - 8} y={y(tick) + 5} text-anchor="end">
              {String(tick)}
            </text>
          </>
        ))}
        <text x={margin.left} y={height - 12}>
          {month.format(new Date(first))}
        </text>
        <text x={width - margin.right - labelRoom} y={height - 12} text-anchor="end">
          {month.format(new Date(last))}
        </text>
      </g>
      {props.lines.map((line, index) => {
        const points = [...line.points].sort((a, b) => a.at.getTime() - b.at.getTime());
        const shape = markers[index % markers.length]!;
        const end = points[points.length - 1];
        return (
          <g class="alongside-chart__line" stroke="#0b0c0c" fill="#0b0c0c">
            <polyline
              fill="none"
              stroke-width="2"
              stroke-dasharray={dashes[index % dashes.length] || undefined}
              points={points
                .map((point) => `${x(point.at).toFixed(1)},${y(point.value).toFixed(1)}`)
                .join(' ')}
            />
            {points.map((point) => (
              <Marker shape={shape} x={x(point.at)} y={y(point.value)} />
            ))}
            {end ? (
              <text x={x(end.at) + 10} y={y(end.value) + 5} stroke="none">
                {line.name.length > 11 ? `${line.name.slice(0, 10)}…` : line.name}
              </text>
            ) : null}
          </g>
        );
      })}
    </svg>
  );
}
