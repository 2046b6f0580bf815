import type { Language, Translate } from '../../core/i18n/index.ts';
import { DataTable } from '../../core/web/layout.tsx';
import { fewestForLimits, type SpcResult } from './spc.ts';

/**
 * An XmR chart drawn on the server as SVG, followed by a table of the same figures. It reads without
 * colour: the mean is a solid line, the limits dashed, and a month showing special cause variation has a
 * diamond drawn round its point as well as a different colour. Every colour has at least 3:1 contrast on
 * white. No inline style (the CSP forbids it): presentation attributes only. The viewBox is a phone's
 * width, so text stays readable at 360 px; the SVG scales to its column.
 *
 * With fewer than `fewestForLimits` months with a figure the limits and special causes are not shown,
 * and a sentence under the chart says why.
 */

const width = 360;
const margin = { top: 12, right: 12, left: 48 };
const plotBottom = 196;
const monthLabelsAt = 218;
const legendTop = 240;
const legendRow = 22;

const colour = {
  text: '#0b0c0c',
  grid: '#b1b4b6',
  /** GOV.UK blue, 5.2:1 on white. */
  figure: '#1d70b8',
  /** GOV.UK purple, 10:1 on white: Making Data Count's colour for special cause with no direction. */
  special: '#4c2c92',
  /** GOV.UK dark grey, 7:1 on white. */
  limit: '#505a5f',
};
const limitDashes = '6 4';

function key(name: string) {
  return `safer-wards.chart.${name}`;
}

