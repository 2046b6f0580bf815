/**
 * A horizontal bar chart drawn on the server as SVG: one bar per row, its label above it and its figure
 * written beside it, so it reads without colour and without JavaScript. A table beside it holds the
 * same figures for screen readers and for copying.
 */

export interface Bar {
  label: string;
  /** null: a count hidden as small; the bar is left out and `text` says why. */
  value: number | null;
  text: string;
}

const width = 320;
const labelHeight = 20;
const barHeight = 18;
const gap = 12;
const row = labelHeight + barHeight + gap;
/** Room after the longest bar for its figure ("fewer than 5"). */
const figureRoom = 110;

function shortened(text: string, max = 36) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

export function BarChart(props: { id: string; title: string; description: string; bars: Bar[] }) {
  const largest = Math.max(1, ...props.bars.map((bar) => bar.value ?? 0));
  const scale = (width - figureRoom) / largest;
  const height = Math.max(row, props.bars.length * row);
  return (
    <svg
      class="barriers-chart"
      role="img"
      aria-labelledby={`${props.id}-title ${props.id}-description`}
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      preserveAspectRatio="xMinYMin meet"
      font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
      font-size="16"
    >
      <title id={`${props.id}-title`}>{props.title}</title>
      <desc id={`${props.id}-description`}>{props.description}</desc>
      {props.bars.map((bar, index) => {
        const top = index * row;
        const length = bar.value === null ? 0 : Math.round(bar.value * scale);
        return (
          <g>
            <text x="0" y={top + 15} fill="#0b0c0c">
              {shortened(bar.label)}
            </text>
            {bar.value === null ? (
              // A hidden count: an outline only, so it is not mistaken for a figure of its own.
              <rect
                x="0.5"
                y={top + labelHeight + 0.5}
                width="12"
                height={barHeight - 1}
                fill="none"
                stroke="#0b0c0c"
                stroke-dasharray="3 2"
              />
            ) : length > 0 ? (
              <rect x="0" y={top + labelHeight} width={length} height={barHeight} fill="#00605a" />
            ) : null}
            <text x={(bar.value === null ? 12 : length) + 6} y={top + labelHeight + 14} fill="#0b0c0c">
              {bar.text}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
