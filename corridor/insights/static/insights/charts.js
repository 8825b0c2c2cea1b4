/* Charts of the regional analytics pages (dashboard, homogeneous competition, cooperation flows).
   The figures come from the page's json_script block "insights-data" — the same figures the
   JSON API returns. When every chart is drawn, <body data-charts-ready="true"> is set. */
(function () {
  "use strict";

  var palette = ["#0b3d5c", "#0f7a6b", "#3c7fa3", "#7fb8a4", "#e0a100", "#b5546a", "#8a6bb8"];
  var base = {
    margin: {t: 10, r: 10, b: 40, l: 60}, paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
    font: {family: "system-ui, -apple-system, 'PingFang SC', 'Noto Sans CJK SC', sans-serif", size: 12},
    legend: {orientation: "h", y: -0.2}
  };
  var config = {displaylogo: false, responsive: true, modeBarButtonsToRemove: ["lasso2d", "select2d"]};

  function layout(extra) { return Object.assign({}, base, extra); }
  function num(v) { return Number(v); }
  function pluck(rows, key) { return rows.map(function (r) { return r[key]; }); }

  function empty(id, text) {
    var el = document.getElementById(id);
    if (!el) { return; }
    el.classList.add("empty");
    el.textContent = text;
  }

  function plot(id, traces, extra, rows, L) {
    if (!document.getElementById(id)) { return; }
    if (!rows.length) { empty(id, L.empty); return; }
    Plotly.newPlot(id, traces, layout(extra), config);
  }

  function dashboard(F, L) {
    var t = F.trend;
    plot("chart-trend", ["resources", "demands", "cooperation_items"].map(function (k, i) {
      return {type: "bar", name: L[k], x: pluck(t, "month"), y: pluck(t, k), marker: {color: palette[i]}};
    }), {barmode: "stack", xaxis: {type: "category"}, yaxis: {gridcolor: "#e5ecf0", rangemode: "tozero"}}, t, L);

    var s = F.demand_status.filter(function (r) { return r.count; });
    plot("chart-status", [{type: "pie", hole: 0.55, labels: pluck(s, "label"), values: pluck(s, "count"), sort: false,
      marker: {colors: palette}, textinfo: "value", hovertemplate: "%{label}: %{value}<extra></extra>"}],
      {margin: {t: 10, r: 10, b: 10, l: 10}, legend: {orientation: "h", y: -0.05}}, s, L);

    var c = F.by_city.slice(0, 15);
    plot("chart-city", ["resources", "demands", "cooperation_items"].map(function (k, i) {
      return {type: "bar", name: L[k], x: pluck(c, "city"), y: pluck(c, k), marker: {color: palette[i]}};
    }), {barmode: "group", yaxis: {gridcolor: "#e5ecf0"}}, c, L);

    var ind = F.by_industry.slice(0, 12).reverse();
    plot("chart-industry", ["resources", "demands"].map(function (k, i) {
      return {type: "bar", orientation: "h", name: L[k], y: ind.map(function (r) { return r.code + " " + r.name; }), x: pluck(ind, k), marker: {color: palette[i]}};
    }), {barmode: "group", margin: {t: 10, r: 10, b: 40, l: 170}, height: Math.max(320, 30 * ind.length + 80)}, ind, L);

    var b = F.balance.filter(function (r) { return r.scheme === "gbt4754" && r.open_demands > 0; }).slice(0, 25);
    var labelsB = b.map(function (r) { return r.code + " " + r.name; });
    plot("chart-balance", [
      {type: "bar", name: L.answerable, x: labelsB, y: pluck(b, "answerable"), marker: {color: palette[1]}},
      {type: "bar", name: L.unanswered, x: labelsB, y: pluck(b, "unanswered"), marker: {color: palette[5]}},
      {type: "scatter", mode: "markers", name: L.resources, x: labelsB, y: pluck(b, "resources"), yaxis: "y2", marker: {color: palette[0], size: 9, symbol: "diamond"}}
    ], {barmode: "stack", margin: {t: 10, r: 60, b: 150, l: 50}, yaxis: {title: {text: L.open_demands}, gridcolor: "#e5ecf0"},
        yaxis2: {title: {text: L.resources}, overlaying: "y", side: "right", showgrid: false, rangemode: "tozero"}, xaxis: {tickangle: -40}}, b, L);


    var sei = F.balance.filter(function (r) { return r.scheme === "sei2018" && (r.open_demands > 0 || r.resources > 0); }).reverse();
    var labelsS = sei.map(function (r) { return r.code + " " + r.name; });
    plot("chart-balance-sei", [
      {type: "bar", orientation: "h", name: L.answerable, y: labelsS, x: pluck(sei, "answerable"), marker: {color: palette[1]}},
      {type: "bar", orientation: "h", name: L.unanswered, y: labelsS, x: pluck(sei, "unanswered"), marker: {color: palette[5]}}
    ], {barmode: "stack", margin: {t: 10, r: 10, b: 40, l: 190}, height: Math.max(320, 34 * sei.length + 90),
        xaxis: {title: {text: L.open_demands}, gridcolor: "#e5ecf0"}}, sei, L);
  }

  // Utilisation replays every booking, so the page asks for that table separately.
  function utilisation(url, L) {
    return fetch(url, {credentials: "same-origin", headers: {Accept: "application/json"}})
      .then(function (response) { if (!response.ok) { throw new Error(String(response.status)); } return response.json(); })
      .then(function (table) {
        var u = table.rows;
        var open = 0, used = 0;
        u.forEach(function (r) { open += num(r.open_hours); used += num(r.used_hours); });
        var fig = document.getElementById("fig-utilisation");
        if (fig) { fig.textContent = open ? Math.round(100 * used / open) + "%" : "—"; }
        plot("chart-utilisation", [{type: "bar", x: pluck(u, "city"), y: u.map(function (r) { return num(r.utilisation) * 100; }),
          marker: {color: palette[2]}, customdata: pluck(u, "bookings"), hovertemplate: "%{x}<br>%{y:.1f}%<extra></extra>"}],
          {yaxis: {ticksuffix: "%", range: [0, 100], gridcolor: "#e5ecf0"}}, u, L);
      })
      .catch(function () { empty("chart-utilisation", L.empty); });
  }

  function competition(F, L) {
    var h = F.heatmap;
    plot("chart-heatmap", [{type: "heatmap", x: h.cities, y: h.cities, z: h.z, zmin: 0, zmax: 1, colorscale: "YlGnBu", reversescale: true,
      hovertemplate: "%{y} — %{x}<br>" + L.cosine + ": %{z:.3f}<extra></extra>"}],
      {margin: {t: 10, r: 10, b: 60, l: 70}, height: Math.max(500, 32 * h.cities.length + 100), yaxis: {autorange: "reversed"}}, h.cities, L);

    var lq = F.location_quotients;
    var cities = Array.from(new Set(pluck(lq, "city")));
    var top = {};
    lq.forEach(function (r) { top[r.industry_code] = (top[r.industry_code] || 0) + r.weight; });
    var codes = Object.keys(top).sort(function (a, b) { return top[b] - top[a]; }).slice(0, 15);
    var names = {};
    lq.forEach(function (r) { names[r.industry_code] = r.industry_code + " " + r.industry; });
    var z = cities.map(function (city) {
      return codes.map(function (code) {
        var row = lq.find(function (r) { return r.city === city && r.industry_code === code; });
        return row ? row.lq : 0;
      });
    });
    // The colour saturates at LQ 2 (twice the region's share), centred on 1; the hover shows the real value.
    plot("chart-lq", [{type: "heatmap", x: codes.map(function (c) { return names[c]; }), y: cities,
      z: z.map(function (row) { return row.map(function (v) { return Math.min(v, 2); }); }), customdata: z,
      zmin: 0, zmax: 2, colorscale: "RdBu", reversescale: true,
      hovertemplate: "%{y} · %{x}<br>LQ %{customdata:.2f}<extra></extra>"}],
      {margin: {t: 10, r: 10, b: 160, l: 70}, height: Math.max(420, 22 * cities.length + 200), xaxis: {tickangle: -45}}, lq, L);
  }

  function flows(F, L) {
    var cities = F.cities;
    var traces = [];
    function lines(edges, color, name, key) {
      var max = Math.max.apply(null, edges.map(function (e) { return e.count; }).concat([1]));
      edges.forEach(function (e, i) {
        traces.push({type: "scatter", mode: "lines", x: [e.from_lon, e.to_lon], y: [e.from_lat, e.to_lat],
          line: {color: color, width: 1 + 7 * e.count / max}, opacity: 0.55, name: name, legendgroup: name, showlegend: i === 0,
          hovertemplate: e.from_city + " → " + e.to_city + "<br>" + L.count + ": " + e.count + "<br>¥" + Number(e[key]).toLocaleString() + "<extra></extra>"});
      });
      // Arrow heads: a marker two thirds along each line, pointing the way of the flow.
      traces.push({type: "scatter", mode: "markers", legendgroup: name, showlegend: false, hoverinfo: "skip",
        x: edges.map(function (e) { return e.from_lon + (e.to_lon - e.from_lon) * 0.66; }),
        y: edges.map(function (e) { return e.from_lat + (e.to_lat - e.from_lat) * 0.66; }),
        marker: {symbol: "triangle-up", size: 9, color: color,
                 angle: edges.map(function (e) { return 90 - Math.atan2(e.to_lat - e.from_lat, e.to_lon - e.from_lon) * 180 / Math.PI; })}});
    }
    lines(F.transaction_edges, "#3c7fa3", L.transactions, "amount");
    lines(F.cooperation_edges, "#0f7a6b", L.cooperation, "value");
    ["core", "extended", ""].forEach(function (kind, i) {
      var group = cities.filter(function (c) { return c.corridor === kind; });
      if (!group.length) { return; }
      traces.push({type: "scatter", mode: "markers+text", x: pluck(group, "lon"), y: pluck(group, "lat"), text: pluck(group, "city"),
        textposition: "top center", name: L[kind || "other"], marker: {size: kind === "core" ? 11 : 8, color: ["#0b3d5c", "#3c7fa3", "#9fb3c1"][i],
        line: {color: "#fff", width: 1}}, hovertemplate: "%{text}<extra></extra>"});
    });
    plot("chart-map", traces, {height: 560, margin: {t: 10, r: 10, b: 50, l: 60}, hovermode: "closest",
      xaxis: {title: {text: L.lon}, gridcolor: "#e5ecf0", zeroline: false},
      yaxis: {title: {text: L.lat}, gridcolor: "#e5ecf0", zeroline: false, scaleanchor: "x", scaleratio: 1.15}}, cities, L);
  }

  function draw() {
    var node = document.getElementById("insights-data");
    if (!node) { return; }
    var data = JSON.parse(node.textContent);
    if (!window.Plotly) {
      document.querySelectorAll(".insights-chart").forEach(function (el) { empty(el.id, data.labels.empty); });
      document.body.dataset.chartsReady = "true";
      return;
    }
    ({dashboard: dashboard, competition: competition, flows: flows})[data.page](data.figures, data.labels);
    var pending = data.utilisation_url ? utilisation(data.utilisation_url, data.labels) : Promise.resolve();
    pending.then(function () { document.body.dataset.chartsReady = "true"; });
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", draw);
  } else {
    draw();
  }
})();
