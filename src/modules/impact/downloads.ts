import { type CsvValue, toCsv, typed } from '../../core/csv.ts';
import type { Language, Translate } from '../../core/i18n/index.ts';
import { startPdf } from '../../core/pdf.ts';
import { shownValue } from '../../core/small-numbers.ts';
import { formatPence } from '../personal-budget/money.ts';
import { monthName, shownText, w } from './format.ts';
import type { ImpactReport, ReportFigure } from './report.ts';
import { periodText, type ReportStory, ruleText } from './views.tsx';

/**
 * The report as CSV: one row per figure for the whole period and one per figure and month, with the
 * rule and the period said first. Figures are written as shown (a hidden one says why, not a number);
 * words an organisation or a person typed are defused so a spreadsheet never runs them.
 */
export function reportCsv(report: ImpactReport, t: Translate, language: Language): string {
  const rows: CsvValue[][] = [
    [t(w('csv.period')), periodText(report, t, language)],
    [t(w('csv.rule')), ruleText(report, t)],
    [],
    ['section', 'figure', 'month', 'value', 'shown', 'unit', 'label', 'derived'].map((column) =>
      t(w(`csv.columns.${column}`)),
    ),
  ];
  const row = (figure: ReportFigure, month: string, shown: ReportFigure['shown']): CsvValue[] => [
    t(w(`sections.${figure.statistic.section}`)),
    `${figure.moduleId}:${figure.statistic.key}`,
    month,
    shownValue(shown) ?? '',
    shownText(shown, figure.statistic.unit, t, language),
    t(w(`csv.units.${figure.statistic.unit}`)),
    typed(figure.label),
    typed(figure.derivation),
  ];
  for (const group of report.sections)
    for (const figure of group.figures) {
      rows.push(row(figure, t(w('csv.wholePeriod')), figure.shown));
      figure.months?.forEach((shown, i) => {
        rows.push(row(figure, report.period.months[i]!, shown));
      });
    }
  return toCsv(rows);
}

/**
 * The report as a tagged PDF in the reader's language: each figure with how it was derived, and its
 * months drawn as vector columns with the same figures in a table beneath, the rule stated at the top.
 */
export function reportPdf(
  report: ImpactReport,
  options: { t: Translate; language: Language; organisationName: string; stories: ReportStory[] },
): Promise<Buffer> {
  const { t, language } = options;
  const title = t(w('pdf.title'), { organisation: options.organisationName });
  const { document, done } = startPdf({
    size: 'A4',
    margin: 50,
    pdfVersion: '1.7',
    tagged: true,
    displayTitle: true,
    lang: language === 'cy' ? 'cy-GB' : 'en-GB',
    info: { Title: title, Subject: periodText(report, t, language) },
  } as PDFKit.PDFDocumentOptions);
  const left = 50;
  const width = document.page.width - 100;
  type Struct = ReturnType<typeof document.struct>;
  const root = document.struct('Document');
  document.addStructure(root);
  const text = (parent: Struct, tag: string, words: string, font: 'body' | 'bold', size: number) => {
    parent.add(
      document.struct(tag, {}, () => {
        document.font(font).fontSize(size).text(words, left, undefined, { width });
      }),
    );
  };
  const roomFor = (height: number) => {
    if (document.y + height > document.page.height - 50) document.addPage();
  };

  text(root, 'H1', title, 'bold', 18);
  text(root, 'P', periodText(report, t, language), 'body', 11);
  text(root, 'P', ruleText(report, t), 'body', 10);
  text(root, 'P', t(w('nothingTyped')), 'body', 10);
  for (const group of report.sections) {
    const section = document.struct('Sect');
    root.add(section);
    roomFor(60);
    document.moveDown(0.5);
    text(section, 'H2', t(w(`sections.${group.section}`)), 'bold', 14);
    for (const figure of group.figures) {
      const unit = figure.statistic.unit;
      roomFor(figure.months ? 200 : 60);
      document.moveDown(0.3);
      text(section, 'H3', figure.label, 'bold', 11);
      text(section, 'P', shownText(figure.shown, unit, t, language), 'bold', 12);
      text(section, 'P', figure.derivation, 'body', 9);
      for (const estimate of figure.estimates)
        text(
          section,
          'P',
          t(w('cost.estimate'), {
            figure: shownText(figure.shown, unit, t, language),
            name: estimate.cost.name,
            each: formatPence(estimate.cost.pence),
            total: formatPence(estimate.pence),
            source: estimate.cost.source,
            year: estimate.cost.year,
          }),
          'body',
          9,
        );
      if (!figure.months || figure.months.length < 2) continue;
      // The columns are a picture of the table below them, so they are marked as an artefact.
      const chartTop = document.y + 6;
      const chartHeight = 70;
      const values = figure.months.map(shownValue);
      const largest = Math.max(1, ...values.map((value) => value ?? 0));
      const step = width / values.length;
      document.markContent('Artifact', { type: 'Layout' } as never);
      document
        .moveTo(left, chartTop + chartHeight)
        .lineTo(left + width, chartTop + chartHeight)
        .lineWidth(0.5)
        .stroke('#0b0c0c');
      values.forEach((value, i) => {
        const x = left + i * step + step * 0.15;
        if (value === null) {
          document
            .rect(x, chartTop + chartHeight - 8, step * 0.7, 8)
            .dash(2, { space: 1.5 })
            .stroke('#0b0c0c')
            .undash();
        } else {
          const height = (value / largest) * chartHeight;
          document.rect(x, chartTop + chartHeight - height, step * 0.7, height).fill('#1d70b8');
        }
      });
      document.endMarkedContent();
      document.fillColor('#0b0c0c');
      document.y = chartTop + chartHeight + 8;
      const table = document.struct('Table');
      section.add(table);
      figure.months.forEach((shown, i) => {
        roomFor(14);
        const rowStruct = document.struct('TR');
        table.add(rowStruct);
        const y = document.y;
        rowStruct.add(
          document.struct('TD', {}, () => {
            document
              .font('body')
              .fontSize(9)
              .text(monthName(report.period.months[i]!, language), left, y, {
                width: width / 2,
              });
          }),
        );
        rowStruct.add(
          document.struct('TD', {}, () => {
            document
              .font('body')
              .fontSize(9)
              .text(shownText(shown, unit, t, language), left + width / 2, y, {
                width: width / 2,
                align: 'right',
              });
          }),
        );
        rowStruct.end();
      });
      table.end();
      document.x = left;
    }
    section.end();
  }
  if (options.stories.length > 0) {
    const section = document.struct('Sect');
    root.add(section);
    roomFor(80);
    text(section, 'H2', t(w('storiesHeading')), 'bold', 14);
    for (const story of options.stories) {
      roomFor(60);
      text(section, 'H3', story.title, 'bold', 11);
      text(section, 'P', story.excerpt, 'body', 10);
      text(section, 'P', story.author, 'body', 9);
    }
    section.end();
  }
  root.end();
  document.end();
  return done;
}