function shortened(text: string, max = 14) {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A step of 1, 2 or 5 times a power of ten that splits the span into about `parts`. */
function niceStep(span: number, parts = 4) {
  const raw = span / parts;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

function Diamond({ x, y, size }: { x: number; y: number; size: number }) {
  return (
    <polygon
      class="xmr-special"
      points={`${x},${y - size} ${x + size},${y} ${x},${y + size} ${x - size},${y}`}
      fill="none"
      stroke={colour.special}
      stroke-width="2"
    />
  );
}

export function XmrChart(props: {
  result: SpcResult;
  title: string;
  t: Translate;
  language: Language;
  /** What the figures count, for the table's heading: "per 1,000 occupied bed days". */
  unit?: string;
  /** For the title's and description's ids; two charts on one page need different ones. */
  id?: string;
}) {
  const { result, t } = props;
  const locale = props.language === 'cy' ? 'cy-GB' : 'en-GB';
  const figure = new Intl.NumberFormat(locale, { maximumFractionDigits: 1 });
  const id = props.id ?? `xmr-${props.title.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`;
  const limits = result.enough;

  const values = result.points.flatMap((point) => (point.value === null ? [] : [point.value]));
  const specialMonths = limits ? result.points.filter((point) => point.special.length > 0).length : 0;

  // The vertical scale takes in every figure, the mean and (when shown) both limits, on round steps.
  const shown = [...values, result.mean, ...(limits ? [result.upper, result.lowerShown] : [])];
  let low = Math.min(...shown);
  let high = Math.max(...shown);
  if (!(high > low)) {
    low -= 1;
    high += 1;
  }
  const step = niceStep(high - low);
  const bottom = Math.floor(low / step) * step;
  const top = Math.ceil(high / step) * step;
  const ticks: number[] = [];
  for (let index = 0; bottom + index * step <= top + step / 1000; index++) ticks.push(bottom + index * step);
  const tickFigure = new Intl.NumberFormat(locale, {
    maximumFractionDigits: Math.max(0, -Math.floor(Math.log10(step))),
  });

  const plotWidth = width - margin.left - margin.right;
  const count = result.points.length;
  const x = (index: number) => margin.left + (count <= 1 ? plotWidth / 2 : (index * plotWidth) / (count - 1));
  const y = (value: number) => plotBottom - ((value - bottom) / (top - bottom)) * (plotBottom - margin.top);
  const at = (value: number) => y(value).toFixed(1);

  // The figures joined in order; a month with no figure leaves a gap rather than a line across it.
  let line = '';
  let penDown = false;
  result.points.forEach((point, index) => {
    if (point.value === null) {
      penDown = false;
      return;
    }
    line += `${penDown ? 'L' : 'M'}${x(index).toFixed(1)},${at(point.value)}`;
    penDown = true;
  });

  const labelled =
    count === 0 ? [] : count <= 2 ? [...Array(count).keys()] : [0, Math.floor((count - 1) / 2), count - 1];

  const legend: { label: string; sample: 'mean' | 'limit' | 'special' }[] = [
    { label: `${t(key('mean'))} ${figure.format(result.mean)}`, sample: 'mean' },
    ...(limits
      ? [
          { label: `${t(key('upper'))} ${figure.format(result.upper)}`, sample: 'limit' as const },
          { label: `${t(key('lower'))} ${figure.format(result.lowerShown)}`, sample: 'limit' as const },
        ]
      : []),
    ...(specialMonths > 0 ? [{ label: t(key('special')), sample: 'special' as const }] : []),
  ];
  const height = legendTop + legend.length * legendRow;

  const causes = (special: SpcResult['points'][number]['special']) =>
    special.length === 0 ? t(key('none')) : special.map((cause) => t(key(`causes.${cause}`))).join('; ');

  const description = limits
    ? t(key('desc'), {
        points: figure.format(values.length),
        mean: figure.format(result.mean),
        upper: figure.format(result.upper),
        lower: figure.format(result.lowerShown),
        special: figure.format(specialMonths),
      })
    : t(key('descTooFew'), { points: figure.format(values.length), mean: figure.format(result.mean) });

  const valueHeading = props.unit ? t(key('valueWithUnit'), { unit: props.unit }) : t(key('value'));

  return (
    <>
      <svg
        xmlns="http://www.w3.org/2000/svg"
        class="safer-wards-xmr"
        role="img"
        aria-labelledby={`${id}-title ${id}-desc`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        preserveAspectRatio="xMinYMin meet"
        focusable="false"
        font-family="system-ui, -apple-system, 'Segoe UI', Roboto, Arial, sans-serif"
        font-size="14"
      >
        <title id={`${id}-title`}>{props.title}</title>
        <desc id={`${id}-desc`}>{description}</desc>

        <g>
          {ticks.map((tick) => (
            <>
              <line
                x1={margin.left}
                x2={width - margin.right}
                y1={at(tick)}
                y2={at(tick)}
                stroke={colour.grid}
              />
              <text x={margin.left - 6} y={y(tick) + 5} text-anchor="end" fill={colour.text}>
                {tickFigure.format(tick)}
              </text>
            </>
          ))}
          {labelled.map((index, place) => (
            <text
              x={x(index)}
              y={monthLabelsAt}
              fill={colour.text}
              text-anchor={
                count > 1 && place === 0 ? 'start' : index === count - 1 && count > 1 ? 'end' : 'middle'
              }
            >
              {shortened(result.points[index]!.label)}
            </text>
          ))}
        </g>

        <line
          x1={margin.left}
          x2={width - margin.right}
          y1={at(result.mean)}
          y2={at(result.mean)}
          stroke={colour.text}
          stroke-width="2"
        />
        {limits
          ? [result.upper, result.lowerShown].map((limit) => (
              <line
                x1={margin.left}
                x2={width - margin.right}
                y1={at(limit)}
                y2={at(limit)}
                stroke={colour.limit}
                stroke-width="2"
                stroke-dasharray={limitDashes}
              />
            ))
          : null}

        {line ? <path d={line} fill="none" stroke={colour.figure} stroke-width="2" /> : null}
        {result.points.map((point, index) => {
          if (point.value === null) return null;
          const special = limits && point.special.length > 0;
          const cx = x(index);
          const cy = y(point.value);
          return (
            <g>
              {special ? <Diamond x={cx} y={cy} size={9} /> : null}
              <circle
                class={special ? 'xmr-point xmr-point--special' : 'xmr-point'}
                cx={cx.toFixed(1)}
                cy={cy.toFixed(1)}
                r={special ? 4.5 : 3.5}
                fill={special ? colour.special : colour.figure}
              >
                <title>
                  {`${point.label}: ${figure.format(point.value)}${special ? ` (${causes(point.special)})` : ''}`}
                </title>
              </circle>
            </g>
          );
        })}

        {legend.map((item, index) => {
          const middle = legendTop + index * legendRow + 7;
          return (
            <g>
              {item.sample === 'special' ? (
                <>
                  <Diamond x={margin.left + 14} y={middle} size={8} />
                  {/* A dot drawn as a path, so the only circles are the months' points. */}
                  <path
                    d={`M${margin.left + 10},${middle}a4,4 0 1,0 8,0a4,4 0 1,0 -8,0`}
                    fill={colour.special}
                  />
                </>
              ) : (
                <line
                  x1={margin.left}
                  x2={margin.left + 28}
                  y1={middle}
                  y2={middle}
                  stroke={item.sample === 'mean' ? colour.text : colour.limit}
                  stroke-width="2"
                  stroke-dasharray={item.sample === 'limit' ? limitDashes : undefined}
                />
              )}
              <text x={margin.left + 38} y={middle + 5} fill={colour.text}>
                {item.label}
              </text>
            </g>
          );
        })}
      </svg>
      {limits ? null : (
        <p class="govuk-body">
          {t(key('tooFew'), { fewest: figure.format(fewestForLimits), points: figure.format(values.length) })}
        </p>
      )}
      <DataTable
        caption={t(key('tableCaption'), { title: props.title })}
        columns={[
          { label: t(key('month')), oneLine: true },
          { label: valueHeading, numeric: true },
          { label: t(key('movingRange')), numeric: true },
          ...(limits ? [{ label: t(key('special')) }] : []),
        ]}
        rows={result.points.map((point) => [
          point.label,
          point.value === null ? '—' : figure.format(point.value),
          point.movingRange === null ? '—' : figure.format(point.movingRange),
          ...(limits ? [causes(point.special)] : []),
        ])}
      />
    </>
  );
}
