import type { Translate } from '../../core/i18n/index.ts';
import { cultures, type Profile } from './compass.ts';
import { w } from './shared.tsx';

/**
 * The culture profile drawn on the server: for each culture, a bar for now and one for preferred, each
 * labelled with its figure, so nothing depends on telling colours apart. A data table sits beside it.
 */
export function ProfileChart({
  now,
  preferred,
  t,
  titleId,
}: {
  now: Profile;
  preferred: Profile;
  t: Translate;
  titleId: string;
}) {
  const width = 360;
  const labelRoom = 84;
  const barRoom = width - labelRoom - 40;
  const highest = Math.max(...cultures.flatMap((c) => [now[c], preferred[c]]));
  const scale = Math.max(50, Math.ceil(highest / 10) * 10);
  const groupHeight = 72;
  const height = cultures.length * groupHeight + 8;
  const bar = (value: number) => Math.max(1, Math.round((value / scale) * barRoom));
  const figure = (value: number) => (Math.round(value * 10) / 10).toString();
  return (
    <svg
      xmlns="http://www.w3.org/2000/svg"
      viewBox={`0 0 ${width} ${height}`}
      width="100%"
      role="img"
      aria-labelledby={titleId}
      font-family="system-ui, sans-serif"
      font-size="14"
    >
      <title id={titleId}>{t(w('compass.chartTitle'))}</title>
      {cultures.map((culture, index) => {
        const top = index * groupHeight + 4;
        return (
          <g>
            <text x="0" y={top + 14} font-weight="bold" fill="#0b0c0c">
              {t(w(`compass.culture.${culture}.name`))}
            </text>
            <text x="0" y={top + 36} fill="#0b0c0c">
              {t(w('compass.now'))}
            </text>
            <rect x={labelRoom} y={top + 22} width={bar(now[culture])} height="18" fill="#00605a" />
            <text x={labelRoom + bar(now[culture]) + 4} y={top + 36} fill="#0b0c0c">
              {figure(now[culture])}
            </text>
            <text x="0" y={top + 60} fill="#0b0c0c">
              {t(w('compass.preferredShort'))}
            </text>
            <rect
              x={labelRoom}
              y={top + 46}
              width={bar(preferred[culture])}
              height="18"
              fill="#ffffff"
              stroke="#0b0c0c"
              stroke-width="2"
            />
            <text x={labelRoom + bar(preferred[culture]) + 4} y={top + 60} fill="#0b0c0c">
              {figure(preferred[culture])}
            </text>
          </g>
        );
      })}
    </svg>
  );
}
