// Case KPI charts (brokers/kpis.html), drawn from the same numbers as the tables and the CSV files
// (plotly.js served by Corridor itself). Data comes from the json_script element #kpi-data.
(function () {
  "use strict";
  window.addEventListener("load", function () {
    if (!window.Plotly) { return; }
    var data = JSON.parse(document.getElementById("kpi-data").textContent);
    var L = data.labels;
    var config = { displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"] };
    var base = { margin: { l: 50, r: 20, t: 10, b: 40 }, height: 330, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
                 font: { family: "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', sans-serif", size: 12 }, legend: { orientation: "h", y: 1.12 } };
    function layout(extra) { return Object.assign({}, base, extra || {}); }
    var stageColours = ["#6c757d", "#0aa2c0", "#0d6efd", "#6f42c1", "#d97706", "#0f7a6b", "#198754"];
    Plotly.newPlot("chart-funnel", [{
      type: "funnel", y: data.funnel.map(function (r) { return r.label; }), x: data.funnel.map(function (r) { return r.reached; }),
      textinfo: "value+percent initial", marker: { color: stageColours }, connector: { line: { color: "#dee2e6" } }, name: L.reached
    }], layout({ margin: { l: 110, r: 20, t: 10, b: 20 } }), config);
    Plotly.newPlot("chart-median", [{
      type: "bar", x: data.median_days.map(function (r) { return r.label; }), y: data.median_days.map(function (r) { return r.median_days; }),
      marker: { color: stageColours.slice(0, 6) }, text: data.median_days.map(function (r) { return r.median_days === null ? "" : r.median_days; }),
      textposition: "outside", cliponaxis: false, name: L.median, hovertemplate: "%{x}: %{y} " + L.days + "<extra></extra>"
    }], layout({ yaxis: { title: { text: L.days }, rangemode: "tozero" } }), config);
    function grouped(id, rows, horizontal) {
      var names = rows.map(function (r) { return r.name; });
      var traces = [
        { type: "bar", name: L.cases, marker: { color: "#adb5bd" }, values: rows.map(function (r) { return r.cases; }) },
        { type: "bar", name: L.signed, marker: { color: "#7cc5b6" }, values: rows.map(function (r) { return r.signed; }) },
        { type: "bar", name: L.landed, marker: { color: "#198754" }, values: rows.map(function (r) { return r.landed; }) }
      ].map(function (t) {
        var trace = { type: "bar", name: t.name, marker: t.marker };
        if (horizontal) { trace.orientation = "h"; trace.y = names; trace.x = t.values; } else { trace.x = names; trace.y = t.values; }
        trace.customdata = rows.map(function (r) { return Number(r.contract_value); });
        trace.hovertemplate = "%{" + (horizontal ? "y" : "x") + "}: %{" + (horizontal ? "x" : "y") + "}<br>" + L.value + ": ¥%{customdata:,.0f}<extra>" + t.name + "</extra>";
        return trace;
      });
      var extra = { barmode: "group" };
      if (horizontal) { extra.yaxis = { autorange: "reversed", automargin: true }; extra.height = Math.max(330, rows.length * 28 + 80); extra.margin = { l: 10, r: 20, t: 10, b: 30 }; }
      else { extra.xaxis = { automargin: true, tickangle: -30 }; }
      Plotly.newPlot(id, traces, layout(extra), config);
    }
    grouped("chart-manager", data.by_manager, true);
    grouped("chart-city", data.by_city, false);
    grouped("chart-industry", data.by_industry, false);
  });
})();
