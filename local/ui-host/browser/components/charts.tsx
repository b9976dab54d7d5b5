import type { BarChartProps, ChartColor, ChartDataRow, LineChartProps } from '@hubspot/ui-extensions';

/** HubSpot's named chart colours, approximated. */
const palette: Record<ChartColor, string> = {
  orange: '#ff7a59', aqua: '#00bda5', purple: '#6a78d1', yellow: '#f5c26b', pink: '#ea90b1', blue: '#00a4bd', green: '#00bda5',
  darkOrange: '#e5543a', darkAqua: '#00808a', darkPurple: '#4f5cb0', darkYellow: '#c9951e', darkPink: '#c9567f', darkBlue: '#0068b1', darkGreen: '#00866e',
};
const defaultOrder: ChartColor[] = ['orange', 'aqua', 'purple', 'yellow', 'pink', 'blue', 'green'];

const width = 480;
const height = 220;
const margin = { top: 16, right: 16, bottom: 40, left: 44 };
const plotWidth = width - margin.left - margin.right;
const plotHeight = height - margin.top - margin.bottom;

const rowsOf = (data: BarChartProps['data']): ChartDataRow[] => (Array.isArray(data) ? data : data.data);

/** Round numbers for the y axis, from 0 up past the largest value. */
function ticks(maximum: number): number[] {
  const top = Math.max(1, maximum);
  const step = 10 ** Math.floor(Math.log10(top));
  const nice = [1, 2, 5, 10].map((factor) => factor * step).find((candidate) => top / candidate <= 5) ?? step * 10;
  return Array.from({ length: Math.ceil(top / nice) + 1 }, (_, index) => index * nice);
}

interface ChartFrameProps {
  kind: 'bar' | 'line';
  props: BarChartProps | LineChartProps;
  draw: (rows: ChartDataRow[], y: (value: number) => number, xStep: number) => React.ReactNode;
}

/** The x axis's categories: each row's own, or, with `groupFieldByColor`, one per x value (HubSpot groups those rows' bars side by side). */
function categoriesOf(props: BarChartProps | LineChartProps, rows: ChartDataRow[]): string[] {
  const labels = rows.map((row) => String(row[props.axes.x.field]));
  return props.axes.options?.groupFieldByColor ? [...new Set(labels)] : labels;
}

/** With `groupFieldByColor`, the series by name and colour, in the order they first appear. */
function seriesOf(props: BarChartProps | LineChartProps, rows: ChartDataRow[]): { name: string; colour: string }[] {
  const field = props.axes.options?.groupFieldByColor;
  if (!field) return [];
  return [...new Set(rows.map((row) => String(row[field])))].map((name, index) => ({ name, colour: colourOf(props, { [field]: name }, index) }));
}

/** Axes, labels, title and a text summary (the accessible name) around the marks. */
function ChartFrame({ kind, props, draw }: ChartFrameProps) {
  const rows = rowsOf(props.data);
  const { x, y } = props.axes;
  const values = rows.map((row) => Number(row[y.field] ?? 0));
  const scale = ticks(Math.max(0, ...values));
  const top = scale[scale.length - 1] ?? 1;
  const yOf = (value: number) => margin.top + plotHeight - (value / top) * plotHeight;
  const categories = categoriesOf(props, rows);
  const series = seriesOf(props, rows);
  const xStep = plotWidth / Math.max(1, categories.length);
  const title = props.options?.title;
  const summary = `${title ?? `${y.label ?? y.field} by ${x.label ?? x.field}`}: ${rows.map((row) => `${row[x.field]} ${row[y.field]}`).join(', ')}`;
  return (
    <figure className={`hs-chart hs-chart--${kind}`} data-testid={props.testId}>
      {title && <figcaption className="hs-chart__title">{title}</figcaption>}
      <svg viewBox={`0 0 ${width} ${height}`} role="img" aria-label={summary} preserveAspectRatio="xMinYMin meet">
        {scale.map((tick) => (
          <g key={tick} className="hs-chart__grid">
            <line x1={margin.left} x2={width - margin.right} y1={yOf(tick)} y2={yOf(tick)} />
            <text x={margin.left - 6} y={yOf(tick) + 4} textAnchor="end">
              {tick}
            </text>
          </g>
        ))}
        {draw(rows, yOf, xStep)}
        {categories.map((category, index) => (
          <text key={index} className="hs-chart__tick" x={margin.left + xStep * (index + 0.5)} y={height - margin.bottom + 16} textAnchor="middle">
            {category}
          </text>
        ))}
        {x.label && (
          <text className="hs-chart__axis-label" x={margin.left + plotWidth / 2} y={height - 4} textAnchor="middle">
            {x.label}
          </text>
        )}
        {y.label && (
          <text className="hs-chart__axis-label" transform={`translate(12 ${margin.top + plotHeight / 2}) rotate(-90)`} textAnchor="middle">
            {y.label}
          </text>
        )}
      </svg>
      {series.length > 0 && (
        <ul className="hs-chart__legend" aria-hidden="true">
          {series.map(({ name, colour }) => (
            <li key={name}>
              <span className="hs-chart__swatch" style={{ background: colour }} />
              {name}
            </li>
          ))}
        </ul>
      )}
    </figure>
  );
}

