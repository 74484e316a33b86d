/* Youse indicator charts: gauges and trend lines for the targets dashboard (over Apache ECharts).
 *
 *   Youse.gauge(el, {value, target, required, min, max, unit, status, statusLabel, lowerIsBetter}, text)
 *   Youse.trend(el, {categories, values, target, unit, name, targetName, inverse?})
 *   Youse.barWithTarget(el, {categories, series: [{name, data}], unit, target}, targetName)
 *
 * Data come from json_script blocks; the page's tables carry the same numbers. Every text is escaped.
 */
(function () {
  "use strict";
  const COLOURS = { met: "#2e7d32", on_track: "#1565c0", off_track: "#ef6c00", missed: "#c62828", unknown: "#90a4ae" };

  function esc(text) {
    return echarts.format.encodeHTML(text == null ? "" : String(text));
  }

  function init(el) {
    const chart = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", () => chart.resize());
    return chart;
  }

  function gauge(el, g, text) {
    const chart = init(el);
    const span = (g.max - g.min) || 1;
    const at = (v) => Math.min(1, Math.max(0, (v - g.min) / span));
    // The arc is green on the side of the target that meets it.
    const t = g.target == null ? null : at(g.target);
    const bands = t == null ? [[1, "#cfd8dc"]]
      : g.lowerIsBetter ? [[t, "#a5d6a7"], [1, "#ffcc80"]] : [[t, "#ffcc80"], [1, "#a5d6a7"]];
    chart.setOption({
      series: [{
        type: "gauge", min: g.min, max: g.max, startAngle: 210, endAngle: -30, radius: "95%", center: ["50%", "60%"],
        axisLine: { lineStyle: { width: 10, color: bands } },
        pointer: { show: g.value != null, width: 4, itemStyle: { color: COLOURS[g.status] || "#455a64" } },
        // Four divisions with whole-number labels: finer scales crowd a card-sized gauge.
        splitNumber: 4,
        axisTick: { show: false }, splitLine: { length: 8, lineStyle: { width: 1 } },
        axisLabel: { distance: 12, fontSize: 9, formatter: (v) => String(Math.round(v)) },
        detail: {
          valueAnimation: true, fontSize: 16, offsetCenter: [0, "40%"], color: COLOURS[g.status] || "#455a64",
          formatter: () => (g.value == null ? text.noData : g.value + (g.unit === "%" ? "%" : " " + g.unit)),
        },
        title: { show: false },
        data: [{ value: g.value == null ? g.min : g.value }],
      }],
      tooltip: {
        formatter: () => [esc(g.label), esc(text.target) + ": " + esc(g.target == null ? "—" : g.target) + " " + esc(g.unit),
          esc(text.required) + ": " + esc(g.required == null ? "—" : g.required)].join("<br>"),
      },
    });
    return chart;
  }

  function trend(el, t) {
    const chart = init(el);
    const series = [{
      type: "line", name: t.name, data: t.values, connectNulls: false, showSymbol: t.values.length < 15,
      itemStyle: { color: "#0f3c78" }, lineStyle: { width: 2 },
    }];
    if (t.target != null) {
      series.push({
        type: "line", name: t.targetName, data: t.categories.map(() => t.target), showSymbol: false,
        lineStyle: { type: "dashed", color: "#c62828", width: 1.5 }, itemStyle: { color: "#c62828" },
      });
    }
    chart.setOption({
      tooltip: { trigger: "axis" },
      legend: { top: 0, textStyle: { fontSize: 10 } },
      grid: { left: 8, right: 12, top: 28, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: t.categories, axisLabel: { fontSize: 9 } },
      yAxis: { type: "value", name: t.unit || "", inverse: !!t.inverse, scale: true, nameTextStyle: { fontSize: 9 } },
      series: series,
    });
    return chart;
  }

  function barWithTarget(el, opts, targetName) {
    const chart = init(el);
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      grid: { left: 8, right: 24, top: 24, bottom: 8, containLabel: true },
      xAxis: { type: "category", data: opts.categories, axisLabel: { interval: 0, rotate: opts.categories.length > 6 ? 30 : 0 } },
      yAxis: { type: "value", name: opts.unit || "" },
      series: opts.series.map((s) => ({
        type: "bar", name: s.name, data: s.data.map((v) => ({
          value: v, itemStyle: { color: v != null && opts.target != null && v < opts.target ? "#ef6c00" : "#2e7d32" },
        })),
        barMaxWidth: 36,
        markLine: opts.target == null ? undefined : {
          symbol: "none", lineStyle: { type: "dashed", color: "#c62828" },
          label: { formatter: esc(targetName) + " " + opts.target + (opts.unit === "%" ? "%" : "") },
          data: [{ yAxis: opts.target }],
        },
      })),
    });
    return chart;
  }

  window.Youse = Object.assign(window.Youse || {}, { gauge, trend, barWithTarget });
})();
