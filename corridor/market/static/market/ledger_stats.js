// Transaction statistics charts (market/ledger_stats.html), from the json_script element #chart-data
// (plotly.js served by Corridor itself).
(function () {
  "use strict";
document.addEventListener("DOMContentLoaded", function () {
  if (!window.Plotly) { return; }
  var data = JSON.parse(document.getElementById("chart-data").textContent);
  if (!data.by_month.length) {
    document.querySelectorAll(".chart").forEach(function (el) {
      el.classList.add("d-flex", "align-items-center", "justify-content-center", "text-body-secondary");
      el.textContent = data.labels.empty;
    });
    document.body.dataset.chartsReady = "true";
    return;
  }
  var L = data.labels, ink = "#0b3d5c", accent = "#0f7a6b";
  var palette = ["#0b3d5c", "#0f7a6b", "#3c7fa3", "#7fb8a4", "#e0a100", "#b5546a", "#8a6bb8"];
  var base = {margin: {t: 10, r: 10, b: 40, l: 60}, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
              font: {family: "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', sans-serif", size: 12}, legend: {orientation: "h", y: -0.2}};
  var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]};
  function num(v) { return Number(v); }
  function layout(extra) { return Object.assign({}, base, extra); }
  var m = data.by_month;
  Plotly.newPlot("chart-month", [
    {type: "bar", name: L.volume, x: m.map(function (r) { return r.month; }), y: m.map(function (r) { return num(r.amount); }), marker: {color: accent},
     customdata: m.map(function (r) { return r.count; }), hovertemplate: "%{x}<br>¥%{y:,.2f}<br>%{customdata} " + L.contracts + "<extra></extra>"},
    {type: "scatter", mode: "lines+markers", name: L.cumulative, x: m.map(function (r) { return r.month; }), y: m.map(function (r) { return num(r.cumulative); }),
     yaxis: "y2", line: {color: ink, width: 3}, hovertemplate: "%{x}<br>¥%{y:,.2f}<extra></extra>"}
  ], layout({yaxis: {title: {text: L.volume}, tickformat: ",.0f", gridcolor: "#e5ecf0", rangemode: "tozero"}, yaxis2: {title: {text: L.cumulative}, overlaying: "y", side: "right", tickformat: ",.0f", showgrid: false, rangemode: "tozero"},
             margin: {t: 10, r: 90, b: 40, l: 80}}), config);
  var t = data.by_type;
  Plotly.newPlot("chart-type", [{type: "pie", hole: 0.55, labels: t.map(function (r) { return r.label; }), values: t.map(function (r) { return num(r.amount); }),
    marker: {colors: palette}, textinfo: "percent", hovertemplate: "%{label}<br>¥%{value:,.2f}<extra></extra>", sort: false}],
    layout({margin: {t: 10, r: 10, b: 10, l: 10}, showlegend: true, legend: {orientation: "h", y: -0.05}}), config);
  var p = data.by_city_pair.slice().reverse();
  Plotly.newPlot("chart-pair", [{type: "bar", orientation: "h", y: p.map(function (r) { return r.seller_place + " → " + r.buyer_place; }),
    x: p.map(function (r) { return num(r.amount); }), marker: {color: "#3c7fa3"}, customdata: p.map(function (r) { return r.count; }),
    hovertemplate: "%{y}<br>¥%{x:,.2f}<br>%{customdata} " + L.contracts + "<extra></extra>"}],
    layout({margin: {t: 10, r: 10, b: 40, l: 110}, xaxis: {tickformat: ",.0f", gridcolor: "#e5ecf0"}, height: Math.max(320, 26 * p.length + 60)}), config);
  var r = data.by_reach;
  Plotly.newPlot("chart-reach", [{type: "bar", x: r.map(function (x) { return x.label; }), y: r.map(function (x) { return num(x.amount); }),
    marker: {color: palette.slice(0, r.length)}, hovertemplate: "%{x}<br>¥%{y:,.2f}<extra></extra>"}],
    layout({yaxis: {tickformat: ",.0f", gridcolor: "#e5ecf0"}, margin: {t: 10, r: 10, b: 60, l: 80}}), config);
  document.body.dataset.chartsReady = "true";
});
})();
