import { useEffect, useRef } from 'react';
import uPlot from 'uplot';
import 'uplot/dist/uPlot.min.css';

export interface ChartSeries {
  label: string;
  /** A CSS colour variable of the theme (`--accent`), read when drawn, so light and dark both read well. */
  color: string;
  values: (number | null)[];
  /** Drawn as bars (counts) rather than a line. */
  bars?: boolean;
  /** The right-hand axis (counts next to durations). */
  right?: boolean;
}

function cssVar(name: string): string {
  return getComputedStyle(document.documentElement).getPropertyValue(name).trim() || '#888';
}

/**
 * A time chart drawn by uPlot (canvas: months of days draw in a few
 * milliseconds). `x` are period starts in epoch seconds; the labels under the
 * axis are the caller's (`label`), in the console's language. Redrawn when the
 * data, the theme or the width changes.
 */
export function Chart({ x, series, label, xLabel, leftUnit, rightUnit, height = 220, testId, title }: {
  x: number[];
  series: ChartSeries[];
  label(seconds: number): string;
  /** What an x value is ("Day"), in the legend. */
  xLabel: string;
  leftUnit: string;
  rightUnit?: string;
  height?: number;
  testId?: string;
  title: string;
}) {
  const box = useRef<HTMLDivElement>(null);
  const theme = typeof document !== 'undefined' ? document.documentElement.dataset.theme : undefined;

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const text = cssVar('--text-2');
    const grid = cssVar('--border');
    const axis = (unit: string, side: 1 | 3 = 3, scale = 'y'): uPlot.Axis => ({
      scale,
      side,
      stroke: text,
      grid: { stroke: grid, width: 1, show: side === 3 },
      ticks: { stroke: grid },
      label: unit,
      labelSize: 18,
      size: 56,
    });
    const bars = uPlot.paths.bars?.({ size: [0.6, 40] });
    const opts: uPlot.Options = {
      width: Math.max(280, el.clientWidth),
      height,
      title: undefined,
      legend: { show: true },
      cursor: { drag: { x: false, y: false } },
      scales: { x: { time: false }, y: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] }, n: { auto: true, range: (_u, _min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { stroke: text, grid: { show: false }, ticks: { stroke: grid }, values: (_u, splits) => splits.map((s) => (x.includes(s) ? label(s) : '')), splits: () => x },
        axis(leftUnit),
        ...(rightUnit ? [axis(rightUnit, 1, 'n')] : []),
      ],
      series: [
        { label: xLabel, value: (_u, v) => (v === null || v === undefined ? '' : label(v)) },
        ...series.map((s) => {
          const color = cssVar(s.color);
          return {
            label: s.label,
            stroke: color,
            width: s.bars ? 0 : 2,
            fill: s.bars ? `${color}66` : undefined,
            paths: s.bars ? bars : undefined,
            points: { show: !s.bars && x.length < 60 },
            scale: s.right ? 'n' : 'y',
            spanGaps: true,
          } satisfies uPlot.Series;
        }),
      ],
    };
    const plot = new uPlot(opts, [x, ...series.map((s) => s.values)] as uPlot.AlignedData, el);
    const resize = new ResizeObserver(() => plot.setSize({ width: Math.max(280, el.clientWidth), height }));
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [x, series, label, xLabel, leftUnit, rightUnit, height, theme]);

  return <div ref={box} className="report-chart" role="img" aria-label={title} data-testid={testId} />;
}
