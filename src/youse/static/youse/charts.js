/* Youse charts: thin helpers over Apache ECharts (served from node_modules, never a CDN).
 *
 *   Youse.shaanxiMap(el, {regions: [{code: "610800", name: "榆林市", value: 12}], points: [
 *       {name: "…", lng: 110.1, lat: 38.2, value: 50000, color: "#3fa66b", url: "/registry/…",
 *        detail: ["line", "line"]}],
 *       valueLabel: "企业数"})
 *   Youse.bar(el, {categories: [...], series: [{name, data, color?, stack?}], horizontal?: bool, unit?: str,
 *                  integer?: bool})  (integer: counts, so the axis never shows 0.2 of an enterprise)
 *   Youse.pie(el, {data: [{name, value, color?}], unit?: str})
 *
 * Every text is plain text: the helpers escape it before a tooltip renders it as HTML.
 *
 * Chart data comes from a <script type="application/json" id="..."> block that the page renders with
 * Django's json_script filter, so pages stay readable without JavaScript (a table carries the same data).
 */
(function () {
  "use strict";
  const STATIC = (document.querySelector('meta[name="ys-static"]') || {}).content || "/static/";
  let mapPromise = null;

  function loadShaanxi() {
    if (!mapPromise) {
      mapPromise = fetch(STATIC + "vendor/maps/shanxi1.json")
        .then((r) => { if (!r.ok) throw new Error("map " + r.status); return r.json(); })
        .then((geo) => { echarts.registerMap("shaanxi", geo); return geo; });
    }
    return mapPromise;
  }

  function esc(text) {
    return echarts.format.encodeHTML(text == null ? "" : String(text));
  }

  function detailHtml(detail) {
    if (detail == null) return "";
    return (Array.isArray(detail) ? detail : [detail]).map(esc).join("<br>");
  }

  function init(el) {
    const chart = echarts.init(el, null, { renderer: "canvas" });
    window.addEventListener("resize", () => chart.resize());
    return chart;
  }

  function fromJson(id) {
    const node = document.getElementById(id);
    return node ? JSON.parse(node.textContent) : null;
  }

  function shaanxiMap(el, opts) {
    const chart = init(el);
    chart.showLoading();
    return loadShaanxi().then((geo) => {
      chart.hideLoading();
      const byCode = {};
      (opts.regions || []).forEach((r) => { byCode[r.code] = r; });
      const regionData = geo.features.map((f) => {
        const r = byCode[f.id] || {};
        return { name: f.properties.name, value: r.value || 0, url: r.url };
      });
      const max = Math.max(1, ...regionData.map((r) => r.value));
      const points = (opts.points || []).map((p) => ({
        name: p.name, value: [p.lng, p.lat, p.value], url: p.url, detail: p.detail,
        itemStyle: { color: p.color || "#b3261e" },
      }));
      const maxPoint = Math.max(1, ...points.map((p) => p.value[2] || 0));
      chart.setOption({
        tooltip: {
          trigger: "item",
          formatter: (p) => p.seriesType === "scatter"
            ? `<b>${esc(p.name)}</b><br>${detailHtml(p.data.detail)}`
            : `${esc(p.name)}<br>${esc(opts.valueLabel || "")}: ${esc(p.value || 0)}`,
        },
        visualMap: opts.regions ? {
          min: 0, max: max, left: 10, bottom: 10, calculable: true, seriesIndex: 0,
          inRange: { color: ["#eef3fa", "#9ec1e8", "#0f3c78"] }, text: [String(max), "0"],
        } : undefined,
        geo: {
          map: "shaanxi", roam: true, zoom: 1.1,
          label: { show: true, fontSize: 11, color: "#34495e" },
          itemStyle: { areaColor: "#eef3fa", borderColor: "#7f9cc0" },
          emphasis: { itemStyle: { areaColor: "#ffe8a3" } },
        },
        series: [
          { type: "map", geoIndex: 0, data: regionData },
          {
            type: "scatter", coordinateSystem: "geo", data: points,
            symbolSize: (v) => 6 + 14 * Math.sqrt((v[2] || 0) / maxPoint),
            itemStyle: { opacity: 0.85, borderColor: "#fff", borderWidth: 1 },
          },
        ],
      });
      chart.on("click", (p) => {
        const url = (p.data && p.data.url) || undefined;
        if (url) window.location.href = url;
      });
      return chart;
    }).catch((err) => {
      chart.hideLoading();
      el.innerHTML = '<div class="text-muted small p-3">' + esc(opts.errorText || "Map unavailable") + " (" + esc(err.message) + ")</div>";
    });
  }

  function bar(el, opts) {
    const chart = init(el);
    const cat = { type: "category", data: opts.categories, axisLabel: { interval: 0, rotate: opts.horizontal ? 0 : (opts.categories.length > 8 ? 30 : 0) } };
    const val = { type: "value", name: opts.unit || "", minInterval: opts.integer ? 1 : undefined };
    chart.setOption({
      tooltip: { trigger: "axis", axisPointer: { type: "shadow" } },
      legend: opts.series.length > 1 ? { top: 0, type: "scroll" } : undefined,
      grid: { left: 8, right: 16, top: opts.series.length > 1 ? 32 : 16, bottom: 8, containLabel: true },
      xAxis: opts.horizontal ? val : cat,
      yAxis: opts.horizontal ? Object.assign({}, cat, { inverse: true }) : val,
      series: opts.series.map((s) => ({
        type: "bar", name: s.name, data: s.data, stack: s.stack, itemStyle: s.color ? { color: s.color } : undefined,
        barMaxWidth: 36,
      })),
    });
    return chart;
  }

  function pie(el, opts) {
    const chart = init(el);
    chart.setOption({
      tooltip: { trigger: "item", formatter: "{b}: {c}" + (opts.unit ? " " + opts.unit : "") + " ({d}%)" },
      legend: { bottom: 0, type: "scroll" },
      series: [{
        type: "pie", radius: ["40%", "70%"], center: ["50%", "45%"],
        data: opts.data.map((d) => ({ name: d.name, value: d.value, itemStyle: d.color ? { color: d.color } : undefined })),
        label: { formatter: "{b}\n{d}%" },
      }],
    });
    return chart;
  }

  window.Youse = { shaanxiMap, bar, pie, fromJson };
})();
