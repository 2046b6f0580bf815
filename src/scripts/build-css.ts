import { writeFileSync } from 'node:fs';
import { buildGovukCss, govukCssFile } from './govuk-css.ts';

/** `npm run build:css`: rebuilds public/govuk.css after govuk-frontend or src/core/web/govuk.scss changes. */
const css = buildGovukCss();
writeFileSync(govukCssFile, css);
console.log(`public/govuk.css: ${css.length} bytes`);