function colourOf(props: BarChartProps | LineChartProps, row: ChartDataRow, index: number): string {
  const { groupFieldByColor, colors } = props.axes.options ?? {};
  const named = groupFieldByColor ? colors?.[String(row[groupFieldByColor])] : undefined;
  const list = props.options?.colorList ?? props.options?.colors ?? defaultOrder;
  return palette[named ?? list[index % list.length] ?? 'orange'];
}

export function BarChart(props: BarChartProps) {
  const field = props.axes.y.field;
  const groupField = props.axes.options?.groupFieldByColor;
  return (
    <ChartFrame
      kind="bar"
      props={props}
      draw={(rows, y, xStep) => {
        const categories = categoriesOf(props, rows);
        const series = seriesOf(props, rows).map(({ name }) => name);
        const barWidth = groupField ? (xStep * 0.8) / Math.max(1, series.length) : xStep * 0.6;
        return rows.map((row, index) => {
          const value = Number(row[field] ?? 0);
          const left = groupField
            ? margin.left + xStep * categories.indexOf(String(row[props.axes.x.field])) + xStep * 0.1 + barWidth * series.indexOf(String(row[groupField]))
            : margin.left + xStep * index + xStep * 0.2;
          return (
            <g key={index}>
              <rect className="hs-chart__bar" x={left} y={y(value)} width={barWidth} height={y(0) - y(value)} fill={colourOf(props, row, groupField ? series.indexOf(String(row[groupField])) : 0)} />
              {props.options?.showDataLabels && (
                <text className="hs-chart__label" x={left + barWidth / 2} y={y(value) - 4} textAnchor="middle">
                  {value}
                </text>
              )}
            </g>
          );
        });
      }}
    />
  );
}

export function LineChart(props: LineChartProps) {
  const field = props.axes.y.field;
  const colour = palette[(props.options?.colorList ?? props.options?.colors)?.[0] ?? 'aqua'];
  return (
    <ChartFrame
      kind="line"
      props={props}
      draw={(rows, y, xStep) => {
        const points = rows.map((row, index) => [margin.left + xStep * (index + 0.5), y(Number(row[field] ?? 0))] as const);
        return (
          <g>
            <polyline className="hs-chart__line" fill="none" stroke={colour} points={points.map(([px, py]) => `${px},${py}`).join(' ')} />
            {points.map(([px, py], index) => (
              <circle key={index} cx={px} cy={py} r={4} fill={colour}>
                {props.options?.showTooltips && <title>{`${rows[index]?.[props.axes.x.field]}: ${rows[index]?.[field]}`}</title>}
              </circle>
            ))}
            {props.options?.showDataLabels &&
              points.map(([px, py], index) => (
                <text key={`label-${index}`} className="hs-chart__label" x={px} y={py - 8} textAnchor="middle">
                  {String(rows[index]?.[field])}
                </text>
              ))}
          </g>
        );
      }}
    />
  );
}
