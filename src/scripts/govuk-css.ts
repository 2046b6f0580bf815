import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import * as sass from 'sass';
import { ourGovukCss } from '../core/web/assets.ts';

/** Where the built subset of GOV.UK Frontend is kept (committed) and served from. */
export const govukCssFile = new URL('../../public/govuk.css', import.meta.url);
const source = fileURLToPath(new URL('../core/web/govuk.scss', import.meta.url));

/**
 * The parts of GOV.UK Frontend the pages use (listed in src/core/web/govuk.scss), compiled from its
 * Sass, made ours as before (no Transport, no crest) and headed by its MIT licence, which must travel
 * with any copy. The same inputs always give the same bytes, so a test can say when it is stale.
 */
export function buildGovukCss(): string {
  const require = createRequire(import.meta.url);
  const packageFile = require.resolve('govuk-frontend/package.json');
  const { version } = JSON.parse(readFileSync(packageFile, 'utf8')) as { version: string };
  const compiled = sass.compile(source, {
    loadPaths: [fileURLToPath(new URL('../../node_modules', import.meta.url))],
    style: 'compressed',
    // govuk-frontend's own deprecation notices are for its maintainers, not for a build that uses it.
    quietDeps: true,
    sourceMap: false,
  }).css;
  const licence = `/*! GOV.UK Frontend ${version}, the parts Alongside uses (built by npm run build:css from src/core/web/govuk.scss)

The MIT License (MIT)

Copyright (C) 2017 Crown Copyright (Government Digital Service)

Permission is hereby granted, free of charge, to any person obtaining a copy of
this software and associated documentation files (the "Software"), to deal in
the Software without restriction, including without limitation the rights to
use, copy, modify, merge, publish, distribute, sublicense, and/or sell copies
of the Software, and to permit persons to whom the Software is furnished to do
so, subject to the following conditions:

The above copyright notice and this permission notice shall be included in all
copies or substantial portions of the Software.

THE SOFTWARE IS PROVIDED "AS IS", WITHOUT WARRANTY OF ANY KIND, EXPRESS OR
IMPLIED, INCLUDING BUT NOT LIMITED TO THE WARRANTIES OF MERCHANTABILITY,
FITNESS FOR A PARTICULAR PURPOSE AND NONINFRINGEMENT. IN NO EVENT SHALL THE
AUTHORS OR COPYRIGHT HOLDERS BE LIABLE FOR ANY CLAIM, DAMAGES OR OTHER
LIABILITY, WHETHER IN AN ACTION OF CONTRACT, TORT OR OTHERWISE, ARISING FROM,
OUT OF OR IN CONNECTION WITH THE SOFTWARE OR THE USE OR OTHER DEALINGS IN THE
SOFTWARE.
*/
`;
  // Sass starts compressed output with a byte order mark when it holds a non-ASCII character; the
  // file is served as UTF-8, and the licence comes first.
  return `${licence}${ourGovukCss(compiled.replace(/^\uFEFF/, ''))}\n`;
}
