/**
 * One figure month by month, drawn on the server as SVG columns. It reads without colour: a month not
 * shown (a small number) is an outlined gap marked with a dash, and the table beside it says why.
 */

export interface Column {
  label: string;
  /** null: not shown. */
  value: number | null;
}

const width = 640;
const height = 180;
const top = 16;
const bottom = 28;
const left = 8;

export function MonthChart(props: { id: string; title: string; description: string; columns: Column[] }) {
  const largest = Math.max(1, ...props.columns.map((column) => column.value ?? 0));
  const step = (width - left * 2) / Math.max(1, props.columns.length);
  const barWidth = Math.max(2, step * 0.7);
  const plot = height - top - bottom;
  // About six month labels whatever the period, so a two-year chart stays readable on a phone.
  const every = Math.max(1, Math.ceil(props.columns.length / 6));
  return (
    <svg
      class="impact-chart"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-description`}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
      font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
      font-size="14"
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-description`}>{props.description}</desc>
      <line x1={left} x2={width - left} y1={top + plot} y2={top + plot} stroke="#0b0c0c" stroke-width="1" />
      {props.columns.map((column, i) => {
        const x = left + i * step + (step - barWidth) / 2;
        const label =
          i % every === 0 ? (
            <text x={x} y={height - 8} fill="#0b0c0c">
              {column.label}
            </text>
          ) : null;
        if (column.value === null)
          return (
            <g>
              <rect
                x={x}
                y={top + plot - 12}
                width={barWidth}
                height={12}
                fill="none"
                stroke="#0b0c0c"
                stroke-dasharray="3 2"
              />
              {label}
            </g>
          );
        const barHeight = (column.value / largest) * plot;
        return (
          <g>
            <rect x={x} y={top + plot - barHeight} width={barWidth} height={barHeight} fill="#1d70b8" />
            {label}
          </g>
        );
      })}
    </svg>
  );
}
