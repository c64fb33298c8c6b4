// Time-series charts drawn by uPlot (served from its WebJar, loaded before this module as the
// global uPlot): a time axis, a grid, a unit on the value axis, values shown while hovering, and
// a click on a point hands its time to the page. Colours come from the page's CSS variables, so
// the charts follow the light or dark theme.

import { h } from './dom.js';

const css = name => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

/**
 * Fills the seconds (or buckets) between first and last that have no sample with zeros, so a
 * quiet minute shows as zero rather than as a line drawn across it.
 *
 * @param points [{t: epoch seconds, ...}] in any order
 * @param step seconds between points
 * @param keys the fields to chart
 * @param range optional [from, to] in epoch seconds to cover even where there is no point
 */
export function zeroFilled(points, step, keys, range) {
  const byT = new Map(points.map(p => [Math.floor(p.t / step) * step, p]));
  const ts = [...byT.keys()];
  const from = range ? Math.floor(range[0] / step) * step : Math.min(...ts);
  const to = range ? Math.floor(range[1] / step) * step : Math.max(...ts);
  const xs = [];
  const ys = keys.map(() => []);
  if (!Number.isFinite(from) || !Number.isFinite(to)) return [xs, ...ys];
  for (let t = from; t <= to; t += step) {
    xs.push(t);
    const p = byT.get(t);
    keys.forEach((k, i) => ys[i].push(p && Number.isFinite(p[k]) ? p[k] : 0));
  }
  return [xs, ...ys];
}

/**
 * A time chart in a new element.
 *
 * @param spec {label (for screen readers), unit, series: [{label, color: CSS variable}], format(v),
 *   onPick(epochSeconds), height}
 * @return {el, set(data), destroy()}
 */
export function timeChart(spec) {
  const el = h('div', { class: 'chart', role: 'img', 'aria-label': spec.label });
  const fmt = spec.format || (v => (Math.abs(v) >= 100 ? Math.round(v) : +v.toFixed(2)).toLocaleString());
  const withUnit = v => (v === null || v === undefined ? '—' : fmt(v) + (spec.unit ? ' ' + spec.unit : ''));
  let plot = null;
  let data = [[], ...spec.series.map(() => [])];
  let observer = null;

  const make = () => {
    if (typeof window.uPlot !== 'function') {
      el.replaceChildren(h('p', { class: 'muted' }, 'Charts are unavailable: uPlot did not load.'));
      return;
    }
    const axis = { stroke: css('--muted'), grid: { stroke: css('--grid'), width: 1 }, ticks: { stroke: css('--grid'), width: 1 } };
    plot = new window.uPlot({
      width: Math.max(200, el.clientWidth || 600),
      height: spec.height || 200,
      cursor: { drag: { x: false, y: false } },
      legend: { live: true },
      scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
      axes: [
        { ...axis },
        { ...axis, label: spec.unit, labelSize: 18, size: 60, values: (u, vals) => vals.map(v => fmt(v)) },
      ],
      series: [
        { label: 'Time', value: (u, v) => (v === null || v === undefined ? '—' : new Date(v * 1000).toLocaleTimeString()) },
        ...spec.series.map(s => ({ label: s.label, stroke: css(s.color), width: 2, value: (u, v) => withUnit(v),
          points: { show: false } })),
      ],
    }, data, el);
    if (spec.onPick) {
      plot.over.addEventListener('click', () => {
        const i = plot.cursor.idx;
        if (i !== null && i !== undefined && plot.data[0][i] !== undefined) spec.onPick(plot.data[0][i]);
      });
      plot.over.title = 'Click to see the log rows of that moment';
    }
    observer = new ResizeObserver(() => {
      if (plot && el.clientWidth) plot.setSize({ width: el.clientWidth, height: spec.height || 200 });
    });
    observer.observe(el);
  };

  return {
    el,
    set(next) {
      data = next;
      if (!plot) {
        if (!el.isConnected) return;
        make();
      } else {
        plot.setData(data);
      }
    },
    destroy() {
      if (observer) observer.disconnect();
      if (plot) plot.destroy();
      plot = null;
    },
  };
}
