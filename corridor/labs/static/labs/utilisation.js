// Utilisation charts (labs/utilisation.html): plotly figures built on the server, passed as JSON in
// #utilisation-charts and drawn by plotly.js served by Corridor itself (no inline script, CSP-safe).
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var source = document.getElementById("utilisation-charts");
    if (!source || !window.Plotly) { return; }
    JSON.parse(source.textContent).forEach(function (chart) {
      var config = Object.assign({ responsive: true, displaylogo: false }, chart.figure.config || {});
      window.Plotly.newPlot(chart.id, chart.figure.data, chart.figure.layout, config);
    });
  });
})();
